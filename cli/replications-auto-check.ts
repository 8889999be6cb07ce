// What `lbsim check --replications auto` judges: the series of every metric its `expect:` lines name, replication by replication.
import type { Expectation } from "../scenarios/index.js";
import { metricValue } from "../sim/expectations.js";
import type { Replication } from "./check-judge.js";
import type { JudgedSeries } from "./replications-auto.js";

type Operand = Extract<Expectation, { op: "in" }>["low"];

/** Metrics that are shares 0..1, and counts of requests (their absolute floors: cli/replications-auto.ts). */
const RATIO = /(^|\.)(errors|share|utilization)$/;
const COUNT = /^(backend\.)?(unfinished|requests|maxinflight|maxqueued)$/;

/**
 * Every metric operand of the expectations (left and right-hand sides), once each, in the order
 * written. A metric some replication has no value of (a failover that never happened) is left out:
 * its line fails whatever the count, and more runs cannot settle a figure that is not there.
 */
export function checkSeries(
  expectations: ReadonlyArray<Expectation>,
  done: ReadonlyArray<Replication>,
): JudgedSeries[] {
  const out: JudgedSeries[] = [];
  const seen = new Set<string>();
  for (const e of expectations) {
    const operands: Operand[] = e.op === "in" ? [e.left, e.low, e.high] : [e.left, e.right];
    for (const operand of operands) {
      if (operand.kind !== "metric") continue;
      const argument = operand.argument === null ? "" : `(${operand.argument})`;
      const window =
        operand.window === null
          ? ""
          : ` during ${operand.window.fromMs}ms..${operand.window.toMs === null ? "" : `${operand.window.toMs}ms`}`;
      const metric = `${operand.strategy === null ? "" : `${operand.strategy}.`}${operand.name}${argument}${window}`;
      if (seen.has(metric)) continue;
      seen.add(metric);
      const values: number[] = [];
      for (const r of done) {
        const results = operand.strategy === null ? r.own : r.runs.get(operand.strategy);
        const value =
          results === undefined
            ? undefined
            : metricValue(results, operand.name, operand.argument, operand.window);
        if (value === undefined || !Number.isFinite(value)) break;
        values.push(value);
      }
      if (values.length < done.length) continue;
      const unit = RATIO.test(operand.name) ? "ratio" : COUNT.test(operand.name) ? "count" : undefined;
      out.push({ metric, values, ...(unit === undefined ? {} : { unit }) });
    }
  }
  return out;
}
