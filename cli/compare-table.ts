// The terminal table of `lbsim compare`: one column per strategy, the best value of each row marked.
import type { CheckResult, Results } from "../sim/index.js";
import { formatCount, formatDuration, formatLatency, formatPercent } from "./format.js";
import { formatActual } from "./table.js";

export interface CompareTableOptions {
  /** ANSI colours (only when stdout is a terminal and NO_COLOR is unset: the caller decides). */
  readonly color: boolean;
  /** Checks of expectations that name strategies only (`leastconn.p99 < roundrobin.p99`). */
  readonly crossChecks: ReadonlyArray<CheckResult>;
  /** Set when Ctrl-C stopped the comparison: the run it cut short (if any), and the strategies never run. */
  readonly stopped?: {
    readonly cut?: { readonly strategy: string; readonly atMs: number };
    readonly notRun: ReadonlyArray<string>;
  };
}

type Paint = (text: string) => string;
const plain: Paint = (text) => text;
const sgr =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;

/** One backend's figures (sim/index.ts re-exports Results, not this part of it). */
type BackendResults = NonNullable<Results["backends"]>[number];

/** Which value of a row is the best one. */
type Better = "lower" | "higher" | "none";

interface Row {
  readonly section: string;
  readonly name: string;
  /** What each run shows. */
  readonly cells: ReadonlyArray<string>;
  /** The number each cell is ranked by (ignored when `better` is "none"). */
  readonly values: ReadonlyArray<number>;
  readonly better: Better;
  /** Per-cell paint for PASS/FAIL cells. */
  readonly paints?: ReadonlyArray<"pass" | "fail">;
}

/** The mark of the best value of a row. */
export const BEST_MARK = "*";
const GAP = "   ";

export function renderCompareTable(runs: ReadonlyArray<Results>, options: CompareTableOptions): string {
  const bold: Paint = options.color ? sgr("1") : plain;
  const green: Paint = options.color ? sgr("32") : plain;
  const red: Paint = options.color ? sgr("31") : plain;
  const yellow: Paint = options.color ? sgr("33") : plain;
  const first = runs[0];
  if (first === undefined) return "No strategy was run.\n";

  const lines: string[] = [...header(first, runs.length, bold)];
  if (options.stopped !== undefined) {
    const { cut, notRun } = options.stopped;
    const parts = ["PARTIAL: stopped by Ctrl-C"];
    if (cut !== undefined) {
      parts.push(
        `${cut.strategy} after about ${formatDuration(cut.atMs)} of simulated time (its figures cover only that part)`,
      );
    }
    if (notRun.length > 0) parts.push(`not run: ${notRun.join(", ")}`);
    lines.push(yellow(parts.join("; ")));
  }
  lines.push("");

  const rows = buildRows(runs);
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const titles = runs.map((r) => r.strategy);
  const marked = rows.map((row) => bestCells(row));
  // Every cell is followed by the mark or a space, so that the numbers line up.
  const cellText = (r: number, i: number) => `${rows[r]?.cells[i] ?? ""}${marked[r]?.[i] ? BEST_MARK : " "}`;
  const widths = titles.map((title, i) =>
    Math.max(title.length + 1, ...rows.map((_, r) => cellText(r, i).length)),
  );
  // Section labels on the left ("Latency", "Max queued"…), then the row names.
  const labelWidth = Math.max(...rows.map((r) => r.section.length)) + 2;
  const left = (section: string, name: string) => `${section.padEnd(labelWidth)}${name.padEnd(nameWidth)}`;
  lines.push(
    bold(
      `${left("", "")}${titles.map((t, i) => `${GAP}${`${t} `.padStart(widths[i] ?? 0)}`).join("")}`.trimEnd(),
    ),
  );
  let previous = "";
  for (const [r, row] of rows.entries()) {
    const section = row.section === previous ? "" : row.section;
    previous = row.section;
    const cells = titles.map((_, i) => {
      const text = cellText(r, i).padStart(widths[i] ?? 0);
      const paint = row.paints?.[i];
      if (paint === "pass") return green(text);
      if (paint === "fail") return red(text);
      return marked[r]?.[i] ? bold(text) : text;
    });
    lines.push(`${left(section, row.name)}${cells.map((c) => `${GAP}${c}`).join("")}`.trimEnd());
  }
  lines.push(
    "",
    `${BEST_MARK} best of the row: the lowest latency, queue, errors and max queued; the most 2xx/3xx and "--"`,
  );
  lines.push(...crossChecks(options.crossChecks, green, red));
  return `${lines.join("\n")}\n`;
}

function header(first: Results, count: number, bold: Paint): string[] {
  const warmup = first.warmupMs > 0 ? `warm-up ${formatDuration(first.warmupMs)}` : "no warm-up";
  return [
    bold(
      `${first.scenario} · ${count} strateg${count === 1 ? "y" : "ies"} on the same requests · seed ${first.seed}`,
    ),
    `simulated ${formatDuration(first.durationMs)} each (${warmup})`,
  ];
}

function buildRows(runs: ReadonlyArray<Results>): Row[] {
  const rows: Row[] = [];
  const figure = (
    section: string,
    name: string,
    better: Better,
    value: (r: Results) => number,
    show: (value: number, r: Results) => string,
  ) => {
    const values = runs.map(value);
    rows.push({ section, name, better, values, cells: runs.map((r, i) => show(values[i] ?? 0, r)) });
  };
  const latency = (section: string, name: string, value: (r: Results) => number) =>
    figure(section, name, "lower", value, (ms) => formatLatency(ms));

  latency("Latency", "p50", (r) => r.latency.p50Ms);
  latency("Latency", "p90", (r) => r.latency.p90Ms);
  latency("Latency", "p99", (r) => r.latency.p99Ms);
  latency("Latency", "p99.9", (r) => r.latency.p999Ms);
  latency("Latency", "mean", (r) => r.latency.meanMs);
  latency("Latency", "max", (r) => r.latency.maxMs);
  latency("Queue", "mean", (r) => r.queue.meanMs);
  latency("Queue", "p99", (r) => r.queue.p99Ms);

  const ratio = (n: number, r: Results) => (r.requests.total === 0 ? 0 : n / r.requests.total);
  const countAndShare = (n: number, r: Results) => `${formatCount(n)} (${formatPercent(ratio(n, r))})`;
  figure(
    "Requests",
    "total",
    "none",
    (r) => r.requests.total,
    (n) => formatCount(n),
  );
  figure(
    "Requests",
    "errors",
    "lower",
    (r) => ratio(r.requests.failed, r),
    (_, r) => countAndShare(r.requests.failed, r),
  );
  figure(
    "Requests",
    "retried",
    "lower",
    (r) => ratio(r.requests.retried, r),
    (_, r) => formatCount(r.requests.retried),
  );
  figure(
    "Requests",
    "redispatched",
    "lower",
    (r) => ratio(r.requests.redispatched, r),
    (_, r) => formatCount(r.requests.redispatched),
  );

  const seen = (counts: Readonly<Record<string, number>>) =>
    Object.keys(counts).filter((k) => (counts[k] ?? 0) > 0);
  const statuses = union(runs.map((r) => seen(r.requests.byStatus))).sort((a, b) => Number(a) - Number(b));
  for (const status of statuses) {
    const code = Number(status);
    const good = code >= 100 && code < 400;
    figure(
      "Status",
      status,
      good ? "higher" : "lower",
      (r) => ratio(r.requests.byStatus[status] ?? 0, r),
      (_, r) => formatCount(r.requests.byStatus[status] ?? 0),
    );
  }
  const terminations = union(runs.map((r) => seen(r.requests.byTermination))).sort((a, b) =>
    a === "--" ? -1 : b === "--" ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const code of terminations) {
    figure(
      "Ended",
      code,
      code === "--" ? "higher" : "lower",
      (r) => ratio(r.requests.byTermination[code] ?? 0, r),
      (_, r) => formatCount(r.requests.byTermination[code] ?? 0),
    );
  }

  rows.push(...backendRows(runs));

  const servers = union(runs.map((r) => r.servers.map((s) => s.name)));
  const server = (r: Results, name: string) => r.servers.find((s) => s.name === name);
  for (const name of servers) {
    figure(
      "Share",
      name,
      "none",
      (r) => server(r, name)?.share ?? 0,
      (share) => formatPercent(share),
    );
  }
  for (const name of servers) {
    figure(
      "Max queued",
      name,
      "lower",
      (r) => server(r, name)?.maxQueued ?? 0,
      (n) => formatCount(n),
    );
  }

  // Per-run checks: one row per expectation, in the scenario's order.
  const names = union(runs.map((r) => r.checks.map((c) => c.name)));
  for (const name of names) {
    const checks = runs.map((r) => r.checks.find((c) => c.name === name));
    rows.push({
      section: "Checks",
      name,
      better: "none",
      values: [],
      cells: checks.map((c) =>
        c === undefined ? "-" : `${c.pass ? "PASS" : "FAIL"} ${formatActual(c.name, c.actual)}`,
      ),
      paints: checks.map((c) => (c === undefined || c.pass ? "pass" : "fail")),
    });
  }
  return rows;
}

/**
 * The "Backends" section, present only when the runs have several backends (`Results.backends`):
 * each backend's p50, p99 and errors, ranked as the run-wide rows are. The backend that answers a
 * frontend's unrouted requests (strategy "", no servers: all 503s) shows its errors only, since the
 * latency of an immediate 503 says nothing about a strategy. A cell of a run without the backend,
 * or whose backend finished no request, reads "-" and is never the best.
 */
function backendRows(runs: ReadonlyArray<Results>): Row[] {
  const names = union(runs.map((r) => (r.backends ?? []).map((b) => b.name)));
  const rows: Row[] = [];
  const row = (
    name: string,
    of: ReadonlyArray<BackendResults | undefined>,
    value: (b: BackendResults) => number,
    show: (b: BackendResults) => string,
  ) => {
    rows.push({
      section: "Backends",
      name,
      better: "lower",
      values: of.map((b) => (b === undefined ? Number.POSITIVE_INFINITY : value(b))),
      cells: of.map((b) => (b === undefined ? "-" : show(b))),
    });
  };
  for (const name of names) {
    const found = runs.map((r) => r.backends?.find((b) => b.name === name));
    const served = found.map((b) => (b === undefined || b.requests.total === 0 ? undefined : b));
    const unrouted = found.every((b) => b === undefined || b.strategy === "");
    if (!unrouted) {
      row(
        `${name} p50`,
        served,
        (b) => b.latency.p50Ms,
        (b) => formatLatency(b.latency.p50Ms),
      );
      row(
        `${name} p99`,
        served,
        (b) => b.latency.p99Ms,
        (b) => formatLatency(b.latency.p99Ms),
      );
    }
    const ratio = (b: BackendResults) => (b.requests.total === 0 ? 0 : b.requests.failed / b.requests.total);
    row(
      `${name} errors`,
      found,
      ratio,
      (b) => `${formatCount(b.requests.failed)} (${formatPercent(ratio(b))})`,
    );
  }
  return rows;
}

/**
 * Which cells of a row hold its best value. Values are ranked as shown, so two cells that read the
 * same are both best or neither; a row whose cells all read the same marks none.
 */
function bestCells(row: Row): boolean[] {
  const none = row.cells.map(() => false);
  if (row.better === "none" || row.cells.length < 2) return none;
  if (row.cells.every((cell) => cell === row.cells[0])) return none;
  let best = 0;
  row.values.forEach((value, i) => {
    const current = row.values[best] ?? 0;
    if (row.better === "lower" ? value < current : value > current) best = i;
  });
  return row.cells.map((cell) => cell === row.cells[best]);
}

function crossChecks(checks: ReadonlyArray<CheckResult>, green: Paint, red: Paint): string[] {
  if (checks.length === 0) return [];
  const width = Math.max(...checks.map((c) => c.name.length));
  return [
    "",
    "Checks across strategies:",
    ...checks.map(
      (c) =>
        `  ${c.pass ? green("PASS") : red("FAIL")}  ${c.name.padEnd(width)}  ${c.note ?? `actual ${formatActual(c.name, c.actual)}`}`,
    ),
  ];
}

function union(lists: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const item of list) seen.add(item);
  return [...seen];
}
