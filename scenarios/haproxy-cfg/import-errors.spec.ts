// The haproxy.cfg importer on bad input: malformed values are InputErrors at line and column, and
// fuzzed files never throw anything else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../errors/index.js";
import { cfg, fails, imp, seed } from "./test-support.js";

describe("importHaproxyCfg: malformed values are InputErrors at line and column", () => {
  it.each([
    ["  server s 1:1 weight 300", 2, 23, 'weight: found "300", expected a whole number from 0 to 256'],
    ["  server s 1:1 weight", 2, 22, "weight: found nothing"],
    ["  timeout connect 5 s", 2, 21, 'timeout connect: found "s", expected nothing after the duration'],
    ["  timeout server 1.5s", 2, 18, 'timeout server: found "1.5s"'],
    ["  balance robin", 2, 11, 'balance: found "robin"'],
    ["  balance url_param", 2, 11, 'balance: found "url_param"'],
    ["  hash-type ring", 2, 13, "hash-type:"],
    ["  retries many", 2, 11, 'retries: found "many"'],
    ["  server s 1:1 rise 0", 2, 21, 'rise: found "0"'],
    ["  server s 1:1 inter 0", 2, 22, 'inter: found "0"'],
    ["  mode udp", 2, 8, 'mode: found "udp"'],
    ['  stats auth "admin', 2, 14, "never closed"],
  ])("%s", (line, lineNo, column, message) => {
    const issues = fails(cfg("backend b", line, "  server ok 1:1"));
    expect(issues[0]).toMatchObject({ file: "t.cfg", line: lineNo, column });
    expect(issues[0]!.message).toContain(message);
  });

  it("a default_backend that names nothing", () => {
    expect(
      fails(cfg("frontend f", "  default_backend nope", "backend b", "  server s 1:1"))[0],
    ).toMatchObject({
      line: 2,
      column: 19,
      message: 'default_backend: no backend named "nope" in this file',
    });
  });

  it("a file without a backend", () => {
    expect(fails(cfg("global", "  daemon"))[0]!.message).toContain("no backend");
  });
});

describe("importHaproxyCfg: fuzz", () => {
  const words = [
    "global",
    "defaults",
    "frontend",
    "backend",
    "listen",
    "f",
    "b",
    "server",
    "s",
    "1.1.1.1:80",
    "check",
    "inter",
    "2s",
    "rise",
    "fall",
    "weight",
    "300",
    "-1",
    "balance",
    "roundrobin",
    "url_param",
    "hdr(host)",
    "timeout",
    "connect",
    "client",
    "5000",
    "1x",
    "option",
    "httpchk",
    "redispatch",
    "default_backend",
    "use_backend",
    "if",
    "acl",
    "path_beg",
    "-i",
    "/api/",
    "src",
    "10.0.0.0/8",
    "is_api",
    "!is_api",
    "{",
    "}",
    "unless",
    "||",
    "%[src]",
    "from",
    "no",
    "default-server",
    '"',
    "'",
    "\\",
    "#",
    "maxconn",
    "mode",
    "http",
    "hash-type",
    "consistent",
    "retries",
    "stats",
    "uri",
    "\\x4",
    "",
  ];
  const line = fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(" "));
  const text = fc.oneof(
    fc.array(line, { maxLength: 30 }).map((l) => l.join("\n")),
    fc.string({ maxLength: 300 }),
    fc
      .tuple(fc.nat(seed.length), fc.nat(seed.length), fc.string({ maxLength: 20 }))
      .map(([a, b, s]) => seed.slice(0, Math.min(a, b)) + s + seed.slice(Math.max(a, b))),
  );

  it("never throws anything but InputError", () => {
    fc.assert(
      fc.property(text, (t) => {
        try {
          const { backend, backends } = imp(t).value;
          // One backend is `backend:`, several are `backends:`, never both.
          expect(backend === undefined).toBe(backends !== undefined);
          for (const b of backends ?? [backend]) expect(Array.isArray(b?.servers)).toBe(true);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          for (const issue of error.issues) expect(issue.line).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
