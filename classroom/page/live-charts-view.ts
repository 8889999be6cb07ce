// The live charts' views: the worker's LiveSeries and the actions applied so far, as the report's chart views (latency over time, requests per server) and the per-server throughput chart's. Pure.
import { CATEGORY_COLORS, variantColor } from "../../viz/palette.js";
import type { ActionMarker, LatencyOverTime, Shares, TimeAxis } from "../../viz/view.js";
import type { LiveSeries } from "./live-series.js";

/** An action as the page records it: when it took effect (simulated ms) and what it was. */
export interface LiveAction {
  readonly atMs: number;
  readonly text: string;
}

/** Lengths the time axis grows through (ms): it jumps to the next only when the run passes the last, so charts do not rescale at every update. */
export const AXIS_STEPS_MS: ReadonlyArray<number> = [
  10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000,
];

/**
 * How far the time axis reaches: the whole run when it is no longer than the first step that
 * holds `nowMs`, else that step (then whole hours): a 20 s scenario is drawn over 0–20 s from its
 * first second, its line growing left to right.
 */
export function axisEndMs(nowMs: number, durationMs: number): number {
  const step = AXIS_STEPS_MS.find((s) => s >= nowMs) ?? Math.ceil(nowMs / 3_600_000) * 3_600_000;
  return Number.isFinite(durationMs) && durationMs > 0 ? Math.min(durationMs, Math.max(step, 1)) : step;
}

/** The time axis every live chart shares. */
export function liveAxis(series: LiveSeries): TimeAxis {
  return {
    atMs: series.atMs,
    bucketMs: series.bucketMs,
    durationMs: axisEndMs(series.nowMs, series.durationMs),
    warmupMs: series.warmupMs,
  };
}

/** Actions as the report's markers: `crash web02` → action `crash`. */
export function actionMarkers(actions: ReadonlyArray<LiveAction>, axis: TimeAxis): ActionMarker[] {
  return actions
    .filter((a) => a.atMs <= axis.durationMs)
    .map((a) => ({ atMs: a.atMs, action: a.text.split(" ")[0] ?? "", text: a.text }));
}

/** Latency over time: the report's chart with one line, the run's strategy (`strategy` names it). */
export function liveLatencyView(
  series: LiveSeries,
  actions: ReadonlyArray<LiveAction>,
  strategy: string,
): LatencyOverTime {
  const axis = liveAxis(series);
  return {
    axis,
    lines: [
      {
        variant: { name: strategy, color: variantColor(0) },
        p50: { mean: series.p50Ms },
        p90: { mean: series.p90Ms },
        p99: { mean: series.p99Ms },
        requests: { mean: series.requests },
      },
    ],
    actions: actionMarkers(actions, axis),
    failover: [],
  };
}

/**
 * Requests per server so far: each server's share of the requests that arrived after the warm-up
 * (`serverTotals`, what `lbsim run` counts), or of every request while the warm-up lasts. The
 * ideal share by weight is marked when the weights are given (the last snapshot's).
 */
export function liveSharesView(
  series: LiveSeries,
  strategy: string,
  weights?: Readonly<Record<string, number>>,
): Shares {
  const steady = series.servers.map((s) => series.serverTotals[s] ?? 0);
  const all = series.servers.map((s) => (series.serverRequests[s] ?? []).reduce((a, b) => a + b, 0));
  const counts = steady.some((n) => n > 0) ? steady : all;
  const total = counts.reduce((a, b) => a + b, 0);
  const weightSum =
    weights === undefined ? 0 : series.servers.reduce((sum, s) => sum + Math.max(0, weights[s] ?? 0), 0);
  return {
    servers: series.servers.map((name) => {
      const weight = weights?.[name];
      return {
        name,
        weight: weight ?? null,
        backup: false,
        idealShare: weight === undefined || weightSum === 0 ? null : Math.max(0, weight) / weightSum,
      };
    }),
    bars: [
      {
        variant: { name: strategy, color: variantColor(0) },
        shares: counts.map((n) => ({ share: total > 0 ? n / total : 0 })),
      },
    ],
  };
}

/** Per-server throughput over time: stacked bands of requests per second, failed requests on top as a line. */
export interface ThroughputView {
  readonly axis: TimeAxis;
  readonly servers: ReadonlyArray<{
    readonly name: string;
    readonly color: string;
    /** Requests per second it answered or failed, per bucket. */
    readonly perSecond: ReadonlyArray<number>;
  }>;
  /** Failed requests per second, per bucket. */
  readonly errorsPerSecond: ReadonlyArray<number>;
  readonly actions: ReadonlyArray<ActionMarker>;
}

/** A colour per server, by its place in the series: the same server keeps its colour as the run goes on. */
export function serverColor(index: number): string {
  return CATEGORY_COLORS[index % CATEGORY_COLORS.length]!;
}

export function liveThroughputView(series: LiveSeries, actions: ReadonlyArray<LiveAction>): ThroughputView {
  const axis = liveAxis(series);
  const perSecond = (counts: ReadonlyArray<number>) => counts.map((n) => (n * 1000) / series.bucketMs);
  return {
    axis,
    servers: series.servers.map((name, i) => ({
      name,
      color: serverColor(i),
      perSecond: perSecond(series.serverRequests[name] ?? []),
    })),
    errorsPerSecond: perSecond(series.errors),
    actions: actionMarkers(actions, axis),
  };
}
