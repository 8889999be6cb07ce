// What `lbsim check` found: the scenarios' verdicts, the whole check as JSON, and the readable summary.
import type { Results } from "../sim/index.js";
import type { BaselineReport } from "./baseline.js";
import { renderBaseline } from "./baseline-render.js";
import type { RunFigures } from "./check-figures.js";
import type { CheckedExpectation } from "./check-judge.js";
import { formatCount } from "./format.js";
import { describeCheck, unfinishedText } from "./junit.js";
import { raisedFigures } from "./latency-figures.js";

export type ScenarioStatus = "pass" | "fail" | "no expectations" | "interrupted";

/** One scenario file as `lbsim check` judged it. */
export interface ScenarioCheck {
  /** The file as given (or as found in a given folder). */
  readonly file: string;
  readonly scenario: string;
  /** `backend.balance`: the run that prefix-less metrics (`p99`) mean. */
  readonly strategy: string;
  /** The scenario's `compare:` list: runs that prefixed metrics (`leastconn.p99`) mean. */
  readonly compared: ReadonlyArray<string>;
  /** Seeds of the replications every figure is averaged over (complete replications only). */
  readonly seeds: ReadonlyArray<number>;
  readonly status: ScenarioStatus;
  /** Present (true) when Ctrl-C cut the scenario's replications short. */
  readonly partial?: true;
  /**
   * Steady-state requests still unanswered at the end of each replication's own run (seed order),
   * and the arrivals they are part of (total + unfinished). Present once a replication is complete.
   */
  readonly unfinished?: ReadonlyArray<number>;
  readonly arrivals?: ReadonlyArray<number>;
  /**
   * The first replication's `Results.warnings` (a backend offered at or above its capacity, a
   * refused runtime command): present only when there are some. The first only, because the
   * figures in an offered-load sentence differ a little from seed to seed.
   */
  readonly warnings?: ReadonlyArray<string>;
  /**
   * Present (true) when, in some replication, the unfinished requests counted at their age raise a
   * latency figure above the answered requests' own: they are old, not merely in flight at the end.
   */
  readonly unfinishedAged?: true;
  readonly checks: ReadonlyArray<CheckedExpectation>;
  /**
   * With `--replications auto`: the replications used (`seeds` has as many), whether every metric
   * the expectations name settled within the precision, and else the first that did not (`--max`
   * reached) with its mean and 95% half-width.
   */
  readonly replicationsAuto?: {
    readonly used: number;
    readonly settled: boolean;
    readonly unsettled?: { readonly metric: string; readonly mean: number; readonly halfWidth: number };
  };
  /**
   * Each run's figures over the complete replications (cli/check-figures.ts), by run name: the
   * scenario's own first, then the compared ones. Absent when the scenario was not run.
   */
  readonly figures?: Readonly<Record<string, RunFigures>>;
}

/** The figures of the replications' own runs that a check report carries besides the expectations. */
export function runFigures(
  own: ReadonlyArray<Results>,
): Pick<ScenarioCheck, "unfinished" | "arrivals" | "warnings" | "unfinishedAged"> {
  const warnings = own[0]?.warnings ?? [];
  return {
    unfinished: own.map((r) => r.requests.unfinished),
    arrivals: own.map((r) => r.requests.total + r.requests.unfinished),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(own.some(agedUnfinished) ? { unfinishedAged: true } : {}),
  };
}

/** Whether a run's unfinished requests, at their age, raise a latency figure (by more than 0.1%). */
function agedUnfinished(results: Results): boolean {
  return raisedFigures(results, (boundMs, answeredMs) => boundMs > answeredMs * 1.001).length > 0;
}

/** `lbsim check --json`: the whole check as one document (docs/results.md "Check JSON"). */
export interface CheckJson {
  /** `--replications N`; with `auto`, the most any scenario used. */
  readonly replications: number;
  /** With `--replications auto`: its precision (0.05 for 5%), the replications run first and the most. */
  readonly replicationsAuto?: { readonly precision: number; readonly min: number; readonly max: number };
  /** Present (true) only when Ctrl-C stopped the check. */
  readonly partial?: true;
  readonly passed: boolean;
  readonly totals: {
    readonly scenarios: number;
    readonly expectations: number;
    readonly passed: number;
    readonly failed: number;
  };
  readonly scenarios: ReadonlyArray<ScenarioCheck>;
  /** With `--baseline FILE`: the figures compared with that check JSON (cli/baseline.ts). */
  readonly baseline?: BaselineReport;
}

export function summarize(
  reports: ReadonlyArray<ScenarioCheck>,
  replications: number,
  stopped: boolean,
  baseline?: BaselineReport,
  auto?: { readonly precision: number; readonly min: number; readonly max: number },
): CheckJson {
  const checks = reports.flatMap((r) => r.checks);
  const failed = checks.filter((c) => !c.pass).length;
  return {
    replications: auto === undefined ? replications : Math.max(0, ...reports.map((r) => r.seeds.length)),
    ...(auto === undefined
      ? {}
      : { replicationsAuto: { precision: auto.precision, min: auto.min, max: auto.max } }),
    ...(stopped ? { partial: true as const } : {}),
    passed: failed === 0 && !stopped && (baseline?.passed ?? true),
    totals: {
      scenarios: reports.length,
      expectations: checks.length,
      passed: checks.length - failed,
      failed,
    },
    scenarios: reports,
    ...(baseline === undefined ? {} : { baseline }),
  };
}

/** ` · settled within 5%` after the seeds, with `--replications auto`. */
function autoText(s: ScenarioCheck, report: CheckJson): string {
  const auto = report.replicationsAuto;
  if (auto === undefined || s.replicationsAuto === undefined) return "";
  const percent = `${Number((auto.precision * 100).toPrecision(3))}%`;
  return s.replicationsAuto.settled
    ? ` · auto: settled within ${percent}`
    : ` · auto: --max ${auto.max} reached, ${s.replicationsAuto.unsettled?.metric ?? "a metric"} not within ${percent}`;
}

type Paint = (text: string) => string;
const plain: Paint = (text) => text;
const sgr =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;

/** The readable summary: each scenario with its runs and a PASS/FAIL line per expectation, then the totals. */
export function renderSummary(
  report: CheckJson,
  options: { readonly color: boolean; readonly notRun?: ReadonlyArray<string> },
): string {
  const bold: Paint = options.color ? sgr("1") : plain;
  const green: Paint = options.color ? sgr("32") : plain;
  const red: Paint = options.color ? sgr("31") : plain;
  const yellow: Paint = options.color ? sgr("33") : plain;
  const lines: string[] = [];
  for (const s of report.scenarios) {
    const runs =
      s.compared.filter((c) => c !== s.strategy).length === 0
        ? s.strategy
        : `${s.strategy}, compared with ${s.compared.filter((c) => c !== s.strategy).join(", ")}`;
    const seeds =
      s.seeds.length === 0
        ? ""
        : s.seeds.length === 1
          ? ` · seed ${s.seeds[0]}`
          : ` · seeds ${s.seeds[0]}..${s.seeds[s.seeds.length - 1]} (${s.seeds.length} replications)`;
    lines.push(`${bold(s.scenario)}  ${s.file}`);
    if (s.status === "no expectations") {
      const why =
        s.figures === undefined ? "nothing to check; not run" : "run for the baseline's figures only";
      lines.push(`  ${yellow("no expectations")} (${why})`, "");
      continue;
    }
    if (s.status === "interrupted") {
      lines.push(`  ${yellow("interrupted")} before a replication was complete: nothing checked`, "");
      continue;
    }
    const cut =
      s.partial === true
        ? yellow(`  (stopped by Ctrl-C after ${s.seeds.length} of ${report.replications})`)
        : "";
    lines.push(`  ${runs}${seeds}${cut}${autoText(s, report)}`);
    for (const warning of s.warnings ?? []) lines.push(`  ${yellow(`warning: ${warning}`)}`);
    const unanswered = unfinishedText(s);
    if (unanswered !== undefined) {
      // Unanswered requests are neither errors nor latencies yet: only `unfinished` judges them.
      // The hint shows where the expectation it suggests would fail: a few requests in flight at the end are normal.
      const judged = s.checks.some((c) => /\bunfinished\b/.test(c.name));
      const unfinished = (s.unfinished ?? []).reduce((a, b) => a + b, 0);
      const arrivals = (s.arrivals ?? []).reduce((a, b) => a + b, 0);
      lines.push(`  ${yellow(unanswered)}`);
      if (!judged && arrivals > 0 && unfinished / arrivals >= 0.01)
        lines.push(`  ${yellow('  no expectation judges them: add e.g. "unfinished < 1%"')}`);
    }
    const width = Math.max(...s.checks.map((c) => c.name.length));
    for (const c of s.checks) {
      const verdict = c.pass ? green("PASS") : red("FAIL");
      lines.push(`  ${verdict}  ${c.name.padEnd(width)}  ${describeCheck(c)}`.trimEnd());
    }
    lines.push("");
  }
  for (const file of options.notRun ?? []) lines.push(`${yellow("not run")}  ${file}`);
  if ((options.notRun ?? []).length > 0) lines.push("");

  const { totals } = report;
  const empty = report.scenarios.filter((s) => s.status === "no expectations").length;
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
  let line = `${plural(totals.scenarios, "scenario")}, ${plural(totals.expectations, "expectation")}: `;
  line +=
    totals.failed === 0
      ? green(`${formatCount(totals.passed)} passed`)
      : `${formatCount(totals.passed)} passed, ${red(`${formatCount(totals.failed)} failed`)}`;
  if (empty > 0) line += `; ${plural(empty, "scenario")} without expectations`;
  if (report.partial === true) line += `; ${yellow("PARTIAL: stopped by Ctrl-C")}`;
  lines.push(line);
  const baseline =
    report.baseline === undefined ? "" : `\n${renderBaseline(report.baseline, { red, green, yellow })}`;
  return `${lines.join("\n")}\n${baseline}`;
}
