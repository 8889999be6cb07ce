// The haproxy.cfg importer: the tutorial's cfg, sections and defaults, the topology it picks, and
// what it does not understand.
import { describe, expect, it } from "vitest";
import { cfg, fails, imp, seed } from "./test-support.js";

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
    expect(imported.backends.map((b) => b.name)).toEqual(["web_servers"]);
    expect(imported.backends[0]?.servers.map((s) => [s.name, s.address, s.line])).toEqual([
      ["ha-proxy1", "10.10.10.2:80", 35],
      ["ha-proxy2", "10.10.10.3:80", 36],
    ]);
    expect(imported.frontends).toEqual([{ name: "test", binds: ["172.16.200.10:80"] }]);
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
    expect(r.value.backends?.[0]).toMatchObject({
      name: "a",
      balance: "leastconn",
      timeout: { connect: "1s" },
    });
    // The second defaults section starts from scratch: no balance, no timeout connect.
    expect(r.value.backends?.[1]).toEqual({
      name: "b",
      timeout: { server: "2s" },
      servers: [{ name: "s1", check: false }],
    });
    expect(r.warnings.map((w) => [w.line, w.message])).toEqual([
      [8, "backend b receives no traffic: no default_backend or use_backend names it"],
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
    expect(b.value.backend).toMatchObject({ timeout: { server: "2s" } });
    expect(b.value.backend?.timeout).toEqual({ server: "2s" });
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
    expect(r.value.backend?.retries).toBe(5);
    expect(fails(cfg("backend b from nope", "  server s 1:1"))[0]).toMatchObject({ line: 1, column: 16 });
  });

  it("a listen section is its own frontend and backend", () => {
    const r = imp(
      cfg("listen web", "  bind :80", "  balance source", "  timeout client 3s", "  server s 1:1 check"),
    );
    expect(r.value).toEqual({
      frontend: { name: "web", timeout: { client: "3s" } },
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

describe("importHaproxyCfg: what is not understood", () => {
  it("warns about directives and keywords HAProxy accepts and lbsim does not model, with their lines, and goes on", () => {
    const r = imp(
      cfg(
        "frobnicate yes",
        "global",
        "  hard-stop-after 30s",
        "backend b",
        "  cookie SRV insert",
        "  option checkcache",
        "  retry-on conn-failure",
        "  http-check expect status 200",
        "  server s 1:1 check ws h1 weight 2",
      ),
    );
    expect(r.warnings.map((w) => w.line)).toEqual([1, 3, 5, 6, 7, 8, 9]);
    expect(r.warnings.map((w) => w.message).join("\n")).toMatchInlineSnapshot(`
      ""frobnicate" outside any section is not understood
      "hard-stop-after" in global is not understood; it is left out
      cookie: cookie persistence is not simulated: requests are balanced as if no cookie were set
      "option checkcache" is not understood; it is left out
      "retry-on" in backend b is not understood; it is left out
      http-check expect status 200: lbsim's HTTP checks pass on any 2xx or 3xx status
      server keyword "ws" (column 22) is not understood; it is left out"
    `);
    expect(r.value.backend?.servers).toEqual([{ name: "s", weight: 2, check: true }]);
  });

  it("leaves out a use_backend whose backend name is computed per request", () => {
    const r = imp(
      cfg(
        "frontend f",
        "  use_backend be_%[req.hdr(host),lower]",
        "  default_backend web",
        "backend web",
        "  server w 1:1",
      ),
    );
    expect(r.value.frontend).toEqual({ name: "f" });
    expect(r.warnings).toEqual([
      {
        line: 2,
        message:
          "use_backend be_%[req.hdr(host),lower]: a backend name computed per request (%[…]) is not simulated; the rule is left out",
      },
    ]);
  });
});
