// The report's HTML tables as strings: the summary (headline, figures, warnings) and the checks; the stats table is in stats-table.ts.
import { expectationUnit } from "../scenarios/expectation-units.js";
import { attrs, escapeXml } from "./svg.js";
import { formatValue, variantLabel } from "./table-cells.js";
import type { SectionView, SummaryRow, Variant } from "./view.js";

export { instancesTableHtml } from "./instances-table.js";
export { formatDowntime, stateClass, statsTableHtml } from "./stats-table.js";
export { formatValue } from "./table-cells.js";

/** A 95% interval: `± x` when it is symmetric about the value (to 1%), else `[low, high]`. */
export function formatInterval(
  value: number,
  interval: { readonly low: number; readonly high: number },
  unit: SummaryRow["unit"],
): string {
  const below = value - interval.low;
  const above = interval.high - value;
  const symmetric = Math.abs(below - above) <= 0.01 * Math.max(Math.abs(below), Math.abs(above), 1e-12);
  return symmetric
    ? `± ${formatValue((below + above) / 2, unit)}`
    : `[${formatValue(interval.low, unit)}, ${formatValue(interval.high, unit)}]`;
}

/** What compare's verdicts mean to a reader. */
const VERDICT_TEXT: Readonly<Record<string, string>> = {
  winner: "winner",
  indistinguishable: "no clear winner",
  "one run": "one run: no interval",
  same: "same",
  unranked: "not ranked",
};

/** The headline (large), the summary table (a column per variant, the winner marked), then the warnings. */
export function summaryHtml(section: SectionView): string {
  const parts: string[] = [];
  if (section.headline.length > 0)
    parts.push(
      `<div class="headline">${section.headline.map((s) => `<p class="headline-sentence">${escapeXml(s)}</p>`).join("")}</div>`,
    );
  if (section.summary.length > 0) {
    const withVerdict = section.summary.some((r) => r.verdict !== undefined);
    const head = section.variants
      .map((v) => `<th scope="col"${attrs({ "data-variant": v.name })}>${variantLabel(v)}</th>`)
      .join("");
    const rows = section.summary.map((row) => summaryRow(row, section.variants, withVerdict));
    parts.push(
      `<table class="summary-table"><thead><tr><th scope="col" class="figure">figure</th>${head}${
        withVerdict ? '<th scope="col" class="verdict">verdict</th>' : ""
      }</tr></thead><tbody>${rows.join("")}</tbody></table>`,
    );
  }
  if (section.warnings.length > 0)
    parts.push(
      `<div class="warnings">${section.warnings
        .map(
          (w) =>
            `<p class="warning" role="note"><span class="warning-icon" aria-hidden="true">⚠</span> ${escapeXml(w)}</p>`,
        )
        .join("")}</div>`,
    );
  return `<div${attrs({ class: "summary", "data-section": section.id })}>${parts.join("")}</div>`;
}

function summaryRow(row: SummaryRow, variants: ReadonlyArray<Variant>, withVerdict: boolean): string {
  const cells = variants.map((v, i) => {
    const value = row.values[i] ?? null;
    const interval = row.ci95?.[i] ?? null;
    const winner = row.winner !== undefined && row.winner === v.name;
    const ci =
      value !== null && interval !== null
        ? ` <span class="ci" title="95% interval">${escapeXml(formatInterval(value, interval, row.unit))}</span>`
        : "";
    const mark = winner ? '<span class="winner-mark" aria-label="winner">★</span> ' : "";
    return `<td${attrs({
      class: winner ? "value winner" : "value",
      "data-variant": v.name,
      "data-value": value === null ? null : String(value),
    })}>${mark}${escapeXml(formatValue(value, row.unit))}${ci}</td>`;
  });
  // Which way is better matters only when there is something to rank: several variants.
  const better =
    row.better === "none" || variants.length < 2
      ? ""
      : ` <span class="better">(${row.better} is better)</span>`;
  const verdict = withVerdict
    ? `<td${attrs({ class: "verdict", "data-verdict": row.verdict })}>${escapeXml(verdictText(row))}</td>`
    : "";
  return `<tr${attrs({ "data-key": row.key, "data-unit": row.unit, "data-better": row.better })}><th scope="row">${escapeXml(row.label)}${better}</th>${cells.join("")}${verdict}</tr>`;
}

function verdictText(row: SummaryRow): string {
  if (row.verdict === undefined) return "";
  const text = VERDICT_TEXT[row.verdict] ?? row.verdict;
  return row.verdict === "winner" && row.winner !== undefined ? `${text}: ${row.winner}` : text;
}

/** The expectations with pass/fail (✓/✗), actual against limit, and notes; "no expectations" when none. */
export function checksHtml(section: SectionView): string {
  const status =
    section.status === undefined
      ? ""
      : `<p${attrs({ class: `check-status ${section.status === "pass" ? "pass" : "fail"}`, "data-status": section.status })}>check: ${escapeXml(section.status)}</p>`;
  if (section.checks.length === 0)
    return `<div${attrs({ class: "checks", "data-section": section.id })}>${status}<p class="no-checks">no expectations</p></div>`;
  const withVariant = section.checks.some((c) => c.variant !== undefined);
  const rows = section.checks.map((c) => {
    const unit = checkUnit(c.name);
    const mark = c.pass ? "✓ pass" : "✗ fail";
    return `<tr${attrs({ class: c.pass ? "pass" : "fail", "data-pass": String(c.pass), "data-name": c.name })}><td class="result">${mark}</td><td class="expectation"><code>${escapeXml(c.name)}</code></td>${
      withVariant ? `<td class="variant">${escapeXml(c.variant ?? "")}</td>` : ""
    }<td${attrs({ class: "actual", title: c.actual === null ? null : String(c.actual) })}>${escapeXml(formatValue(c.actual, unit))}</td><td${attrs({ class: "limit", title: c.limit === undefined ? null : String(c.limit) })}>${escapeXml(formatValue(c.limit, unit))}</td><td class="note">${escapeXml(c.note ?? "")}</td></tr>`;
  });
  return `<div${attrs({ class: "checks", "data-section": section.id })}>${status}<table class="checks-table"><thead><tr><th scope="col" class="result">result</th><th scope="col" class="expectation">expectation</th>${
    withVariant ? '<th scope="col" class="variant">variant</th>' : ""
  }<th scope="col" class="actual">actual</th><th scope="col" class="limit">limit</th><th scope="col" class="note">note</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/**
 * The unit of an expectation's figures, read from its metric (`leastconn.p99 < …` → ms,
 * `share(web01) in …` → ratio); `unfinished` is a share only when written with a percentage.
 */
export function checkUnit(expectation: string): SummaryRow["unit"] {
  const unit = expectationUnit(expectation);
  return unit === "time" ? "ms" : unit === "ratio" ? "ratio" : "count";
}
