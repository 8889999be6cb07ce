// Expectations (`expect:` lines, parsed by scenarios/expectation-grammar.ts): checking them on runs, and the re-exports their importers use.
import { metricsOf } from "../scenarios/expectation-refs.js";
import type { Expectation, Operand } from "../scenarios/types.js";
import { FAILOVER_METRICS, failoverMetric } from "./failover-metrics.js";
import { metricValue } from "./metric-value.js";
import type { CheckResult, Results } from "./results.js";

export {
  backendsOf,
  serversOf,
  strategiesOf,
  timeWindowsOf,
  windowsOf,
} from "../scenarios/expectation-refs.js";
export type { Expectation, TimeWindow } from "../scenarios/types.js";
export { failoverMetric } from "./failover-metrics.js";
export { metricValue } from "./metric-value.js";

/**
 * Why a metric of the expectation that was run has no value although its run exists (`detected(web02)`
 * when web02 was never marked DOWN); undefined when every such metric has one.
 */
export function missingNote(
  expectation: Expectation,
  runs: ReadonlyMap<string, Results>,
  own: Results,
): string | undefined {
  for (const m of metricsOf(expectation)) {
    if (!FAILOVER_METRICS.has(m.name)) continue;
    const results = m.strategy === null ? own : runs.get(m.strategy);
    if (results === undefined) continue;
    const { value, note } = failoverMetric(results, m.name, m.argument ?? "");
    if (value === undefined) return note;
  }
  return undefined;
}

/**
 * Checks expectations against runs by strategy name (`own` is the run a prefix-less metric means).
 * An expectation naming a strategy that was not run is left out, not failed: `lbsim run` of one
 * strategy cannot judge "leastconn.p99 < roundrobin.p99"; `compare`/`check` can.
 */
export function checkExpectations(
  expectations: ReadonlyArray<Expectation>,
  runs: ReadonlyMap<string, Results>,
  own: Results,
): CheckResult[] {
  const checks: CheckResult[] = [];
  for (const e of expectations) {
    const value = (operand: Operand): number | undefined => {
      if (operand.kind === "number") return operand.value;
      const results = operand.strategy === null ? own : runs.get(operand.strategy);
      return results === undefined
        ? undefined
        : metricValue(results, operand.name, operand.argument, operand.window);
    };
    const actual = value(e.left);
    const note = missingNote(e, runs, own);
    if (note !== undefined) {
      // A failover that never happened fails the line: skipping it would pass a broken check.
      checks.push({ name: e.text, pass: false, actual: 0, note });
      continue;
    }
    if (e.op === "in") {
      const low = value(e.low);
      const high = value(e.high);
      if (actual === undefined || low === undefined || high === undefined) continue;
      // The nearer bound (the one a failed value lies beyond): what its margin is measured from.
      const limit = Math.abs(actual - low) <= Math.abs(actual - high) ? low : high;
      checks.push({ name: e.text, pass: actual >= low && actual <= high, actual, limit });
      continue;
    }
    const right = value(e.right);
    if (actual === undefined || right === undefined) continue;
    const pass =
      e.op === "<"
        ? actual < right
        : e.op === "<="
          ? actual <= right
          : e.op === ">"
            ? actual > right
            : e.op === ">="
              ? actual >= right
              : actual === right;
    checks.push({ name: e.text, pass, actual, limit: right });
  }
  return checks;
}
