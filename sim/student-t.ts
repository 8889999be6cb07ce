// Student's t quantiles for 95% intervals over replications: one table for `lbsim check`, `compare` and the report.

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
