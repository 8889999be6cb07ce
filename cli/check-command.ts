// `lbsim check`: the expectations of many scenarios, with replications (mean and 95% CI), a summary, JSON and JUnit.
import { resolve } from "node:path";
import { InputError } from "../errors/index.js";
import { checkAnnotations, formatAnnotation, inGithubActions } from "./annotations.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import { briefRegression } from "./baseline-render.js";
import { baselineOptions, compareReports, loadBaseline, writeBaseline } from "./check-baseline.js";
import { describePlan, issue, planAll, scenarioFiles } from "./check-plan.js";
import { renderSummary, summarize } from "./check-report.js";
import { runChecks } from "./check-run.js";
import type { Io, PackageInfo, Toolkit } from "./context.js";
import { renderJunit, shownActual } from "./junit.js";
import { writeFileAtomic } from "./output.js";
import { parseReplicationsChoice, unsettledWarning } from "./replications-auto.js";
import { checkChartFolders, reportOutputs, wantsReport, writeReportOutputs } from "./report-output.js";
import { checkOutputs, EXIT_INTERRUPTED } from "./run-command.js";
import { CHECK_OPTIONS, checkHelp } from "./usage.js";

export { type CheckedExpectation, judge, type Replication } from "./check-judge.js";
export { MAX_REPLICATIONS } from "./check-plan.js";
export { type CheckJson, renderSummary, type ScenarioCheck, type ScenarioStatus } from "./check-report.js";
export { confidenceInterval95, type Interval, mean, tQuantile95 } from "./check-stats.js";

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
  const choice = parseReplicationsChoice(
    {
      replications: parsed.values.get("replications"),
      precision: parsed.values.get("precision"),
      max: parsed.values.get("max"),
    },
    "check",
  );
  const auto = choice.kind === "auto" ? choice : undefined;
  // With auto, its --max bounds the seeds (and what the run labels count up to).
  const replications = choice.kind === "auto" ? choice.max : choice.count;
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
  const baseline = baselineOptions(parsed.values, parsed.flags);
  const written = baseline.update ? baseline.file : undefined;
  const outputs = reportOutputs(parsed.values, "check");

  const files = scenarioFiles(parsed.positionals, pkg, io.cwd, { readStdin: io.readStdin, note: io.err });
  checkOutputs(
    [
      ["--json", json],
      ["--junit", junit],
      ["--baseline", written],
      ["--report", outputs.report],
    ],
    "",
    io.cwd,
  );
  checkChartFolders(outputs, io.cwd);
  const outputFiles = [json, junit, written, outputs.report].filter(
    (o): o is string => o !== undefined && o !== "-",
  );
  for (const output of outputFiles) {
    const clash = files.find((f) => f.path === resolve(io.cwd, output));
    if (clash !== undefined) {
      throw InputError.one(issue("", `cannot write "${output}": it is the scenario file ${clash.file}`));
    }
  }
  const plans = planAll(files, toolkit, io, seed, replications);
  const stored = loadBaseline(baseline, io.cwd);

  // Replication after replication, each running the scenario's own strategy and then the compared ones.
  const figuresWanted = baseline.file !== undefined;
  const keepRuns = wantsReport(outputs);
  const run = await runChecks(
    plans,
    { replications, ...(auto === undefined ? {} : { auto }), quiet, figuresWanted, keepRuns },
    toolkit,
    io,
  );
  if (run === undefined) return EXIT_INTERRUPTED;
  const { reports, wallMs, stopped } = run;

  const notRun = plans.slice(reports.length);
  const compared = stored === undefined ? undefined : compareReports(reports, plans, stored, baseline);
  const report = summarize(reports, replications, stopped, compared, auto);
  if (auto !== undefined) {
    for (const s of reports) {
      const unsettled = s.replicationsAuto?.unsettled;
      if (unsettled !== undefined)
        io.err(`lbsim check: warning: ${unsettledWarning(s.scenario, auto, unsettled)}\n`);
    }
  }
  writeBaseline(report, baseline, io, quiet);
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
  // Per scenario, in the check's order: every strategy's Results of every replication.
  const scenarios = reports.map((_, i) => ({
    runs: run.runs[i] ?? {},
    description: plans[i]?.scenario.description,
  }));
  await writeReportOutputs(
    outputs,
    (viz) => viz.checkView({ check: report, scenarios }, `lbsim ${pkg.version}`),
    { partial: stopped, quiet },
    io,
  );
  const failed = reports.flatMap((s) => s.checks.filter((c) => !c.pass).map((c) => ({ s, c })));
  if (failed.length > 0 && !summaryShown) {
    const list = failed.map(({ s, c }) => `${s.scenario}: ${c.name} (actual ${shownActual(c)})`).join("; ");
    io.err(`lbsim: ${failed.length} of ${report.totals.expectations} expectations failed: ${list}\n`);
  }
  const regressions = compared?.regressions ?? [];
  if (regressions.length > 0 && !summaryShown) {
    const list = regressions.map((r) => `${r.scenario}: ${briefRegression(r)}`).join("; ");
    const n = regressions.length;
    io.err(`lbsim: ${n} figure${n === 1 ? "" : "s"} got worse than the baseline ${baseline.file}: ${list}\n`);
  }
  if (inGithubActions(io.env)) for (const a of checkAnnotations(report, io.cwd)) io.err(formatAnnotation(a));
  if (stopped) return EXIT_INTERRUPTED;
  return failed.length > 0 || regressions.length > 0 ? 1 : 0;
}
