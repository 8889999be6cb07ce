// `lbsim compare`: every strategy on the same request stream, seed after seed, side by side, with the expectations.
import { dirname, resolve } from "node:path";
import { InputError, type InputIssue, type Scenario } from "../scenarios/index.js";
import { checkExpectations, type Expectation, parseExpectation, strategiesOf } from "../sim/expectations.js";
import type { CheckResult, Results } from "../sim/index.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import { judge, type Replication } from "./check-judge.js";
import { parseReplications } from "./check-plan.js";
import { checkBackend, scopeLine, withBalance } from "./compare-backend.js";
import { type ComparisonJson, comparisonRows } from "./compare-json.js";
import { runComparison } from "./compare-run.js";
import { renderCompareTable } from "./compare-table.js";
import type { Io, PackageInfo, SimulationJob, StrategyFile, Toolkit } from "./context.js";
import { failedActual } from "./junit.js";
import { writeFileAtomic } from "./output.js";
import { checkBalances, checkOutputs, checkScenarioFile, EXIT_INTERRUPTED } from "./run-command.js";
import { jobStrategyFiles, strategyFileOf } from "./simulate.js";
import { strategyHint } from "./suggest.js";
import { COMPARE_OPTIONS, compareHelp } from "./usage.js";

export type { ComparisonJson, ComparisonRow } from "./compare-json.js";

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
  const replicationsText = parsed.values.get("replications");
  const replications = replicationsText === undefined ? 1 : replicationsOf(replicationsText);
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? undefined : parseSeed(seedText, "compare");
  const json = parsed.values.get("json");
  const quiet = parsed.flags.has("quiet");
  const backend = parsed.values.get("backend");
  const strategiesText = parsed.values.get("strategies");
  const fromOption = strategiesText === undefined ? undefined : splitStrategies(strategiesText);
  const scenarioPath = resolve(io.cwd, scenarioArg);
  checkOutputs([["--json", json]], scenarioPath, io.cwd);

  checkScenarioFile(scenarioArg, scenarioPath, pkg, io.cwd);
  const scenario = toolkit.loadScenarioFile(scenarioArg, {
    force: parsed.flags.has("force"),
    warn: (message) => io.err(`${message}\n`),
  });
  if (backend !== undefined) checkBackend(backend, scenario, scenarioArg);
  const baseSeed = seed ?? scenario.seed;
  if (baseSeed > Number.MAX_SAFE_INTEGER - (replications - 1)) {
    throw new UsageError(
      `seed ${baseSeed} with ${replications} replications goes past ${Number.MAX_SAFE_INTEGER}`,
      "compare",
    );
  }
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
      deterministic: parsed.flags.has("deterministic"),
      backend,
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

  const run = await runComparison(
    jobs,
    { baseSeed, replications, quiet, scenario: scenario.name, durationMs: scenario.durationMs },
    toolkit,
    io,
  );
  if (run === undefined) return EXIT_INTERRUPTED;
  const { stopped } = run;
  const completeCount = run.complete[0]?.length ?? 0;
  // The figures are the complete replications'; a first one cut short shows what it simulated.
  const replicated =
    completeCount > 0
      ? run.complete
      : run.cut.map((o) => [{ ...o.results, ...(o.stopped ? { partial: true } : {}) }]);
  const stoppedOutcome = completeCount > 0 ? undefined : run.cut.find((o) => o.stopped);
  const ran = strategies.slice(0, replicated.length);
  const firstRuns = replicated.map((list) => list[0] as Results);
  const byName = new Map(firstRuns.map((r, i) => [ran[i] ?? r.strategy, r]));
  const runs = firstRuns.map(
    (r, i): Results => ({ ...r, checks: checkExpectations(perRun, byName, byName.get(ran[i] ?? "") ?? r) }),
  );
  const first = runs[0];
  const crossChecks = first === undefined ? [] : checkExpectations(across, byName, first);

  // Judged on the means over the seeds, as `lbsim check` does (on one run: that run's figures).
  const replicas = (own: number): Replication[] =>
    (replicated[0] ?? []).map((_, r) => ({
      own: replicated[own]?.[r] as Results,
      runs: new Map(ran.map((name, s) => [name, replicated[s]?.[r] as Results])),
    }));
  const judgeAll = (lines: ReadonlyArray<Expectation>, shown: ReadonlyArray<CheckResult>, own: number) =>
    lines.filter((e) => shown.some((c) => c.name === e.text)).map((e) => judge(e, replicas(own)));
  const meanChecks = runs.map((r, i) => judgeAll(perRun, r.checks, i));
  const meanCross = judgeAll(across, crossChecks, 0);

  const comparison: ComparisonJson = {
    scenario: scenario.name,
    seed: first?.seed ?? baseSeed,
    ...(stopped ? { partial: true as const } : {}),
    runs,
    checks: crossChecks,
    replications,
    seeds: (replicated[0] ?? []).map((r) => r.seed),
    strategies,
    ...(backend === undefined ? {} : { backend }),
    rows: comparisonRows(replicated, strategies),
    ...(replications > 1
      ? {
          meanChecks: {
            runs: meanChecks.map((checks, i) => ({ strategy: ran[i] ?? "", checks })),
            checks: meanCross,
          },
        }
      : {}),
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
          : { strategy: ran[run.cut.indexOf(stoppedOutcome)] ?? "", atMs: stoppedOutcome.reachedMs };
      const notRun = strategies.slice(replicated.length);
      const scope = scopeLine(scenario, backend);
      io.out(
        renderCompareTable(runs, {
          color,
          crossChecks: meanCross,
          checks: meanChecks,
          replicated,
          titles: ran,
          ...(scope === undefined ? {} : { scope }),
          stopped: stopped ? { cut, notRun, replications } : undefined,
        }),
      );
      tableShown = true;
    }
    if (json !== undefined && !quiet) io.err(`lbsim: wrote the comparison to ${json}\n`);
  }

  const failed = [
    ...meanChecks.flatMap((checks, i) =>
      checks.filter((c) => !c.pass).map((c) => ({ check: c, of: ran[i] })),
    ),
    ...meanCross.filter((c) => !c.pass).map((c) => ({ check: c, of: undefined })),
  ];
  if (failed.length > 0 && !tableShown) {
    const total = meanChecks.reduce((n, checks) => n + checks.length, meanCross.length);
    const list = failed
      .map(({ check, of }) => {
        const actual = `actual ${failedActual(check)}`;
        return of === undefined ? `${check.name} (${actual})` : `${check.name} (${of}: ${actual})`;
      })
      .join("; ");
    io.err(`lbsim: ${failed.length} of ${total} expectations failed: ${list}\n`);
  }
  if (stopped) return EXIT_INTERRUPTED;
  return failed.length > 0 ? 1 : 0;
}

/** `--replications` as `lbsim check` reads it (same range, same message), reported as compare's. */
function replicationsOf(text: string): number {
  try {
    return parseReplications(text);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, "compare");
    throw error;
  }
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
 * With `backend`, the strategy replaces that backend's `balance` only; the others keep theirs.
 */
function planJobs(
  strategies: ReadonlyArray<string>,
  fromOption: boolean,
  scenario: Scenario,
  scenarioArg: string,
  scenarioPath: string,
  io: Io,
  toolkit: Toolkit,
  run: { readonly deterministic: boolean; readonly backend: string | undefined },
): Array<SimulationJob & { readonly label: string }> {
  const issues: InputIssue[] = [];
  const where = (index: number) =>
    fromOption ? { file: "", path: "--strategies" } : { file: scenarioArg, path: `compare[${index}]` };
  // The other backends' own balance, when one backend is compared: their files, their unknown names.
  const others = (() => {
    if (run.backend === undefined) return { files: [] as StrategyFile[] };
    const rest = (scenario.backends ?? [scenario.backend]).filter((b) => b.name !== run.backend);
    const kept = { ...scenario, backends: rest, ...(rest[0] === undefined ? {} : { backend: rest[0] }) };
    const own = checkBalances(kept, scenarioArg, dirname(scenarioPath), io.cwd, toolkit);
    issues.push(...own.issues);
    return { files: own.files };
  })();
  const jobs = strategies.map((name, index) => {
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
      issues.push({
        code: "unknown-strategy",
        line: 0,
        column: 0,
        ...where(index),
        message: `unknown strategy "${name}"`,
        hint: strategyHint(name, toolkit.strategyNames()),
      });
    }
    const common = { scenarioDir: dirname(scenarioPath), deterministic: run.deterministic, label: name };
    if (run.backend !== undefined) {
      const files = [
        ...others.files.filter((f) => f.name !== name),
        ...(strategyFile === undefined ? [] : [strategyFile]),
      ];
      return { ...common, scenario: withBalance(scenario, run.backend, name), ...jobStrategyFiles(files) };
    }
    return {
      ...common,
      scenario,
      strategy: name,
      ...(strategyFile === undefined ? {} : { strategyFile }),
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
