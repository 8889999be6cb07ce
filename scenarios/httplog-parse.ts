// Reading HAProxy log lines (`option httplog`, or a `log-format` string) into requests: one regex per format.
//
// A format is cut into literals, separators (a run of spaces: HAProxy writes one space, and none
// after a field that wrote nothing) and variables. Each variable becomes a regex group by its kind
// (a date, a number, a word, a quoted string); the line may start with a syslog prefix (RFC 3164
// `Jan  1 00:00:01 host haproxy[1]: `, RFC 5424 `<134>1 2026-… host haproxy 1 - - `, a bare `<134>`
// or `haproxy[1]: `), which is skipped. Width rules for a variable lbsim does not read (`%ID`,
// `%[sample]`, `%H`…): one word without spaces, or nothing (then with one separator fewer); with
// `+Q` one quoted string. A line that does not match is bad; `diagnose` says where it went wrong.

import { readerOf } from "./httplog-fields.js";

export { parseLogDate, unescapeLog } from "./httplog-fields.js";

/** HAProxy 2.6's `option httplog` format (doc/configuration.txt 8.2.3). */
export const HTTPLOG_FORMAT =
  "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";

/** One request as its log line tells it. Times in ms; a timer HAProxy did not reach is -1. */
export interface LogEntry {
  /** When HAProxy started receiving the request (`%tr`), in ms since 1970 as if the log's clock were UTC. */
  readonly acceptMs: number;
  readonly clientIp: string;
  readonly frontend: string;
  readonly backend: string;
  /** The server that served (or failed) it; "" for `<NOSRV>` (and `<STATS>`, `<CACHE>`…). */
  readonly server: string;
  readonly TR: number;
  readonly Tw: number;
  readonly Tc: number;
  readonly Tr: number;
  /** Total active time from `%tr` to the last byte (`%Ta`, or `%Tt` less idle and handshake). */
  readonly Ta: number;
  /** `%ST`; -1 when the client got no answer. */
  readonly status: number;
  /** `%tsc` (4 characters) or `%ts` (2); `----` when the format has neither. */
  readonly termination: string;
  readonly retries: number;
  readonly redispatched: boolean;
  /** `%sc`: the server's connections when the line was written; -1 when the format has none. */
  readonly serverConnections: number;
  /** The path with its query (from `%r`, `%HU`, or `%HP`+`%HQ`), `#XX` escapes decoded; "/" when absent. */
  readonly path: string;
}

type Kind = "date" | "dateTz" | "number" | "hex" | "word" | "quoted" | "request" | "capture" | "skip";

interface Variable {
  readonly name: string;
  readonly kind: Kind;
  /** May write nothing (captures, unknown variables): then the separator before it is not written either. */
  readonly optional: boolean;
  /** A readable description for messages. */
  readonly expected: string;
}

const DATE_MS = "\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?";
const DATE_TZ = "\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}";
const PATTERNS: Readonly<Record<Kind, string>> = {
  date: DATE_MS,
  dateTz: DATE_TZ,
  number: "[+-]?\\d+",
  hex: "[+-]?[0-9A-Fa-f]+",
  word: "\\S+",
  quoted: '"[^"]*"',
  request: ".*?",
  capture: "\\{[^}]*\\}",
  skip: "\\S+",
};

const TIMERS = new Set(["TR", "Tw", "Tc", "Tr", "Ta", "Tt", "Th", "Ti", "Tq", "Td", "Ts", "ms"]);
const COUNTERS = new Set(["cp", "fp", "bp", "sp", "ST", "B", "U", "ac", "fc", "bc", "sc", "sq", "bq", "pid"]);
const WORDS = new Set([
  "ci",
  "fi",
  "bi",
  "si",
  "ft",
  "f",
  "b",
  "s",
  "tsc",
  "ts",
  "CC",
  "CS",
  "HM",
  "HU",
  "HP",
  "HQ",
  "HV",
]);
const WORD_MEANING: Readonly<Record<string, string>> = {
  ci: "the client address",
  ft: "the frontend name",
  b: "the backend name",
  s: "the server name",
  tsc: "the termination state",
};
const DATES = new Set(["tr", "t"]);
const DATES_TZ = new Set(["trg", "trl", "T", "Tl"]);
const CAPTURES = new Set(["hr", "hs", "hrl", "hsl"]);

function variable(name: string, options: ReadonlySet<string>): Variable {
  const quoted = options.has("+Q");
  if (DATES.has(name))
    return { name, kind: "date", optional: false, expected: "a date dd/Mon/yyyy:HH:MM:SS.mmm" };
  if (DATES_TZ.has(name))
    return { name, kind: "dateTz", optional: false, expected: "a date dd/Mon/yyyy:HH:MM:SS +hhmm" };
  if (TIMERS.has(name) || COUNTERS.has(name) || name === "rc") {
    const hex = options.has("+X");
    return {
      name,
      kind: hex ? "hex" : "number",
      optional: false,
      expected: name.startsWith("T") || name === "ms" ? "a number of ms (-1: not reached)" : "a number",
    };
  }
  if (name === "r")
    return { name, kind: quoted ? "quoted" : "request", optional: false, expected: "the request line" };
  if (CAPTURES.has(name)) return { name, kind: "capture", optional: true, expected: "captured headers {…}" };
  if (WORDS.has(name))
    return {
      name,
      kind: quoted ? "quoted" : "word",
      optional: false,
      expected: WORD_MEANING[name] ?? "a word",
    };
  return { name, kind: quoted ? "quoted" : "skip", optional: true, expected: `%${name} (skipped)` };
}

type Token =
  | { readonly type: "literal"; readonly text: string }
  | { readonly type: "separator" }
  | { readonly type: "variable"; readonly variable: Variable };

/** Cuts a log-format string into tokens; throws a FormatError on a `%` that names nothing. */
export function tokenizeLogFormat(format: string): Token[] {
  const tokens: Token[] = [];
  let literal = "";
  const flush = () => {
    if (literal !== "") tokens.push({ type: "literal", text: literal });
    literal = "";
  };
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === " " || c === "\t") {
      flush();
      while (format[i] === " " || format[i] === "\t") i++;
      if (tokens.at(-1)?.type !== "separator") tokens.push({ type: "separator" });
      continue;
    }
    if (c === "\\" && i + 1 < format.length) {
      literal += format[i + 1];
      i += 2;
      continue;
    }
    if (c !== "%") {
      literal += c;
      i++;
      continue;
    }
    if (format[i + 1] === "%") {
      literal += "%";
      i += 2;
      continue;
    }
    let j = i + 1;
    const options = new Set<string>();
    if (format[j] === "{") {
      const close = format.indexOf("}", j);
      if (close < 0) throw new FormatError(`"{" at column ${j + 1} is not closed`);
      for (const option of format.slice(j + 1, close).split(",")) options.add(option.trim());
      j = close + 1;
    }
    let name: string;
    if (format[j] === "[") {
      const close = format.indexOf("]", j);
      if (close < 0) throw new FormatError(`"[" at column ${j + 1} is not closed`);
      name = format.slice(j, close + 1);
      j = close + 1;
    } else {
      const match = /^[A-Za-z]+/.exec(format.slice(j));
      if (match === null) throw new FormatError(`"%" at column ${i + 1} is not followed by a variable name`);
      name = match[0];
      j += name.length;
    }
    flush();
    tokens.push({ type: "variable", variable: variable(name, options) });
    i = j;
  }
  flush();
  return tokens;
}

/** A `--log-format` string lbsim cannot use (exit 2, said on the command line). */
export class FormatError extends Error {}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The syslog headers a line may start with; skipped. */
const SYSLOG_PREFIX =
  "(?:<\\d{1,3}>1 \\S+ \\S+ \\S+ \\S+ \\S+ (?:-|\\[.*?\\]) " +
  "|(?:<\\d{1,3}>)?(?:(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?) \\S+ \\S+?: " +
  "|\\S+?\\[\\d+\\]: )?)";

/** The regex source of tokens [0, end), each variable a group, in order. */
function source(tokens: ReadonlyArray<Token>, end: number): string {
  let out = "";
  for (let i = 0; i < end; i++) {
    const token = tokens[i]!;
    if (token.type === "literal") out += escapeRegex(token.text);
    else if (token.type === "separator") {
      // A separator just before a field that may be empty is written with that field.
      const next = tokens[i + 1];
      if (!(next?.type === "variable" && next.variable.optional && i + 1 < end)) out += " ";
    } else {
      const group = `(${PATTERNS[token.variable.kind]})`;
      if (token.variable.optional)
        out += tokens[i - 1]?.type === "separator" ? `(?: ${group})?` : `${group}?`;
      else out += group;
    }
  }
  return out;
}

export interface CompiledLogFormat {
  readonly format: string;
  /** The entry a line holds, or undefined when it does not match the format. */
  readonly parse: (line: string) => LogEntry | undefined;
  /** Why a line that `parse` refused does not match: where the first field that failed starts. */
  readonly diagnose: (line: string) => string;
}

const REQUIRED: ReadonlyArray<[ReadonlyArray<string>, string]> = [
  [["tr", "t", "trg", "trl", "T", "Tl", "Ts"], "the request's date (%tr, %t, %trg, %trl, %T, %Tl or %Ts)"],
  [["b"], "the backend (%b)"],
  [["s"], "the server (%s)"],
  [["Tr"], "the server's response time (%Tr)"],
  [["Ta", "Tt"], "the request's total time (%Ta or %Tt)"],
];

/** Compiles a log-format string (throws FormatError when it lacks what a replay needs). */
export function compileLogFormat(format: string): CompiledLogFormat {
  const tokens = tokenizeLogFormat(format);
  const variables = tokens.flatMap((t) => (t.type === "variable" ? [t.variable] : []));
  const names = new Set(variables.map((v) => v.name));
  const missing = REQUIRED.filter(([any]) => !any.some((n) => names.has(n))).map(([, what]) => what);
  if (missing.length > 0)
    throw new FormatError(
      `a replay needs ${missing.join(", ")}, and the format lacks ${missing.length === 1 ? "it" : "them"}`,
    );
  const whole = new RegExp(`^${SYSLOG_PREFIX}${source(tokens, tokens.length)}\\s*$`);
  const indexOf = new Map<string, number>();
  variables.forEach((v, i) => {
    if (!indexOf.has(v.name)) indexOf.set(v.name, i + 1);
  });
  const hex = new Set(variables.filter((v) => v.kind === "hex").map((v) => v.name));
  const read = readerOf(indexOf, hex);
  return {
    format,
    parse: (line) => {
      const match = whole.exec(line);
      return match === null ? undefined : read(match);
    },
    diagnose: (line) => diagnose(tokens, line),
  };
}

function diagnose(tokens: ReadonlyArray<Token>, line: string): string {
  // The longest prefix of the format the line matches; the token after it is what failed.
  // A field counts as read only when what follows it in the format follows it in the line too.
  const follows = (end: number): string => {
    const next = tokens[end];
    if (next === undefined) return "\\s*$";
    if (next.type === "literal") return `(?=${escapeRegex(next.text)})`;
    if (next.type === "separator") return "(?= )";
    return "";
  };
  let good = 0;
  for (let end = 1; end <= tokens.length; end++) {
    if (new RegExp(`^${SYSLOG_PREFIX}${source(tokens, end)}${follows(end)}`).test(line)) good = end;
    else break;
  }
  const prefix = new RegExp(`^${SYSLOG_PREFIX}${source(tokens, good)}`).exec(line)?.[0] ?? "";
  const rest = line.slice(prefix.length);
  const found =
    rest === "" ? "the end of the line" : `"${rest.length > 24 ? `${rest.slice(0, 24)}…` : rest}"`;
  if (good === tokens.length) return `unexpected text after the last field: ${found}`;
  let index = good;
  if (tokens[index]?.type === "separator" && tokens[index + 1] !== undefined) index++;
  const token = tokens[index]!;
  const next = tokens[index + 1];
  const then =
    next?.type === "literal" ? `, then "${next.text}"` : next?.type === "separator" ? ", then a space" : "";
  const what =
    token.type === "variable"
      ? `%${token.variable.name}: ${token.variable.expected}${then}`
      : token.type === "literal"
        ? `"${token.text}"`
        : "a space";
  return `column ${prefix.length + 1}: expected ${what}, found ${found}`;
}
