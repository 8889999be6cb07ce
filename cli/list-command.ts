// `lbsim list`: the strategies (balance keywords) and the ready scenarios of scenarios/library/.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { formatIssue, InputError } from "../errors/index.js";
import { parseArgs, UsageError } from "./args.js";
import type { Io, PackageInfo, Toolkit } from "./context.js";
import { LIST_OPTIONS, listHelp } from "./usage.js";

interface Entry {
  readonly name: string;
  readonly file: string;
  readonly description: string;
}

export function listCommand(args: ReadonlyArray<string>, toolkit: Toolkit, pkg: PackageInfo, io: Io): number {
  const parsed = parseArgs(args, LIST_OPTIONS, "list");
  if (parsed.flags.has("help")) {
    io.out(listHelp());
    return 0;
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(`list takes no arguments, but got "${parsed.positionals.join(" ")}"`, "list");
  }

  const lines = ["Strategies (backend.balance, or run --strategy NAME):", ...strategyLines(toolkit), ""];
  const entries: Entry[] = [];
  for (const fileName of libraryFiles(pkg.libraryDir)) {
    const path = join(pkg.libraryDir, fileName);
    const file = displayPath(path, io.cwd);
    try {
      // Listing runs nothing, so a large scenario must not be refused here.
      const scenario = toolkit.loadScenarioFile(path, { force: true });
      entries.push({ name: scenario.name, file, description: summary(scenario.description) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // A broken library file is lbsim's bug, not the user's: show it and go on with the others.
      entries.push({ name: fileName, file, description: "(does not load; see the message above)" });
      for (const issue of error.issues) io.err(`${formatIssue(issue)}\n`);
    }
  }
  lines.push("Ready scenarios (lbsim run FILE):");
  if (entries.length === 0) lines.push(`  none found in ${displayPath(pkg.libraryDir, io.cwd)}`);
  const nameWidth = Math.max(0, ...entries.map((e) => e.name.length));
  const fileWidth = Math.max(0, ...entries.map((e) => e.file.length));
  for (const e of entries) {
    lines.push(`  ${e.name.padEnd(nameWidth)}  ${e.file.padEnd(fileWidth)}  ${e.description}`.trimEnd());
  }
  io.out(`${lines.join("\n")}\n`);
  return 0;
}

/** A user's own strategy file (run-command.ts loads it; docs/strategies.md says how to write one). */
const OWN_FILE = "./my-strategy.mjs";
const OWN_ABOUT = "your own, from a JavaScript file (docs/strategies.md); in a scenario, relative to it";

function strategyLines(toolkit: Toolkit): string[] {
  const names = toolkit.strategyNames();
  const described = names.map((name) => ({ name, about: toolkit.describeStrategy?.(name) }));
  if (described.every((s) => s.about === undefined)) {
    return [`  ${names.join("  ")}`, `  ${OWN_FILE}  ${OWN_ABOUT}`];
  }
  const width = Math.max(OWN_FILE.length, ...names.map((name) => name.length));
  return [...described, { name: OWN_FILE, about: OWN_ABOUT }].map((s) =>
    `  ${s.name.padEnd(width)}  ${s.about ?? ""}`.trimEnd(),
  );
}

/** Longest description shown on a line of the listing. */
const SUMMARY_CHARS = 100;

/**
 * The description's first line, or its first sentence when that line is a whole folded
 * paragraph (YAML `>-`), shortened at a word to fit one line of the listing.
 */
export function summary(description: string): string {
  const line = description.trim().split("\n", 1)[0]?.trim() ?? "";
  const sentenceEnd = line.search(/[.!?](\s|$)/);
  const sentence = sentenceEnd >= 0 ? line.slice(0, sentenceEnd + 1) : line;
  if (sentence.length <= SUMMARY_CHARS) return sentence;
  const cut = sentence.lastIndexOf(" ", SUMMARY_CHARS - 1);
  return `${sentence.slice(0, cut > 0 ? cut : SUMMARY_CHARS - 1)}…`;
}

function libraryFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith(".yaml"))
      .sort();
  } catch {
    return [];
  }
}

/** Relative to the working folder when that is inside it, otherwise absolute. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}
