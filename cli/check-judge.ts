// An expectation judged on the means of its metrics over the replications, with its 95% interval.
import { type Expectation, metricValue, missingNote } from "../sim/expectations.js";
import type { Results } from "../sim/index.js";
import { confidenceInterval95, type Interval, mean } from "./check-stats.js";

/** One expectation judged on the mean of its metric over the replications. */
export interface CheckedExpectation {
  /** The expectation as written. */
  readonly name: string;
  readonly pass: boolean;
  /** Mean of the left-hand metric over the replications (null: the runs have no such figure). */
  readonly actual: number | null;
  /** The left-hand metric of each replication, in seed order. */
  readonly values: ReadonlyArray<number>;
  /** 95% confidence interval of `actual` (Student's t, n − 1 degrees of freedom); with n > 1 only. */
  readonly ci95?: Interval;
  /** The right-hand side of `<`, `<=`, `>`, `>=`, `==`: the number, or the mean of the metric. */
  readonly limit?: number;
  /** The right-hand side when it is a metric (`roundrobin.p99`): `limit` is then its mean. */
  readonly limitMetric?: string;
  /** The bounds of `in low..high` (numbers, or means of metrics). */
  readonly range?: readonly [number, number];
  /**
   * With n > 1: the 95% interval of the per-replication difference between the metric and the
   * nearest limit contains 0, so the replications do not settle which side of it the metric lies on.
   */
  readonly uncertain?: true;
  /** Why there is no value (`actual` null), when the runs say: `detected(web02)` when web02 was never marked DOWN. */
  readonly note?: string;
}

/** The figures of one replication: the scenario's own run (its `balance`) and each compared run by name. */
export interface Replication {
  readonly own: Results;
  readonly runs: ReadonlyMap<string, Results>;
}

type Operand = Extract<Expectation, { op: "in" }>["low"];

/** `leastconn.p99`, `share(web01)`: a metric operand as written (normalised). */
function metricText(operand: Operand): string | undefined {
  if (operand.kind !== "metric") return undefined;
  const argument = operand.argument === null ? "" : `(${operand.argument})`;
  return `${operand.strategy === null ? "" : `${operand.strategy}.`}${operand.name}${argument}`;
}

/**
 * Judges an expectation on the means over the replications: each metric's value is taken from each
 * replication (a prefix-less metric from its own run, `leastconn.p99` from that run), averaged, and
 * the comparison made on the means. With one replication this is `checkExpectations` of one run.
 */
export function judge(
  expectation: Expectation,
  replications: ReadonlyArray<Replication>,
): CheckedExpectation {
  const series = (operand: Operand): number[] | undefined => {
    if (operand.kind === "number") return replications.map(() => operand.value);
    const values: number[] = [];
    for (const r of replications) {
      const results = operand.strategy === null ? r.own : r.runs.get(operand.strategy);
      const value =
        results === undefined
          ? undefined
          : metricValue(results, operand.name, operand.argument, operand.window);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  };
  const name = expectation.text;
  const left = series(expectation.left);
  const bounds = expectation.op === "in" ? [expectation.low, expectation.high] : [expectation.right];
  const limits = bounds.map(series);
  if (left === undefined || replications.length === 0 || limits.some((l) => l === undefined)) {
    const note = replications
      .map((r) => missingNote(expectation, r.runs, r.own))
      .find((n) => n !== undefined);
    return { name, pass: false, actual: null, values: left ?? [], ...(note === undefined ? {} : { note }) };
  }
  const limitSeries = limits as number[][];
  const actual = mean(left);
  const limitMeans = limitSeries.map(mean);
  const ci95 = confidenceInterval95(left);
  let pass: boolean;
  let nearest = 0;
  if (expectation.op === "in") {
    const [low, high] = limitMeans as [number, number];
    pass = actual >= low && actual <= high;
    nearest = Math.abs(actual - low) <= Math.abs(actual - high) ? 0 : 1;
  } else {
    const limit = limitMeans[0] as number;
    const op = expectation.op;
    pass =
      op === "<"
        ? actual < limit
        : op === "<="
          ? actual <= limit
          : op === ">"
            ? actual > limit
            : op === ">="
              ? actual >= limit
              : actual === limit;
  }
  // Paired: with common random numbers the same seed gives both sides the same requests.
  const differences = left.map((v, i) => v - (limitSeries[nearest]?.[i] ?? 0));
  const spread = confidenceInterval95(differences);
  const uncertain = spread !== undefined && spread.low <= 0 && spread.high >= 0 && spread.low !== spread.high;
  return {
    name,
    pass,
    actual,
    values: left,
    ...(ci95 === undefined ? {} : { ci95 }),
    ...(expectation.op === "in"
      ? { range: [limitMeans[0] ?? 0, limitMeans[1] ?? 0] as const }
      : { limit: limitMeans[0] ?? 0 }),
    ...(expectation.op !== "in" && expectation.right.kind === "metric"
      ? { limitMetric: metricText(expectation.right) }
      : {}),
    ...(uncertain ? { uncertain: true as const } : {}),
  };
}
