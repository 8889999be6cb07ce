// loadScenarioFile: a scenario file on disk (Node only), with its `extends` chain and trace files
// resolved beside the files that name them.
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { InputError } from "../errors/index.js";
import type { TraceResolution } from "./cross.js";
import type { ExtendedFile } from "./extends.js";
import type { HaproxyFile } from "./haproxy-cfg/merge.js";
import { type ParseOptions, parseScenario } from "./parse.js";
import { decodeText } from "./text-file.js";
import { fileError } from "./trace.js";
import type { Scenario } from "./types.js";

/**
 * Reads and parses a scenario. `extends: base.yaml` and `arrivals: {trace: x.csv}` are relative to
 * the file they are written in; a trace becomes an absolute path.
 */
export function loadScenarioFile(
  path: string,
  options: Pick<ParseOptions, "force" | "warn"> & {
    /** The file's text when it does not come from `path` (standard input, named `<stdin>`): files it names are relative to the current folder. */
    readonly text?: string;
  } = {},
): Scenario {
  let text = options.text;
  if (text === undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw fileError(error, path);
    }
    text = decodeText(bytes, path, "a scenario file");
  }
  const resolveTrace = (file: string, from: string): TraceResolution => {
    const absolute = resolve(dirname(resolve(from)), file);
    try {
      return statSync(absolute).isFile()
        ? { ok: true, path: absolute }
        : { ok: false, message: `trace file "${file}" is not a file (${absolute})` };
    } catch {
      return { ok: false, message: `trace file "${file}" not found (looked for ${absolute})` };
    }
  };
  const readExtended = (name: string, from: string): ExtendedFile => {
    // Named relative to the naming file as the user named that one, so messages read naturally.
    const file = isAbsolute(name) ? name : join(dirname(from), name);
    const key = resolve(file);
    try {
      if (!statSync(key).isFile())
        return { ok: false, code: "unreadable", message: `"${name}" is not a file (${key})` };
      return { ok: true, file, key, text: decodeText(readFileSync(key), file, "a scenario file") };
    } catch (error) {
      if (error instanceof InputError) throw error;
      return {
        ok: false,
        code: "file-not-found",
        message: `scenario file "${name}" not found (looked for ${key})`,
      };
    }
  };
  const readHaproxy = (name: string, from: string): HaproxyFile => {
    const file = isAbsolute(name) ? name : join(dirname(from), name);
    const key = resolve(file);
    try {
      if (!statSync(key).isFile())
        return { ok: false, code: "unreadable", message: `"${name}" is not a file (${key})` };
      return { ok: true, file, text: decodeText(readFileSync(key), file, "a haproxy.cfg") };
    } catch (error) {
      if (error instanceof InputError) throw error;
      return {
        ok: false,
        code: "file-not-found",
        message: `haproxy.cfg file "${name}" not found (looked for ${key})`,
      };
    }
  };
  const { text: _given, ...parseOptions } = options;
  return parseScenario(text.startsWith("\uFEFF") ? text.slice(1) : text, path, {
    ...parseOptions,
    resolveTrace,
    readExtended,
    readHaproxy,
    fileKey: resolve(path),
  });
}
