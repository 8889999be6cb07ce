// export: each chart as its own file (`--svg DIR`, `--png DIR`), written atomically, with folder problems told as the user's to fix.
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../files/index.js";
import { svgToPng } from "./png.js";

/** One chart to write: `file` is its name without extension (`latency-over-time`), `svg` the drawing. */
export interface ChartFile {
  readonly file: string;
  readonly svg: string;
}

export interface WriteChartsOptions {
  /** Folder for `<file>.svg` (created if missing); none written without it. */
  readonly svgDir?: string;
  /** Folder for `<file>.png` (created if missing); none written without it. */
  readonly pngDir?: string;
  /** PNG device pixels per SVG pixel (viz/png.ts; default 2). */
  readonly scale?: number;
}

/** Which option a folder came from, so the CLI can name its flag (`--svg`, `--png`). */
export type ChartDirOption = "svgDir" | "pngDir";

/**
 * A folder or file the charts cannot be written to: the user's to fix (exit 2), never a bug. The
 * message reads like cli/'s output checks: `cannot write into "out": "out" is not a folder`.
 * `code` and `path` are those of a Node file-system error, so a caller that treats fs errors as the
 * user's (cli/app.ts) reports it as such even without knowing this class.
 */
export class ChartOutputError extends Error {
  override readonly name = "ChartOutputError";
  constructor(
    readonly option: ChartDirOption,
    /** The folder or file as the caller gave it (joined with the chart's name for a file). */
    readonly path: string,
    /** What is wrong, e.g. `"out" is not a folder`. */
    readonly problem: string,
    /** The Node error code behind it (`ENOTDIR`, `EACCES`…). */
    readonly code: string,
  ) {
    super(`cannot write into "${path}": ${problem}`);
  }
}

/**
 * What stops charts from being written into `dir` (resolved against `cwd`), or undefined: checked
 * before a long run, as cli/ checks `--json`. A missing folder is fine (writeCharts creates it)
 * when the nearest existing ancestor is a writable folder.
 */
export function chartDirProblem(dir: string, cwd: string = process.cwd()): string | undefined {
  let existing = resolve(cwd, dir);
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  const shown = existing === resolve(cwd, dir) ? dir : existing;
  if (!statSync(existing).isDirectory()) return `"${shown}" is not a folder`;
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    return `the folder "${shown}" is not writable`;
  }
  return undefined;
}

/** Chart names become file names: a plain name, nothing that climbs out of the folder. */
const CHART_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes each chart as `<svgDir>/<file>.svg` and/or `<pngDir>/<file>.png`, in order, each through
 * a temp file and a rename; creates the folders. Returns the paths written (as joined from the
 * options). A folder or file problem throws ChartOutputError; a bad chart name is a caller's bug.
 */
export function writeCharts(charts: ReadonlyArray<ChartFile>, options: WriteChartsOptions): string[] {
  const seen = new Set<string>();
  for (const chart of charts) {
    if (!CHART_FILE.test(chart.file))
      throw new Error(`chart file name "${chart.file}" is not a plain file name`);
    if (seen.has(chart.file)) throw new Error(`two charts are both named "${chart.file}"`);
    seen.add(chart.file);
  }
  const targets: Array<{
    option: ChartDirOption;
    dir: string;
    extension: string;
    bytes: (svg: string) => string | Buffer;
  }> = [];
  if (options.svgDir !== undefined)
    targets.push({ option: "svgDir", dir: options.svgDir, extension: "svg", bytes: (svg) => svg });
  if (options.pngDir !== undefined) {
    const scale = options.scale;
    targets.push({
      option: "pngDir",
      dir: options.pngDir,
      extension: "png",
      bytes: (svg) => svgToPng(svg, { scale }),
    });
  }
  for (const target of targets) makeFolder(target.option, target.dir);
  const written: string[] = [];
  for (const chart of charts) {
    for (const target of targets) {
      const path = join(target.dir, `${chart.file}.${target.extension}`);
      const bytes = target.bytes(chart.svg);
      try {
        writeFileAtomic(path, bytes);
      } catch (error) {
        throw asOutputError(error, target.option, path) ?? error;
      }
      written.push(path);
    }
  }
  return written;
}

function makeFolder(option: ChartDirOption, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // Name the folder that is in the way (the nearest existing one), not the one mkdir last tried.
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === undefined ? undefined : chartDirProblem(dir);
    if (code !== undefined && problem !== undefined) {
      throw new ChartOutputError(option, dir, problem, code === "EEXIST" ? "ENOTDIR" : code);
    }
    throw asOutputError(error, option, dir) ?? error;
  }
  // mkdir with `recursive` accepts an existing folder only; this is the same check, said plainly.
  if (!statSync(dir).isDirectory())
    throw new ChartOutputError(option, dir, `"${dir}" is not a folder`, "ENOTDIR");
}

/** What the user can fix, in words; undefined for an error that is not a file-system one. */
const PROBLEMS: Readonly<Record<string, (path: string) => string>> = {
  // mkdir of a path that is a file says EEXIST; of a path under a file, ENOTDIR.
  EEXIST: (path) => `"${path}" is not a folder`,
  ENOTDIR: () => "a part of the path is not a folder",
  EACCES: (path) => `the folder "${dirname(path)}" is not writable`,
  EPERM: () => "operation not permitted",
  EISDIR: (path) => `"${path}" is a folder`,
  ENOSPC: () => "no space left on the device",
  EDQUOT: () => "disk quota exceeded",
  EROFS: () => "read-only file system",
  ENOENT: (path) => `the folder "${dirname(path)}" does not exist (removed while writing?)`,
};

function asOutputError(error: unknown, option: ChartDirOption, path: string): ChartOutputError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return undefined;
  const problem = PROBLEMS[code];
  if (problem === undefined) return undefined;
  // EEXIST from mkdir is a file in the way: ENOTDIR is what cli/app.ts words as "not a folder".
  return new ChartOutputError(option, path, problem(path), code === "EEXIST" ? "ENOTDIR" : code);
}
