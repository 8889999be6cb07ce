// `--report FILE.html`, `--svg DIR`, `--png DIR`: checked before the run, written after it (viz/ draws them).
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError, type InputIssue } from "../errors/index.js";
import type { ReportView } from "../viz/view.js";
import { UsageError } from "./args.js";
import type { Io } from "./context.js";
import { writeFileAtomic } from "./output.js";

/** The report outputs asked for, as given on the command line. */
export interface ReportOutputs {
  readonly report?: string;
  readonly svg?: string;
  readonly png?: string;
}

/** `--svg`/`--png` draw each chart at this width (px) and font size, PNG at twice the pixels. */
export const EXPORT_WIDTH = 960;
export const EXPORT_FONT_SIZE = 12;
export const PNG_SCALE = 2;

/** The viz/ library, loaded only when a report is written (it brings d3 and the PNG renderer). */
export type Viz = typeof import("../viz/index.js");
type VizNode = typeof import("../viz/node.js");

/** Reads the three options; none of them can be `-` (a report is a file, charts are files). */
export function reportOutputs(values: ReadonlyMap<string, string>, command: string): ReportOutputs {
  const outputs: { report?: string; svg?: string; png?: string } = {};
  for (const name of ["report", "svg", "png"] as const) {
    const value = values.get(name);
    if (value === undefined) continue;
    if (value === "-") {
      const what = name === "report" ? "a file name" : "a folder";
      throw new UsageError(`--${name} needs ${what} (it cannot write to stdout)`, command);
    }
    outputs[name] = value;
  }
  return outputs;
}

/** True when any report output was asked for (the command then keeps every run's Results). */
export function wantsReport(outputs: ReportOutputs): boolean {
  return outputs.report !== undefined || outputs.svg !== undefined || outputs.png !== undefined;
}

/**
 * The chart folders are checked before a possibly long run (the report file goes with the other
 * files through checkOutputs): a folder that exists must be a writable folder; one that does not
 * is created, so its parent must exist.
 */
export function checkChartFolders(outputs: ReportOutputs, cwd: string): void {
  const issues: InputIssue[] = [];
  for (const [flag, target] of [
    ["--svg", outputs.svg],
    ["--png", outputs.png],
  ] as const) {
    if (target === undefined) continue;
    const problem = folderProblem(resolve(cwd, target));
    if (problem !== undefined)
      issues.push({
        code: "bad-value",
        file: "",
        line: 0,
        column: 0,
        path: flag,
        message: `cannot write the charts to "${target}": ${problem}`,
      });
  }
  if (issues.length > 0) throw new InputError(issues);
}

function folderProblem(path: string): string | undefined {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) return "it is a file, not a folder";
    return writable(path) ? undefined : "the folder is not writable";
  }
  const parent = dirname(path);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) return `the folder "${parent}" does not exist`;
  return writable(parent) ? undefined : `the folder "${parent}" is not writable`;
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the view (once, only when an output wants it) and writes the report and the charts, each
 * atomically; a stopped run's report says it is partial. The paths go to stderr, as the other
 * outputs' do.
 */
export async function writeReportOutputs(
  outputs: ReportOutputs,
  build: (viz: Viz) => ReportView,
  options: { readonly partial: boolean; readonly quiet: boolean },
  io: Io,
): Promise<void> {
  if (!wantsReport(outputs)) return;
  const viz: Viz = await import("../viz/index.js");
  const files: VizNode = await import("../viz/node.js");
  const built = build(viz);
  const view: ReportView = options.partial ? { ...built, partial: true } : built;
  const say = (text: string) => {
    if (!options.quiet) io.err(text);
  };
  if (outputs.report !== undefined) {
    writeFileAtomic(resolve(io.cwd, outputs.report), files.reportHtml(view));
    say(`lbsim: wrote the report to ${outputs.report}\n`);
  }
  if (outputs.svg === undefined && outputs.png === undefined) return;
  const charts = viz.reportCharts(view, { width: EXPORT_WIDTH, fontSize: EXPORT_FONT_SIZE });
  const svgDir = outputs.svg === undefined ? undefined : resolve(io.cwd, outputs.svg);
  const pngDir = outputs.png === undefined ? undefined : resolve(io.cwd, outputs.png);
  files.writeCharts(charts, {
    ...(svgDir === undefined ? {} : { svgDir }),
    ...(pngDir === undefined ? {} : { pngDir }),
    scale: PNG_SCALE,
  });
  const count = `${charts.length} chart${charts.length === 1 ? "" : "s"}`;
  if (outputs.svg !== undefined) say(`lbsim: wrote ${count} as SVG to ${outputs.svg}\n`);
  if (outputs.png !== undefined) say(`lbsim: wrote ${count} as PNG to ${outputs.png}\n`);
}
