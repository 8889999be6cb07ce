// The HAProxy-stats-style table of a backend's servers, as an HTML string (every value escaped).
import { formatCount, formatShare } from "./axis.js";
import { serverStateColor } from "./palette.js";
import { attrs, escapeXml } from "./svg.js";
import { dash, num, variantLabel } from "./table-cells.js";
import type { BackendSection, StatsRow, Variant } from "./view.js";

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
    case "ABSENT":
      return "state-absent";
    default:
      return "state-no-check";
  }
}

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
  // Each variant's servers, then its "Backend" line, as HAProxy's page closes each proxy.
  const order = [...new Set(backend.stats.map((r) => r.variant))];
  const rows = order.flatMap((name) => {
    const variantRows = backend.stats.filter((r) => r.variant === name);
    const variant = several ? (byName.get(name) ?? null) : undefined;
    return [...variantRows.map((row) => statsRow(row, variant)), backendRow(name, variantRows, variant)];
  });
  return `<table${attrs({ class: "stats", "data-backend": backend.name })}><caption>${escapeXml(backend.name)}</caption><thead>${groupHead}${columnHead}</thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Whether a status lets a server take load-balanced traffic (`UP`, `UP 1/3`: still UP while its checks fail). */
function usable(status: string): boolean {
  return status.split(" ")[0] === "UP" || status === "no check";
}

/**
 * The backend's line: sums where HAProxy's backend line sums, its status UP while a server is usable,
 * Wght the total weight and Act/Bck the counts of usable active and backup servers; `-` for the rest.
 */
function backendRow(
  name: string,
  rows: ReadonlyArray<StatsRow>,
  variant: Variant | null | undefined,
): string {
  const sum = (f: (r: StatsRow) => number) => rows.reduce((total, r) => total + f(r), 0);
  const active = rows.filter((r) => !r.backup && usable(r.status));
  const backups = rows.filter((r) => r.backup && usable(r.status));
  const serving = active.length > 0 ? active : backups;
  const status = serving.length > 0 ? "UP" : "DOWN";
  const weight = serving.every((r) => r.weight !== null)
    ? sum((r) => (serving.includes(r) ? (r.weight ?? 0) : 0))
    : null;
  const sessionsCur = rows.every((r) => r.sessionsCur !== null) ? sum((r) => r.sessionsCur ?? 0) : null;
  const queueCur = rows.every((r) => r.queueCur !== null) ? sum((r) => r.queueCur ?? 0) : null;
  const cells: string[] = [];
  if (variant !== undefined)
    cells.push(`<td class="variant">${variant === null ? escapeXml(name) : variantLabel(variant)}</td>`);
  const td = (value: string, cls?: string) => `<td${attrs({ class: cls })}>${escapeXml(value)}</td>`;
  cells.push(
    '<th scope="row" class="server">Backend</th>',
    td(num(queueCur)),
    td(dash),
    td(num(sessionsCur)),
    td(dash),
    td(num(sum((r) => r.sessionsTotal))),
    td(num(sum((r) => r.connectErrors))),
    td(num(sum((r) => r.responseErrors))),
    td(num(sum((r) => r.retries))),
    td(num(sum((r) => r.redispatches))),
    td(status, "status"),
    td(dash, "lastchk"),
    td(num(weight)),
    td(String(active.length)),
    td(String(backups.length)),
    td(dash),
    td(dash),
    td(dash, "downtime"),
    td(num(sum((r) => r.requests)), "lbsim"),
    td(formatShare(sum((r) => r.share)), "lbsim"),
    td(dash, "lbsim"),
  );
  return `<tr${attrs({ class: "backend-row", "data-variant": name, "data-status": status })}>${cells.join("")}</tr>`;
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
