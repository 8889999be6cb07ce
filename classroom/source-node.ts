// Node side of the page's scenarios: a scenario file (or haproxy.cfg) and every file it names,
// read from disk into a ScenarioSource the page parses without a file system; the demos list.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { decodeText, type ExtendedFile, type HaproxyFile, parseScenario } from "../scenarios/index.js";
import type { Demo } from "./page/protocol.js";
import { cfgSource, looksLikeCfg, type ScenarioSource } from "./source.js";

/**
 * The source of a scenario already validated (by `lbsim`'s loader): its text, and the files its
 * `haproxy:` and `extends:` name, keyed by the name as written (read relative to the naming file).
 */
export function readScenarioSource(path: string, shown: string): ScenarioSource {
  const text = decodeText(
    readFileSync(path),
    shown,
    looksLikeCfg(shown, "") ? "a haproxy.cfg" : "a scenario file",
  );
  if (looksLikeCfg(shown, text)) return cfgSource(shown, text);
  const files: Record<string, string> = {};
  const read = (name: string, from: string): { file: string; text: string } => {
    const file = isAbsolute(name) ? name : join(dirname(from), name);
    const content = decodeText(readFileSync(resolve(file)), file, "a scenario file");
    files[name] = content;
    return { file, text: content };
  };
  parseScenario(text.startsWith("\uFEFF") ? text.slice(1) : text, path, {
    readHaproxy: (name, from): HaproxyFile => ({ ok: true, ...read(name, from) }),
    readExtended: (name, from): ExtendedFile => {
      const got = read(name, from);
      return { ok: true, ...got, key: resolve(got.file) };
    },
  });
  return { file: shown, text: text.startsWith("\uFEFF") ? text.slice(1) : text, files };
}

interface DemoEntry {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly caption: string;
  readonly question: string;
}

/** The ready demos of `dir` (its demos.json), each with its scenario and the files it names. */
export function readDemos(dir: string): Demo[] {
  const entries = JSON.parse(readFileSync(join(dir, "demos.json"), "utf8")) as DemoEntry[];
  return entries.map((entry) => {
    const path = join(dir, entry.file);
    const name = entry.file.split("/").pop() ?? entry.file;
    return {
      id: entry.id,
      title: entry.title,
      caption: entry.caption,
      question: entry.question,
      source: readScenarioSource(path, name),
    };
  });
}
