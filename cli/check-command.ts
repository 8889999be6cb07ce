// `lbsim check`: the expectations of many scenarios, with replications (mean and 95% CI), a summary, JSON and JUnit.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError, type InputIssue, type Scenario } from "../scenarios/index.js";
import { type Expectation, metricValue, parseExpectation, strategiesOf } from "../sim/expectations.js";
import type { Results } from "../sim/index.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import {
  AbortedError,
  type Io,
  type PackageInfo,
  type SimulationJob,
  type StrategyFile,
  type Toolkit,
} from "./context.js";
import { formatCount } from "./format.js";
import { describeCheck, renderJunit, shownActual } from "./junit.js";
import { writeFileAtomic } from "./output.js";
import { createProgress, type Progress } from "./progress.js";
import { checkOutputs, checkScenarioFile, EXIT_INTERRUPTED, watchInterrupts } from "./run-command.js";
import { strategyFileOf } from "./simulate.js";
import { strategyHint } from "./suggest.js";
import { CHECK_OPTIONS, checkHelp } from "./usage.js";

/** Most replications `--replications` takes: far more than a confidence interval needs. */
export const MAX_REPLICATIONS = 10_000;

/** Files a folder given to `lbsim check` contributes (not its sub-folders). */
const SCENARIO_FILE = /\.(ya?ml|json)$/i;

/** A 95% confidence interval of a mean. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** One expectation judged on the mean of its metric over the replications. */
export interface CheckedExpectation {
  /** The expectation as written. */
  readonly name: string;
  readonly pass: boolean;
  /** Mean of the left-hand metric over the replications (null: the runs have no such figure). */
  readonly actual: number | null;
  /** The left-hand metric of each replication, in seed order. */
  readonly values: ReadonlyArray<number>;
  /** 95% confidence interval of `actual` (Student's t, n − 1 degrees of freedom); with n > 1 only. */
  readonly ci95?: Interval;
  /** The right-hand side of `<`, `<=`, `>`, `>=`, `==`: the number, or the mean of the metric. */
  readonly limit?: number;
  /** The right-hand side when it is a metric (`roundrobin.p99`): `limit` is then its mean. */
  readonly limitMetric?: string;
  /** The bounds of `in low..high` (numbers, or means of metrics). */
  readonly range?: readonly [number, number];
  /**
   * With n > 1: the 95% interval of the per-replication difference between the metric and the
   * nearest limit contains 0, so the replications do not settle which side of it the metric lies on.
   */
  readonly uncertain?: true;
}

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
  readonly checks: ReadonlyArray<CheckedExpectation>;
}

/** `lbsim check --json`: the whole check as one document (README "lbsim check"). */
export interface CheckJson {
  readonly replications: number;
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
}

/** Two-sided 95% quantiles of Student's t for 1..29 degrees of freedom. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045,
];

/** The t quantile of a two-sided 95% interval: the table up to 29 degrees of freedom (n ≤ 30), 1.96 beyond. */
export function tQuantile95(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1) {
    throw new RangeError(`degrees of freedom must be a whole number ≥ 1, got ${degreesOfFreedom}`);
  }
  return T95[degreesOfFreedom - 1] ?? 1.96;
}

export function mean(values: ReadonlyArray<number>): number {
  if (values.length === 1) return values[0] as number;
  return tidy(values.reduce((sum, v) => sum + v, 0) / values.length);
}

/** 12 significant digits: the float noise of a sum (152.51100000000002) stays out of the JSON. */
function tidy(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

/** Mean ± t·s/√n; undefined for fewer than two values (one run is one sample: no interval). */
export function confidenceInterval95(values: ReadonlyArray<number>): Interval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const m = mean(values);
  const variance = values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (n - 1);
  const half = tQuantile95(n - 1) * Math.sqrt(variance / n);
  return { low: tidy(m - half), high: tidy(m + half) };
}

/** The figures of one replication: the scenario's own run (its `balance`) and each compared run by name. */
export interface Replication {
  readonly own: Results;
  readonly runs: ReadonlyMap<string, Results>;
}

type Operand = Extract<Expectation, { op: "in" }>["low"];

/** `leastconn.p99`, `share(web01)`: a metric operand as written (normalised). */
function metricText(operand: Operand): string | undefined {
  if (operand.kind !== "metric") return undefined;
  const argument = operand.argument === null ? "" : `(${operand.argument})`;
  return `${operand.strategy === null ? "" : `${operand.strategy}.`}${operand.name}${argument}`;
}

/**
 * Judges an expectation on the means over the replications: each metric's value is taken from each
 * replication (a prefix-less metric from its own run, `leastconn.p99` from that run), averaged, and
 * the comparison made on the means. With one replication this is `checkExpectations` of one run.
 */
export function judge(
  expectation: Expectation,
  replications: ReadonlyArray<Replication>,
): CheckedExpectation {
  const series = (operand: Operand): number[] | undefined => {
    if (operand.kind === "number") return replications.map(() => operand.value);
    const values: number[] = [];
    for (const r of replications) {
      const results = operand.strategy === null ? r.own : r.runs.get(operand.strategy);
      const value = results === undefined ? undefined : metricValue(results, operand.name, operand.argument);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  };
  const name = expectation.text;
  const left = series(expectation.left);
  const bounds = expectation.op === "in" ? [expectation.low, expectation.high] : [expectation.right];
  const limits = bounds.map(series);
  if (left === undefined || replications.length === 0 || limits.some((l) => l === undefined)) {
    return { name, pass: false, actual: null, values: left ?? [] };
  }
  const limitSeries = limits as number[][];
  const actual = mean(left);
  const limitMeans = limitSeries.map(mean);
  const ci95 = confidenceInterval95(left);
  let pass: boolean;
  let nearest = 0;
  if (expectation.op === "in") {
    const [low, high] = limitMeans as [number, number];
    pass = actual >= low && actual <= high;
    nearest = Math.abs(actual - low) <= Math.abs(actual - high) ? 0 : 1;
  } else {
    const limit = limitMeans[0] as number;
    const op = expectation.op;
    pass =
      op === "<"
        ? actual < limit
        : op === "<="
          ? actual <= limit
          : op === ">"
            ? actual > limit
            : op === ">="
              ? actual >= limit
              : actual === limit;
  }
  // Paired: with common random numbers the same seed gives both sides the same requests.
  const differences = left.map((v, i) => v - (limitSeries[nearest]?.[i] ?? 0));
  const spread = confidenceInterval95(differences);
  const uncertain = spread !== undefined && spread.low <= 0 && spread.high >= 0 && spread.low !== spread.high;
  return {
    name,
    pass,
    actual,
    values: left,
    ...(ci95 === undefined ? {} : { ci95 }),
    ...(expectation.op === "in"
      ? { range: [limitMeans[0] ?? 0, limitMeans[1] ?? 0] as const }
      : { limit: limitMeans[0] ?? 0 }),
    ...(expectation.op !== "in" && expectation.right.kind === "metric"
      ? { limitMetric: metricText(expectation.right) }
      : {}),
    ...(uncertain ? { uncertain: true as const } : {}),
  };
}

/** A scenario, loaded and checked, with what it will run. */
interface Plan {
  readonly file: string;
  readonly path: string;
  readonly scenario: Scenario;
  readonly expectations: ReadonlyArray<Expectation>;
  /** The own run (strategy undefined) and one per compared strategy other than `balance`. */
  readonly jobs: ReadonlyArray<{ readonly name: string; readonly job: Omit<SimulationJob, "seed"> }>;
  readonly baseSeed: number;
}

export async function checkCommand(
  args: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  const parsed = parseArgs(args, CHECK_OPTIONS, "check");
  if (parsed.flags.has("help")) {
    io.out(checkHelp());
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError("missing the scenarios: lbsim check <scenario|folder>…", "check");
  }
  const replicationsText = parsed.values.get("replications");
  const replications = replicationsText === undefined ? 1 : parseReplications(replicationsText);
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? undefined : parseSeed(seedText, "check");
  if (seed !== undefined && seed > Number.MAX_SAFE_INTEGER - (replications - 1)) {
    throw new UsageError(
      `--seed ${seed} with ${replications} replications goes past ${Number.MAX_SAFE_INTEGER}`,
      "check",
    );
  }
  const json = parsed.values.get("json");
  const junit = parsed.values.get("junit");
  const quiet = parsed.flags.has("quiet");
  if (junit === "-") throw new UsageError("--junit needs a file name (it cannot write to stdout)", "check");

  const files = scenarioFiles(parsed.positionals, pkg, io.cwd);
  checkOutputs(
    [
      ["--json", json],
      ["--junit", junit],
    ],
    "",
    io.cwd,
  );
  const outputs = [json, junit].filter((o): o is string => o !== undefined && o !== "-");
  for (const output of outputs) {
    const clash = files.find((f) => f.path === resolve(io.cwd, output));
    if (clash !== undefined) {
      throw InputError.one(issue("", `cannot write "${output}": it is the scenario file ${clash.file}`));
    }
  }
  const plans = planAll(files, toolkit, io, seed, replications);

  // Replication after replication, each running the scenario's own strategy and then the compared ones.
  const reports: ScenarioCheck[] = [];
  const wallMs: number[] = [];
  let progress: Progress = createProgress({ enabled: false, label: "", durationMs: 0, write: io.err });
  const shownProgress: Progress = { update: (ms) => progress.update(ms), clear: () => progress.clear() };
  const interrupts = watchInterrupts(toolkit.interruptible, shownProgress, io);
  const stopRequested = () => Atomics.load(interrupts.stop, 0) === 1;
  let stopped = false;
  try {
    for (const plan of plans) {
      const base = {
        file: plan.file,
        scenario: plan.scenario.name,
        strategy: plan.scenario.backend.balance,
        compared: [...plan.scenario.compare],
      };
      const startedAt = io.now();
      if (plan.expectations.length === 0) {
        reports.push({ ...base, seeds: [], status: "no expectations", checks: [] });
        wallMs.push(0);
        continue;
      }
      const done: Replication[] = [];
      const seeds: number[] = [];
      for (let r = 0; r < replications && !stopped; r++) {
        const runSeed = plan.baseSeed + r;
        let own: Results | undefined;
        const runs = new Map<string, Results>();
        for (const [index, { name, job }] of plan.jobs.entries()) {
          if (stopRequested()) {
            stopped = true;
            break;
          }
          const what = replications > 1 ? ` · replication ${r + 1}/${replications}` : "";
          const which = plan.jobs.length > 1 ? ` (${index + 1}/${plan.jobs.length})` : "";
          progress = createProgress({
            enabled: io.stderrIsTTY && !quiet,
            label: `lbsim check: ${plan.scenario.name} · ${name}${which}${what}`,
            durationMs: plan.scenario.durationMs,
            write: io.err,
          });
          const outcome = await toolkit.simulate(
            { ...job, seed: runSeed },
            { stop: interrupts.stop, onProgress: shownProgress.update, abort: interrupts.abort },
          );
          progress.clear();
          if (outcome.stopped) {
            stopped = true;
            break;
          }
          if (index === 0) own = outcome.results;
          runs.set(name, outcome.results);
        }
        if (stopped || own === undefined) break;
        done.push({ own, runs });
        seeds.push(runSeed);
      }
      wallMs.push(io.now() - startedAt);
      if (done.length === 0) {
        reports.push({ ...base, seeds: [], status: "interrupted", partial: true, checks: [] });
        break;
      }
      const checks = plan.expectations.map((e) => judge(e, done));
      reports.push({
        ...base,
        seeds,
        status: checks.every((c) => c.pass) ? "pass" : "fail",
        ...(done.length < replications ? { partial: true as const } : {}),
        checks,
      });
      if (stopped) break;
    }
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    io.err("lbsim: interrupted; nothing was written\n");
    return EXIT_INTERRUPTED;
  } finally {
    interrupts.unsubscribe();
    shownProgress.clear();
  }

  const notRun = plans.slice(reports.length);
  const report = summarize(reports, replications, stopped);
  const color = io.stdoutIsTTY && (io.env.NO_COLOR ?? "") === "";
  if (junit !== undefined) {
    writeFileAtomic(
      resolve(io.cwd, junit),
      renderJunit(report, { wallMs, notRun: notRun.map(describePlan) }),
    );
  }
  const text = `${JSON.stringify(report, null, 2)}\n`;
  let summaryShown = false;
  if (json === "-") {
    io.out(text);
  } else {
    if (json !== undefined) writeFileAtomic(resolve(io.cwd, json), text);
    if (!quiet) {
      io.out(renderSummary(report, { color, notRun: notRun.map((p) => p.file) }));
      summaryShown = true;
    }
  }
  if (!quiet) {
    if (json !== undefined && json !== "-") io.err(`lbsim: wrote the check to ${json}\n`);
    if (junit !== undefined) io.err(`lbsim: wrote the JUnit report to ${junit}\n`);
  }
  const failed = reports.flatMap((s) => s.checks.filter((c) => !c.pass).map((c) => ({ s, c })));
  if (failed.length > 0 && !summaryShown) {
    const list = failed.map(({ s, c }) => `${s.scenario}: ${c.name} (actual ${shownActual(c)})`).join("; ");
    io.err(`lbsim: ${failed.length} of ${report.totals.expectations} expectations failed: ${list}\n`);
  }
  if (stopped) return EXIT_INTERRUPTED;
  return failed.length > 0 ? 1 : 0;
}

function parseReplications(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_REPLICATIONS) {
    throw new UsageError(
      `--replications expects a whole number from 1 to ${formatCount(MAX_REPLICATIONS)}, got "${text}"`,
      "check",
    );
  }
  return n;
}

function issue(path: string, message: string, hint?: string, file = ""): InputIssue {
  return {
    code: "bad-value",
    file,
    line: 0,
    column: 0,
    path,
    message,
    ...(hint === undefined ? {} : { hint }),
  };
}

/** The scenario files named: files as given, folders as their *.yaml, *.yml and *.json files, sorted. */
function scenarioFiles(
  args: ReadonlyArray<string>,
  pkg: PackageInfo,
  cwd: string,
): Array<{ readonly file: string; readonly path: string }> {
  const found: Array<{ file: string; path: string }> = [];
  const issues: InputIssue[] = [];
  for (const arg of args) {
    const path = resolve(cwd, arg);
    if (existsSync(path) && statSync(path).isDirectory()) {
      const names = readdirSync(path)
        .filter((name) => SCENARIO_FILE.test(name) && statSync(join(path, name)).isFile())
        .sort();
      if (names.length === 0) {
        issues.push({
          ...issue("", "is a folder without scenario files (*.yaml, *.yml or *.json)"),
          code: "file-not-found",
          file: arg,
        });
      }
      for (const name of names) found.push({ file: join(arg, name), path: join(path, name) });
      continue;
    }
    try {
      checkScenarioFile(arg, path, pkg, cwd);
      found.push({ file: arg, path });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  // A file named twice (or by itself and by its folder) is checked once.
  return found.filter((f, i) => found.findIndex((g) => g.path === f.path) === i);
}

/**
 * Loads every scenario and checks its strategies and expectations before anything runs, so that a
 * bad file is reported at once (all of them, exit 2) rather than after minutes of simulation.
 */
function planAll(
  files: ReadonlyArray<{ readonly file: string; readonly path: string }>,
  toolkit: Toolkit,
  io: Io,
  seed: number | undefined,
  replications: number,
): Plan[] {
  const issues: InputIssue[] = [];
  const plans: Plan[] = [];
  for (const { file, path } of files) {
    let scenario: Scenario;
    try {
      scenario = toolkit.loadScenarioFile(file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
      continue;
    }
    const problems: InputIssue[] = [];
    const at = (where: string, message: string, hint?: string): void =>
      void problems.push({ ...issue(where, message, hint, file), code: "unknown-strategy" });
    const balance = scenario.backend.balance;
    const folder = dirname(path);
    const strategyFile = (name: string): StrategyFile | undefined =>
      strategyFileOf(name, folder, io.cwd, file);
    const ownFile = strategyFile(balance);
    if (ownFile === undefined && toolkit.resolveStrategy(balance) === undefined) {
      at("backend.balance", `unknown strategy "${balance}"`, strategyHint(balance, toolkit.strategyNames()));
    }
    const jobs: Array<{ name: string; job: Omit<SimulationJob, "seed"> }> = [
      {
        name: balance,
        job: {
          scenario,
          scenarioDir: folder,
          ...(ownFile === undefined ? {} : { strategyFile: ownFile }),
          deterministic: false,
        },
      },
    ];
    scenario.compare.forEach((name, index) => {
      if (scenario.compare.indexOf(name) < index) {
        problems.push(
          issue(
            `compare[${index}]`,
            `"${name}" is given twice; each strategy is compared once`,
            undefined,
            file,
          ),
        );
        return;
      }
      // The scenario's own strategy is run anyway: its run serves both.
      if (name === balance) return;
      const compared = strategyFile(name);
      if (compared === undefined && toolkit.resolveStrategy(name) === undefined) {
        at(`compare[${index}]`, `unknown strategy "${name}"`, strategyHint(name, toolkit.strategyNames()));
      }
      jobs.push({
        name,
        job: {
          scenario,
          scenarioDir: folder,
          strategy: name,
          ...(compared === undefined ? {} : { strategyFile: compared }),
          deterministic: false,
        },
      });
    });
    const expectations: Expectation[] = [];
    const known = new Set([balance, ...scenario.compare]);
    scenario.expect.forEach((line, index) => {
      const parsed = parseExpectation(line);
      if ("error" in parsed) {
        problems.push(issue(`expect[${index}]`, parsed.error, undefined, file));
        return;
      }
      const missing = strategiesOf(parsed).filter((name) => !known.has(name));
      if (missing.length > 0) {
        const names = [...new Set(missing)].map((m) => `"${m}"`).join(", ");
        problems.push(
          issue(
            `expect[${index}]`,
            `"${parsed.text}" names ${names}, which is neither backend.balance ("${balance}") nor in compare:`,
            `add ${missing.length === 1 ? "it" : "them"} to compare: so that lbsim runs ${missing.length === 1 ? "it" : "them"}`,
            file,
          ),
        );
        return;
      }
      expectations.push(parsed);
    });
    const baseSeed = seed ?? scenario.seed;
    if (baseSeed > Number.MAX_SAFE_INTEGER - (replications - 1)) {
      problems.push(
        issue(
          "seed",
          `seed ${baseSeed} with ${replications} replications goes past ${Number.MAX_SAFE_INTEGER}`,
          undefined,
          file,
        ),
      );
    }
    issues.push(...problems);
    if (problems.length === 0) plans.push({ file, path, scenario, expectations, jobs, baseSeed });
  }
  if (issues.length > 0) throw new InputError(issues);
  return plans;
}

function describePlan(plan: Plan): { readonly file: string; readonly scenario: string } {
  return { file: plan.file, scenario: plan.scenario.name };
}

function summarize(reports: ReadonlyArray<ScenarioCheck>, replications: number, stopped: boolean): CheckJson {
  const checks = reports.flatMap((r) => r.checks);
  const failed = checks.filter((c) => !c.pass).length;
  return {
    replications,
    ...(stopped ? { partial: true as const } : {}),
    passed: failed === 0 && !stopped,
    totals: {
      scenarios: reports.length,
      expectations: checks.length,
      passed: checks.length - failed,
      failed,
    },
    scenarios: reports,
  };
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
      lines.push(`  ${yellow("no expectations")} (nothing to check; not run)`, "");
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
    lines.push(`  ${runs}${seeds}${cut}`);
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
  return `${lines.join("\n")}\n`;
}
