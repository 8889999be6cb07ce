// The statistics of `lbsim check`: means, Student's t quantiles and 95% confidence intervals.
import { tQuantile95 } from "../sim/student-t.js";

export { tQuantile95 };

/** A 95% confidence interval of a mean. */
export interface Interval {
  readonly low: number;
  readonly high: number;
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
