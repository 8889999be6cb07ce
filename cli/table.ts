// The terminal table of one run's Results: summary, requests, latency, servers, checks.
import type { Results, ServerResults } from "../sim/index.js";
import { downsample, sparkline } from "../viz/index.js";
import { formatCount, formatDuration, formatLatency, formatPercent, formatSignificant } from "./format.js";

export interface TableOptions {
  /** ANSI colours (only when stdout is a terminal and NO_COLOR is unset: the caller decides). */
  readonly color: boolean;
  /** Set when the run was stopped early (Ctrl-C): about where it stopped, in simulated time. */
  readonly stoppedAtMs?: number;
}

type Paint = (text: string) => string;

interface Palette {
  readonly bold: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
}

const plain: Paint = (text) => text;
const sgr =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;

function palette(color: boolean): Palette {
  return color
    ? { bold: sgr("1"), red: sgr("31"), green: sgr("32"), yellow: sgr("33") }
    : { bold: plain, red: plain, green: plain, yellow: plain };
}

/** Width of the section labels on the left ("Requests", "Latency"…). */
const LABEL = 10;

export function renderTable(results: Results, options: TableOptions): string {
  const p = palette(options.color);
  const lines: string[] = [];
  lines.push(...header(results, p));
  if (options.stoppedAtMs !== undefined) {
    const at = formatDuration(options.stoppedAtMs);
    lines.push(
      p.yellow(
        `PARTIAL: stopped by Ctrl-C after about ${at} of simulated time; figures cover only that part`,
      ),
    );
  }
  lines.push("", ...requests(results, p), "", ...latency(results), ...overTime(results));
  lines.push(...routing(results));
  lines.push("", ...servers(results.servers, p));
  lines.push("", ...checks(results, p));
  return `${lines.join("\n")}\n`;
}

function header(results: Results, p: Palette): string[] {
  const first = p.bold(`${results.scenario} · strategy ${results.strategy} · seed ${results.seed}`);
  const { requests, engine } = results;
  const warmup = results.warmupMs > 0 ? `warm-up ${formatDuration(results.warmupMs)}` : "no warm-up";
  const simulated = `simulated ${formatDuration(results.durationMs)} (${warmup})`;
  const events = `${formatCount(engine.events)} events`;
  let wall = "wall time not measured (--deterministic)";
  if (engine.wallMs > 0) {
    // Every request the run generated, warm-up and unfinished ones included: the simulator's throughput.
    const generated = requests.total + requests.unfinished + requests.warmup;
    const perSecond = formatCount((generated * 1000) / engine.wallMs);
    wall = `wall ${formatLatency(engine.wallMs)} · ${perSecond} requests/s simulated`;
  }
  return [first, `${simulated} · ${events} · ${wall}`];
}

function requests(results: Results, p: Palette): string[] {
  const r = results.requests;
  const errorRate = r.total === 0 ? "" : ` (${formatPercent(r.failed / r.total)})`;
  const failed = `failed ${formatCount(r.failed)}${errorRate}`;
  const counts = [
    `total ${formatCount(r.total)}`,
    `ok ${formatCount(r.ok)}`,
    r.failed > 0 ? p.red(failed) : failed,
    `unfinished ${formatCount(r.unfinished)}`,
    `warm-up ${formatCount(r.warmup)}`,
  ];
  const byStatus = Object.entries(r.byStatus)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a) - Number(b));
  const byTermination = Object.entries(r.byTermination)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return [
    label("Requests") + counts.join("  "),
    `${label("")}retried ${formatCount(r.retried)}  redispatched ${formatCount(r.redispatched)}`,
    `${label("")}by status:      ${tally(byStatus)}`,
    `${label("")}by termination: ${tally(byTermination)}`,
  ];
}

function tally(entries: ReadonlyArray<[string, number]>): string {
  if (entries.length === 0) return "none";
  return entries.map(([key, count]) => `${key} ${formatCount(count)}`).join(" · ");
}

function latency(results: Results): string[] {
  const l = results.latency;
  const q = results.queue;
  const figures: ReadonlyArray<[string, number]> = [
    ["mean", l.meanMs],
    ["p50", l.p50Ms],
    ["p90", l.p90Ms],
    ["p99", l.p99Ms],
    ["p99.9", l.p999Ms],
    ["max", l.maxMs],
  ];
  return [
    label("Latency") + figures.map(([name, ms]) => `${name} ${formatLatency(ms)}`).join("  "),
    label("Queue") +
      `mean ${formatLatency(q.meanMs)}  p99 ${formatLatency(q.p99Ms)}  ` +
      `max backend queue ${formatCount(q.maxBackendQueue)}`,
  ];
}

/** Marks per sparkline: one terminal line with the labels. */
const SPARK_WIDTH = 60;

/** Requests, errors and p99 over the run, one mark per bucket or per run of buckets (viz/). */
function overTime(results: Results): string[] {
  const series = results.series;
  if (series.atMs.length < 2) return [];
  const requests = downsample(series.requests, SPARK_WIDTH, "sum");
  const per = Math.ceil(series.atMs.length / requests.length);
  const errors = downsample(series.errors, SPARK_WIDTH, "sum");
  const p99 = downsample(series.p99Ms, SPARK_WIDTH, "max");
  const total = series.atMs.length * series.bucketMs;
  return [
    "",
    `${label("Over time")}one mark per ${formatDuration(per * series.bucketMs)}, 0 → ${formatDuration(total)}`,
    `${label("")}requests ${sparkline(requests)}  max ${formatCount(Math.max(...requests))}`,
    `${label("")}errors   ${sparkline(errors, { blankZero: true })}  max ${formatCount(Math.max(...errors))}`,
    `${label("")}p99      ${sparkline(p99)}  max ${formatLatency(Math.max(...p99))}`,
  ];
}

/** With several frontends or backends: what each frontend received and each backend answered. */
function routing(results: Results): string[] {
  const backends = results.backends;
  if (backends === undefined) return [];
  const lines = (results.frontends ?? []).map((f, i) => {
    const backlog = f.backlogged > 0 ? `  backlogged ${formatCount(f.backlogged)}` : "";
    return `${label(i === 0 ? "Frontends" : "")}${f.name}: ${formatCount(f.requests)} requests  max connections ${formatCount(f.maxConnections)}${backlog}`;
  });
  const rows = backends.map((b) => [
    b.name,
    b.strategy === "" ? "(no server)" : b.strategy,
    formatCount(b.requests.total),
    formatPercent(b.requests.share),
    b.requests.total === 0 ? "-" : formatPercent(b.requests.failed / b.requests.total),
    formatLatency(b.latency.p50Ms),
    formatLatency(b.latency.p99Ms),
    formatCount(b.queue.maxBackendQueue),
  ]);
  const titles = ["backend", "balance", "requests", "share", "errors", "p50", "p99", "max queue"];
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return ["", ...lines, "", render(titles), ...rows.map(render)];
}

const SERVER_COLUMNS = [
  "server",
  "requests",
  "share",
  "util",
  "max in flight",
  "max queued",
  "retries",
  "redispatches",
  "state",
] as const;

function servers(list: ReadonlyArray<ServerResults>, p: Palette): string[] {
  if (list.length === 0) return [`${label("Servers")}none`];
  const rows = list.map((s) => [
    s.name,
    formatCount(s.requests),
    formatPercent(s.share),
    formatPercent(s.utilization),
    formatCount(s.maxInFlight),
    formatCount(s.maxQueued),
    formatCount(s.retries),
    formatCount(s.redispatches),
    stateCell(s),
  ]);
  const widths = SERVER_COLUMNS.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  // Names and states read left to right; numbers line up on the right.
  const isText = (i: number) => i === 0 || i === SERVER_COLUMNS.length - 1;
  const render = (cells: ReadonlyArray<string>, paintState: Paint) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? cell.length;
        if (i === cells.length - 1) return paintState(cell);
        return isText(i) ? cell.padEnd(width) : cell.padStart(width);
      })
      .join("  ")
      .trimEnd();
  return [
    p.bold(render(SERVER_COLUMNS, plain)),
    ...rows.map((row, r) => render(row, statePaint(list[r], p))),
  ];
}

function stateCell(server: ServerResults): string {
  const last = server.states[server.states.length - 1];
  if (last === undefined) return "-";
  const changes = server.states.length - 1;
  if (changes === 0) return last.state;
  return `${last.state} (${changes} change${changes === 1 ? "" : "s"})`;
}

function statePaint(server: ServerResults | undefined, p: Palette): Paint {
  const state = server?.states[server.states.length - 1]?.state ?? "";
  if (state.startsWith("DOWN")) return p.red;
  if (state === "MAINT" || state === "DRAIN" || state === "NOLB") return p.yellow;
  return plain;
}

function checks(results: Results, p: Palette): string[] {
  if (results.checks.length === 0) return [`${label("Checks")}none`];
  const width = Math.max(...results.checks.map((c) => c.name.length));
  const failed = results.checks.filter((c) => !c.pass).length;
  const summary =
    failed === 0 ? p.green("all passed") : p.red(`${failed} of ${results.checks.length} failed`);
  return [
    label("Checks") + summary,
    ...results.checks.map((c) => {
      const verdict = c.pass ? p.green("PASS") : p.red("FAIL");
      return `  ${verdict}  ${c.name.padEnd(width)}  ${c.note ?? `actual ${formatActual(c.name, c.actual)}`}`;
    }),
  ];
}

/**
 * Presentation only: `actual` is a bare number (ms for times, a fraction for ratios), so the
 * expectation's metric word decides its unit on screen. Unknown metrics show the bare number.
 */
const TIME_METRICS = new Set([
  ...["mean", "p50", "p90", "p99", "p999", "max", "queue.mean", "queue.p99"],
  ...["detected", "recovered", "downtime"],
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

export function formatActual(expectation: string, actual: number): string {
  // The metric's own argument goes (`share(web01)`), not a strategy's (`random(2).errors`).
  const word = (expectation.trim().split(/[\s<>=!]/, 1)[0] ?? "").replace(/\([^()]*\)$/, "").toLowerCase();
  // `leastconn.p99` (with compare:) is the p99 of that strategy's run.
  const candidates = [word, word.slice(word.lastIndexOf(".") + 1)];
  if (candidates.some((w) => TIME_METRICS.has(w))) return formatLatency(actual);
  if (candidates.some((w) => RATIO_METRICS.has(w))) return formatPercent(actual);
  return formatSignificant(actual);
}

function label(text: string): string {
  return text.padEnd(LABEL);
}
