// loadScenarioFile: a scenario file on disk (Node only), with its trace files resolved beside it.
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { TraceResolution } from "./cross.js";
import { type ParseOptions, parseScenario } from "./parse.js";
import { fileError } from "./trace.js";
import type { Scenario } from "./types.js";

/** Reads and parses a scenario; `arrivals: {trace: x.csv}` becomes an absolute path beside the file. */
export function loadScenarioFile(path: string, options: Pick<ParseOptions, "force"> = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw fileError(error, path);
  }
  const folder = dirname(resolve(path));
  const resolveTrace = (file: string): TraceResolution => {
    const absolute = resolve(folder, file);
    try {
      return statSync(absolute).isFile()
        ? { ok: true, path: absolute }
        : { ok: false, message: `trace file "${file}" is not a file (${absolute})` };
    } catch {
      return { ok: false, message: `trace file "${file}" not found (looked for ${absolute})` };
    }
  };
  return parseScenario(text.startsWith("\uFEFF") ? text.slice(1) : text, path, { ...options, resolveTrace });
}
