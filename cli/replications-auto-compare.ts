// What `lbsim compare --replications auto` judges: every ranked row of its table, per strategy.
import type { Results } from "../sim/index.js";
import { buildRows } from "./compare-rows.js";
import type { JudgedSeries } from "./replications-auto.js";

/**
 * Each row the table ranks (better lower or higher), for each strategy that has its figure, named
 * `<row key> (<strategy>)`. Rows ranked by no one (totals, server shares) decide nothing, so they
 * do not hold the comparison back; a "-" cell (no figure) has nothing to settle.
 */
export function compareSeries(
  complete: ReadonlyArray<ReadonlyArray<Results>>,
  strategies: ReadonlyArray<string>,
): JudgedSeries[] {
  const out: JudgedSeries[] = [];
  for (const row of buildRows(complete)) {
    if (row.better === "none") continue;
    row.values.forEach((values, s) => {
      if (values === undefined) return;
      const unit = row.unit === "ms" ? undefined : row.unit;
      out.push({
        metric: `${row.key} (${strategies[s] ?? s})`,
        values,
        ...(unit === undefined ? {} : { unit }),
      });
    });
  }
  return out;
}
