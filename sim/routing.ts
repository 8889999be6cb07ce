// routing: the backend a frontend's use_backend rules choose for a request, as HAProxy's ACL engine does.
//
// HAProxy 2.6 (configuration manual §7.1–7.4, src/acl.c and src/pattern.c), checked against 2.6.12 by
// test/haproxy/routing.spec.ts:
// - rules are tried in order and the first whose condition holds wins; none → `default_backend`;
// - a condition ORs its groups and ANDs each group's terms; a named ACL ORs all its criteria;
// - a fetch that finds nothing (no Host header) makes the criterion fail, so its negation holds;
// - `path` stops before the first `?`, `url` is the whole request target, and `hdr(host)` tests
//   each comma-separated value of the header, blanks trimmed (`a.com,b.com` matches `b.com`);
// - `-i` folds ASCII case only (strncasecmp); `dir`/`dom` match whole words between delimiters
//   (`/ ?` and `/ ? . :`), ignoring delimiters around the pattern, so `path_dir /` never matches;
// - an IPv4 source also matches IPv6 patterns through its mapped form `::ffff:a.b.c.d`.
//
// compileRouting does all parsing up front (with scenarios/acl-patterns.ts, the parsers the loader
// validated the patterns with); the function it returns allocates nothing per request
// except what the request's own getters build and a slice when a regex tests part of a string.

import { type Ipv4Net, ipPattern, lengthRange, regex } from "../scenarios/acl-patterns.js";
import { PREDEFINED_ACL_DEFINITIONS, type PredefinedTest } from "../scenarios/predefined-acls.js";
import type { AclMatch, AclMethod, Condition, FrontendSpec, NamedAcl } from "../scenarios/types.js";
import type { RequestView } from "../strategies/types.js";

// The definitions are scenarios/'s (the loader checks names against them); re-exported for older imports.
export {
  PREDEFINED_ACL_DEFINITIONS,
  type PredefinedAcl,
  type PredefinedTest,
} from "../scenarios/predefined-acls.js";

/**
 * The backend for a request: a name; `null` when no rule applies and the frontend has no
 * `default_backend` (HAProxy answers 503 itself, `<NOSRV>`); `undefined` when no rule applies and
 * the frontend says nothing about a default (the scenario's first backend).
 */
export type Route = (request: RequestView) => string | null | undefined;

// --- evaluation --------------------------------------------------------------------------------

/** The request being routed; each string is read from the request at most once. */
class Sample {
  request: RequestView = { sourceIp: "", sourceKey: 0, path: "", host: "" };
  #target: string | undefined;
  #host: string | undefined;

  reset(request: RequestView): void {
    this.request = request;
    this.#target = undefined;
    this.#host = undefined;
  }
  /** Path and query string. */
  get target(): string {
    if (this.#target === undefined) this.#target = this.request.path;
    return this.#target;
  }
  get host(): string {
    if (this.#host === undefined) this.#host = this.request.host;
    return this.#host;
  }
}

type Test = (sample: Sample) => boolean;
/** A test of `text[start, end)`. */
type TextTest = (text: string, start: number, end: number) => boolean;

const TRUE: Test = () => true;
const FALSE: Test = () => false;

/** Compiles a frontend's rules into one function (throws on a rule the loader should have refused). */
export function compileRouting(frontend: FrontendSpec): Route {
  const fallback = frontend.defaultBackend;
  const rules = frontend.useBackends ?? [];
  if (rules.length === 0) return () => fallback;
  const named = namedAcls(frontend.acls ?? []);
  const tests = rules.map((rule) =>
    rule.condition === null ? TRUE : compileCondition(rule.condition, named),
  );
  const backends = rules.map((rule) => rule.backend);
  const sample = new Sample();
  return (request) => {
    sample.reset(request);
    for (let i = 0; i < tests.length; i++) if (tests[i]!(sample)) return backends[i]!;
    return fallback;
  };
}

/** Named ACLs compiled on first use: the frontend's first, then HAProxy's predefined ones. */
function namedAcls(acls: ReadonlyArray<NamedAcl>): (name: string) => Test {
  const declared = new Map(acls.map((acl) => [acl.name, acl]));
  const compiled = new Map<string, Test>();
  return (name) => {
    let test = compiled.get(name);
    if (test !== undefined) return test;
    const acl = declared.get(name);
    const predefined = PREDEFINED_ACL_DEFINITIONS.get(name);
    if (acl !== undefined) test = anyTest(acl.matches.map(compileMatch));
    else if (predefined !== undefined) test = compilePredefined(predefined.test);
    else throw new Error(`no ACL named "${name}" in this frontend (the loader checks references)`);
    compiled.set(name, test);
    return test;
  };
}

function compilePredefined(test: PredefinedTest): Test {
  switch (test.kind) {
    case "constant":
      return test.value ? TRUE : FALSE;
    case "match":
      return compileMatch(test.match);
    case "http-version":
      return test.version === "1.1" ? (s) => s.host !== "" : (s) => s.host === "";
  }
}

/** `if`/`unless`: OR of groups, AND within a group (src/acl.c acl_exec_cond). */
function compileCondition(condition: Condition, named: (name: string) => Test): Test {
  const groups = condition.anyOf.map((group) =>
    allTest(
      group.map((term) => {
        const test = typeof term.acl === "string" ? named(term.acl) : compileMatch(term.acl);
        return term.negate ? (s: Sample) => !test(s) : test;
      }),
    ),
  );
  const test = anyTest(groups);
  return condition.unless ? (s) => !test(s) : test;
}

function anyTest(tests: ReadonlyArray<Test>): Test {
  if (tests.length === 0) return FALSE;
  if (tests.length === 1) return tests[0]!;
  return (s) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(s)) return true;
    return false;
  };
}

function allTest(tests: ReadonlyArray<Test>): Test {
  if (tests.length === 1) return tests[0]!;
  return (s) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(s)) return false;
    return true;
  };
}

/** One criterion: fetch the sample, then any pattern matching it is enough. */
function compileMatch(match: AclMatch): Test {
  const { fetch, method } = match;
  if (fetch.kind === "src" && method === "ip") return ipTest(match.patterns);
  if (method === "ip") throw new Error(`-m ip applies to src only in lbsim, not to ${fetch.kind}`);
  const text = method === "found" ? () => true : textTest(method, match.patterns, match.ignoreCase);
  switch (fetch.kind) {
    case "src":
      // Converted to its dotted text, as HAProxy casts an address to a string.
      return (s) => {
        const ip = s.request.sourceIp;
        return text(ip, 0, ip.length);
      };
    case "path":
      return (s) => {
        const target = s.target;
        const query = target.indexOf("?");
        return text(target, 0, query < 0 ? target.length : query);
      };
    case "url":
      return (s) => {
        const target = s.target;
        return text(target, 0, target.length);
      };
    case "hdr":
      // lbsim's requests carry no header but Host: any other one is absent.
      return fetch.header === "host" ? (s) => eachValue(s.host, text) : FALSE;
  }
}

/** Each comma-separated value of a header, blanks around it trimmed; "" = no header (no value). */
function eachValue(header: string, test: TextTest): boolean {
  if (header === "") return false;
  let start = 0;
  for (;;) {
    const comma = header.indexOf(",", start);
    const stop = comma < 0 ? header.length : comma;
    let a = start;
    let b = stop;
    while (a < b && isBlank(header.charCodeAt(a))) a++;
    while (b > a && isBlank(header.charCodeAt(b - 1))) b--;
    if (test(header, a, b)) return true;
    if (comma < 0) return false;
    start = comma + 1;
  }
}

const isBlank = (c: number): boolean => c === 32 || c === 9;
/** ASCII-only lower case, as C's tolower in HAProxy's "C" locale. */
const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

function textTest(
  method: Exclude<AclMethod, "ip" | "found">,
  patterns: ReadonlyArray<string>,
  icase: boolean,
) {
  if (method === "len") {
    const ranges = patterns.map((p) => mustParse(lengthRange(p), p));
    return (_: string, start: number, end: number) => {
      const n = end - start;
      for (let i = 0; i < ranges.length; i++) if (n >= ranges[i]!.min && n <= ranges[i]!.max) return true;
      return false;
    };
  }
  if (method === "reg") {
    const regexes = patterns.map((p) => mustParse(regex(p, icase), p));
    return (text: string, start: number, end: number) => {
      const part = start === 0 && end === text.length ? text : text.slice(start, end);
      for (let i = 0; i < regexes.length; i++) if (regexes[i]!.test(part)) return true;
      return false;
    };
  }
  const tests = patterns.map((p) => stringTest(method, icase ? asciiLower(p) : p, icase));
  return (text: string, start: number, end: number) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(text, start, end)) return true;
    return false;
  };
}

/** `text` at `at` equals `pattern` (already lower case when `icase`). */
function same(text: string, at: number, pattern: string, icase: boolean): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = text.charCodeAt(at + i);
    if ((icase ? fold(c) : c) !== pattern.charCodeAt(i)) return false;
  }
  return true;
}

/** pattern.c make_4delim('/', '?', '?', '?') and ('/', '?', '.', ':'). */
const isDirDelimiter = (c: number): boolean => c === 47 || c === 63;
const isDomDelimiter = (c: number): boolean => c === 47 || c === 63 || c === 46 || c === 58;

function stringTest(
  method: "str" | "beg" | "end" | "sub" | "dir" | "dom",
  p: string,
  icase: boolean,
): TextTest {
  const n = p.length;
  switch (method) {
    case "str":
      return (t, a, b) => b - a === n && same(t, a, p, icase);
    case "beg":
      return (t, a, b) => b - a >= n && same(t, a, p, icase);
    case "end":
      return (t, a, b) => b - a >= n && same(t, b - n, p, icase);
    case "sub":
      return (t, a, b) => {
        for (let i = a; i <= b - n; i++) if (same(t, i, p, icase)) return true;
        return false;
      };
    case "dir":
      return wordTest(p, isDirDelimiter, icase);
    case "dom":
      return wordTest(p, isDomDelimiter, icase);
  }
}

/** pattern.c match_word: the pattern as a whole word between delimiters (or the string's ends). */
function wordTest(pattern: string, isDelimiter: (c: number) => boolean, icase: boolean): TextTest {
  let from = 0;
  let to = pattern.length;
  while (from < to && isDelimiter(pattern.charCodeAt(from))) from++;
  while (to > from && isDelimiter(pattern.charCodeAt(to - 1))) to--;
  const p = pattern.slice(from, to);
  const n = p.length;
  // Nothing left (`path_dir /`): HAProxy compares against the byte after the sample, in effect never.
  if (n === 0) return () => false;
  return (t, a, b) => {
    let mayMatch = true;
    const last = b - n;
    for (let i = a; i <= last; i++) {
      if (isDelimiter(t.charCodeAt(i))) {
        mayMatch = true;
        continue;
      }
      if (!mayMatch) continue;
      if (same(t, i, p, icase) && (i === last || isDelimiter(t.charCodeAt(i + n)))) return true;
      mayMatch = false;
    }
    return false;
  };
}

function ipTest(patterns: ReadonlyArray<string>): Test {
  const nets: Ipv4Net[] = [];
  for (const pattern of patterns) {
    const net = mustParse(ipPattern(pattern), pattern);
    if (net !== null) nets.push(net);
  }
  if (nets.length === 0) return FALSE;
  return (s) => {
    const key = s.request.sourceKey;
    for (let i = 0; i < nets.length; i++) if (((key ^ nets[i]!.net) & nets[i]!.mask) === 0) return true;
    return false;
  };
}

function mustParse<T>(parsed: T | string, pattern: string): T {
  if (typeof parsed === "string") throw new Error(`bad ACL pattern "${pattern}": ${parsed}`);
  return parsed;
}
