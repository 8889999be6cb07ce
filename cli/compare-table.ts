// The terminal table of `lbsim compare`: one column per strategy, the mean of each row, and how sure its best is.
import type { CheckResult, Results } from "../sim/index.js";
import type { Interval } from "./check-stats.js";
import { buildRows, formatMeanCount, type Row } from "./compare-rows.js";
import { judgeRow, type RowVerdict } from "./compare-stats.js";
import { formatDuration, formatLatency, formatSignificant } from "./format.js";
import { formatActual, formatFailure, nearestLimit } from "./format-actual.js";

/** A check as the table shows it: one run's (`CheckResult`), or judged on the means (`CheckedExpectation`). */
export interface ShownCheck {
  readonly name: string;
  readonly pass: boolean;
  readonly actual: number | null;
  readonly limit?: number;
  readonly range?: readonly [number, number];
  readonly ci95?: Interval;
  /** Why a line has no value or failed for want of one (`web02 was never marked DOWN …`). */
  readonly note?: string;
}

export interface CompareTableOptions {
  /** ANSI colours (only when stdout is a terminal and NO_COLOR is unset: the caller decides). */
  readonly color: boolean;
  /** Checks of expectations that name strategies only (`leastconn.p99 < roundrobin.p99`). */
  readonly crossChecks: ReadonlyArray<ShownCheck | CheckResult>;
  /** Set when Ctrl-C stopped the comparison: the run it cut short (if any), and the strategies never run. */
  readonly stopped?: {
    readonly cut?: { readonly strategy: string; readonly atMs: number };
    readonly notRun: ReadonlyArray<string>;
    /** With --replications: the replications asked for, and how many were complete (the figures cover those). */
    readonly replications?: number;
    readonly complete?: number;
  };
  /** Per strategy (as `runs`), each replication's Results in seed order; default: `runs`, one each. */
  readonly replicated?: ReadonlyArray<ReadonlyArray<Results>>;
  /** Per strategy, its checks as shown; default: each run's `checks`. */
  readonly checks?: ReadonlyArray<ReadonlyArray<ShownCheck>>;
  /** Column titles (the strategies as compared); default: each run's `strategy`. */
  readonly titles?: ReadonlyArray<string>;
  /** A line saying which backends the strategies balance, when the scenario has several. */
  readonly scope?: string;
}

type Paint = (text: string) => string;
const plain: Paint = (text) => text;
const sgr =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;

/** The mark of the best value of a row. */
export const BEST_MARK = "*";
const GAP = "   ";
/** Replications the one-run caveat suggests: t's 95% quantile is within 15% of its limit by then. */
const SUGGESTED_REPLICATIONS = 10;

/** A line of the table: a row of means, the differences under it, or a check. */
interface Line {
  readonly section: string;
  readonly name: string;
  readonly cells: ReadonlyArray<string>;
  readonly marked?: ReadonlyArray<boolean>;
  readonly paints?: ReadonlyArray<"pass" | "fail" | "alert" | undefined>;
  readonly note?: string;
}

export function renderCompareTable(runs: ReadonlyArray<Results>, options: CompareTableOptions): string {
  const bold: Paint = options.color ? sgr("1") : plain;
  const green: Paint = options.color ? sgr("32") : plain;
  const red: Paint = options.color ? sgr("31") : plain;
  const yellow: Paint = options.color ? sgr("33") : plain;
  const first = runs[0];
  if (first === undefined) return "No strategy was run.\n";
  const replicated = options.replicated ?? runs.map((r) => [r]);
  const seeds = (replicated[0] ?? []).map((r) => r.seed);
  const n = seeds.length;

  const lines: string[] = [...header(first, runs.length, seeds, bold)];
  if (options.scope !== undefined) lines.push(options.scope);
  if (options.stopped !== undefined) lines.push(yellow(stoppedLine(options.stopped)));
  if (n <= 1 && runs.length > 1) {
    lines.push(
      yellow(
        `One run (seed ${first.seed}) cannot tell noise from a difference: * marks the best value, not a winner.`,
      ),
      yellow(`Run with --replications ${SUGGESTED_REPLICATIONS} to compare means with 95% intervals.`),
    );
  }
  lines.push("");

  const titles = options.titles ?? runs.map((r) => r.strategy);
  const shown = tableLines(buildRows(replicated), n, titles, runs, options);
  const nameWidth = Math.max(...shown.map((r) => r.name.length));
  // Every cell is followed by the mark or a space, so that the numbers line up.
  const cellText = (line: Line, i: number) => `${line.cells[i] ?? ""}${line.marked?.[i] ? BEST_MARK : " "}`;
  const widths = titles.map((title, i) =>
    Math.max(title.length + 1, ...shown.map((line) => cellText(line, i).length)),
  );
  // Section labels on the left ("Latency", "Max queued"…), then the row names.
  const labelWidth = Math.max(...shown.map((r) => r.section.length)) + 2;
  const left = (section: string, name: string) => `${section.padEnd(labelWidth)}${name.padEnd(nameWidth)}`;
  lines.push(
    bold(
      `${left("", "")}${titles.map((t, i) => `${GAP}${`${t} `.padStart(widths[i] ?? 0)}`).join("")}`.trimEnd(),
    ),
  );
  let previous = "";
  for (const line of shown) {
    const section = line.section === previous ? "" : line.section;
    previous = line.section;
    const cells = titles.map((_, i) => {
      const text = cellText(line, i).padStart(widths[i] ?? 0);
      const paint = line.paints?.[i];
      if (paint === "pass") return green(text);
      if (paint === "fail") return red(text);
      if (paint === "alert") return yellow(text);
      return line.marked?.[i] ? bold(text) : text;
    });
    const note = line.note === undefined ? "" : `${GAP}${yellow(line.note)}`;
    lines.push(`${left(section, line.name)}${cells.map((c) => `${GAP}${c}`).join("")}${note}`.trimEnd());
  }
  lines.push("", ...legend(n));
  lines.push(...crossChecks(options.crossChecks, green, red));
  return `${lines.join("\n")}\n`;
}

function header(first: Results, count: number, seeds: ReadonlyArray<number>, bold: Paint): string[] {
  // With warmup: auto each strategy's run finds its own: the first's is shown.
  const found = first.warmupAuto === undefined ? "" : " (auto, MSER-5, first strategy's)";
  const warmup = first.warmupMs > 0 ? `warm-up ${formatDuration(first.warmupMs)}${found}` : "no warm-up";
  const seed =
    seeds.length <= 1
      ? `seed ${first.seed}`
      : `seeds ${seeds[0]}..${seeds[seeds.length - 1]} (${seeds.length} replications, paired by seed)`;
  return [
    bold(`${first.scenario} · ${count} strateg${count === 1 ? "y" : "ies"} on the same requests · ${seed}`),
    `simulated ${formatDuration(first.durationMs)} each (${warmup})${seeds.length > 1 ? "; each figure is the mean over the seeds" : ""}`,
  ];
}

function stoppedLine(stopped: NonNullable<CompareTableOptions["stopped"]>): string {
  const parts = ["PARTIAL: stopped by Ctrl-C"];
  const complete = stopped.complete ?? 0;
  if (stopped.replications !== undefined && stopped.replications > 1) {
    parts.push(
      complete > 0
        ? `after ${complete} of ${stopped.replications} replications (the figures cover those)`
        : `during the first of ${stopped.replications} replications`,
    );
  }
  if (stopped.cut !== undefined) {
    parts.push(
      `${stopped.cut.strategy} after about ${formatDuration(stopped.cut.atMs)} of simulated time (its figures cover only that part)`,
    );
  }
  if (stopped.notRun.length > 0) parts.push(`not run: ${stopped.notRun.join(", ")}`);
  return parts.join("; ");
}

/** The rows of means (with a line of differences under each ranked row when there are replications), then the checks. */
function tableLines(
  rows: ReadonlyArray<Row>,
  replications: number,
  titles: ReadonlyArray<string>,
  runs: ReadonlyArray<Results>,
  options: CompareTableOptions,
): Line[] {
  const lines: Line[] = [];
  for (const row of rows) {
    const verdict = judgeRow(row);
    lines.push({
      section: row.section,
      name: row.name,
      cells: row.cells,
      marked: verdict.marked,
      paints: row.alerts?.map((alert) => (alert ? "alert" : undefined)),
      ...(verdict.verdict === "indistinguishable" ? { note: noClearWinner(verdict, titles) } : {}),
    });
    if (replications > 1 && (verdict.verdict === "winner" || verdict.verdict === "indistinguishable")) {
      lines.push({
        section: row.section,
        name: "  vs best",
        cells: verdict.differences.map((d) => {
          if (d === undefined) return "";
          const half = d.ci95 === undefined ? 0 : (d.ci95.high - d.ci95.low) / 2;
          const percent = d.percent === undefined ? "" : ` (${signed(d.percent, formatSignificant)}%)`;
          const [difference, spread] = showPair(row, d.mean, half);
          return `${d.mean > 0 ? "+" : ""}${difference} ±${spread}${percent}`;
        }),
      });
    }
  }
  // Per-run checks: one row per expectation, in the scenario's order.
  const checks = options.checks ?? runs.map((r) => r.checks);
  const names = [...new Set(checks.flatMap((list) => list.map((c) => c.name)))];
  for (const name of names) {
    const found = checks.map((list) => list.find((c) => c.name === name));
    lines.push({
      section: "Checks",
      name,
      cells: found.map((c) => (c === undefined ? "-" : `${c.pass ? "PASS" : "FAIL"} ${checkValue(c)}`)),
      paints: found.map((c) => (c === undefined || c.pass ? "pass" : "fail")),
    });
  }
  return lines;
}

/** `no clear winner: leastconn ≈ roundrobin`: the best mean and the strategies it cannot be told from. */
function noClearWinner(verdict: RowVerdict, titles: ReadonlyArray<string>): string {
  const names = [verdict.best ?? 0, ...verdict.indistinguishable].map((i) => titles[i] ?? "");
  return `no clear winner: ${names.join(" ≈ ")}`;
}

/** A difference and its interval's half-width, both in one unit (the larger one's): `+333 µs ±1430 µs`. */
function showPair(row: Row, x: number, half: number): [string, string] {
  if (row.unit === "ratio")
    return [`${formatSignificant(x * 100)} points`, `${formatSignificant(half * 100)} points`];
  if (row.unit === "count") return [formatMeanCount(x), formatMeanCount(half)];
  const larger = formatLatency(Math.max(Math.abs(x), half));
  const [perMs, suffix] = larger.endsWith(" µs")
    ? [1000, " µs"]
    : larger.endsWith(" ms")
      ? [1, " ms"]
      : [0.001, " s"];
  return [`${formatSignificant(x * perMs)}${suffix}`, `${formatSignificant(half * perMs)}${suffix}`];
}

function signed(x: number, show: (x: number) => string): string {
  return x > 0 ? `+${show(x)}` : show(x);
}

function checkValue(check: ShownCheck): string {
  if (check.actual === null) return "no value";
  const limit = nearestLimit(check);
  return formatActual(check.name, check.actual, check.pass ? undefined : limit);
}

function legend(replications: number): string[] {
  if (replications <= 1) {
    return [
      `${BEST_MARK} best of the row: the lowest latency, queue, errors, unfinished, retries and max queued;`,
      '  the most 2xx/3xx and "--"',
    ];
  }
  return [
    `${BEST_MARK} best mean of the row, told apart from every other strategy: the 95% interval of the paired`,
    "  (same-seed) difference excludes 0. Best: the lowest latency, queue, errors, unfinished, retries and",
    '  max queued; the most 2xx/3xx and "--". vs best: the difference to the best mean, ± its 95% interval,',
    "  and in % of the best. no clear winner: an interval contains 0, so the difference may be noise.",
  ];
}

function crossChecks(checks: ReadonlyArray<ShownCheck>, green: Paint, red: Paint): string[] {
  if (checks.length === 0) return [];
  const width = Math.max(...checks.map((c) => c.name.length));
  return [
    "",
    "Checks across strategies:",
    ...checks.map((c) => {
      const limit = nearestLimit(c);
      const actual =
        c.actual === null
          ? "no value"
          : !c.pass && limit !== undefined
            ? formatFailure(c.name, c.actual, limit)
            : formatActual(c.name, c.actual);
      return `  ${c.pass ? green("PASS") : red("FAIL")}  ${c.name.padEnd(width)}  ${c.note ?? `actual ${actual}`}`;
    }),
  ];
}
