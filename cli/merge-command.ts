// `lbsim merge <shard files…>`: joins the shards of a sweep into exactly the table, CSV and JSON one machine writes.
import { resolve } from "node:path";
import { type OptionSpec, parseArgs, UsageError } from "./args.js";
import type { Io } from "./context.js";
import { formatCount } from "./format.js";
import { readShardFile, shardName } from "./merge-read.js";
import { checkOutputs } from "./run-command.js";
import { sweepJson } from "./sweep-output.js";
import { sweepReportOption, writeSweepReport } from "./sweep-report.js";
import { fingerprintOf, type ShardFile, type SweepGrid, shardTasks } from "./sweep-shard.js";
import { checkSweepTargets, writeSweepOutputs } from "./sweep-write.js";
import { HELP_OPTION, optionLines, REPORT_OPTION } from "./usage.js";

export const MERGE_OPTIONS: ReadonlyArray<OptionSpec> = [
  { name: "json", value: "FILE|-", help: "write the sweep JSON to FILE, or to stdout with - (no table)" },
  {
    name: "csv",
    value: "FILE|-",
    help: "write one CSV row per point × strategy: means and 95% intervals (- for stdout)",
  },
  REPORT_OPTION,
  { name: "quiet", short: "q", help: "print no table (errors still go to stderr)" },
  HELP_OPTION,
];

export function mergeHelp(): string {
  return `Usage: lbsim merge <shard.json>… [--json FILE|-] [--csv FILE|-] [--report FILE.html]

Joins the shard files written by lbsim sweep … --shard i/n --json FILE (one per shard, in any
order) into the table, CSV and JSON the whole sweep on one machine writes, byte for byte.

Refused (exit 2): shards of different sweeps (scenario text, --set, strategies, replications,
backend), seeds or lbsim versions; a missing shard ("shard 2/4 missing") or one given twice.

Options:
${optionLines(MERGE_OPTIONS)}`;
}

export async function mergeCommand(args: ReadonlyArray<string>, io: Io): Promise<number> {
  const parsed = parseArgs(args, MERGE_OPTIONS, "merge");
  if (parsed.flags.has("help")) {
    io.out(mergeHelp());
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError("missing the shard files: lbsim merge <shard.json>…", "merge");
  }
  const json = parsed.values.get("json");
  const csv = parsed.values.get("csv");
  const quiet = parsed.flags.has("quiet");
  const report = sweepReportOption(parsed.values.get("report"), "merge", false);
  checkSweepTargets({ json, csv, quiet }, "merge");
  checkOutputs(
    [
      ["--json", json === "-" ? undefined : json],
      ["--csv", csv],
      ["--report", report],
    ],
    "",
    io.cwd,
  );
  for (const [flag, target] of [
    ["--json", json],
    ["--csv", csv],
    ["--report", report],
  ] as const) {
    if (
      target !== undefined &&
      parsed.positionals.some((f) => resolve(io.cwd, f) === resolve(io.cwd, target))
    ) {
      throw new UsageError(
        `${flag} ${target} is one of the shard files; write the merged sweep elsewhere`,
        "merge",
      );
    }
  }
  const shards = parsed.positionals.map((file) => ({
    file,
    shard: readShardFile(file, io.cwd),
  }));
  const { outline, grid, lbsim } = checkShards(shards);
  const figures: Array<ReadonlyArray<number> | undefined> = new Array(outline.totalRuns).fill(undefined);
  for (const { shard } of shards) for (const run of shard.runs) figures[run.task] = run.figures;
  const output = sweepJson(
    outline,
    { figures, done: outline.totalRuns },
    { scenario: outline.scenario, file: grid.file, version: lbsim },
  );
  if (!quiet) {
    const count = shards[0]?.shard.shard.count ?? 0;
    io.err(`lbsim merge: ${count} shards, ${formatCount(outline.totalRuns)} runs\n`);
  }
  writeSweepOutputs(output, { json, csv, quiet }, io);
  await writeSweepReport(
    output,
    outline.points.map((p) => p.baseSeed),
    report,
    quiet,
    io,
  );
  return 0;
}

const GRID_FIELDS: ReadonlyArray<readonly [keyof SweepGrid, string]> = [
  ["scenarioSha256", "scenario text"],
  ["pointsSha256", "parsed scenarios (the files the scenario extends or imports)"],
  ["file", "scenario file"],
  ["sets", "--set values"],
  ["strategies", "strategies"],
  ["replications", "replications"],
  ["backend", "--backend"],
  ["metrics", "metrics"],
];

/**
 * The shards are of one sweep, whole, each once: lbsim version, seed and fingerprint equal to the
 * first's, every shard of 1..n present exactly once, each holding exactly its slice of the runs.
 */
export function checkShards(shards: ReadonlyArray<{ readonly file: string; readonly shard: ShardFile }>) {
  const [first] = shards;
  if (first === undefined) throw new UsageError("missing the shard files", "merge");
  const a = first.shard;
  for (const { file, shard: b } of shards.slice(1)) {
    const both = `${first.file} (${shardName(a)}) and ${file} (${shardName(b)})`;
    if (b.lbsim !== a.lbsim) {
      throw new UsageError(
        `shards of different lbsim versions: ${first.file} by lbsim ${a.lbsim}, ${file} by lbsim ${b.lbsim}; run every shard with one version`,
        "merge",
      );
    }
    if (b.grid.seed !== a.grid.seed) {
      throw new UsageError(
        `shards of different seeds: ${first.file} has seed ${a.grid.seed}, ${file} seed ${b.grid.seed}`,
        "merge",
      );
    }
    if (b.fingerprint !== a.fingerprint) {
      const fields = GRID_FIELDS.filter(([k]) => JSON.stringify(a.grid[k]) !== JSON.stringify(b.grid[k]));
      // Another text or --set parses differently anyway: the parsed scenarios are named only alone.
      const differ = (fields.length > 1 ? fields.filter(([k]) => k !== "pointsSha256") : fields).map(
        ([, said]) => said,
      );
      throw new UsageError(
        `shards of different sweeps: ${both} differ in ${differ.length > 0 ? differ.join(", ") : "their fingerprint"}`,
        "merge",
      );
    }
    if (b.shard.count !== a.shard.count) {
      throw new UsageError(`shards of different splits: ${both}`, "merge");
    }
  }
  const count = a.shard.count;
  const byIndex = new Map<number, string>();
  for (const { file, shard } of shards) {
    const earlier = byIndex.get(shard.shard.index);
    if (earlier !== undefined) {
      throw new UsageError(
        `shard ${shardName(shard)} given twice: ${earlier} and ${file}${earlier === file ? " (the same file)" : ""}`,
        "merge",
      );
    }
    byIndex.set(shard.shard.index, file);
    if (fingerprintOf(shard.grid) !== shard.fingerprint) {
      throw new UsageError(`${file}: its fingerprint does not match its grid (the file was edited)`, "merge");
    }
    const expected = shardTasks(shard.outline.totalRuns, shard.shard);
    const tasks = shard.runs.map((r) => r.task);
    if (expected.length !== tasks.length || expected.some((t, k) => tasks[k] !== t)) {
      throw new UsageError(`${file}: shard ${shardName(shard)} does not hold its slice of the runs`, "merge");
    }
    if (shard.runs.some((r) => r.figures.length !== shard.grid.metrics.length)) {
      throw new UsageError(`${file}: a run without its ${shard.grid.metrics.length} figures`, "merge");
    }
  }
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(`${i}/${count}`);
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.length === 1 ? "shard" : "shards"} ${missing.join(", ")} missing (got ${shards.length} of ${count})`,
      "merge",
    );
  }
  return { outline: a.outline, grid: a.grid, lbsim: a.lbsim };
}
