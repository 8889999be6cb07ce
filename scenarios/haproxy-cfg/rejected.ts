// What HAProxy 2.6 itself refuses in a haproxy.cfg (unknown keywords, options, timeouts, server
// keywords): an error at its line with HAProxy's own "did you mean", as `haproxy -c` prints it.

import {
  GLOBAL_COMMON,
  GLOBAL_REGISTERED,
  GLOBAL_ACCEPTED as GLOBAL_WORDS,
  LISTEN_COMMON,
  LISTEN_REGISTERED,
  LISTEN_ACCEPTED as LISTEN_WORDS,
  OPTION_COMMON,
  OPTION_REGISTERED,
  OPTION_ACCEPTED as OPTION_WORDS,
  SERVER_KEYWORDS,
  TIMEOUT_NAMES,
} from "./haproxy-keywords.js";
import { haproxySuggestion } from "./haproxy-suggest.js";
import type { Line, Word } from "./lex.js";
import type { Kind } from "./model.js";
import type { CfgState } from "./state.js";

export const GLOBAL_ACCEPTED: ReadonlySet<string> = new Set(GLOBAL_WORDS);
export const LISTEN_ACCEPTED: ReadonlySet<string> = new Set(LISTEN_WORDS);
export const OPTION_ACCEPTED: ReadonlySet<string> = new Set(OPTION_WORDS);
export const TIMEOUTS: ReadonlySet<string> = new Set(TIMEOUT_NAMES);

/** HAProxy's candidates, in the order its parser tries them (registered keywords, then its own list). */
const GLOBAL_CANDIDATES = [...GLOBAL_REGISTERED, ...GLOBAL_COMMON];
const LISTEN_CANDIDATES = [...LISTEN_REGISTERED, ...LISTEN_COMMON];
const OPTION_CANDIDATES = [...OPTION_REGISTERED, ...OPTION_COMMON];
const SERVER_CANDIDATES = Object.keys(SERVER_KEYWORDS);

/** `http-check` subcommands (cfgparse-listen.c); `set-var(<name>)` and such carry their argument. */
const HTTP_CHECK_WORDS = ["disable-on-404", "send-state", "comment", "connect", "send", "expect"];
export function HTTP_CHECK_ACCEPTED(word: string): boolean {
  return HTTP_CHECK_WORDS.includes(word) || /^(set-var|set-var-fmt|unset-var)\(.*\)$/.test(word);
}

function refuse(r: CfgState, line: Line, word: Word, message: string, suggestion: string | undefined): void {
  r.issue(
    "unknown-key",
    line.line,
    word.column,
    `${message} (haproxy -c refuses it too)`,
    suggestion === undefined ? undefined : `did you mean '${suggestion}'?`,
  );
}

/** `unknown keyword 'retires' in 'defaults' section` (a listen section is a `listen`, as HAProxy names it). */
export function refuseKeyword(r: CfgState, line: Line, word: Word, kind: Kind): void {
  const global = kind === "global";
  refuse(
    r,
    line,
    word,
    `unknown keyword '${word.text}' in '${kind}' section`,
    haproxySuggestion(word.text, global ? GLOBAL_CANDIDATES : LISTEN_CANDIDATES),
  );
}

export function refuseOption(r: CfgState, line: Line, word: Word): void {
  refuse(r, line, word, `unknown option '${word.text}'`, haproxySuggestion(word.text, OPTION_CANDIDATES));
}

/** A server or default-server keyword HAProxy does not know: `'server b/s1' : unknown keyword 'chek'`. */
export function refuseServerKeyword(r: CfgState, line: Line, word: Word, server: string): void {
  refuse(
    r,
    line,
    word,
    `'${server}' : unknown keyword '${word.text}'`,
    haproxySuggestion(word.text, SERVER_CANDIDATES),
  );
}

export function refuseTimeout(r: CfgState, line: Line, word: Word): void {
  const names = TIMEOUT_NAMES.map((n) => `'${n}'`);
  const list = `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  r.issue(
    "unknown-key",
    line.line,
    word.column,
    `'timeout' supports ${list} (got '${word.text === "timeout" ? "" : word.text}')`,
  );
}

export function refuseHttpCheck(r: CfgState, line: Line, word: Word): void {
  r.issue(
    "unknown-key",
    line.line,
    word.column,
    `'http-check' only supports 'disable-on-404', 'send-state', 'comment', 'connect', 'send', 'expect', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'. but got '${word.text === "http-check" ? "" : word.text}'`,
  );
}
