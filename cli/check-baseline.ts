// `lbsim check`'s baseline options: --baseline FILE, --update-baseline, --tolerance; reading, comparing and writing the file.
import { resolve } from "node:path";
import { UsageError } from "./args.js";
import {
  type BaselineReport,
  type BaselineScenario,
  compareWithBaseline,
  DEFAULT_TOLERANCE,
} from "./baseline.js";
import { readBaseline } from "./baseline-file.js";
import type { Plan } from "./check-plan.js";
import type { CheckJson, ScenarioCheck } from "./check-report.js";
import type { Io } from "./context.js";
import { writeFileAtomic } from "./output.js";

export interface BaselineOptions {
  /** `--baseline FILE` as given; undefined without it. */
  readonly file?: string;
  readonly update: boolean;
  /** `--tolerance`, else 10%: for scenarios whose `baseline:` does not say. */
  readonly tolerance: number;
}

/** `12.5%` → 0.125; the same grammar as a scenario's `baseline:` values. */
export function parseTolerance(text: string): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (match === null) {
    const hint = /^\d+(\.\d+)?$/.test(text.trim()) ? ` (hint: did you mean ${text.trim()}%?)` : "";
    throw new UsageError(`--tolerance expects a percentage such as 10%, got "${text}"${hint}`, "check");
  }
  return Number(match[1]) / 100;
}

export function baselineOptions(
  values: ReadonlyMap<string, string>,
  flags: ReadonlySet<string>,
): BaselineOptions {
  const file = values.get("baseline");
  const update = flags.has("update-baseline");
  const toleranceText = values.get("tolerance");
  if (file === "-")
    throw new UsageError(
      "--baseline needs a file name (a baseline is a file, meant to be committed)",
      "check",
    );
  if (update && file === undefined) {
    throw new UsageError("--update-baseline needs --baseline FILE: the file to write", "check");
  }
  if (toleranceText !== undefined && (file === undefined || update)) {
    throw new UsageError(
      "--tolerance applies to a comparison with --baseline FILE (without --update-baseline)",
      "check",
    );
  }
  return {
    ...(file === undefined ? {} : { file }),
    update,
    tolerance: toleranceText === undefined ? DEFAULT_TOLERANCE : parseTolerance(toleranceText),
  };
}

/** The stored baseline, read before anything runs (a bad file is exit 2 at once); undefined when not comparing. */
export function loadBaseline(options: BaselineOptions, cwd: string): BaselineScenario[] | undefined {
  if (options.file === undefined || options.update) return undefined;
  return readBaseline(resolve(cwd, options.file), options.file);
}

/** This check's figures against the stored ones, each scenario with its own `baseline:` tolerances. */
export function compareReports(
  reports: ReadonlyArray<ScenarioCheck>,
  plans: ReadonlyArray<Plan>,
  stored: ReadonlyArray<BaselineScenario>,
  options: BaselineOptions,
): BaselineReport {
  const current = reports.map((report, index) => {
    const tolerances = plans[index]?.scenario.baseline;
    return {
      file: report.file,
      scenario: report.scenario,
      seeds: report.seeds,
      ...(report.figures === undefined ? {} : { figures: report.figures }),
      ...(tolerances === undefined ? {} : { tolerances }),
    };
  });
  return compareWithBaseline(current, stored, options.file ?? "", options.tolerance);
}

/**
 * `--update-baseline`: the check JSON (2-space, keys in a fixed order, no wall times: the same
 * scenarios and seeds give the same bytes) written atomically. Not after Ctrl-C: a partial
 * baseline would make every scenario not reached "not run" in the next comparison.
 */
export function writeBaseline(report: CheckJson, options: BaselineOptions, io: Io, quiet: boolean): void {
  if (!options.update || options.file === undefined) return;
  if (report.partial === true) {
    io.err(`lbsim: the check was stopped; the baseline ${options.file} was not updated\n`);
    return;
  }
  writeFileAtomic(resolve(io.cwd, options.file), `${JSON.stringify(report, null, 2)}\n`);
  if (!quiet) {
    const n = report.scenarios.length;
    io.err(`lbsim: wrote the baseline (${n} scenario${n === 1 ? "" : "s"}) to ${options.file}; commit it\n`);
  }
}
