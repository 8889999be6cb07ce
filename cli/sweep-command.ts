// `lbsim sweep`: a grid of scenario variants × strategies × replications on the pool, as a table, CSV and JSON.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeText } from "../scenarios/node.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import { splitStrategies } from "./compare-plan.js";
import type { Io, PackageInfo, Toolkit } from "./context.js";
import { formatCount } from "./format.js";
import { defaultWorkers, openPool } from "./pool.js";
import { type AutoReplications, parseReplicationsChoice, unsettledWarning } from "./replications-auto.js";
import { checkOutputs, checkScenarioFile, EXIT_INTERRUPTED } from "./run-command.js";
import { scenarioNamed } from "./stdin.js";
import { autoSweepJson, runSweepAuto } from "./sweep-auto.js";
import { type SweepJson, sweepJson } from "./sweep-output.js";
import { describeGrid, planSweep, plural } from "./sweep-plan.js";
import { sweepReportOption, writeSweepReport } from "./sweep-report.js";
import { runSweep } from "./sweep-run.js";
import { describeShard, shardOption, shardTasks, writeShard } from "./sweep-shard.js";
import { checkSweepTargets, writeSweepOutputs } from "./sweep-write.js";
import { SWEEP_OPTIONS, sweepHelp } from "./usage.js";

/** More threads than this is a typo: no machine lbsim runs on has that many cores for one sweep. */
const MAX_WORKERS = 1024;

export async function sweepCommand(
  args: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  const { sets, rest } = takeSets(args);
  const parsed = parseArgs(
    rest,
    SWEEP_OPTIONS.filter((o) => o.name !== "set"),
    "sweep",
  );
  if (parsed.flags.has("help")) {
    io.out(sweepHelp());
    return 0;
  }
  const [givenArg, ...extra] = parsed.positionals;
  if (givenArg === undefined) {
    throw new UsageError("missing the scenario file: lbsim sweep <scenario> --set path=values", "sweep");
  }
  if (extra.length > 0) {
    throw new UsageError(`sweep takes one scenario file, but got ${parsed.positionals.length}`, "sweep");
  }
  const report = sweepReportOption(parsed.values.get("report"), "sweep", parsed.values.has("shard"));
  // Before --replications is read: a shard refuses `auto`, whose count is decided while running.
  const shard = shardOption(parsed.values.get("shard"), io.env, {
    json: parsed.values.get("json"),
    csv: parsed.values.get("csv"),
    replications: parsed.values.get("replications"),
  });
  const choice = parseReplicationsChoice(
    {
      replications: parsed.values.get("replications"),
      precision: parsed.values.get("precision"),
      max: parsed.values.get("max"),
    },
    "sweep",
  );
  const auto = choice.kind === "auto" ? choice : undefined;
  // With auto the plan is that of --replications <max>: the most it may run (and what --force judges).
  const replications = choice.kind === "auto" ? choice.max : choice.count;
  const workers = integerOption(parsed.values.get("workers"), defaultWorkers(), parseWorkers);
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? undefined : parseSeed(seedText, "sweep");
  const strategiesText = parsed.values.get("strategies");
  const json = parsed.values.get("json");
  const csv = parsed.values.get("csv");
  const quiet = parsed.flags.has("quiet");
  checkSweepTargets({ json, csv, quiet }, "sweep");
  const { file: scenarioArg, fromStdin } = scenarioNamed(givenArg, io.cwd);
  const scenarioPath = resolve(io.cwd, scenarioArg);
  checkOutputs(
    [
      ["--json", json === "-" ? undefined : json],
      ["--csv", csv],
      ["--report", report],
    ],
    scenarioPath,
    io.cwd,
  );
  if (!fromStdin) checkScenarioFile(scenarioArg, scenarioPath, pkg, io.cwd);
  const text = fromStdin ? io.readStdin() : readScenarioText(scenarioPath, scenarioArg);

  const plan = planSweep(
    {
      scenarioArg,
      scenarioPath,
      text,
      sets,
      strategies: strategiesText === undefined ? undefined : renamed(() => splitStrategies(strategiesText)),
      backend: parsed.values.get("backend"),
      replications,
      seed,
      deterministic: true,
      force: parsed.flags.has("force"),
    },
    toolkit,
    io,
  );
  const tasks = shard === undefined ? undefined : shardTasks(plan.totalRuns, shard);
  const pool = await openPool(toolkit, Math.max(1, Math.min(workers, tasks?.length ?? plan.totalRuns)));
  if (!quiet) {
    const grid =
      auto === undefined
        ? describeGrid(plan)
        : `${plural(plan.points.length, "point")} × ${plural(plan.strategies.length, "strategy", "strategies")} × replications auto (${auto.min} to ${auto.max} per row, at most ${plural(plan.totalRuns, "run")})`;
    const slice = shard === undefined ? "" : `, ${describeShard(shard, tasks ?? [], plan.totalRuns)}`;
    io.err(`lbsim sweep: ${grid}${slice} on ${plural(pool.workers, "worker")}\n`);
  }
  let run: Awaited<ReturnType<typeof runSweep>>;
  let autoRun: Awaited<ReturnType<typeof runSweepAuto>>;
  const runOptions = { quiet, interruptible: toolkit.createPool !== undefined || toolkit.interruptible };
  try {
    if (auto === undefined) run = await runSweep(plan, pool, { ...runOptions, tasks }, io);
    else run = autoRun = await runSweepAuto(plan, auto, pool, runOptions, io);
  } finally {
    await pool.close();
  }
  if (run === undefined) return EXIT_INTERRUPTED;

  const [first] = plan.points;
  if (shard !== undefined && json !== undefined) {
    const request = { text, scenarioArg, sets, backend: parsed.values.get("backend"), seed };
    return writeShard(
      { plan, run, shard, tasks: tasks ?? [], request, json, quiet, version: pkg.version },
      io,
    );
  }
  const fixedOutput = sweepJson(plan, run, {
    scenario: first?.scenario.name ?? "",
    file: scenarioArg,
    version: pkg.version,
  });
  const output =
    auto === undefined || autoRun === undefined ? fixedOutput : autoSweepJson(fixedOutput, auto, autoRun);
  if (auto !== undefined) warnUnsettled(output, auto, io);
  writeSweepOutputs(output, { json, csv, quiet }, io);
  await writeSweepReport(
    output,
    plan.points.map((p) => p.baseSeed),
    report,
    quiet,
    io,
  );
  if (run.stopped) {
    io.err(
      `lbsim sweep: stopped by Ctrl-C; ${formatCount(output.runs.missing)} of ${formatCount(output.runs.total)} runs missing (rows with "complete": false)\n`,
    );
    return EXIT_INTERRUPTED;
  }
  return 0;
}

/** `--set` may be given many times (parseArgs takes each option once): taken out first, in order. */
export function takeSets(args: ReadonlyArray<string>): { sets: string[]; rest: string[] } {
  const sets: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (arg.startsWith("--set=")) {
      sets.push(arg.slice("--set=".length));
    } else if (arg === "--set") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) {
        throw new UsageError("--set needs a value (--set PATH=VALUES)", "sweep");
      }
      sets.push(value);
      i++;
    } else {
      rest.push(arg);
    }
  }
  return { sets, rest };
}

function parseWorkers(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new UsageError(`--workers expects a whole number from 1 to ${MAX_WORKERS}, got "${text}"`, "sweep");
  }
  return n;
}

function integerOption(text: string | undefined, fallback: number, parse: (text: string) => number): number {
  return text === undefined ? fallback : renamed(() => parse(text));
}

/** A usage error of a shared parser (`check`'s, `compare`'s) said as sweep's. */
function renamed<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, "sweep");
    throw error;
  }
}

function readScenarioText(path: string, shown: string): string {
  return decodeText(readFileSync(path), shown, "a scenario file");
}

/** Rows --max stopped before a metric settled: one warning line each (the first 10, then a count). */
function warnUnsettled(output: SweepJson, auto: AutoReplications, io: Io): void {
  const rows = output.rows.filter((row) => row.replicationsAuto?.unsettled !== undefined);
  for (const row of rows.slice(0, 10)) {
    const where = [
      ...Object.entries(row.values).map(([path, value]) => `${path}=${value}`),
      row.strategy,
    ].join(" ");
    const unsettled = row.replicationsAuto?.unsettled;
    if (unsettled !== undefined)
      io.err(`lbsim sweep: warning: ${unsettledWarning(where, auto, unsettled)}\n`);
  }
  if (rows.length > 10)
    io.err(`lbsim sweep: warning: ${rows.length - 10} more rows did not settle (see the JSON)\n`);
}
