// acl and use_backend lines: what parses (as HAProxy 2.6 reads it) and what is refused, with which message.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aclNamesUsed,
  PREDEFINED_ACL_DEFINITIONS,
  PREDEFINED_ACLS,
  parseAcl,
  parseCondition,
  parseCriterion,
  parseUseBackend,
  unknownAclNames,
} from "./acl.js";
import type { Result } from "./problem.js";

function value<T>(result: Result<T>): T {
  if (!result.ok)
    throw new Error(`expected success, got: ${result.problems.map((p) => p.message).join("; ")}`);
  return result.value;
}

/** The one problem of a failed parse. */
function refused<T>(result: Result<T>): { message: string; hint?: string } {
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.value)}`);
  expect(result.problems).toHaveLength(1);
  const [problem] = result.problems;
  expect(problem).toMatchObject({ code: "bad-value", path: [] });
  return { message: problem!.message, ...(problem!.hint === undefined ? {} : { hint: problem!.hint }) };
}

describe("parseAcl", () => {
  it("reads a name, a criterion, flags and patterns", () => {
    expect(value(parseAcl("is_api path_beg -i /api /v2"))).toEqual({
      name: "is_api",
      match: { fetch: { kind: "path" }, method: "beg", ignoreCase: true, patterns: ["/api", "/v2"] },
    });
    expect(value(parseAcl("is_admin hdr(host) -i admin.example.com")).match).toEqual({
      fetch: { kind: "hdr", header: "host" },
      method: "str",
      ignoreCase: true,
      patterns: ["admin.example.com"],
    });
    expect(value(parseAcl("internal src 10.0.0.0/8 192.168.1.7")).match).toEqual({
      fetch: { kind: "src" },
      method: "ip",
      ignoreCase: false,
      patterns: ["10.0.0.0/8", "192.168.1.7"],
    });
  });

  it("knows every suffix of path, url and hdr, and req.hdr", () => {
    const method = (line: string) => value(parseAcl(line)).match.method;
    expect(method("s path_end .css .js")).toBe("end");
    expect(method("x hdr_dom(host) example.com")).toBe("dom");
    expect(method("z url_sub token=")).toBe("sub");
    expect(method("d path_dir images")).toBe("dir");
    expect(method("r url_reg ^/v[0-9]+/")).toBe("reg");
    expect(method("l hdr_len(host) 5")).toBe("len");
    expect(value(parseAcl("q req.hdr(host) api")).match.fetch).toEqual({ kind: "hdr", header: "host" });
  });

  it("lets -m choose the method and lower-cases the header name", () => {
    expect(value(parseAcl("y path -m reg ^/v[0-9]+/")).match).toMatchObject({
      method: "reg",
      patterns: ["^/v[0-9]+/"],
    });
    expect(value(parseAcl("h hdr(X-Api-Key) -m found")).match).toEqual({
      fetch: { kind: "hdr", header: "x-api-key" },
      method: "found",
      ignoreCase: false,
      patterns: [],
    });
    expect(value(parseAcl("b src -m beg 127.0.")).match.method).toBe("beg");
  });

  it("takes flags only before the first pattern; -- ends them; -n and -u are harmless", () => {
    expect(value(parseAcl("a path_beg /a -i")).match).toMatchObject({
      ignoreCase: false,
      patterns: ["/a", "-i"],
    });
    expect(value(parseAcl("a path_beg -- -i")).match).toMatchObject({ ignoreCase: false, patterns: ["-i"] });
    expect(value(parseAcl("a src -n -u 7 10.0.0.1")).match.patterns).toEqual(["10.0.0.1"]);
  });

  it("turns length operators into ranges as HAProxy's compatibility layer does", () => {
    expect(value(parseAcl("l path_len gt 3 5:8 lt 2 ge 10 le 4 eq 7 3-5 -2")).match.patterns).toEqual([
      "4:",
      "5:8",
      ":1",
      "10:",
      ":4",
      "7",
      "3-5",
      "-2",
    ]);
  });

  it("accepts a criterion without patterns (HAProxy warns it never matches)", () => {
    expect(value(parseAcl("none path_beg")).match.patterns).toEqual([]);
    expect(value(parseAcl("none path_beg --")).match.patterns).toEqual([]);
  });

  it("splits words as HAProxy does: quotes, escaped blanks, comments, and a backslash kept before a dot", () => {
    expect(value(parseAcl(`q path "/a b" '/c d' /e\\ f /g#comment`)).match.patterns).toEqual([
      "/a b",
      "/c d",
      "/e f",
      "/g",
    ]);
    expect(value(parseAcl("w path_reg ^/a\\.b$")).match.patterns).toEqual(["^/a\\.b$"]);
    expect(value(parseAcl("w path_reg '^/a\\.b$'")).match.patterns).toEqual(["^/a\\.b$"]);
    expect(value(parseAcl("x path /\\x41")).match.patterns).toEqual(["/A"]);
  });

  it("refuses an unknown criterion with a did-you-mean hint", () => {
    expect(refused(parseAcl("x pathbeg /a"))).toEqual({
      message: expect.stringMatching(/^unknown criterion "pathbeg"; expected path, path_beg, path_end, /),
      hint: 'did you mean "path_beg"?',
    });
    expect(refused(parseAcl("x hdr_begin(host) a")).hint).toBe('did you mean "hdr_beg"?');
    expect(refused(parseAcl("x method GET")).message).toMatch(
      /^criterion "method" reads what lbsim's requests/,
    );
  });

  it("refuses a line without a name, or without a criterion", () => {
    expect(refused(parseAcl(""))).toEqual({ message: expect.stringMatching(/^missing ACL name; expected/) });
    expect(refused(parseAcl("path_beg /api"))).toEqual({
      message: 'missing ACL name before the criterion "path_beg"',
      hint: 'an acl line names the ACL first, e.g. "my_acl path_beg /api"',
    });
    expect(refused(parseAcl("is_api")).message).toBe(
      'missing criterion after ACL name "is_api"; expected e.g. "is_api path_beg /api"',
    );
    expect(refused(parseAcl("x!y path /a")).message).toBe('character "!" is not permitted in ACL name "x!y"');
  });

  it("refuses unknown flags, files, and methods it cannot apply", () => {
    expect(refused(parseAcl("x path_beg -q /a"))).toEqual({
      message: 'unknown flag "-q"; expected -i, -m <method>, -n, -u <id> or --',
      hint: 'write "--" before a pattern that begins with "-"',
    });
    expect(refused(parseAcl("x path -f /etc/paths.lst")).message).toBe(
      '"-f": patterns from files are not supported; write them on the line',
    );
    expect(refused(parseAcl("x path -M /a")).message).toMatch(/patterns from files are not supported/);
    expect(refused(parseAcl("x path -m dirs /a")).hint).toBe('did you mean "dir"?');
    expect(refused(parseAcl("x path -m")).message).toMatch(/^"-m" needs a matching method/);
    expect(refused(parseAcl("x path -m int 3")).message).toMatch(/^matching method "int" is not supported/);
    expect(refused(parseAcl("x path -m ip 10.0.0.1")).message).toBe('"-m ip" applies only to "src" in lbsim');
    expect(refused(parseAcl("x src -u a 10.0.0.1")).message).toBe('"-u" needs an integer id after it');
  });

  it("refuses bad addresses and networks, naming the pattern", () => {
    expect(refused(parseAcl("x src 10.0.0.0/33")).message).toMatch(
      /^"10\.0\.0\.0\/33": the mask "33" is neither/,
    );
    expect(refused(parseAcl("x src 10.0.0.256")).message).toMatch(/^"10\.0\.0\.256": a part is out of range/);
    expect(refused(parseAcl("x src localhost")).message).toMatch(/does not resolve host names/);
    expect(refused(parseAcl("x src 010.0.0.1")).message).toMatch(/leading zeros/);
    expect(refused(parseAcl("x src 1::2::3")).message).toMatch(/^"1::2::3": not an IPv6 address/);
    expect(refused(parseAcl("x src ::1/129")).message).toMatch(/bit count, 0\.\.128/);
    expect(
      value(parseAcl("x src 127.1 ::1 ::ffff:10.0.0.0/104 10.0.0.0/255.0.0.0")).match.patterns,
    ).toHaveLength(4);
  });

  it("refuses bad regexes, and PCRE syntax JavaScript would read differently", () => {
    expect(refused(parseAcl("x path_reg ([")).message).toMatch(/^regex "\(\[" is invalid: /);
    expect(refused(parseAcl("x path_reg \\A/api")).message).toMatch(/uses "\\A", which lbsim/);
    expect(refused(parseAcl("x path_reg (?i)api")).message).toMatch(/uses "\(\?i"/);
    expect(refused(parseAcl("x path_reg a++")).message).toMatch(/uses "\+\+"/);
    // `\\` in haproxy.cfg is one backslash: single quotes keep both, for a regex matching "\A".
    expect(value(parseAcl("x path_reg [+*]+ '\\\\A'")).match.patterns).toEqual(["[+*]+", "\\\\A"]);
  });

  it("refuses bad lengths", () => {
    expect(refused(parseAcl("x path_len abc")).message).toMatch(/^"abc" is not a length or a range/);
    expect(refused(parseAcl("x path_len 5-3")).message).toMatch(/^"5-3" is not a length/);
    expect(refused(parseAcl("x path_len gt x")).message).toBe(
      '"x" is neither a length nor an operator (eq, ge, gt, le, lt)',
    );
  });

  it("refuses header criteria without a header name, occurrences and converters", () => {
    expect(refused(parseAcl("x hdr_beg a")).message).toBe(
      '"hdr_beg" needs a header name, e.g. "hdr_beg(host)"',
    );
    expect(refused(parseAcl("x hdr() a")).message).toBe('"hdr()" needs a header name, e.g. "hdr(host)"');
    expect(refused(parseAcl("x hdr(host a")).message).toBe('"hdr(host": missing ")" after the header name');
    expect(refused(parseAcl("x hdr(host,1) a")).message).toMatch(/occurrences are not supported/);
    expect(refused(parseAcl("x hdr(host),lower a")).message).toMatch(
      /^converters \(",lower"\) are not supported/,
    );
    expect(refused(parseAcl("x path_beg(x) /a")).message).toBe(
      '"path_beg" takes no argument; found "path_beg(x)"',
    );
  });

  it("refuses lines HAProxy could not split, or would cut short", () => {
    expect(refused(parseAcl('x path "/a')).message).toMatch(/^the quote " is never closed/);
    expect(refused(parseAcl("x path /\\xZZ")).message).toMatch(/expected \\x and two hex digits/);
    expect(refused(parseAcl('x path "" /a')).message).toMatch(/empty word/);
    expect(refused(parseAcl("x path /a\n/b")).message).toMatch(/one line expected/);
  });

  it("keeps patterns made of ordinary characters exactly as written", () => {
    const word = fc.string({
      unit: fc.constantFrom("a", "Z", "0", "/", ".", "_", "~", "=", "%", "?"),
      minLength: 1,
    });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (patterns) => {
        expect(value(parseAcl(`n path_beg ${patterns.join(" ")}`)).match.patterns).toEqual(patterns);
      }),
    );
  });
});

describe("parseUseBackend", () => {
  const api = { fetch: { kind: "path" }, method: "beg", ignoreCase: false, patterns: ["/x"] };

  it("reads an unconditional rule", () => {
    expect(value(parseUseBackend("api"))).toEqual({ backend: "api", condition: null, text: "api" });
  });

  it("reads terms (ANDed), groups (|| and or), negations and anonymous ACLs", () => {
    expect(value(parseUseBackend("api if is_api !is_admin || { path_beg /x }"))).toEqual({
      backend: "api",
      condition: {
        unless: false,
        anyOf: [
          [
            { negate: false, acl: "is_api" },
            { negate: true, acl: "is_admin" },
          ],
          [{ negate: false, acl: api }],
        ],
      },
      text: "api if is_api !is_admin || { path_beg /x }",
    });
    expect(
      value(parseUseBackend("api if { hdr(host) -i api.example.com } or is_api")).condition?.anyOf,
    ).toEqual([
      [
        {
          negate: false,
          acl: {
            fetch: { kind: "hdr", header: "host" },
            method: "str",
            ignoreCase: true,
            patterns: ["api.example.com"],
          },
        },
      ],
      [{ negate: false, acl: "is_api" }],
    ]);
  });

  it("reads unless, a lone or repeated !, and OR in capitals (strcasecmp)", () => {
    expect(value(parseUseBackend("static unless is_api")).condition).toEqual({
      unless: true,
      anyOf: [[{ negate: false, acl: "is_api" }]],
    });
    expect(
      value(parseCondition(["if", "!", "a", "!!b", "!", "!{", "path_beg", "/x", "}", "OR", "c"])),
    ).toEqual({
      unless: false,
      anyOf: [
        [
          { negate: true, acl: "a" },
          { negate: false, acl: "b" },
          { negate: false, acl: api },
        ],
        [{ negate: false, acl: "c" }],
      ],
    });
  });

  it("refuses if or unless with nothing after it, though HAProxy accepts it", () => {
    expect(refused(parseUseBackend("api if"))).toEqual({
      message: '"if" with nothing after it; expected a condition, e.g. "if is_api"',
      hint: "HAProxy accepts it and never applies the rule",
    });
    expect(refused(parseUseBackend("api unless")).hint).toBe(
      "HAProxy accepts it and always applies the rule",
    );
  });

  it("refuses a dangling, leading or doubled || and a ! that negates nothing", () => {
    expect(refused(parseUseBackend("api if a ||"))).toEqual({
      message: '"||" at the end of the condition; expected a term after it',
      hint: "HAProxy ignores it",
    });
    expect(refused(parseUseBackend("api if or a")).message).toBe(
      '"or" with no term before it; expected "a || b"',
    );
    expect(refused(parseUseBackend("api if a || || b")).message).toMatch(/^"\|\|" with no term before it/);
    expect(refused(parseUseBackend("api if a !")).message).toBe(
      'a "!" at the end of the condition negates nothing',
    );
    expect(refused(parseUseBackend("api if a ! || b")).message).toBe('a "!" before "||" negates nothing');
  });

  it("refuses unbalanced or glued braces", () => {
    expect(refused(parseUseBackend("api if { path_beg /x"))).toEqual({
      message: 'missing closing "}" in the condition',
    });
    expect(refused(parseUseBackend("api if { path_beg /x}"))).toEqual({
      message: 'missing closing "}" in the condition',
      hint: 'braces are separate words: write "/x }"',
    });
    expect(refused(parseUseBackend("api if {path_beg /x}")).message).toBe(
      '"{path_beg": braces must be separate words, e.g. "{ path_beg /api }"',
    );
    expect(refused(parseUseBackend("api if a }")).message).toBe('"}" without a matching "{"');
    expect(refused(parseUseBackend("api if { }")).message).toMatch(/^empty braces/);
  });

  it("passes on the problem of an anonymous ACL", () => {
    expect(refused(parseUseBackend("api if { pathbeg /x }")).hint).toBe('did you mean "path_beg"?');
    expect(refused(parseUseBackend("api if { src 10.0.0.0/40 }")).message).toMatch(/^"10\.0\.0\.0\/40"/);
  });

  it("refuses what follows the backend name if it is not if or unless, and bad names", () => {
    expect(refused(parseUseBackend("api foo"))).toEqual({
      message: 'unexpected word "foo" after the backend name; expected "if" or "unless"',
    });
    expect(refused(parseUseBackend("api IF a")).hint).toBe("they are lower case");
    expect(refused(parseUseBackend("")).message).toMatch(/^missing backend name/);
    expect(refused(parseUseBackend("%[req.hdr(x)] if a")).message).toMatch(/log-format\) are not supported/);
    expect(refused(parseUseBackend("api if a && b")).message).toMatch(/^"&&" is not an operator/);
    expect(refused(parseUseBackend("api if a and b")).message).toMatch(/^"and" is not an operator/);
  });
});

describe("aclNamesUsed and unknownAclNames", () => {
  const condition = value(parseUseBackend("x if a !b || { path / } a || TRUE c")).condition!;

  it("lists the named ACLs a condition uses, once each, in order", () => {
    expect(aclNamesUsed(condition)).toEqual(["a", "b", "TRUE", "c"]);
  });

  it("finds the names neither declared nor predefined", () => {
    expect(unknownAclNames(condition, ["a", "c"])).toEqual(["b"]);
  });
});

describe("PREDEFINED_ACLS", () => {
  it("names HAProxy's predefined ACLs", () => {
    for (const name of [
      "TRUE",
      "FALSE",
      "LOCALHOST",
      "HTTP",
      "HTTP_1.0",
      "HTTP_1.1",
      "HTTP_URL_SLASH",
      "METH_GET",
    ])
      expect(PREDEFINED_ACLS.has(name), name).toBe(true);
    expect([...PREDEFINED_ACLS]).toEqual([...PREDEFINED_ACL_DEFINITIONS.keys()]);
  });

  it("evaluates those defined by a criterion exactly as HAProxy's definition parses", () => {
    for (const definition of PREDEFINED_ACL_DEFINITIONS.values()) {
      if (definition.test.kind !== "match") continue;
      expect(value(parseCriterion(definition.haproxy.split(" "))), definition.name).toEqual(
        definition.test.match,
      );
    }
  });
});
