// Where a sweep's outputs go, for `lbsim sweep` and `lbsim merge` alike: the JSON and the CSV to
// files or to stdout (`-`, one of them), and the table on stdout when neither takes it.
import { resolve } from "node:path";
import { UsageError } from "./args.js";
import type { Io } from "./context.js";
import { formatCount } from "./format.js";
import { writeFileAtomic } from "./output.js";
import { type SweepJson, sweepCsv, sweepTable } from "./sweep-output.js";

export interface SweepTargets {
  readonly json: string | undefined;
  readonly csv: string | undefined;
  readonly quiet: boolean;
}

/** Bad input before anything runs: stdout can carry one of the JSON and the CSV. */
export function checkSweepTargets(targets: SweepTargets, command: "sweep" | "merge"): void {
  if (targets.json === "-" && targets.csv === "-")
    throw new UsageError("--json - and --csv - would both write to stdout: give one of them a file", command);
}

export function writeSweepOutputs(output: SweepJson, targets: SweepTargets, io: Io): void {
  const { json, csv, quiet } = targets;
  const jsonText = `${JSON.stringify(output, null, 2)}\n`;
  if (json === "-") io.out(jsonText);
  else if (json !== undefined) writeFileAtomic(resolve(io.cwd, json), jsonText);
  if (csv === "-") io.out(sweepCsv(output));
  else if (csv !== undefined) writeFileAtomic(resolve(io.cwd, csv), sweepCsv(output));
  if (json !== "-" && csv !== "-" && !quiet) io.out(sweepTable(output));
  if (quiet) return;
  if (json !== undefined && json !== "-") io.err(`lbsim: wrote the sweep to ${json}\n`);
  if (csv !== undefined && csv !== "-")
    io.err(`lbsim: wrote ${formatCount(output.rows.length)} rows to ${csv}\n`);
}
