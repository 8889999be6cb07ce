// The statistics of `lbsim check`: means, Student's t quantiles and 95% confidence intervals.

/** A 95% confidence interval of a mean. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Two-sided 95% quantiles of Student's t for 1..29 degrees of freedom. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045,
];

/** The t quantile of a two-sided 95% interval: the table up to 29 degrees of freedom (n ≤ 30), 1.96 beyond. */
export function tQuantile95(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1) {
    throw new RangeError(`degrees of freedom must be a whole number ≥ 1, got ${degreesOfFreedom}`);
  }
  return T95[degreesOfFreedom - 1] ?? 1.96;
}

export function mean(values: ReadonlyArray<number>): number {
  if (values.length === 1) return values[0] as number;
  return tidy(values.reduce((sum, v) => sum + v, 0) / values.length);
}

/** 12 significant digits: the float noise of a sum (152.51100000000002) stays out of the JSON. */
function tidy(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

/** Mean ± t·s/√n; undefined for fewer than two values (one run is one sample: no interval). */
export function confidenceInterval95(values: ReadonlyArray<number>): Interval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const m = mean(values);
  const variance = values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (n - 1);
  const half = tQuantile95(n - 1) * Math.sqrt(variance / n);
  return { low: tidy(m - half), high: tidy(m + half) };
}
