// The time series of a section: the shared time axis, actions, latency, errors and the distribution, banded over replications.
import type { Results } from "../sim/index.js";
import { chartRound, interval95, meanOf } from "./stats.js";
import type {
  ActionMarker,
  BandSeries,
  Distribution,
  ErrorsOverTime,
  FailoverWindow,
  LatencyOverTime,
  TimeAxis,
  Variant,
} from "./view.js";

/** One variant's replications (seed order), at least one. */
export interface VariantRuns {
  readonly variant: Variant;
  readonly runs: ReadonlyArray<Results>;
}

/** The time axis of the first run (every run of a section shares the scenario's buckets); empty without runs. */
export function timeAxis(first: Results | undefined): TimeAxis {
  if (first === undefined) return { atMs: [], bucketMs: 0, durationMs: 0, warmupMs: 0 };
  return {
    atMs: first.series.atMs,
    bucketMs: first.series.bucketMs,
    durationMs: first.durationMs,
    warmupMs: first.warmupMs,
  };
}

/** The timeline actions of the first run, as markers. */
export function actionMarkers(first: Results | undefined): ActionMarker[] {
  return (first?.timeline ?? []).map((t) => ({
    atMs: t.atMs,
    action: t.action,
    ...(t.server === undefined ? {} : { server: t.server }),
    text: t.text,
  }));
}

/**
 * Per bucket, the mean over replications and (with two or more) the 95% Student-t interval, rounded
 * for charts. `include(r, i)` leaves a replication out of bucket i (a bucket with no request has no
 * latency); a bucket every replication leaves out reads 0 with low = high = 0.
 */
export function band(
  replications: ReadonlyArray<ReadonlyArray<number> | undefined>,
  length: number,
  include?: (replication: number, bucket: number) => boolean,
): BandSeries {
  const mean: number[] = new Array(length);
  if (replications.length === 1) {
    // One run: its own values, no band (the common case, and the largest: keep it lean).
    const only = replications[0];
    for (let i = 0; i < length; i++) {
      mean[i] = include !== undefined && !include(0, i) ? 0 : chartRound(only?.[i] ?? 0);
    }
    return { mean };
  }
  const low: number[] = new Array(length);
  const high: number[] = new Array(length);
  const values: number[] = [];
  for (let i = 0; i < length; i++) {
    values.length = 0;
    for (let r = 0; r < replications.length; r++) {
      if (include !== undefined && !include(r, i)) continue;
      values.push(replications[r]?.[i] ?? 0);
    }
    const m = meanOf(values);
    const ci = interval95(values);
    mean[i] = chartRound(m);
    low[i] = chartRound(ci?.low ?? m);
    high[i] = chartRound(ci?.high ?? m);
  }
  return replications.length > 1 ? { mean, low, high } : { mean };
}

export function latencyOverTime(
  variants: ReadonlyArray<VariantRuns>,
  axis: TimeAxis,
  actions: ReadonlyArray<ActionMarker>,
  failover: ReadonlyArray<FailoverWindow>,
): LatencyOverTime {
  const length = axis.atMs.length;
  return {
    axis,
    lines: variants.map(({ variant, runs }) => {
      const requests = runs.map((r) => r.series.requests);
      const answered = (r: number, i: number) => (requests[r]?.[i] ?? 0) > 0;
      return {
        variant,
        p50: band(
          runs.map((r) => r.series.p50Ms),
          length,
          answered,
        ),
        p90: band(
          runs.map((r) => r.series.p90Ms),
          length,
          answered,
        ),
        p99: band(
          runs.map((r) => r.series.p99Ms),
          length,
          answered,
        ),
        requests: band(requests, length),
      };
    }),
    actions,
    failover,
  };
}

/** The keys with a failure in any replication, sorted as the CLI sorts statuses (numerically) or states. */
function keysOf(
  runs: ReadonlyArray<Results>,
  pick: (r: Results) => Readonly<Record<string, unknown>>,
): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(pick(r))) keys.add(k);
  return [...keys].sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function errorsOverTime(
  variants: ReadonlyArray<VariantRuns>,
  axis: TimeAxis,
  actions: ReadonlyArray<ActionMarker>,
  failover: ReadonlyArray<FailoverWindow>,
): ErrorsOverTime {
  const length = axis.atMs.length;
  const stack = (
    runs: ReadonlyArray<Results>,
    pick: (r: Results) => Readonly<Record<string, ReadonlyArray<number>>>,
  ) =>
    keysOf(runs, pick).map((key) => ({
      key,
      counts: band(
        runs.map((r) => pick(r)[key]),
        length,
      ).mean,
    }));
  return {
    axis,
    variants: variants.map(({ variant, runs }) => ({
      variant,
      byStatus: stack(runs, (r) => r.series.errorsByStatus ?? {}),
      byTermination: stack(runs, (r) => r.series.errorsByTermination ?? {}),
    })),
    actions,
    failover,
  };
}

export function distribution(variants: ReadonlyArray<VariantRuns>): Distribution {
  return {
    lines: variants.map(({ variant, runs }) => {
      const percentiles = runs[0]?.latencyDistribution.percentiles ?? [];
      const b = band(
        runs.map((r) => r.latencyDistribution.valuesMs),
        percentiles.length,
      );
      return {
        variant,
        percentiles,
        valuesMs: b.mean,
        ...(b.low === undefined ? {} : { lowMs: b.low, highMs: b.high }),
      };
    }),
  };
}
