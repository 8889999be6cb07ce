// `lbsim compare`: every strategy on the same request stream, seed after seed, side by side, with the expectations.
import { resolve } from "node:path";
import { checkExpectations, type Expectation, strategiesOf } from "../sim/expectations.js";
import type { CheckResult, Results } from "../sim/index.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import { judge, type Replication } from "./check-judge.js";
import { checkBackend, scopeLine } from "./compare-backend.js";
import { type ComparisonJson, comparisonRows } from "./compare-json.js";
import { planJobs, splitExpectations, splitStrategies } from "./compare-plan.js";
import { runComparison } from "./compare-run.js";
import { renderCompareTable } from "./compare-table.js";
import type { Io, PackageInfo, Toolkit } from "./context.js";
import { failedActual } from "./junit.js";
import { writeFileAtomic } from "./output.js";
import { parseReplicationsChoice, unsettledWarning } from "./replications-auto.js";
import { compareSeries } from "./replications-auto-compare.js";
import { checkChartFolders, reportOutputs, writeReportOutputs } from "./report-output.js";
import { checkOutputs, checkScenarioFile, EXIT_INTERRUPTED } from "./run-command.js";
import { scenarioNamed } from "./stdin.js";
import { COMPARE_OPTIONS, compareHelp } from "./usage.js";

export type { ComparisonJson, ComparisonRow } from "./compare-json.js";
export { splitExpectations, splitStrategies } from "./compare-plan.js";

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
  const [givenArg, ...extra] = parsed.positionals;
  if (givenArg === undefined) {
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
  const choice = parseReplicationsChoice(
    {
      replications: parsed.values.get("replications"),
      precision: parsed.values.get("precision"),
      max: parsed.values.get("max"),
    },
    "compare",
  );
  const auto = choice.kind === "auto" ? choice : undefined;
  // With auto, its --max bounds the seeds; the JSON says the number used.
  const asked = choice.kind === "auto" ? choice.max : choice.count;
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? undefined : parseSeed(seedText, "compare");
  const json = parsed.values.get("json");
  const quiet = parsed.flags.has("quiet");
  const backend = parsed.values.get("backend");
  const strategiesText = parsed.values.get("strategies");
  const fromOption = strategiesText === undefined ? undefined : splitStrategies(strategiesText);
  // `-`: the scenario is standard input, named <stdin> (cli/stdin.ts).
  const { file: scenarioArg, fromStdin } = scenarioNamed(givenArg, io.cwd);
  const scenarioPath = resolve(io.cwd, scenarioArg);
  const outputs = reportOutputs(parsed.values, "compare");
  checkOutputs(
    [
      ["--json", json],
      ["--report", outputs.report],
    ],
    scenarioPath,
    io.cwd,
  );
  checkChartFolders(outputs, io.cwd);

  if (!fromStdin) checkScenarioFile(scenarioArg, scenarioPath, pkg, io.cwd);
  const scenario = toolkit.loadScenarioFile(scenarioArg, {
    force: parsed.flags.has("force"),
    warn: (message) => io.err(`${message}\n`),
    ...(fromStdin ? { text: io.readStdin() } : {}),
  });
  if (backend !== undefined) checkBackend(backend, scenario, scenarioArg);
  const baseSeed = seed ?? scenario.seed;
  if (baseSeed > Number.MAX_SAFE_INTEGER - (asked - 1)) {
    throw new UsageError(
      `seed ${baseSeed} with ${asked} replications goes past ${Number.MAX_SAFE_INTEGER}`,
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
  const { perRun, across } = splitExpectations(scenario.expectations);
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
    {
      baseSeed,
      replications: asked,
      ...(auto === undefined
        ? {}
        : { auto: { plan: auto, judged: (complete) => compareSeries(complete, strategies) } }),
      quiet,
      scenario: scenario.name,
      durationMs: scenario.durationMs,
    },
    toolkit,
    io,
  );
  if (run === undefined) return EXIT_INTERRUPTED;
  const { stopped, settled } = run;
  // With auto, the replications used (what `--replications <used>` would have asked for).
  const replications = settled?.used ?? asked;
  if (auto !== undefined && settled?.unsettled !== undefined) {
    io.err(`lbsim compare: warning: ${unsettledWarning(scenario.name, auto, settled.unsettled)}\n`);
  }
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
    ...(auto === undefined || settled === undefined
      ? {}
      : {
          replicationsAuto: {
            precision: auto.precision,
            min: auto.min,
            max: auto.max,
            used: settled.used,
            settled: settled.unsettled === undefined,
            ...(settled.unsettled === undefined ? {} : { unsettled: settled.unsettled }),
          },
        }),
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
          stopped: stopped ? { cut, notRun, replications, complete: completeCount } : undefined,
        }),
      );
      tableShown = true;
      const used = comparison.replicationsAuto;
      if (used !== undefined) io.out(`${autoLine(used)}\n`);
    }
    if (json !== undefined && !quiet) io.err(`lbsim: wrote the comparison to ${json}\n`);
  }
  // Every replication's Results, per strategy: the report draws the means and their bands.
  await writeReportOutputs(
    outputs,
    (viz) =>
      viz.compareView(
        { comparison, replications: replicated, file: scenarioArg, description: scenario.description },
        `lbsim ${pkg.version}`,
      ),
    { partial: stopped, quiet },
    io,
  );

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

/** The line under the table with `--replications auto`: how many replications, and whether they settled. */
function autoLine(auto: NonNullable<ComparisonJson["replicationsAuto"]>): string {
  const percent = `${Number((auto.precision * 100).toPrecision(3))}%`;
  return auto.settled
    ? `Replications: auto, ${auto.used} used (every ranked row's 95% half-width within ${percent} of its mean).`
    : `Replications: auto, --max ${auto.max} reached: ${auto.unsettled?.metric ?? "a row"} not within ${percent}.`;
}
