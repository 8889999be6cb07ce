// The figures a sweep reports per run: a few numbers out of a Results, small enough to cross from a worker thread by the thousand.
import type { Results } from "../sim/index.js";

export interface SweepMetric {
  /** Column name in the CSV and key in the JSON (`p99Ms`). */
  readonly key: string;
  /** Column title in the table. */
  readonly title: string;
  readonly unit: "ms" | "ratio" | "per-s" | "count";
  readonly of: (r: Results) => number;
}

/** The latency at the 95th percentile: Results.latencyDistribution holds it (its percentiles are fixed). */
function p95Ms(r: Results): number {
  const { percentiles, valuesMs } = r.latencyDistribution;
  const index = percentiles.indexOf(95);
  return index < 0 ? Number.NaN : (valuesMs[index] ?? Number.NaN);
}

/** The steady-state window in seconds: the requests counted are those of it. */
function steadySeconds(r: Results): number {
  return (r.durationMs - r.warmupMs) / 1000;
}

/**
 * What a user sweeps for, in column order. Every one is a per-run figure whose mean over the
 * replications and 95% interval are reported (docs/results.md "Sweep JSON", "Columns").
 */
export const SWEEP_METRICS: ReadonlyArray<SweepMetric> = [
  { key: "meanMs", title: "mean", unit: "ms", of: (r) => r.latency.meanMs },
  { key: "p50Ms", title: "p50", unit: "ms", of: (r) => r.latency.p50Ms },
  { key: "p95Ms", title: "p95", unit: "ms", of: p95Ms },
  { key: "p99Ms", title: "p99", unit: "ms", of: (r) => r.latency.p99Ms },
  {
    key: "errorRate",
    title: "errors",
    unit: "ratio",
    of: (r) => (r.requests.total === 0 ? 0 : r.requests.failed / r.requests.total),
  },
  {
    key: "throughputPerS",
    title: "throughput",
    unit: "per-s",
    of: (r) => (steadySeconds(r) > 0 ? r.requests.total / steadySeconds(r) : 0),
  },
  { key: "queueMeanMs", title: "queue mean", unit: "ms", of: (r) => r.queue.meanMs },
  {
    key: "maxQueued",
    title: "max queued",
    unit: "count",
    // The longest queue at the balancer: its backend queue or any server's own queue behind maxconn.
    of: (r) => Math.max(r.queue.maxBackendQueue, ...r.servers.map((s) => s.maxQueued)),
  },
  { key: "unfinished", title: "unfinished", unit: "count", of: (r) => r.requests.unfinished },
];

/** One run's figures, in SWEEP_METRICS order. */
export function summarize(results: Results): number[] {
  return SWEEP_METRICS.map((m) => m.of(results));
}
