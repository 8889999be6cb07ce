// The sweep report's table of figures: every row of the sweep (point × strategy), each metric's mean ± half-width, for reading exact values without hovering.
import type { SweepInput } from "./build-sweep.js";
import { figureText } from "./charts/sweep-lines.js";
import { escapeXml } from "./svg.js";

/** `21.3 ms ± 0.42 ms`, `21.3 ms` without an interval (or one of width 0), `–` without a figure. */
function cell(unit: string, figure: SweepInput["rows"][number]["metrics"][string] | undefined): string {
  if (figure === undefined || figure.mean === null) return "–";
  // Every replication gave the same value (0 errors): "± 0" says nothing, as in lbsim sweep's table.
  if (figure.low === null || figure.high === null || figure.high === figure.low)
    return figureText(unit, figure.mean);
  return `${figureText(unit, figure.mean)} ± ${figureText(unit, (figure.high - figure.low) / 2)}`;
}

/** A `<details>` (closed) holding one table row per sweep row, in the JSON's order. */
export function sweepTableHtml(input: SweepInput, titles: ReadonlyMap<string, string>): string {
  const head = [
    ...input.parameters.map((p) => `<th><code>${escapeXml(p.path)}</code></th>`),
    "<th>strategy</th>",
    '<th title="replications behind each mean">n</th>',
    ...input.metrics.map((m) => `<th>${escapeXml(titles.get(m.key) ?? m.key)}</th>`),
  ];
  const body = input.rows.map(
    (row) =>
      `<tr>${[
        ...input.parameters.map((p) => `<td class="text">${escapeXml(row.values[p.path] ?? "")}</td>`),
        `<td class="text">${escapeXml(row.strategy)}</td>`,
        `<td>${row.seeds.length}</td>`,
        ...input.metrics.map((m) => `<td>${escapeXml(cell(m.unit, row.metrics[m.key]))}</td>`),
      ].join("")}</tr>`,
  );
  return (
    `<details class="sweep-figures" id="figures"><summary>Figures: every point × strategy, mean ± the 95% half-width (${input.rows.length} rows)</summary>` +
    `<div class="table-wrap"><table><thead><tr>${head.join("")}</tr></thead><tbody>${body.join("")}</tbody></table></div></details>`
  );
}
