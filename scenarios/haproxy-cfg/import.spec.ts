// The haproxy.cfg importer: lines and words, sections and defaults, values and their units, the
// topology it picks, and what it ignores or does not understand.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { importHaproxyCfg } from "./import.js";
import { lexCfg } from "./lex.js";

const here = dirname(fileURLToPath(import.meta.url));
const seed = readFileSync(join(here, "..", "library", "tutorial.cfg"), "utf8");

const cfg = (...lines: string[]) => `${lines.join("\n")}\n`;
const imp = (text: string) => importHaproxyCfg(text, "t.cfg");
const fails = (text: string) => {
  try {
    imp(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error("expected an InputError");
};

describe("lexCfg", () => {
  it("splits words, skips comments and blank lines, keeps columns", () => {
    const { lines, problems } = lexCfg("global\n  # c\n\n  log /dev/log   local0 # comment\n");
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.line, l.words.map((w) => [w.text, w.column])])).toEqual([
      [1, [["global", 1]]],
      [
        4,
        [
          ["log", 3],
          ["/dev/log", 7],
          ["local0", 18],
        ],
      ],
    ]);
  });

  it("handles quotes and backslash escapes as HAProxy does", () => {
    const { lines } = lexCfg(`a "b c" 'd \\e' f\\ g h\\#i "j#k" \\x41 "\\"q"`);
    expect(lines[0]!.words.map((w) => w.text)).toEqual(["a", "b c", "d \\e", "f g", "h#i", "j#k", "A", '"q']);
  });

  it("reports an unterminated quote at its column", () => {
    expect(lexCfg(`x\n  stats auth "admin`).problems).toEqual([
      { line: 2, column: 14, message: 'the quote " opened here is never closed' },
    ]);
  });

  it("reads CRLF files", () => {
    expect(lexCfg("a b\r\nc\r\n").lines.map((l) => l.words.map((w) => w.text))).toEqual([["a", "b"], ["c"]]);
  });
});

describe("importHaproxyCfg: the tutorial's haproxy.cfg", () => {
  const imported = imp(seed);

  it("imports backend web_servers behind frontend test", () => {
    expect(imported.value).toEqual({
      frontend: { name: "test", timeout: { client: 50_000 } },
      backend: {
        name: "web_servers",
        balance: "roundrobin",
        timeout: { connect: 5000, server: 50_000 },
        check: { type: "http" },
        servers: [
          { name: "ha-proxy1", check: true },
          { name: "ha-proxy2", check: true },
        ],
      },
    });
    expect(imported.servers.map((s) => [s.name, s.address, s.line])).toEqual([
      ["ha-proxy1", "10.10.10.2:80", 35],
      ["ha-proxy2", "10.10.10.3:80", 36],
    ]);
    expect(imported.binds).toEqual(["172.16.200.10:80"]);
  });

  it("lists each ignored directive once, with its lines", () => {
    expect(imported.ignored).toEqual([
      { directive: "log", lines: [2, 3, 12] },
      { directive: "chroot", lines: [4] },
      { directive: "stats socket", lines: [5] },
      { directive: "stats timeout", lines: [6] },
      { directive: "user", lines: [7] },
      { directive: "group", lines: [8] },
      { directive: "daemon", lines: [9] },
      { directive: "option httplog", lines: [14] },
      { directive: "option dontlognull", lines: [15] },
      { directive: "errorfile", lines: [19, 20, 21, 22, 23, 24, 25] },
      { directive: "bind", lines: [28] },
      { directive: "option httpclose", lines: [30] },
      { directive: "stats uri", lines: [37] },
      { directive: "stats auth", lines: [38] },
      { directive: "stats refresh", lines: [39] },
    ]);
    expect(imported.warnings).toEqual([]);
  });
});

describe("importHaproxyCfg: sections and defaults", () => {
  it("applies the last defaults section before each proxy", () => {
    const r = imp(
      cfg(
        "defaults",
        "  timeout connect 1s",
        "  balance leastconn",
        "backend a",
        "  server s1 1.1.1.1:80",
        "defaults",
        "  timeout server 2s",
        "backend b",
        "  server s1 1.1.1.1:80",
        "frontend f",
        "  default_backend a",
      ),
    );
    expect(r.value.backend).toMatchObject({ name: "a", balance: "leastconn", timeout: { connect: 1000 } });
    expect(r.warnings.map((w) => [w.line, w.message])).toEqual([
      [8, "backend b is not simulated: lbsim simulates one backend (a) for now"],
    ]);
    const b = imp(
      cfg(
        "defaults",
        "  timeout connect 1s",
        "defaults",
        "  timeout server 2s",
        "backend b",
        "  server s 1:1",
      ),
    );
    expect(b.value.backend).toMatchObject({ timeout: { server: 2000 } });
    expect(b.value.backend.timeout).toEqual({ server: 2000 });
  });

  it("takes named defaults with from", () => {
    const r = imp(
      cfg(
        "defaults base",
        "  retries 5",
        "defaults other",
        "  retries 1",
        "backend b from base",
        "  server s 1:1",
      ),
    );
    expect(r.value.backend.retries).toBe(5);
    expect(fails(cfg("backend b from nope", "  server s 1:1"))[0]).toMatchObject({ line: 1, column: 16 });
  });

  it("a listen section is its own frontend and backend", () => {
    const r = imp(
      cfg("listen web", "  bind :80", "  balance source", "  timeout client 3s", "  server s 1:1 check"),
    );
    expect(r.value).toEqual({
      frontend: { name: "web", timeout: { client: 3000 } },
      backend: { name: "web", balance: "source", servers: [{ name: "s", check: true }] },
    });
  });

  it("the only backend is imported without a frontend", () => {
    expect(imp(cfg("backend b", "  server s 1:1")).value).toEqual({
      backend: { name: "b", servers: [{ name: "s", check: false }] },
    });
  });

  it("takes frontend maxconn from the frontend, defaults or global", () => {
    const base = ["backend b", "  server s 1:1", "frontend f", "  default_backend b"];
    expect(imp(cfg("global", "  maxconn 100", ...base)).value.frontend).toEqual({ name: "f", maxconn: 100 });
    expect(imp(cfg("global", "  maxconn 100", "defaults", "  maxconn 50", ...base)).value.frontend).toEqual({
      name: "f",
      maxconn: 50,
    });
  });
});

describe("importHaproxyCfg: directives and units", () => {
  const backend = (...lines: string[]) => imp(cfg("backend b", ...lines)).value.backend;

  it("reads timeouts with HAProxy's units, bare numbers being milliseconds", () => {
    expect(
      backend(
        "  timeout connect 500us",
        "  timeout server 2m",
        "  timeout queue 1h",
        "  timeout check 3s",
        "  server s 1:1",
      ).timeout,
    ).toEqual({ connect: 0.5, server: 120_000, queue: 3_600_000 });
    expect(backend("  timeout check 3s", "  timeout connect 1d", "  server s 1:1")).toMatchObject({
      check: { timeout: 3000 },
      timeout: { connect: 86_400_000 },
    });
  });

  it("reads every balance algorithm with its arguments", () => {
    for (const balance of [
      "roundrobin",
      "static-rr",
      "leastconn",
      "first",
      "source",
      "uri",
      "uri whole",
      "uri len 10 depth 2",
      "url_param userid",
      "hdr(host)",
      "hdr(Host) use_domain_only",
      "random",
      "random(2)",
    ]) {
      expect(backend(`  balance ${balance}`, "  server s 1:1").balance).toBe(balance);
    }
  });

  it("reads hash-type, retries, redispatch, allbackups and httpchk", () => {
    expect(
      backend(
        "  hash-type consistent djb2",
        "  retries 0",
        "  option redispatch 2",
        "  option allbackups",
        "  option httpchk GET /health",
        "  server s 1:1",
      ),
    ).toEqual({
      name: "b",
      "hash-type": "consistent djb2",
      retries: 0,
      redispatch: 2,
      allbackups: true,
      check: { type: "http" },
      servers: [{ name: "s", check: false }],
    });
    expect(backend("  option redispatch", "  server s 1:1").redispatch).toBe(true);
    expect(
      imp(cfg("defaults", "  option redispatch", "backend b", "  no option redispatch", "  server s 1:1"))
        .value.backend.redispatch,
    ).toBe(false);
  });

  it("reads server keywords and default-server", () => {
    expect(
      backend(
        "  default-server inter 3s rise 4 weight 10 maxconn 20",
        "  server a 1:1 check inter 1s fastinter 500 downinter 5s rise 1 fall 2 weight 3 maxconn 4 maxqueue 5",
        "  server b 1:1 backup slowstart 10s disabled id 7 observe layer7 error-limit 5 on-error mark-down",
        "  server c 1:1 check ssl verify none cookie c1 send-proxy",
      ),
    ).toEqual({
      name: "b",
      "default-server": { weight: 10, maxconn: 20, check: { inter: 3000, rise: 4 } },
      servers: [
        {
          name: "a",
          weight: 3,
          maxconn: 4,
          maxqueue: 5,
          check: { inter: 1000, fastinter: 500, downinter: 5000, rise: 1, fall: 2 },
        },
        {
          name: "b",
          backup: true,
          slowstart: 10_000,
          disabled: true,
          id: 7,
          observe: "layer7",
          "error-limit": 5,
          "on-error": "mark-down",
          check: false,
        },
        { name: "c", check: true },
      ],
    });
    expect(backend("  default-server check", "  server a 1:1", "  server b 1:1 no-check").servers).toEqual([
      { name: "a", check: true },
      { name: "b", check: false },
    ]);
  });
});

describe("importHaproxyCfg: what is not understood", () => {
  it("warns about unknown directives and keywords with their lines, and goes on", () => {
    const r = imp(
      cfg(
        "frobnicate yes",
        "global",
        "  frob 1",
        "backend b",
        "  cookie SRV insert",
        "  option frobs",
        "  wibble 3",
        "  http-check expect status 200",
        "  server s 1:1 check bogus 3 weight 2",
      ),
    );
    expect(r.warnings.map((w) => w.line)).toEqual([1, 3, 5, 6, 7, 8, 9]);
    expect(r.warnings.map((w) => w.message).join("\n")).toMatchInlineSnapshot(`
      ""frobnicate" outside any section is not understood
      "frob" in global is not understood; it is left out
      cookie: cookie persistence is not simulated: requests are balanced as if no cookie were set
      "option frobs" is not understood; it is left out
      "wibble" in backend b is not understood; it is left out
      http-check expect status 200: lbsim's HTTP checks pass on any 2xx or 3xx status
      server keyword "bogus" (column 22) is not understood; it is left out"
    `);
    expect(r.value.backend.servers).toEqual([{ name: "s", weight: 2, check: true }]);
  });

  it("imports the default path and says that use_backend routing is not simulated", () => {
    const r = imp(
      cfg(
        "frontend f",
        "  acl is_api path_beg /api/",
        "  acl is_admin hdr(host) -i admin.example.com",
        "  use_backend api if is_api",
        "  default_backend web",
        "frontend g",
        "  default_backend api",
        "backend web",
        "  server w 1:1",
        "backend api",
        "  server a 1:1",
      ),
    );
    expect(r.value.backend.name).toBe("web");
    expect(r.warnings).toEqual([
      {
        line: 4,
        message:
          '"use_backend api if is_api": routing to other backends is not simulated yet; every request goes to backend web',
      },
      {
        line: 6,
        message:
          "frontend g is not simulated: lbsim simulates one frontend (f) and one backend (web) for now",
      },
      { line: 10, message: "backend api is not simulated: lbsim simulates one backend (web) for now" },
    ]);
  });
});

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
          const r = imp(t);
          expect(Array.isArray(r.value.backend.servers)).toBe(true);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          for (const issue of error.issues) expect(issue.line).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
