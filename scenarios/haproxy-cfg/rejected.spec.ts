// What HAProxy refuses is an error at its line with HAProxy's own suggestion; what it accepts and
// lbsim does not model stays a warning. (test/haproxy/cfg-errors.spec.ts asks the real haproxy -c.)
import { describe, expect, it } from "vitest";
import { haproxySuggestion } from "./haproxy-suggest.js";
import { cfg, fails, imp } from "./test-support.js";

describe("importHaproxyCfg: keywords HAProxy itself refuses", () => {
  it.each([
    // The line, then the error's line, column, message and hint as haproxy -c words them.
    [
      "defaults",
      "  retires 3",
      2,
      3,
      "unknown keyword 'retires' in 'defaults' section",
      "did you mean 'retries'?",
    ],
    [
      "backend b",
      "  balanse roundrobin",
      2,
      3,
      "unknown keyword 'balanse' in 'backend' section",
      "did you mean 'balance'?",
    ],
    [
      "frontend f",
      "  maxconns 10",
      2,
      3,
      "unknown keyword 'maxconns' in 'frontend' section",
      "did you mean 'maxconn'?",
    ],
    ["backend b", "  frobnicate on", 2, 3, "unknown keyword 'frobnicate' in 'backend' section", undefined],
    [
      "global",
      "  nbthreads 2",
      2,
      3,
      "unknown keyword 'nbthreads' in 'global' section",
      "did you mean 'nbthread'?",
    ],
    [
      "global",
      "  tune.bufsiz 1",
      2,
      3,
      "unknown keyword 'tune.bufsiz' in 'global' section",
      "did you mean 'tune.bufsize'?",
    ],
    ["backend b", "  option redispach", 2, 10, "unknown option 'redispach'", "did you mean 'redispatch'?"],
    ["backend b", "  option xyz", 2, 10, "unknown option 'xyz'", undefined],
    [
      "backend b",
      "  timeout conect 5s",
      2,
      11,
      "'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got 'conect')",
      undefined,
    ],
    ["backend b", "  http-check expct status 200", 2, 14, "'http-check' only supports", undefined],
    [
      "backend b",
      "  server s1 1:1 chek",
      2,
      17,
      "'server b/s1' : unknown keyword 'chek'",
      "did you mean 'check'?",
    ],
    [
      "backend b",
      "  server s1 1:1 check inter 2s foo 3",
      2,
      32,
      "'server b/s1' : unknown keyword 'foo'",
      "did you mean 'tfo'?",
    ],
    [
      "backend b",
      "  default-server wieght 2",
      2,
      18,
      "'default-server' : unknown keyword 'wieght'",
      "did you mean 'weight'?",
    ],
  ])("%s / %s", (section, line, lineNo, column, message, hint) => {
    const issues = fails(cfg(section, line, "backend ok", "  server ok 1:1"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "unknown-key", file: "t.cfg", line: lineNo, column });
    expect(issues[0]!.message).toContain(message);
    expect(issues[0]!.hint).toBe(hint);
  });

  it("reports every refused line, not only the first", () => {
    const issues = fails(cfg("defaults", "  retires 3", "backend b", "  server s 1:1 chek", "  wibble 2"));
    expect(issues.map((i) => i.line)).toEqual([2, 4, 5]);
  });

  it("keeps what HAProxy accepts and lbsim does not model as a warning, arguments skipped", () => {
    const r = imp(
      cfg(
        "global",
        "  hard-stop-after 30s",
        "backend b",
        "  option checkcache",
        "  retry-on conn-failure",
        "  http-check comment hello",
        "  server s 1:1 check ws h1 source 10.0.0.1 usesrc clientip weight 3",
      ),
    );
    expect(r.value.backend?.servers).toEqual([{ name: "s", weight: 3, check: true }]);
    expect(r.warnings.map((w) => w.line)).toEqual([2, 4, 5, 6, 7]);
  });
});

describe("haproxySuggestion (cfgparse.c's fingerprint)", () => {
  it("picks the keyword with the closest letter transitions", () => {
    expect(haproxySuggestion("retires", ["retries", "redispatch", "rise"])).toBe("retries");
  });

  it("suggests nothing when even the closest is more than twice either word's length away", () => {
    // frobnicate → frontend: 10 transitions + 10 marks against 9 + 7; HAProxy prints no suggestion.
    expect(haproxySuggestion("frobnicate", ["frontend"])).toBeUndefined();
    expect(haproxySuggestion("frobnicte", ["frontend"])).toBe("frontend");
  });

  it("keeps the first of equally close words, as HAProxy's strict < does", () => {
    expect(haproxySuggestion("ab", ["ba", "ab2", "ab1"])).toBe("ab2");
  });
});
