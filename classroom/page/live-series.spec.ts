// LiveSeries: per-second buckets from finished requests, and per-server totals equal to Results'.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenarios/index.js";
import { createModel, run } from "../../sim/index.js";
import { resolveStrategy } from "../../strategies/index.js";
import { LiveSeriesBuilder, percentile } from "./live-series.js";

const resolve = (balance: string) => {
  const factory = resolveStrategy(balance);
  if (factory === undefined) throw new Error(balance);
  return factory;
};

describe("LiveSeriesBuilder", () => {
  it("puts a request in the bucket of its finish time and closes only buckets that ended", () => {
    const b = new LiveSeriesBuilder(["a", "b"], 0, 3000);
    b.add({ atMs: 100, totalMs: 50, server: "a", status: 200 }); // ends 150: bucket 0
    b.add({ atMs: 900, totalMs: 200, server: "b", status: 503 }); // ends 1100: bucket 1000
    b.add({ atMs: 1200, totalMs: 10, server: "", status: -1 }); // no server, gave up
    const early = b.series(1500);
    expect(early.atMs).toEqual([0]);
    expect(early.requests).toEqual([1]);
    expect(early.serverRequests).toEqual({ a: [1], b: [0] });
    const done = b.series(3000);
    expect(done.atMs).toEqual([0, 1000, 2000]);
    expect(done.requests).toEqual([1, 2, 0]);
    expect(done.errors).toEqual([0, 2, 0]);
    expect(done.p50Ms).toEqual([50, 10, 0]);
    expect(done.p99Ms).toEqual([50, 200, 0]);
    expect(done.serverRequests).toEqual({ a: [1, 0, 0], b: [0, 1, 0] });
    expect(done.serverTotals).toEqual({ a: 1, b: 1 });
  });

  it("closes the last, partial bucket at the end of a run whose duration is not a whole bucket", () => {
    const b = new LiveSeriesBuilder(["a"], 0, 2500);
    b.add({ atMs: 2400, totalMs: 20, server: "a", status: 200 });
    expect(b.series(2500).atMs).toEqual([0, 1000, 2000]);
    expect(b.series(2500).requests).toEqual([0, 0, 1]);
  });

  it("counts only requests that arrived after the warm-up in the per-server totals", () => {
    const b = new LiveSeriesBuilder(["a"], 1000, 3000);
    b.add({ atMs: 999, totalMs: 5, server: "a", status: 200 });
    b.add({ atMs: 1000, totalMs: 5, server: "a", status: 200 });
    expect(b.series(3000).serverTotals).toEqual({ a: 1 });
  });

  it("percentile takes the nearest rank", () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(percentile([], 0.5)).toBe(0);
  });

  it("gives the per-server requests of Results over a whole run, warm-up and failures included", () => {
    const scenario = parseScenario(
      `name: t
duration: 10s
warmup: 2s
backend:
  service: { exponential: 30ms }
  retries: 0
  servers: [{ name: a, slots: 1 }, { name: b, slots: 2 }]
clients:
  - { name: c, arrivals: { poisson: 80/s } }
events:
  - { at: 4s, crash: a }
`,
      "t.yaml",
    );
    const results = run(scenario, { resolveStrategy: resolve });
    let builder: LiveSeriesBuilder | undefined;
    const model = createModel(scenario, { resolveStrategy: resolve, onRequest: (r) => builder?.add(r) });
    builder = new LiveSeriesBuilder(["a", "b"], scenario.warmupMs, scenario.durationMs);
    model.advanceTo(scenario.durationMs);
    const series = builder.series(model.nowMs);
    const open = Object.fromEntries(model.finish().servers.map((s) => [s.name, s.requests]));
    expect(open).toEqual(Object.fromEntries(results.servers.map((s) => [s.name, s.requests])));
    // Requests still open at the end are not finished: the live totals are at most Results'.
    for (const s of results.servers) {
      expect(series.serverTotals[s.name]).toBeLessThanOrEqual(s.requests);
      expect(series.serverTotals[s.name]).toBeGreaterThan(s.requests * 0.95);
    }
    expect(series.requests.reduce((x, y) => x + y, 0)).toBeGreaterThan(700);
  });
});
