// Spec of the sweep report's view: the x axis from the swept values, panels, points, bands and gaps from the rows.
import { describe, expect, it } from "vitest";
import { type SweepInput, sweepView, sweepXAxis } from "./build-sweep.js";
import { VARIANT_COLORS } from "./palette.js";

type Row = SweepInput["rows"][number];

/** A row of the sweep JSON: p99Ms and errorRate as given (null: none finished), `n` replications. */
function row(
  values: Record<string, string>,
  strategy: string,
  p99: [number, number, number] | null,
  n = 3,
): Row {
  const figure =
    p99 === null ? { mean: null, low: null, high: null } : { mean: p99[0], low: p99[1], high: p99[2] };
  return {
    values,
    strategy,
    seeds: Array.from({ length: p99 === null ? 0 : n }, (_, k) => 7 + k),
    metrics: { p99Ms: figure, errorRate: { mean: 0.01, low: 0.005, high: 0.015 } },
  };
}

function input(
  rows: Row[],
  parameters: SweepInput["parameters"],
  over: Partial<SweepInput> = {},
): SweepInput {
  return {
    scenario: "two",
    file: "two.yaml",
    lbsim: "9.9.9",
    parameters,
    strategies: ["roundrobin", "leastconn"],
    replications: 3,
    metrics: [
      { key: "p99Ms", unit: "ms" },
      { key: "errorRate", unit: "ratio" },
    ],
    runs: { total: rows.length * 3, done: rows.length * 3, missing: 0 },
    complete: true,
    rows,
    ...over,
  };
}

const RATE = "clients.load.arrivals.poisson";
const INTER = "backend.check.inter";

describe("sweepXAxis: the swept values on x", () => {
  it("places numbers with one unit by value, the unit apart", () => {
    expect(sweepXAxis(RATE, ["100/s", "150/s", "250/s"])).toEqual({
      path: RATE,
      labels: ["100/s", "150/s", "250/s"],
      kind: "numeric",
      numbers: [100, 150, 250],
      unit: "/s",
    });
    expect(sweepXAxis("x", ["1", "2", "8"])).toMatchObject({ kind: "numeric", numbers: [1, 2, 8], unit: "" });
    expect(sweepXAxis(INTER, ["1s", "2s", "5s"])).toMatchObject({ numbers: [1, 2, 5], unit: "s" });
    expect(sweepXAxis("s", ["0.25", "1e3"])).toMatchObject({ numbers: [0.25, 1000] });
  });

  it("puts durations of several units on one axis: in ms, or in s when every value reaches a second", () => {
    expect(sweepXAxis(INTER, ["500ms", "1s", "2s"])).toMatchObject({
      numbers: [500, 1000, 2000],
      unit: "ms",
    });
    expect(sweepXAxis(INTER, ["1500ms", "1m"])).toMatchObject({ numbers: [1.5, 60], unit: "s" });
  });

  it("falls back to evenly spaced bands for anything else, in the order given", () => {
    for (const labels of [
      ["{ exponential: 10ms }", "{ fixed: 10ms }"],
      ["roundrobin", "leastconn"],
      ["1s", "fast"],
      ["10/s", "2s"],
    ])
      expect(sweepXAxis("p", labels)).toEqual({ path: "p", labels, kind: "band" });
  });
});

describe("sweepView: a chart per metric, a line per strategy, a panel per value of the other --set", () => {
  it("takes each point's mean and interval from its row, in x order, and counts its replications", () => {
    const rows = [
      row({ [RATE]: "100/s" }, "roundrobin", [20, 18, 22]),
      row({ [RATE]: "100/s" }, "leastconn", [15, 14, 16], 2),
      row({ [RATE]: "200/s" }, "roundrobin", [90, 60, 120]),
      row({ [RATE]: "200/s" }, "leastconn", [30, 25, 35]),
    ];
    const view = sweepView(input(rows, [{ path: RATE, values: ["100/s", "200/s"] }]), [7]);
    expect(view.charts.map((c) => [c.key, c.title, c.axisLabel])).toEqual([
      ["p99Ms", "p99 latency", "p99 latency (ms)"],
      ["errorRate", "Error rate", "Error rate (% of requests)"],
    ]);
    const [p99] = view.charts;
    expect(p99?.panels).toHaveLength(1);
    expect(p99?.panels[0]?.title).toBe("");
    expect(p99?.banded).toBe(true);
    expect(p99?.note).toBeUndefined();
    const [rr, lc] = p99?.panels[0]?.lines ?? [];
    expect(rr?.variant).toEqual({ name: "roundrobin", color: VARIANT_COLORS[0] });
    expect(lc?.variant).toEqual({ name: "leastconn", color: VARIANT_COLORS[1] });
    expect(rr?.points).toEqual([
      { x: 0, mean: 20, low: 18, high: 22, n: 3 },
      { x: 1, mean: 90, low: 60, high: 120, n: 3 },
    ]);
    expect(lc?.points[0]).toEqual({ x: 0, mean: 15, low: 14, high: 16, n: 2 });
    expect(view.x).toMatchObject({ kind: "numeric", numbers: [100, 200], unit: "/s" });
    expect(view.title).toBe(`two · sweep of ${RATE}`);
    expect(view.generator).toBe("lbsim 9.9.9");
  });

  it("leaves a gap (null, never 0) where no replication finished or the row or metric is missing", () => {
    const rows = [
      row({ [RATE]: "100/s" }, "roundrobin", [20, 18, 22]),
      row({ [RATE]: "200/s" }, "roundrobin", null),
      // 300/s roundrobin: no row at all; leastconn's rows lack p99Ms.
      ...["100/s", "200/s", "300/s"].map((v) => ({
        ...row({ [RATE]: v }, "leastconn", [1, 1, 1]),
        metrics: {},
      })),
    ];
    const view = sweepView(input(rows, [{ path: RATE, values: ["100/s", "200/s", "300/s"] }]), [7]);
    const [rr, lc] = view.charts[0]?.panels[0]?.lines ?? [];
    expect(rr?.points.map((p) => p.mean)).toEqual([20, null, null]);
    expect(rr?.points.map((p) => p.n)).toEqual([3, 0, 0]);
    expect(lc?.points.map((p) => p.mean)).toEqual([null, null, null]);
  });

  it("says 1 replication: no interval when no point has one, and draws no band", () => {
    const rows = ["100/s", "200/s"].flatMap((v) => [
      {
        ...row({ [RATE]: v }, "roundrobin", [20, 0, 0], 1),
        metrics: { p99Ms: { mean: 20, low: null, high: null } },
      },
    ]);
    const view = sweepView(
      input(rows, [{ path: RATE, values: ["100/s", "200/s"] }], {
        strategies: ["roundrobin"],
        replications: 1,
      }),
      [7],
    );
    expect(view.charts[0]?.banded).toBe(false);
    expect(view.charts[0]?.note).toBe("1 replication: no interval");
    expect(view.charts[0]?.panels[0]?.lines[0]?.points[0]).toEqual({
      x: 0,
      mean: 20,
      low: null,
      high: null,
      n: 1,
    });
  });

  it("says so when every point is 0 (no errors anywhere), besides the interval's note", () => {
    const rows = ["100/s", "200/s"].map((v) => row({ [RATE]: v }, "roundrobin", [20, 18, 22]));
    const zero = { mean: 0, low: 0, high: 0 };
    const view = sweepView(
      input(
        rows.map((r) => ({ ...r, metrics: { ...r.metrics, errorRate: zero } })),
        [{ path: RATE, values: ["100/s", "200/s"] }],
        { strategies: ["roundrobin"] },
      ),
      [7],
    );
    expect(view.charts.map((c) => c.note)).toEqual([undefined, "0 at every point, for every strategy"]);
    const single = sweepView(
      input(
        rows.map((r) => ({ ...r, seeds: [7], metrics: { p99Ms: { mean: 0, low: null, high: null } } })),
        [{ path: RATE, values: ["100/s", "200/s"] }],
        { strategies: ["roundrobin"], replications: 1 },
      ),
      [7],
    );
    expect(single.charts[0]?.note).toBe("1 replication: no interval · 0 at every point, for every strategy");
  });

  it("makes one panel per combination of the other parameters, titled path = value, in grid order", () => {
    const params = [
      { path: RATE, values: ["100/s", "200/s"] },
      { path: INTER, values: ["1s", "2s"] },
      { path: "backend.servers.web02.speed", values: ["0.5", "1"] },
    ];
    const rows: Row[] = [];
    let p99 = 1;
    for (const rate of params[0]?.values ?? [])
      for (const inter of params[1]?.values ?? [])
        for (const speed of params[2]?.values ?? [])
          for (const strategy of ["roundrobin", "leastconn"]) {
            rows.push(
              row({ [RATE]: rate, [INTER]: inter, "backend.servers.web02.speed": speed }, strategy, [
                p99,
                p99 - 0.5,
                p99 + 0.5,
              ]),
            );
            p99++;
          }
    const view = sweepView(input(rows, params), [7, 7]);
    const panels = view.charts[0]?.panels ?? [];
    expect(panels.map((p) => p.title)).toEqual([
      `${INTER} = 1s, backend.servers.web02.speed = 0.5`,
      `${INTER} = 1s, backend.servers.web02.speed = 1`,
      `${INTER} = 2s, backend.servers.web02.speed = 0.5`,
      `${INTER} = 2s, backend.servers.web02.speed = 1`,
    ]);
    expect(panels[1]?.titleParts).toEqual([`${INTER} = 1s`, "backend.servers.web02.speed = 1"]);
    // Panel (inter 2s, speed 0.5), leastconn: rows rate 100/s and 200/s at that point.
    const want = (rate: string) =>
      rows.find(
        (r) =>
          r.values[RATE] === rate &&
          r.values[INTER] === "2s" &&
          r.values["backend.servers.web02.speed"] === "0.5" &&
          r.strategy === "leastconn",
      )?.metrics.p99Ms?.mean;
    expect(panels[2]?.lines[1]?.points.map((p) => p.mean)).toEqual([want("100/s"), want("200/s")]);
    expect(view.seeds).toEqual([7]);
  });

  it("keeps the header's facts: auto replications, the seeds ascending once each, a partial sweep", () => {
    const auto = { precision: 0.05, min: 3, max: 20 };
    const view = sweepView(
      input([row({ [RATE]: "1/s" }, "roundrobin", [1, 0.5, 1.5])], [{ path: RATE, values: ["1/s"] }], {
        replicationsAuto: auto,
        complete: false,
        runs: { total: 10, done: 4, missing: 6 },
      }),
      [9, 3, 9],
    );
    expect(view.replicationsAuto).toEqual(auto);
    expect(view.seeds).toEqual([3, 9]);
    expect(view.partial).toBe(true);
    expect(view.runs).toEqual({ total: 10, done: 4, missing: 6 });
  });
});
