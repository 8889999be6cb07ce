// The statistics of the report: means and 95% Student-t intervals over replications, and rounding for charts.
import { tQuantile95 } from "../sim/student-t.js";

export { tQuantile95 } from "../sim/student-t.js";

export function meanOf(values: ReadonlyArray<number>): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}

/** Mean ± t·s/√n over n ≥ 2 values; undefined for fewer (one run is one sample: no interval). */
export function interval95(values: ReadonlyArray<number>): { low: number; high: number } | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const m = meanOf(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  const half = tQuantile95(n - 1) * Math.sqrt(squares / (n - 1) / n);
  return { low: m - half, high: m + half };
}

/**
 * 4 significant digits: what a chart can show, and what keeps a large report small. Non-finite
 * values (never expected) become 0, since JSON would turn them into null silently.
 */
export function chartRound(x: number): number {
  if (!Number.isFinite(x) || x === 0) return 0;
  // Arithmetic rather than toPrecision: a large report rounds a few hundred thousand values, and
  // the division of two whole numbers gives the same double as parsing the 4-digit decimal.
  const digits = 3 - Math.floor(Math.log10(Math.abs(x)));
  if (digits <= 0) {
    const unit = 10 ** -digits;
    return Math.round(x / unit) * unit;
  }
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

/** 6 significant digits for the summary's figures (exact enough to compare with the CLI's tables). */
export function figureRound(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x === 0 ? 0 : Number(x.toPrecision(6));
}
