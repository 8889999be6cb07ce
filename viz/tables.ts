// The report's HTML tables as strings: the summary (headline, figures, warnings), the checks, and HAProxy-style stats.
import { formatCount, formatMs, formatShare } from "./axis.js";
import { serverStateColor } from "./palette.js";
import { attrs, escapeXml } from "./svg.js";
import type { BackendSection, SectionView, StatsRow, SummaryRow, Variant } from "./view.js";

/** A variant's colour swatch: an inline SVG, so it needs no `style` attribute (CSP-friendly). */
function swatch(color: string): string {
  return `<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2"${attrs({ fill: color })}/></svg>`;
}

/** A variant's name with its swatch, as headers and cells show it. */
function variantLabel(variant: Variant): string {
  return `${swatch(variant.color)}<span class="variant-name">${escapeXml(variant.name)}</span>`;
}

/** A figure in its unit: `153 ms`, `12,345`, `33.3%`, `214/s`; null ⇒ `-`. */
export function formatValue(value: number | null | undefined, unit: SummaryRow["unit"]): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  switch (unit) {
    case "ms":
      return formatMs(value);
    case "ratio":
      return formatShare(value);
    case "per-second":
      return `${formatCount(value)}/s`;
    default:
      return formatCount(value);
  }
}

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
  const better = row.better === "none" ? "" : ` <span class="better">(${row.better} is better)</span>`;
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
  return `<div${attrs({ class: "checks", "data-section": section.id })}>${status}<table class="checks-table"><thead><tr><th scope="col">result</th><th scope="col">expectation</th>${
    withVariant ? '<th scope="col">variant</th>' : ""
  }<th scope="col">actual</th><th scope="col">limit</th><th scope="col">note</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/** Metrics of the expectation grammar (sim/expectation-grammar.ts) by unit, to format a check's figures. */
const TIME_METRICS = new Set([
  "mean",
  "p50",
  "p90",
  "p99",
  "p999",
  "max",
  "detected",
  "recovered",
  "downtime",
]);
const RATIO_METRICS = new Set([
  "errors",
  "retried",
  "redispatched",
  "status",
  "termination",
  "share",
  "utilization",
]);

/**
 * The unit of an expectation's figures, read from its metric (`leastconn.p99 < …` → ms,
 * `share(web01) in …` → ratio); `unfinished` is a share only when written with a percentage.
 */
export function checkUnit(expectation: string): SummaryRow["unit"] {
  const token = expectation.trim().split(/[\s(]/, 1)[0] ?? "";
  const parts = token.toLowerCase().split(".");
  // The metric is the token's end: `leastconn.backend.p99` → `p99`, `queue.mean` → `mean`.
  const metric = parts[parts.length - 1] ?? "";
  if (TIME_METRICS.has(metric)) return "ms";
  if (RATIO_METRICS.has(metric)) return "ratio";
  if (metric === "unfinished" && expectation.includes("%")) return "ratio";
  return "count";
}

/** A duration as HAProxy's stats page writes it (human_time): at most two units, whole seconds (`1m23s`, `5s`, `2h5m`). */
export function formatDowntime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  let out = "";
  let units = 2;
  if (days > 0) {
    out += `${days}d`;
    units--;
  }
  if (units > 0 && hours > 0) {
    out += `${hours}h`;
    units--;
  }
  if (units > 0 && minutes > 0) {
    out += `${minutes}m`;
    units--;
  }
  if ((units > 0 && seconds > 0) || total === 0) out += `${seconds}s`;
  return out;
}

/** The CSS class of a status (`state-up`, `state-going-down`…), for a page that colours rows by class. */
export function stateClass(status: string): string {
  const [word, progress] = status.split(" ");
  switch (word) {
    case "UP":
      return progress === undefined ? "state-up" : "state-going-down";
    case "DOWN":
      return progress === undefined ? "state-down" : "state-going-up";
    case "DRAIN":
      return "state-drain";
    case "NOLB":
      return "state-nolb";
    case "MAINT":
      return "state-maint";
    default:
      return "state-no-check";
  }
}

const dash = "-";
const num = (value: number | null): string => (value === null ? dash : formatCount(value));

/**
 * A backend's servers as HAProxy's stats page shows them (grouped headers; rows in the colour of
 * their status, backups in the backup colours), then what lbsim adds: requests, share, utilization.
 */
export function statsTableHtml(backend: BackendSection, variants: ReadonlyArray<Variant>): string {
  const several = variants.length > 1 || new Set(backend.stats.map((r) => r.variant)).size > 1;
  const byName = new Map(variants.map((v) => [v.name, v]));
  const groupHead = `<tr class="groups">${several ? '<th rowspan="2" scope="col">variant</th>' : ""}<th rowspan="2" scope="col">server</th><th colspan="2" scope="colgroup">Queue</th><th colspan="3" scope="colgroup">Sessions</th><th colspan="2" scope="colgroup">Errors</th><th colspan="2" scope="colgroup">Warnings</th><th colspan="8" scope="colgroup">Server</th><th colspan="3" scope="colgroup" class="lbsim">lbsim</th></tr>`;
  const columns = [
    "Cur",
    "Max",
    "Cur",
    "Max",
    "Total",
    "Conn",
    "Resp",
    "Retr",
    "Redis",
    "Status",
    "LastChk",
    "Wght",
    "Act",
    "Bck",
    "Chk",
    "Dwn",
    "Dwntme",
    "Requests",
    "Share",
    "Util.",
  ];
  const columnHead = `<tr class="columns">${columns.map((c) => `<th scope="col">${c}</th>`).join("")}</tr>`;
  const rows = backend.stats.map((row) =>
    statsRow(row, several ? (byName.get(row.variant) ?? null) : undefined),
  );
  return `<table${attrs({ class: "stats", "data-backend": backend.name })}><caption>${escapeXml(backend.name)}</caption><thead>${groupHead}${columnHead}</thead><tbody>${rows.join("")}</tbody></table>`;
}

/** One server's row; `variant` undefined ⇒ no variant column, null ⇒ a variant the list does not name. */
function statsRow(row: StatsRow, variant: Variant | null | undefined): string {
  const checked = row.status !== "no check" || row.lastCheck !== null;
  const cells: string[] = [];
  if (variant !== undefined)
    cells.push(
      `<td class="variant">${variant === null ? escapeXml(row.variant) : variantLabel(variant)}</td>`,
    );
  const td = (value: string, cls?: string, exact?: string) =>
    `<td${attrs({ class: cls, title: exact })}>${escapeXml(value)}</td>`;
  cells.push(`<th scope="row" class="server">${escapeXml(row.server)}</th>`);
  cells.push(
    td(num(row.queueCur)),
    td(num(row.queueMax)),
    td(num(row.sessionsCur)),
    td(num(row.sessionsMax)),
    td(num(row.sessionsTotal)),
    td(num(row.connectErrors)),
    td(num(row.responseErrors)),
    td(num(row.retries)),
    td(num(row.redispatches)),
    td(row.status, "status"),
    td(row.lastCheck ?? dash, "lastchk"),
    td(num(row.weight)),
    td(row.backup ? dash : "Y"),
    td(row.backup ? "Y" : dash),
    td(checked ? num(row.checksFailed) : dash),
    td(checked ? num(row.downs) : dash),
    td(checked ? formatDowntime(row.downtimeMs) : dash, "downtime", `${formatCount(row.downtimeMs)} ms`),
    td(num(row.requests), "lbsim"),
    td(formatShare(row.share), "lbsim", String(row.share)),
    td(formatShare(row.utilization), "lbsim", String(row.utilization)),
  );
  return `<tr${attrs({
    class: `server-row ${stateClass(row.status)}${row.backup ? " backup" : ""}`,
    "data-server": row.server,
    "data-variant": row.variant,
    "data-status": row.status,
    "data-backup": String(row.backup),
    style: `background-color:${serverStateColor(row.status, row.backup)}`,
  })}>${cells.join("")}</tr>`;
}
