// The terminal table of one run's Results: header, description, requests, latency, queues, checks
// (over time: table-over-time.ts; servers and their states: table-servers.ts; balancer instances:
// table-balancers.ts).
import type { Results } from "../sim/index.js";
import { formatCount, formatDuration, formatLatency, formatPercent } from "./format.js";
import { formatActual, formatFailure } from "./format-actual.js";
import { LATENCY_FIGURES, type RaisedFigure, raisedFigures } from "./latency-figures.js";
import { balancerRows } from "./table-balancers.js";
import { descriptionLines, wrapText } from "./table-description.js";
import { overTime } from "./table-over-time.js";
import { label, MAX_WIDTH, type Palette, palette, visibleWidth } from "./table-paint.js";
import { servers } from "./table-servers.js";

// Kept here for the modules that import it from the table.
export { formatActual } from "./format-actual.js";

export interface TableOptions {
  /** ANSI colours (only when stdout is a terminal and NO_COLOR is unset: the caller decides). */
  readonly color: boolean;
  /** Set when the run was stopped early (Ctrl-C): about where it stopped, in simulated time. */
  readonly stoppedAtMs?: number;
  /** The scenario's `description`, shown under the header (it says what to watch in the run). */
  readonly description?: string;
}

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
  const body: string[] = [];
  // Before any figure: a backend offered more than it can serve makes every figure below partial.
  body.push(...warnings(results, p));
  body.push("", ...requests(results, p), "", ...latency(results), ...overTime(results));
  body.push(...routing(results));
  body.push(...balancerRows(results));
  body.push("", ...servers(results.servers, p));
  body.push("", ...checks(results, p));
  const about = descriptionLines(options.description, descriptionWidth([...lines, ...body]), p.dim);
  if (about.length > 0) lines.push("", ...about);
  return `${[...lines, ...body].join("\n")}\n`;
}

/** The description is wrapped to the table's own width, within reason. */
function descriptionWidth(lines: ReadonlyArray<string>): number {
  const widest = Math.max(0, ...lines.map(visibleWidth));
  return Math.min(MAX_WIDTH, Math.max(60, widest));
}

function header(results: Results, p: Palette): string[] {
  const first = p.bold(`${results.scenario} · strategy ${results.strategy} · seed ${results.seed}`);
  const { requests, engine } = results;
  const found = results.warmupAuto === undefined ? "" : ` found by MSER-5 on ${results.warmupAuto.metric}`;
  const warmup =
    results.warmupMs > 0
      ? `warm-up ${formatDuration(results.warmupMs)}${found}`
      : results.warmupAuto === undefined
        ? "no warm-up"
        : "no warm-up found by MSER-5";
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

/** `Results.warnings` (offered load at or near capacity first), each on its own line. */
function warnings(results: Results, p: Palette): string[] {
  const lead = "warning: ";
  const lines = (results.warnings ?? []).flatMap((text) =>
    wrapText(text, MAX_WIDTH - lead.length).map((line, i) =>
      p.bold(p.yellow(`${i === 0 ? lead : " ".repeat(lead.length)}${line}`)),
    ),
  );
  return lines.length > 0 ? ["", ...lines] : [];
}

function requests(results: Results, p: Palette): string[] {
  const r = results.requests;
  const errorRate = r.total === 0 ? "" : ` (${formatPercent(r.failed / r.total)})`;
  const failed = `failed ${formatCount(r.failed)}${errorRate}`;
  const unfinished = unfinishedCount(results, p);
  const counts = [
    `total ${formatCount(r.total)}`,
    `ok ${formatCount(r.ok)}`,
    r.failed > 0 ? p.red(failed) : failed,
    unfinished,
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

/**
 * Unfinished requests, as a share of the steady-state arrivals, highlighted whenever there are some.
 * Loud (capitals as well as colour, so a log without colour shows it) when they matter: 1% or more
 * of the arrivals, or old enough to raise a latency figure. A few young requests merely in flight
 * when the run ends are normal, and said so.
 */
function unfinishedCount(results: Results, p: Palette): string {
  const r = results.requests;
  if (r.unfinished === 0) return "unfinished 0";
  const share = r.unfinished / (r.total + r.unfinished);
  const figures = `${formatCount(r.unfinished)} (${formatPercent(share)}`;
  if (share >= 0.01 || raisedInTable(results).length > 0) return p.bold(p.red(`UNFINISHED ${figures})`));
  return p.yellow(`unfinished ${formatCount(r.unfinished)} (in flight)`);
}

function latency(results: Results): string[] {
  const l = results.latency;
  const bound = results.latencyLowerBound;
  const raised = raisedInTable(results);
  const lines = [
    label("Latency") +
      LATENCY_FIGURES.map(([name, field]) => `${name} ${formatLatency(l[field])}`).join("  ") +
      (raised.length > 0 ? "  (answered)" : ""),
  ];
  if (bound !== undefined && raised.length > 0) {
    const count = formatCount(bound.unfinished);
    lines.push(
      label("") + raised.map((f) => `${f.name} ≥ ${formatLatency(f.boundMs)}`).join("  "),
      `${label("")}(the ${count} unfinished counted at their age, a lower bound)`,
    );
  }
  return [...lines, ...queueRows(results.queue, results.wait)];
}

/**
 * The figures the unanswered requests raise, counted at their age: what expectations judge (the
 * higher of the two, sim/expectations.ts). Only a rise the table shows counts: requests merely in
 * flight at the end raise none.
 */
function raisedInTable(results: Results): ReadonlyArray<RaisedFigure> {
  return raisedFigures(
    results,
    (boundMs, answeredMs) => boundMs > answeredMs && formatLatency(boundMs) !== formatLatency(answeredMs),
  );
}

/**
 * Two places a request waits before a worker takes it: the balancer's queues (maxconn, backend
 * queue; what HAProxy's log shows as Tw) and the server's own, behind its busy workers, which the
 * balancer cannot see. Without the second row an M/M/1 latency of twice the service time next to
 * a balancer queue of 0 ms is a puzzle.
 */
function queueRows(q: Results["queue"], wait: Results["wait"]): string[] {
  return [
    label("Queue") +
      `in the balancer: mean ${formatLatency(q.meanMs)}  p99 ${formatLatency(q.p99Ms)}  ` +
      `max backend queue ${formatCount(q.maxBackendQueue)}`,
    label("") +
      `in the servers:  mean ${formatLatency(wait.meanMs)}  p99 ${formatLatency(wait.p99Ms)}  ` +
      "(waiting for a free worker)",
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
      // A failed line shows its limit and margin, with digits enough to tell them apart.
      const actual =
        !c.pass && c.limit !== undefined
          ? formatFailure(c.name, c.actual, c.limit)
          : formatActual(c.name, c.actual);
      return `  ${verdict}  ${c.name.padEnd(width)}  ${c.note ?? `actual ${actual}`}`;
    }),
  ];
}
