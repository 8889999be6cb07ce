// The statistics of the report: means and 95% Student-t intervals over replications, and rounding for charts.

/**
 * Two-sided 95% quantiles of Student's t for 1..29 degrees of freedom: the same table as
 * cli/check-stats.ts (viz/ does not import cli/; viz/stats.spec.ts checks that they agree).
 */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045,
];

/** The t quantile of a two-sided 95% interval: the table up to 29 degrees of freedom, 1.96 beyond. */
export function tQuantile95(degreesOfFreedom: number): number {
  return T95[degreesOfFreedom - 1] ?? 1.96;
}

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
