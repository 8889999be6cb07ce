import { describe, expect, it } from "vitest";
import { CATEGORY_COLORS } from "../../viz/palette.js";
import {
  actionMarkers,
  axisEndMs,
  liveAxis,
  liveLatencyView,
  liveSharesView,
  liveThroughputView,
} from "./live-charts-view.js";
import { type LiveSeries, LiveSeriesBuilder } from "./live-series.js";

/** Three 1 s buckets of two servers; web02 gets nothing in the third (it crashed). */
function series(parts: Partial<LiveSeries> = {}): LiveSeries {
  return {
    bucketMs: 1000,
    atMs: [0, 1000, 2000],
    requests: [50, 50, 50],
    errors: [0, 2, 0],
    p50Ms: [5, 6, 4],
    p90Ms: [9, 12, 8],
    p99Ms: [15, 40, 14],
    servers: ["web01", "web02"],
    serverRequests: { web01: [25, 30, 50], web02: [25, 20, 0] },
    serverTotals: { web01: 80, web02: 20 },
    warmupMs: 1000,
    durationMs: 20_000,
    nowMs: 3100,
    ...parts,
  };
}

describe("the live time axis", () => {
  it("spans the whole run when it is short, so the line grows left to right", () => {
    expect(axisEndMs(3100, 20_000)).toBe(10_000);
    expect(axisEndMs(12_000, 20_000)).toBe(20_000);
    expect(axisEndMs(0, 20_000)).toBe(10_000);
  });

  it("grows by steps on a long run, not at every update", () => {
    expect(axisEndMs(10_001, 3_600_000)).toBe(30_000);
    expect(axisEndMs(29_000, 3_600_000)).toBe(30_000);
    expect(axisEndMs(31_000, 3_600_000)).toBe(60_000);
    expect(axisEndMs(4_000_000, Number.POSITIVE_INFINITY)).toBe(7_200_000);
  });

  it("keeps the series' buckets and warm-up", () => {
    expect(liveAxis(series())).toEqual({
      atMs: [0, 1000, 2000],
      bucketMs: 1000,
      durationMs: 10_000,
      warmupMs: 1000,
    });
  });
});

describe("liveLatencyView", () => {
  it("is the report's latency view: one line, p50/p90/p99 per bucket, the requests for gaps, the actions marked", () => {
    const view = liveLatencyView(series(), [{ atMs: 1500, text: "crash web02" }], "roundrobin");
    expect(view.lines).toHaveLength(1);
    const line = view.lines[0]!;
    expect(line.variant.name).toBe("roundrobin");
    expect(line.p99.mean).toEqual([15, 40, 14]);
    expect(line.p90.mean).toEqual([9, 12, 8]);
    expect(line.p50.mean).toEqual([5, 6, 4]);
    expect(line.requests?.mean).toEqual([50, 50, 50]);
    expect(view.actions).toEqual([{ atMs: 1500, action: "crash", text: "crash web02" }]);
    expect(view.failover).toEqual([]);
  });

  it("leaves out actions beyond the axis (none are: the axis reaches past now)", () => {
    const axis = liveAxis(series());
    expect(actionMarkers([{ atMs: 12_000, text: "restore web02" }], axis)).toEqual([]);
  });
});

describe("liveSharesView", () => {
  it("shares the steady-state requests (what lbsim run counts), the ideal share from the weights", () => {
    const view = liveSharesView(series(), "roundrobin", { web01: 3, web02: 1 });
    expect(view.bars[0]!.shares.map((s) => s.share)).toEqual([0.8, 0.2]);
    expect(view.servers.map((s) => s.idealShare)).toEqual([0.75, 0.25]);
    expect(view.servers.map((s) => s.weight)).toEqual([3, 1]);
  });

  it("shares every request so far while the warm-up lasts (no steady-state count yet)", () => {
    const view = liveSharesView(series({ serverTotals: { web01: 0, web02: 0 } }), "roundrobin");
    // web01 105 of 150, web02 45.
    expect(view.bars[0]!.shares.map((s) => s.share)).toEqual([0.7, 0.3]);
    expect(view.servers.map((s) => s.idealShare)).toEqual([null, null]);
  });

  it("agrees with the series the worker builds from finished requests", () => {
    const builder = new LiveSeriesBuilder(["a", "b"], 0, 10_000);
    for (let i = 0; i < 30; i++)
      builder.add({ atMs: i * 100, totalMs: 5, server: i % 3 === 0 ? "b" : "a", status: 200 });
    const view = liveSharesView(builder.series(3500), "x");
    expect(view.bars[0]!.shares.map((s) => s.share)).toEqual([20 / 30, 10 / 30]);
  });
});

describe("liveThroughputView", () => {
  it("gives requests per second per server and failed per second, a colour per server kept by its place", () => {
    const view = liveThroughputView(series(), []);
    expect(view.servers.map((s) => [s.name, s.color, s.perSecond])).toEqual([
      ["web01", CATEGORY_COLORS[0], [25, 30, 50]],
      ["web02", CATEGORY_COLORS[1], [25, 20, 0]],
    ]);
    expect(view.errorsPerSecond).toEqual([0, 2, 0]);
  });

  it("converts counts of other bucket widths to per second", () => {
    const view = liveThroughputView(series({ bucketMs: 500, atMs: [0, 500, 1000] }), []);
    expect(view.servers[0]!.perSecond).toEqual([50, 60, 100]);
    expect(view.errorsPerSecond).toEqual([0, 4, 0]);
  });
});
