import { describe, expect, it } from "vitest";
import {
  elements,
  failoverResults,
  latencyOf,
  markers,
  plotX,
  rootSize,
  secondsAxis,
  textBoxes,
} from "../../test/chart-support.js";
import type { LatencyOverTime } from "../view.js";
import { LOG_RATIO, latencyOverTimeChart } from "./latency-over-time.js";

const results = failoverResults();
const view = latencyOf(results);

function handView(p99: number[], extra: Partial<LatencyOverTime["lines"][number]> = {}): LatencyOverTime {
  return {
    axis: secondsAxis(p99.length),
    lines: [
      {
        variant: { name: "roundrobin", color: "#0072B2" },
        p50: { mean: p99.map((v) => v / 2) },
        p90: { mean: p99.map((v) => v * 0.8) },
        p99: { mean: p99 },
        ...extra,
      },
    ],
    actions: [],
    failover: [],
  };
}

describe("latencyOverTimeChart", () => {
  it("draws p50, p90 and p99 with a point for every bucket where requests finished", () => {
    const svg = latencyOverTimeChart(view, { width: 900, fontSize: 12 });
    expect(svg).toContain('data-chart="latency-over-time"');
    const series = elements(svg, "series");
    expect(series.map((s) => s["data-series"])).toEqual([
      "roundrobin|p50",
      "roundrobin|p90",
      "roundrobin|p99",
    ]);
    const withData = (values: ReadonlyArray<number>) => values.filter((v) => v > 0).length;
    expect(series.map((s) => Number(s["data-points"]))).toEqual([
      withData(results.series.p50Ms),
      withData(results.series.p90Ms),
      withData(results.series.p99Ms),
    ]);
    expect(withData(results.series.p99Ms)).toBeGreaterThan(10);
  });

  it("leaves a gap where no request finished, never a drop to 0", () => {
    const svg = latencyOverTimeChart(handView([10, 12, 0, 0, 11, 13]), { width: 600, fontSize: 12 });
    const p99 = elements(svg, "series").find((s) => s["data-series"] === "roundrobin|p99")!;
    expect(p99["data-points"]).toBe("4");
    // Two runs of points: the path starts twice.
    expect(p99.d!.match(/M/g)).toHaveLength(2);
  });

  it("leaves a gap where the view counts no finished request, whatever the percentile reads", () => {
    // viz/view.ts: a bucket whose `requests` is 0 has no latency; the chart follows that, not the value.
    const view = handView([10, 12, 14, 11], { requests: { mean: [5, 0, 4, 6] } });
    const svg = latencyOverTimeChart(view, { width: 600, fontSize: 12 });
    expect(elements(svg, "series").map((s) => s["data-points"])).toEqual(["3", "3", "3"]);
  });

  it("shows a bucket with data between two without as a dot, a line of no length being invisible", () => {
    const svg = latencyOverTimeChart(handView([10, 12, 0, 11, 0, 13, 14]), { width: 600, fontSize: 12 });
    const dots = elements(svg, "lone-point").filter((d) => d["data-series"] === "roundrobin|p99");
    const x = plotX(elements(svg, "plot")[0]!);
    expect(dots).toHaveLength(1);
    expect(Number(dots[0]!.cx)).toBeCloseTo(x(3500), 1);
  });

  it("puts each action's marker at its time on the x scale, labelled", () => {
    const svg = latencyOverTimeChart(view, { width: 900, fontSize: 12 });
    const x = plotX(elements(svg, "plot")[0]!);
    const drawn = markers(svg);
    expect(drawn.map((m) => m.atMs)).toEqual([5000, 12_000]);
    for (const m of drawn) expect(m.lineX).toBeCloseTo(x(m.atMs), 1);
    expect(drawn.map((m) => m.label)).toEqual(["crash web02", "restore web02"]);
  });

  it("shades the failover from the crash to DOWN and from DOWN to UP, at the times the run says", () => {
    const states = results.servers.find((s) => s.name === "web02")!.states;
    const downMs = states.find((s) => s.atMs > 5000 && s.state === "DOWN")!.atMs;
    const upMs = states.find((s) => s.atMs > downMs && s.state === "UP")!.atMs;
    const svg = latencyOverTimeChart(view, { width: 900, fontSize: 12 });
    const x = plotX(elements(svg, "plot")[0]!);
    const rects = elements(svg, "failover");
    expect(rects.map((r) => [Number(r["data-from-ms"]), Number(r["data-to-ms"])])).toEqual([
      [5000, downMs],
      [downMs, upMs],
    ]);
    expect(Number(rects[1]!.x)).toBeCloseTo(x(downMs), 1);
    expect(Number(rects[1]!.x) + Number(rects[1]!.width)).toBeCloseTo(x(upMs), 1);
  });

  it("chooses a log axis when the drawn values span more than the ratio, a linear one otherwise", () => {
    const scaleOf = (svg: string) => elements(svg, "plot")[0]!["data-y-scale"];
    const wide = latencyOverTimeChart(handView([2, 3, 2000, 4]), { width: 600, fontSize: 12 });
    const narrow = latencyOverTimeChart(handView([20, 30, 25, 40]), { width: 600, fontSize: 12 });
    expect(scaleOf(wide)).toBe("log");
    expect(wide).toContain("latency (ms, log scale)");
    expect(scaleOf(narrow)).toBe("linear");
    // Just under the ratio (p50 = p99 / 2 is the smallest drawn value): still linear.
    expect(scaleOf(latencyOverTimeChart(handView([2, LOG_RATIO * 0.9]), { width: 600, fontSize: 12 }))).toBe(
      "linear",
    );
  });

  it("draws the 95% band of each percentile with replications, and none without", () => {
    const banded = handView([10, 12, 14], {
      p99: { mean: [10, 12, 14], low: [8, 10, 12], high: [12, 14, 16] },
    });
    const svg = latencyOverTimeChart(banded, { width: 600, fontSize: 12 });
    expect(elements(svg, "band").map((b) => b["data-series"])).toEqual(["roundrobin|p99"]);
    expect(svg).toContain("mean, 95% band");
    expect(
      elements(latencyOverTimeChart(handView([10, 12, 14]), { width: 600, fontSize: 12 }), "band"),
    ).toEqual([]);
  });

  it("tells the variants apart by colour and names each in the legend", () => {
    const two: LatencyOverTime = {
      ...view,
      lines: [view.lines[0]!, { ...view.lines[0]!, variant: { name: "leastconn", color: "#D55E00" } }],
    };
    const svg = latencyOverTimeChart(two, { width: 900, fontSize: 12 });
    const strokes = new Map(elements(svg, "series").map((s) => [s["data-series"], s.stroke]));
    expect(strokes.get("roundrobin|p99")).toBe("#0072B2");
    expect(strokes.get("leastconn|p99")).toBe("#D55E00");
    expect(svg).toContain(">leastconn</text>");
  });

  it("says so when no request finished", () => {
    const svg = latencyOverTimeChart(handView([0, 0, 0]), { width: 600, fontSize: 12 });
    expect(svg).toContain(">no request finished</text>");
    expect(elements(svg, "series").every((s) => s["data-points"] === "0")).toBe(true);
  });

  it("gives the same string for the same data", () => {
    expect(latencyOverTimeChart(latencyOf(failoverResults()), { width: 900, fontSize: 12 })).toBe(
      latencyOverTimeChart(view, { width: 900, fontSize: 12 }),
    );
  });

  it("grows its text with large type and keeps every text inside the viewBox", () => {
    for (const width of [480, 900]) {
      const normal = latencyOverTimeChart(view, { width, fontSize: 12 });
      const large = latencyOverTimeChart(view, { width, fontSize: 20 });
      expect(rootSize(large).fontSize).toBe(20);
      expect(rootSize(large).height).toBeGreaterThan(rootSize(normal).height);
      for (const svg of [normal, large]) {
        const { width: w, height: h } = rootSize(svg);
        expect(w).toBe(width);
        for (const box of textBoxes(svg)) {
          expect(box.left, box.content).toBeGreaterThanOrEqual(0);
          expect(box.right, box.content).toBeLessThanOrEqual(w);
          expect(box.top, box.content).toBeGreaterThanOrEqual(0);
          expect(box.bottom, box.content).toBeLessThanOrEqual(h);
        }
      }
    }
  });
});
