// One read of a haproxy.cfg in progress: its issues, warnings, ignored lines, proxies and defaults, and number/duration reading.

import type { InputErrorCode, InputIssue } from "../../errors/index.js";
import type { Line, Word } from "./lex.js";
import { type CfgDuration, type CfgNote, type CfgProxy, emptySettings, type Settings } from "./model.js";

const DURATION = /^(\d+)(us|ms|s|m|h|d)?$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

export class CfgState {
  readonly issues: InputIssue[] = [];
  readonly warnings: CfgNote[] = [];
  readonly ignored = new Map<string, number[]>();
  readonly proxies: CfgProxy[] = [];
  readonly namedDefaults = new Map<string, Settings>();
  defaults: Settings = emptySettings();
  globalMaxconn: number | undefined;

  constructor(readonly file: string) {}

  issue(code: InputErrorCode, line: number, column: number, message: string, hint?: string): void {
    const issue: InputIssue = { code, file: this.file, line, column, path: "", message };
    this.issues.push(hint === undefined ? issue : { ...issue, hint });
  }

  bad(line: Line, word: Word | undefined, what: string, expected: string): void {
    const at = word ?? line.words[line.words.length - 1]!;
    const found = word === undefined ? "nothing" : `"${word.text}"`;
    this.issue(
      "bad-value",
      line.line,
      word === undefined ? at.column + at.text.length : at.column,
      `${what}: found ${found}, expected ${expected}`,
    );
  }

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  ignore(directive: string, line: number): void {
    const lines = this.ignored.get(directive);
    if (lines === undefined) this.ignored.set(directive, [line]);
    else lines.push(line);
  }

  // ---- values --------------------------------------------------------------------------------

  integer(line: Line, word: Word | undefined, what: string, min: number, max: number): number | undefined {
    const text = word?.text;
    if (text !== undefined && /^-?\d{1,9}$/.test(text)) {
      const value = Number(text);
      if (value >= min && value <= max) return value;
    }
    const range =
      max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    this.bad(line, word, what, range);
    return undefined;
  }

  /**
   * A duration as the scenario value writes it: the cfg's own text when it has a unit (`30s` stays
   * `30s`, which a scenario reads the same), the number of ms when it is bare (`5000`: ms in both).
   */
  durationValue(
    line: Line,
    word: Word | undefined,
    what: string,
    positive: boolean,
  ): CfgDuration | undefined {
    const ms = this.duration(line, word, what, positive);
    if (ms === undefined || word === undefined) return undefined;
    return /^\d+$/.test(word.text) ? ms : word.text;
  }

  duration(line: Line, word: Word | undefined, what: string, positive: boolean): number | undefined {
    const match = word === undefined ? null : DURATION.exec(word.text);
    if (match !== null && match[1]!.length <= 12) {
      const ms = Number(match[1]) * UNIT_MS[match[2] ?? "ms"]!;
      if (!positive || ms > 0) return ms;
    }
    this.bad(
      line,
      word,
      what,
      `${positive ? "a positive " : "a "}duration: a whole number with an optional unit us, ms, s, m, h or d (a bare number is milliseconds)`,
    );
    return undefined;
  }
}
