// `lbsim compare`: one run per strategy on the same request stream, side by side, with the expectations.
import { dirname, resolve } from "node:path";
import { InputError, type InputIssue, placeIssue, type Scenario } from "../scenarios/index.js";
import { checkExpectations, type Expectation, parseExpectation, strategiesOf } from "../sim/expectations.js";
import type { CheckResult, Results } from "../sim/index.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import { renderCompareTable } from "./compare-table.js";
import {
  AbortedError,
  type Io,
  type PackageInfo,
  type SimulationJob,
  type SimulationOutcome,
  type Toolkit,
} from "./context.js";
import { writeFileAtomic } from "./output.js";
import { createProgress, type Progress } from "./progress.js";
import { checkOutputs, checkScenarioFile, EXIT_INTERRUPTED, watchInterrupts } from "./run-command.js";
import { strategyFileOf } from "./simulate.js";
import { strategyHint } from "./suggest.js";
import { formatActual } from "./table.js";
import { COMPARE_OPTIONS, compareHelp } from "./usage.js";

/** `lbsim compare --json`: the comparison as one JSON document (README "Comparison JSON"). */
export interface ComparisonJson {
  readonly scenario: string;
  readonly seed: number;
  /** Present (true) only when Ctrl-C stopped the comparison. */
  readonly partial?: true;
  /** One Results per strategy, in the order given; `checks` holds the per-run expectations. */
  readonly runs: ReadonlyArray<Results>;
  /** Expectations that name strategies only (`leastconn.p99 < roundrobin.p99`), checked once. */
  readonly checks: ReadonlyArray<CheckResult>;
}

export async function compareCommand(
  args: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  const parsed = parseArgs(args, COMPARE_OPTIONS, "compare");
  if (parsed.flags.has("help")) {
    io.out(compareHelp());
    return 0;
  }
  const [scenarioArg, ...extra] = parsed.positionals;
  if (scenarioArg === undefined) {
    throw new UsageError("missing the scenario file: lbsim compare <scenario> --strategies A,B", "compare");
  }
  if (extra.length > 0) {
    // `--strategies roundrobin,url_param id` unquoted leaves "id" behind.
    const more = parsed.values.has("strategies")
      ? ' (quote a list with spaces: --strategies "roundrobin,url_param id")'
      : "";
    throw new UsageError(
      `compare takes one scenario file, but got ${parsed.positionals.length}${more}`,
      "compare",
    );
  }
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? undefined : parseSeed(seedText, "compare");
  const json = parsed.values.get("json");
  const quiet = parsed.flags.has("quiet");
  const strategiesText = parsed.values.get("strategies");
  const fromOption = strategiesText === undefined ? undefined : splitStrategies(strategiesText);
  const scenarioPath = resolve(io.cwd, scenarioArg);
  checkOutputs([["--json", json]], scenarioPath, io.cwd);

  checkScenarioFile(scenarioArg, scenarioPath, pkg, io.cwd);
  const scenario = toolkit.loadScenarioFile(scenarioArg, {
    force: parsed.flags.has("force"),
    warn: (message) => io.err(`${message}\n`),
  });
  const strategies = fromOption ?? [...scenario.compare];
  if (strategies.length === 0) {
    throw new UsageError(
      `no strategies to compare: give --strategies roundrobin,leastconn or a compare: list in ${scenarioArg}`,
      "compare",
    );
  }
  const jobs = planJobs(
    strategies,
    fromOption !== undefined,
    scenario,
    scenarioArg,
    scenarioPath,
    io,
    toolkit,
    {
      seed,
      deterministic: parsed.flags.has("deterministic"),
    },
  );
  const { perRun, across } = splitExpectations(scenario.expect);
  if (!quiet) {
    for (const e of across) {
      const missing = strategiesOf(e).filter((name) => !strategies.includes(name));
      if (missing.length > 0) {
        io.err(
          `lbsim: expectation "${e.text}" is not checked: ${missing.map((m) => `"${m}"`).join(", ")} ` +
            `${missing.length === 1 ? "is" : "are"} not among the compared strategies\n`,
        );
      }
    }
  }

  // One run per strategy, one after the other, each in its worker thread when there is one.
  const outcomes: SimulationOutcome[] = [];
  let progress: Progress = createProgress({ enabled: false, label: "", durationMs: 0, write: io.err });
  const shownProgress: Progress = { update: (ms) => progress.update(ms), clear: () => progress.clear() };
  const interrupts = watchInterrupts(toolkit.interruptible, shownProgress, io);
  try {
    for (const [index, job] of jobs.entries()) {
      if (Atomics.load(interrupts.stop, 0) === 1) break;
      progress = createProgress({
        enabled: io.stderrIsTTY && !quiet,
        label: `lbsim: ${scenario.name} · ${job.strategy} (${index + 1}/${jobs.length})`,
        durationMs: scenario.durationMs,
        write: io.err,
      });
      const outcome = await toolkit.simulate(job, {
        stop: interrupts.stop,
        onProgress: shownProgress.update,
        abort: interrupts.abort,
      });
      progress.clear();
      outcomes.push(outcome);
      if (outcome.stopped) break;
    }
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    io.err("lbsim: interrupted; nothing was written\n");
    return EXIT_INTERRUPTED;
  } finally {
    interrupts.unsubscribe();
    shownProgress.clear();
  }

  const stoppedOutcome = outcomes.find((o) => o.stopped);
  const stopped = stoppedOutcome !== undefined || outcomes.length < jobs.length;
  const byName = new Map(outcomes.map((o, i) => [strategies[i] ?? o.results.strategy, o.results]));
  const runs = outcomes.map((o, i): Results => {
    const own = byName.get(strategies[i] ?? "") ?? o.results;
    return {
      ...o.results,
      ...(o.stopped ? { partial: true } : {}),
      checks: checkExpectations(perRun, byName, own),
    };
  });
  const first = runs[0];
  const crossChecks = first === undefined ? [] : checkExpectations(across, byName, first);
  const comparison: ComparisonJson = {
    scenario: scenario.name,
    seed: first?.seed ?? seed ?? scenario.seed,
    ...(stopped ? { partial: true as const } : {}),
    runs,
    checks: crossChecks,
  };

  let tableShown = false;
  const text = `${JSON.stringify(comparison, null, 2)}\n`;
  if (json === "-") {
    io.out(text);
  } else {
    if (json !== undefined) writeFileAtomic(resolve(io.cwd, json), text);
    if (!quiet) {
      const color = io.stdoutIsTTY && (io.env.NO_COLOR ?? "") === "";
      const cut =
        stoppedOutcome === undefined
          ? undefined
          : { strategy: stoppedOutcome.results.strategy, atMs: stoppedOutcome.reachedMs };
      const notRun = strategies.slice(outcomes.length);
      io.out(
        renderCompareTable(runs, { color, crossChecks, stopped: stopped ? { cut, notRun } : undefined }),
      );
      tableShown = true;
    }
    if (json !== undefined && !quiet) io.err(`lbsim: wrote the comparison to ${json}\n`);
  }

  const failed = [
    ...runs.flatMap((r) => r.checks.filter((c) => !c.pass).map((c) => ({ check: c, of: r.strategy }))),
    ...crossChecks.filter((c) => !c.pass).map((c) => ({ check: c, of: undefined })),
  ];
  if (failed.length > 0 && !tableShown) {
    const total = runs.reduce((n, r) => n + r.checks.length, crossChecks.length);
    const list = failed
      .map(({ check, of }) => {
        const actual = `actual ${formatActual(check.name, check.actual)}`;
        return of === undefined ? `${check.name} (${actual})` : `${check.name} (${of}: ${actual})`;
      })
      .join("; ");
    io.err(`lbsim: ${failed.length} of ${total} expectations failed: ${list}\n`);
  }
  if (stopped) return EXIT_INTERRUPTED;
  return failed.length > 0 ? 1 : 0;
}

/**
 * `roundrobin,random(2),url_param id` → its names. Commas inside parentheses do not split
 * (`hdr(x,y)`), and spaces around a name are dropped; an empty name is an error.
 */
export function splitStrategies(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    else if (char === ")") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      names.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  names.push(current.trim());
  if (names.some((name) => name === "")) {
    throw new UsageError(
      `--strategies has an empty name in "${text}"; expected names separated by commas, e.g. roundrobin,leastconn`,
      "compare",
    );
  }
  return names;
}

/**
 * One job per strategy, every name checked before anything runs: an unknown one is bad input
 * (exit 2) with a suggestion, as in `lbsim run`. A strategy file is loaded by the simulating thread.
 */
function planJobs(
  strategies: ReadonlyArray<string>,
  fromOption: boolean,
  scenario: Scenario,
  scenarioArg: string,
  scenarioPath: string,
  io: Io,
  toolkit: Toolkit,
  run: { readonly seed: number | undefined; readonly deterministic: boolean },
): SimulationJob[] {
  const issues: InputIssue[] = [];
  const where = (index: number) =>
    fromOption ? { file: "", path: "--strategies" } : { file: scenarioArg, path: `compare[${index}]` };
  const jobs = strategies.map((name, index): SimulationJob => {
    const earlier = strategies.indexOf(name);
    if (earlier < index) {
      issues.push({
        code: "bad-value",
        line: 0,
        column: 0,
        ...where(index),
        message: `"${name}" is given twice; each strategy is compared once`,
      });
    }
    const strategyFile = fromOption
      ? strategyFileOf(name, io.cwd, io.cwd)
      : strategyFileOf(name, dirname(scenarioPath), io.cwd, scenarioArg);
    if (strategyFile === undefined && toolkit.resolveStrategy(name) === undefined) {
      issues.push(
        placeIssue(scenario, {
          code: "unknown-strategy",
          line: 0,
          column: 0,
          ...where(index),
          message: `unknown strategy "${name}"`,
          hint: strategyHint(name, toolkit.strategyNames()),
        }),
      );
    }
    return {
      scenario,
      scenarioDir: dirname(scenarioPath),
      strategy: name,
      ...(strategyFile === undefined ? {} : { strategyFile }),
      seed: run.seed,
      deterministic: run.deterministic,
    };
  });
  if (issues.length > 0) throw new InputError(issues);
  return jobs;
}

/**
 * `expect:` lines with a metric of no strategy (`p99 < 300ms`, `leastconn.p99 < p99`) are checked
 * against every run; lines whose every metric names a strategy are checked once, across the runs.
 */
export function splitExpectations(lines: ReadonlyArray<string>): {
  readonly perRun: Expectation[];
  readonly across: Expectation[];
} {
  const perRun: Expectation[] = [];
  const across: Expectation[] = [];
  for (const line of lines) {
    const parsed = parseExpectation(line);
    // The loader has checked every line; one that does not parse cannot be judged here either.
    if ("error" in parsed) continue;
    const operands =
      parsed.op === "in" ? [parsed.left, parsed.low, parsed.high] : [parsed.left, parsed.right];
    const unprefixed = operands.some((o) => o.kind === "metric" && o.strategy === null);
    (unprefixed ? perRun : across).push(parsed);
  }
  return { perRun, across };
}
