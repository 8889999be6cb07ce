// MSER-5 (White 1997): the warm-up a run's own time series shows, as the truncation point that minimizes the marginal standard error.
import { InputError } from "../errors/index.js";
import type { Results } from "../sim/index.js";

/** Buckets per batch: MSER-5 averages 5 observations per batch, which damps the bucket-to-bucket noise. */
export const MSER_BATCH = 5;
/** Fewer batches than this leave too few to tell a transient from noise. */
export const MSER_MIN_BATCHES = 20;

export interface Truncation {
  /** Batches (of MSER_BATCH buckets) dropped: d*. */
  readonly batches: number;
  /** The warm-up in milliseconds from the series' first bucket: d* × 5 × bucketMs. */
  readonly warmupMs: number;
  /** The MSER statistic at d*: Σ (Z_j − mean)² / (m − d)² over the batches kept. */
  readonly statistic: number;
}

/**
 * d* = argmin over d ∈ [0, m/2] of Σ_{j>d} (Z_j − Z̄_d)² / (m − d)², Z_j the batch means of 5
 * buckets (a last partial batch is left out), searched over the first half of the run only:
 * beyond it the few batches left make the statistic small by chance (White 1997). Ties: the
 * smallest d (the least data thrown away).
 */
export function mser5(values: ReadonlyArray<number>, bucketMs: number, what = "the series"): Truncation {
  const m = Math.floor(values.length / MSER_BATCH);
  if (m < MSER_MIN_BATCHES) {
    throw InputError.one({
      code: "bad-value",
      file: "",
      line: 0,
      column: 0,
      path: "warmup",
      message: `auto needs at least ${MSER_MIN_BATCHES * MSER_BATCH} buckets of ${what} (MSER-5 judges batches of ${MSER_BATCH}), but the run has ${values.length}`,
      hint: "lengthen the duration, or give the warm-up as a duration (warmup: 30s)",
    });
  }
  const z: number[] = [];
  for (let j = 0; j < m; j++) {
    let sum = 0;
    for (let k = 0; k < MSER_BATCH; k++) sum += values[j * MSER_BATCH + k] as number;
    z.push(sum / MSER_BATCH);
  }
  // Suffix sums make each d O(1): Σ(Z−Z̄)² = ΣZ² − (ΣZ)²/(m−d).
  const sums = new Array<number>(m + 1).fill(0);
  const squares = new Array<number>(m + 1).fill(0);
  for (let j = m - 1; j >= 0; j--) {
    sums[j] = (sums[j + 1] as number) + (z[j] as number);
    squares[j] = (squares[j + 1] as number) + (z[j] as number) ** 2;
  }
  let best = { batches: 0, statistic: Number.POSITIVE_INFINITY };
  for (let d = 0; d <= Math.floor(m / 2); d++) {
    const kept = m - d;
    const s = sums[d] as number;
    const deviation = Math.max(0, (squares[d] as number) - (s * s) / kept);
    const statistic = deviation / (kept * kept);
    // A relative margin: float noise must not move d* off the smallest of equal minima.
    if (statistic < best.statistic * (1 - 1e-12)) best = { batches: d, statistic };
  }
  return { ...best, warmupMs: best.batches * MSER_BATCH * bucketMs };
}

/** The per-bucket series MSER-5 judges a metric on (run-wide buckets from time 0). */
export function warmupSeries(results: Results, metric: string): number[] | undefined {
  const { series } = results;
  const sum = (record: Readonly<Record<string, ReadonlyArray<number>>>) =>
    series.atMs.map((_, i) => Object.values(record).reduce((total, list) => total + (list[i] ?? 0), 0));
  switch (metric) {
    case "p50":
      return [...series.p50Ms];
    case "p90":
      return [...series.p90Ms];
    case "p99":
      return [...series.p99Ms];
    // Requests waiting at the balancer: its backend queue and every server's own queue.
    case "queue": {
      const queued = sum(series.queued);
      return series.backendQueue.map((q, i) => q + (queued[i] ?? 0));
    }
    case "inflight":
      return sum(series.inFlight);
    case "errors":
      return series.errors.map((e, i) =>
        (series.requests[i] ?? 0) === 0 ? 0 : e / (series.requests[i] ?? 1),
      );
    default:
      return undefined;
  }
}

/**
 * The warm-up of a run: MSER-5 on each metric's series, the longest truncation of them (each
 * metric's figures are then past its own transient), and the metric that set it.
 */
export function findWarmup(
  results: Results,
  metrics: ReadonlyArray<string>,
): { readonly warmupMs: number; readonly metric: string } {
  let found = { warmupMs: 0, metric: metrics[0] ?? "" };
  for (const metric of metrics) {
    const values = warmupSeries(results, metric);
    if (values === undefined) continue;
    const { warmupMs } = mser5(values, results.series.bucketMs, `${metric}'s series`);
    if (warmupMs > found.warmupMs) found = { warmupMs, metric };
  }
  return found;
}
