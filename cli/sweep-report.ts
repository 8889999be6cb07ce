// `lbsim sweep|merge --report FILE.html`: the option read and refused before anything runs, the page written after (viz/sweep-html.ts draws it).
import { resolve } from "node:path";
import { UsageError } from "./args.js";
import type { Io } from "./context.js";
import { writeFileAtomic } from "./output.js";
import type { SweepJson } from "./sweep-output.js";

/** `--report`'s file, or undefined; `-` is refused (a report is a file). */
export function sweepReportOption(
  value: string | undefined,
  command: "sweep" | "merge",
  shard: boolean,
): string | undefined {
  if (value === undefined) return undefined;
  if (value === "-") throw new UsageError("--report needs a file name (it cannot write to stdout)", command);
  if (shard) {
    // A shard holds a slice of the runs, not the rows: its means would be those of a part of the grid.
    throw new UsageError(
      "--report with --shard: a shard holds runs, not rows; pass --report to lbsim merge, which writes the whole sweep's report",
      command,
    );
  }
  return value;
}

/**
 * Writes the report of `output` (rows as the JSON has them; an interrupted sweep's page says it is
 * partial). `seeds`: each grid point's first seed, which the JSON's rows do not all carry.
 */
export async function writeSweepReport(
  output: SweepJson,
  seeds: ReadonlyArray<number>,
  report: string | undefined,
  quiet: boolean,
  io: Io,
): Promise<void> {
  if (report === undefined) return;
  // Loaded only when asked for: d3 and the charts stay out of every other command's start.
  const { sweepReportHtml } = await import("../viz/sweep-html.js");
  writeFileAtomic(resolve(io.cwd, report), sweepReportHtml(output, seeds));
  if (!quiet) io.err(`lbsim: wrote the report to ${report}\n`);
}
