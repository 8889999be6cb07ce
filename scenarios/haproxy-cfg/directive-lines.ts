// Where a proxy's settings are written in the cfg (its own section, else the defaults it inherits),
// so `lbsim explain` can cite the line a warning comes from.

import { lexCfg } from "./lex.js";
import { OTHER_SECTIONS, SECTIONS } from "./vocabulary.js";

/** One directive line: its words (as lexed) and its 1-based line number. */
export interface DirectiveLine {
  readonly line: number;
  readonly words: ReadonlyArray<string>;
}

interface Section {
  readonly kind: string;
  readonly name: string | undefined;
  readonly line: number;
  readonly lines: DirectiveLine[];
  /** The defaults section this one inherits from (HAProxy: the last one above, or `from NAME`). */
  readonly base: Section | undefined;
}

/** Finds directives by section, with HAProxy's inheritance from `defaults`. */
export interface CfgLines {
  /**
   * The last line of proxy `name` (a frontend, backend or listen section) whose words start with
   * `prefix`, else of the defaults it inherits; undefined when none says it.
   */
  find(name: string, prefix: ReadonlyArray<string>): DirectiveLine | undefined;
  /** The line of a section's header (`backend be`), 0 when there is no such proxy. */
  header(name: string): number;
  /** The last `maxconn` line of the `global` section. */
  globalMaxconn(): DirectiveLine | undefined;
}

export function cfgLines(text: string): CfgLines {
  const sections: Section[] = [];
  const named = new Map<string, Section>();
  let defaults: Section | undefined;
  let current: Section | undefined;
  for (const { line, words } of lexCfg(text).lines) {
    const texts = words.map((w) => w.text);
    const first = texts[0]!;
    if (SECTIONS.has(first)) {
      const fromAt = texts.indexOf("from");
      const base = fromAt > 0 ? (named.get(texts[fromAt + 1] ?? "") ?? defaults) : defaults;
      const name = texts[1] === "from" ? undefined : texts[1];
      current = {
        kind: first,
        name,
        line,
        lines: [],
        base: first === "defaults" && fromAt < 0 ? undefined : base,
      };
      sections.push(current);
      if (first === "defaults") {
        defaults = current;
        if (name !== undefined) named.set(name, current);
      }
      continue;
    }
    if (OTHER_SECTIONS.has(first)) {
      current = undefined;
      continue;
    }
    current?.lines.push({ line, words: texts });
  }
  const proxy = (name: string): Section | undefined =>
    sections.find((s) => s.name === name && s.kind !== "defaults" && s.kind !== "global");
  const lastIn = (section: Section, prefix: ReadonlyArray<string>): DirectiveLine | undefined => {
    for (let s: Section | undefined = section; s !== undefined; s = s.base) {
      for (let i = s.lines.length - 1; i >= 0; i--) {
        const found = s.lines[i]!;
        if (prefix.every((word, k) => found.words[k] === word)) return found;
      }
    }
    return undefined;
  };
  return {
    find: (name, prefix) => {
      const section = proxy(name);
      return section === undefined ? undefined : lastIn(section, prefix);
    },
    header: (name) => proxy(name)?.line ?? 0,
    globalMaxconn: () => {
      const globals = sections.filter((s) => s.kind === "global");
      const global = globals[globals.length - 1];
      return global === undefined ? undefined : lastIn(global, ["maxconn"]);
    },
  };
}
