// acl and use_backend lines: HAProxy 2.6's ACL grammar (configuration manual §7.1–7.2, src/acl.c) as types.ts data.
//
// Where HAProxy accepts a line that cannot mean what was written, lbsim refuses it: `if` or `||`
// with nothing after it, a `!` that negates nothing (HAProxy ignores them silently), braces glued
// to a word (`{path_beg` is looked up as an ACL name). Everything else follows HAProxy: flags only
// before the first pattern, `--` ends them, `-i` and `-m` apply to all patterns, `or` in any case,
// a criterion without patterns never matches (HAProxy warns), `gt 3` is the length range `4:`.

import { patternProblem } from "./acl-patterns.js";
import { lexLine } from "./haproxy-cfg/lex.js";
import { nearest } from "./hint.js";
import { PREDEFINED_ACLS } from "./predefined-acls.js";
import { fail, ok, type Problem, problem, type Result } from "./problem.js";
import type { AclFetch, AclMatch, AclMethod, AclTerm, Condition, UseBackendRule } from "./types.js";

export {
  PREDEFINED_ACL_DEFINITIONS,
  PREDEFINED_ACLS,
  type PredefinedAcl,
  type PredefinedTest,
} from "./predefined-acls.js";

/** One `acl` line: HAProxy ORs the criteria of every line with the same name. */
export interface NamedAclLine {
  readonly name: string;
  readonly match: AclMatch;
}

type Criterion = { readonly fetch: AclFetch["kind"]; readonly method: AclMethod; readonly header: boolean };

const SUFFIXES: ReadonlyArray<readonly [string, AclMethod]> = [
  ["", "str"],
  ["_beg", "beg"],
  ["_end", "end"],
  ["_sub", "sub"],
  ["_dir", "dir"],
  ["_dom", "dom"],
  ["_reg", "reg"],
  ["_len", "len"],
];

/** The criteria lbsim reads: HAProxy's ACL keywords for the path, the URL, a header and the source. */
const CRITERIA: ReadonlyMap<string, Criterion> = new Map([
  ...(["path", "url", "hdr"] as const).flatMap((fetch) =>
    SUFFIXES.map(([suffix, method]): [string, Criterion] => [
      `${fetch}${suffix}`,
      { fetch, method, header: fetch === "hdr" },
    ]),
  ),
  ["req.hdr", { fetch: "hdr", method: "str", header: true }],
  ["src", { fetch: "src", method: "ip", header: false }],
]);

const EXPECTED_CRITERIA =
  "expected path, path_beg, path_end, path_sub, path_dir, path_dom, path_reg, path_len, the same for url, " +
  "hdr(<name>), hdr_beg(<name>)…, req.hdr(<name>) or src";

/** HAProxy fetches whose data lbsim's requests do not carry. */
const UNSUPPORTED_FETCHES = new Set([
  "method",
  "query",
  "pathq",
  "base",
  "url_param",
  "urlp",
  "cook",
  "req.cook",
  "req.fhdr",
  "hdr_cnt",
  "hdr_val",
  "hdr_ip",
  "dst",
  "dst_port",
  "src_port",
  "req.ver",
  "ssl_fc",
  "ssl_fc_sni",
  "req.ssl_sni",
  "http_auth",
]);

const METHODS: ReadonlyArray<AclMethod> = [
  "str",
  "beg",
  "end",
  "sub",
  "dir",
  "dom",
  "reg",
  "len",
  "ip",
  "found",
];
const LENGTH_OPERATORS = new Set(["eq", "ge", "gt", "le", "lt"]);
const NAME = /^[A-Za-z0-9_.:-]+$/;

/** What follows `acl` on a haproxy.cfg line: `is_api path_beg -i /api /v2`. */
export function parseAcl(text: string): Result<NamedAclLine> {
  const words = splitWords(text);
  return words.ok ? parseAclWords(words.value) : words;
}

/** An `acl` line already split into words (the haproxy.cfg importer's). */
export function parseAclWords(words: ReadonlyArray<string>): Result<NamedAclLine> {
  const [name, ...rest] = words;
  if (name === undefined)
    return bad(
      'missing ACL name; expected "<name> <criterion> [flags] [patterns]", e.g. "is_api path_beg /api"',
    );
  const looksLikeCriterion = CRITERIA.has(criterionKeyword(name));
  if (looksLikeCriterion && !CRITERIA.has(criterionKeyword(rest[0] ?? "")))
    return bad(
      `missing ACL name before the criterion "${name}"`,
      `an acl line names the ACL first, e.g. "my_acl ${words.join(" ")}"`,
    );
  const badChar = [...name].find((c) => !NAME.test(c));
  if (badChar !== undefined)
    return bad(
      `character "${badChar}" is not permitted in ACL name "${name}"`,
      'use letters, digits, "-", "_", "." and ":"',
    );
  if (rest.length === 0)
    return bad(`missing criterion after ACL name "${name}"; expected e.g. "${name} path_beg /api"`);
  const match = parseCriterion(rest);
  return match.ok ? ok({ name, match: match.value }) : match;
}

/** What follows `use_backend`: `api if is_api !is_admin || { path_beg /x }`, or just `api`. */
export function parseUseBackend(text: string): Result<UseBackendRule> {
  const words = splitWords(text);
  return words.ok ? parseUseBackendWords(words.value, text.trim()) : words;
}

/** A `use_backend` line already split into words; `text` is kept for messages. */
export function parseUseBackendWords(
  words: ReadonlyArray<string>,
  text = words.join(" "),
): Result<UseBackendRule> {
  const [backend, keyword] = words;
  if (backend === undefined) return bad('missing backend name; expected "<backend> [if|unless <condition>]"');
  if (backend.includes("%["))
    return bad(`"${backend}": backend names built from the request (log-format) are not supported`);
  if (!NAME.test(backend))
    return bad(`"${backend}" is not a backend name (letters, digits, "-", "_", "." and ":")`);
  if (keyword === undefined) return ok({ backend, condition: null, text });
  if (keyword !== "if" && keyword !== "unless")
    return bad(
      `unexpected word "${keyword}" after the backend name; expected "if" or "unless"`,
      keyword.toLowerCase() === "if" || keyword.toLowerCase() === "unless"
        ? "they are lower case"
        : undefined,
    );
  const condition = parseCondition(words.slice(1));
  return condition.ok ? ok({ backend, condition: condition.value, text }) : condition;
}

/**
 * `if`/`unless` and a condition (src/acl.c parse_acl_cond): terms are ANDed, `||` and `or` start
 * another group, `!` (alone or glued, repeatable) negates the next term, `{ criterion … }` is an
 * anonymous ACL. Named ACLs are not looked up here (see aclNamesUsed).
 */
export function parseCondition(words: ReadonlyArray<string>): Result<Condition> {
  const [keyword, ...rest] = words;
  if (keyword !== "if" && keyword !== "unless")
    return bad(
      `a condition starts with "if" or "unless", not ${keyword === undefined ? "nothing" : `"${keyword}"`}`,
    );
  if (rest.length === 0)
    return bad(
      `"${keyword}" with nothing after it; expected a condition, e.g. "${keyword} is_api"`,
      `HAProxy accepts it and ${keyword === "if" ? "never applies" : "always applies"} the rule`,
    );
  const anyOf: AclTerm[][] = [];
  let group: AclTerm[] = [];
  let negate = false;
  for (let i = 0; i < rest.length; i++) {
    let word = rest[i]!;
    while (word.startsWith("!")) {
      negate = !negate;
      word = word.slice(1);
    }
    if (word === "") continue;
    if (word === "||" || word.toLowerCase() === "or") {
      if (group.length === 0)
        return bad(`"${word}" with no term before it; expected "a || b"`, "HAProxy ignores it");
      if (negate) return bad(`a "!" before "${word}" negates nothing`);
      anyOf.push(group);
      group = [];
      continue;
    }
    if (word === "&&" || word.toLowerCase() === "and")
      return bad(`"${word}" is not an operator; terms next to each other are ANDed: "if a b"`);
    let acl: string | AclMatch = word;
    if (word === "{") {
      const close = rest.indexOf("}", i + 1);
      if (close < 0) {
        const glued = rest.slice(i + 1).find((w) => w.endsWith("}"));
        return bad(
          'missing closing "}" in the condition',
          glued === undefined ? undefined : `braces are separate words: write "${glued.slice(0, -1)} }"`,
        );
      }
      if (close === i + 1) return bad('empty braces; expected a criterion, e.g. "{ path_beg /api }"');
      const match = parseCriterion(rest.slice(i + 1, close));
      if (!match.ok) return match;
      acl = match.value;
      i = close;
    } else if (word === "}") {
      return bad('"}" without a matching "{"');
    } else if (word.startsWith("{") || word.endsWith("}")) {
      return bad(`"${word}": braces must be separate words, e.g. "{ path_beg /api }"`);
    } else if (!NAME.test(word)) {
      return bad(`"${word}" is not an ACL name (letters, digits, "-", "_", "." and ":")`);
    }
    group.push({ negate, acl });
    negate = false;
  }
  if (negate) return bad('a "!" at the end of the condition negates nothing');
  if (group.length === 0)
    return bad(
      `"${rest[rest.length - 1]}" at the end of the condition; expected a term after it`,
      "HAProxy ignores it",
    );
  anyOf.push(group);
  return ok({ unless: keyword === "unless", anyOf });
}

/** `criterion [flags] [patterns]`: the rest of an `acl` line, or the inside of `{ … }`. */
export function parseCriterion(words: ReadonlyArray<string>): Result<AclMatch> {
  const [word, ...rest] = words;
  if (word === undefined) return bad("missing criterion");
  const keyword = criterionKeyword(word);
  const suffix = word.slice(keyword.length);
  const known = CRITERIA.get(keyword);
  if (known === undefined) {
    if (UNSUPPORTED_FETCHES.has(keyword))
      return bad(`criterion "${keyword}" reads what lbsim's requests do not carry; ${EXPECTED_CRITERIA}`);
    const close = nearest(keyword, CRITERIA.keys());
    return bad(
      `unknown criterion "${word}"; ${EXPECTED_CRITERIA}`,
      close === undefined ? undefined : `did you mean "${close}"?`,
    );
  }
  const fetch = criterionFetch(keyword, known, suffix);
  if (!fetch.ok) return fetch;
  let method = known.method;
  let ignoreCase = false;
  let i = 0;
  for (; i < rest.length && rest[i]!.startsWith("-"); i++) {
    const flag = rest[i]!;
    if (flag === "--") {
      i++;
      break;
    }
    if (flag === "-i") ignoreCase = true;
    else if (flag === "-n") continue;
    else if (flag === "-u") {
      if (!/^\d+$/.test(rest[i + 1] ?? "")) return bad('"-u" needs an integer id after it');
      i++;
    } else if (flag === "-f" || flag === "-M")
      return bad(`"${flag}": patterns from files are not supported; write them on the line`);
    else if (flag === "-m") {
      const name = rest[++i];
      const chosen = matchingMethod(name, fetch.value);
      if (!chosen.ok) return chosen;
      method = chosen.value;
    } else
      return bad(
        `unknown flag "${flag}"; expected -i, -m <method>, -n, -u <id> or --`,
        'write "--" before a pattern that begins with "-"',
      );
  }
  const patterns = patternsOf(method, ignoreCase, rest.slice(i));
  if (!patterns.ok) return patterns;
  return ok({ fetch: fetch.value, method, ignoreCase, patterns: patterns.value });
}

/** Every named ACL a condition refers to, once each, in order (to check against the frontend's). */
export function aclNamesUsed(condition: Condition): string[] {
  const names = new Set<string>();
  for (const group of condition.anyOf)
    for (const term of group) if (typeof term.acl === "string") names.add(term.acl);
  return [...names];
}

/** The names a condition uses that are neither among `declared` (the frontend's) nor predefined. */
export function unknownAclNames(condition: Condition, declared: Iterable<string>): string[] {
  const known = new Set(declared);
  return aclNamesUsed(condition).filter((name) => !known.has(name) && !PREDEFINED_ACLS.has(name));
}

// --- helpers -----------------------------------------------------------------------------------

function bad<T>(message: string, hint?: string): Result<T> {
  return fail("bad-value", message, hint);
}

/**
 * A line's words as HAProxy's parse_line cuts them (manual §2.2), with the haproxy.cfg lexer:
 * blanks separate words, `#` starts a comment, quotes group, a backslash escapes only a blank, `#`,
 * `\\` or a quote (`\t \n \r \xNN` are translated) and stays before anything else (`\.` in a regex).
 */
function splitWords(text: string): Result<string[]> {
  if (/[\r\n]/.test(text)) return bad("one line expected; found a line break");
  const lexed = lexLine(text, 1);
  if ("message" in lexed)
    return bad(
      `${lexed.message.replace(" opened here", "")} in "${text.trim()}" (at character ${lexed.column})`,
    );
  const words = lexed.words.map((w) => w.text);
  // HAProxy stops reading a line's arguments at an empty one, so `""` would drop what follows.
  if (words.includes("")) return bad("an empty word (\"\" or '') is not allowed here");
  return ok(words);
}

/** `hdr_beg(host),lower` → `hdr_beg` (HAProxy's is_idchar run). */
function criterionKeyword(word: string): string {
  return /^[A-Za-z0-9_.]*/.exec(word)![0];
}

function criterionFetch(keyword: string, criterion: Criterion, suffix: string): Result<AclFetch> {
  if (suffix.startsWith(",") || /^\([^)]*\),/.test(suffix))
    return bad(`converters ("${suffix.slice(suffix.indexOf(","))}") are not supported in lbsim's ACLs`);
  if (!criterion.header) {
    if (suffix !== "") return bad(`"${keyword}" takes no argument; found "${keyword}${suffix}"`);
    return ok(criterion.fetch === "src" ? { kind: "src" } : { kind: criterion.fetch as "path" | "url" });
  }
  if (!suffix.startsWith("(")) return bad(`"${keyword}" needs a header name, e.g. "${keyword}(host)"`);
  if (!suffix.endsWith(")")) return bad(`"${keyword}${suffix}": missing ")" after the header name`);
  const inside = suffix.slice(1, -1).trim();
  if (inside === "") return bad(`"${keyword}()" needs a header name, e.g. "${keyword}(host)"`);
  if (inside.includes(","))
    return bad(
      `"${keyword}(${inside})": header occurrences are not supported; write "${keyword}(${inside.split(",")[0]})"`,
    );
  return ok({ kind: "hdr", header: inside.toLowerCase() });
}

function matchingMethod(name: string | undefined, fetch: AclFetch): Result<AclMethod> {
  if (name === undefined) return bad(`"-m" needs a matching method after it: ${METHODS.join(", ")}`);
  if (["bool", "int", "bin", "regm"].includes(name))
    return bad(`matching method "${name}" is not supported by lbsim; expected ${METHODS.join(", ")}`);
  const method = METHODS.find((m) => m === name);
  if (method === undefined) {
    const close = nearest(name, METHODS);
    return bad(
      `unknown matching method "${name}"; expected ${METHODS.join(", ")}`,
      close === undefined ? undefined : `did you mean "${close}"?`,
    );
  }
  if (method === "ip" && fetch.kind !== "src") return bad('"-m ip" applies only to "src" in lbsim');
  return ok(method);
}

/** Patterns as written, checked; for lengths, `gt 3` becomes `4:` as HAProxy's compatibility layer does. */
function patternsOf(method: AclMethod, ignoreCase: boolean, words: ReadonlyArray<string>): Result<string[]> {
  const patterns: string[] = [];
  const problems: Problem[] = [];
  let operator = "eq";
  for (const word of words) {
    if (method === "found") {
      patterns.push(word);
      continue;
    }
    let pattern = word;
    if (method === "len") {
      if (LENGTH_OPERATORS.has(word)) {
        operator = word;
        continue;
      }
      if (operator !== "eq" && !/[:-]/.test(word)) {
        if (!/^\d+$/.test(word)) {
          problems.push(
            problem("bad-value", `"${word}" is neither a length nor an operator (eq, ge, gt, le, lt)`),
          );
          continue;
        }
        pattern = lengthBound(operator, Number(word));
      }
    }
    const why = patternProblem(method, pattern, ignoreCase);
    if (why === undefined) patterns.push(pattern);
    else problems.push(problem("bad-value", why));
  }
  return problems.length === 0 ? ok(patterns) : { ok: false, problems };
}

/** src/acl.c: `gt n` → `n+1:`, `ge n` → `n:`, `lt n` → `:n-1`, `le n` → `:n`. */
function lengthBound(operator: string, n: number): string {
  if (operator === "gt") return `${n + 1}:`;
  if (operator === "ge") return `${n}:`;
  if (operator === "lt") return `:${n - 1}`;
  return `:${n}`;
}
