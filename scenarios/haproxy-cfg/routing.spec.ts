// The haproxy.cfg importer on several frontends and backends: every proxy imported in file order,
// acl/use_backend/default_backend as the scenario writes them, and a warning wherever lbsim does
// other than HAProxy (routing-errors.spec.ts: what HAProxy refuses).
import { describe, expect, it } from "vitest";
import { parseAcl, parseUseBackend } from "../acl.js";
import { cfg, imp, SITE } from "./test-support.js";

const timeout = { connect: "5s", server: "30s" };

describe("importHaproxyCfg: several frontends and backends", () => {
  const site = imp(SITE);

  it("imports every frontend and backend in file order, a listen section as both", () => {
    expect(site.value).toEqual({
      // `global maxconn 4000`: every frontend together, and each frontend's default maxconn (measured
      // on HAProxy 2.6.12: `show stat` gives a frontend without maxconn slim = the global maxconn).
      global: { maxconn: 4000 },
      frontends: [
        {
          name: "www",
          maxconn: 4000,
          timeout: { client: "30s" },
          acl: [
            "is_api path_beg /api/",
            "is_admin hdr(host) -i admin.example.com",
            "internal src 10.0.0.0/8",
          ],
          use_backend: ["admin if is_admin internal", "api if is_api", "static if { path_beg /static }"],
          default_backend: "web",
        },
        { name: "stats", maxconn: 4000, timeout: { client: "30s" }, default_backend: "stats" },
      ],
      backends: [
        { name: "stats", timeout, servers: [{ name: "local", check: false }] },
        {
          name: "api",
          balance: "leastconn",
          timeout,
          servers: [
            { name: "api1", check: true },
            { name: "api2", check: true },
          ],
        },
        { name: "static", timeout, servers: [{ name: "s1", check: false }] },
        { name: "admin", timeout, servers: [{ name: "adm", check: true }] },
        {
          name: "web",
          timeout,
          check: { type: "http" },
          servers: [
            { name: "web01", weight: 2, check: true },
            { name: "web02", check: true },
          ],
        },
      ],
    });
  });

  it("keeps each frontend's binds and each backend's server addresses", () => {
    expect(site.frontends).toEqual([
      { name: "www", binds: [":80"] },
      { name: "stats", binds: [":8404"] },
    ]);
    expect(site.backends.map((b) => [b.name, b.servers.map((s) => s.address)])).toEqual([
      ["stats", ["127.0.0.1:8405"]],
      ["api", ["10.0.1.1:80", "10.0.1.2:80"]],
      ["static", ["10.0.2.1:80"]],
      ["admin", ["10.0.3.1:80"]],
      ["web", ["10.0.4.1:80", "10.0.4.2:80"]],
    ]);
  });

  it("has nothing to warn about, and lists backend ACLs and http-request as ignored", () => {
    expect(site.warnings).toEqual([]);
    expect(site.ignored).toEqual([
      { directive: "bind", lines: [9, 19] },
      { directive: "http-request", lines: [13] },
      { directive: "stats enable", lines: [20] },
      { directive: "acl in a backend", lines: [24] },
    ]);
  });

  it("writes a frontend with use_backend rules but no default_backend without one", () => {
    const r = imp(
      cfg(
        "frontend f",
        "  acl is_api path_beg /api/",
        "  use_backend api if is_api",
        "backend api",
        "  server a 1:1",
      ),
    );
    // HAProxy answers 503 to a request no rule routes: the scenario says so by naming no default.
    expect(r.value.frontend).toEqual({
      name: "f",
      acl: ["is_api path_beg /api/"],
      use_backend: ["api if is_api"],
    });
    expect(r.warnings).toEqual([]);
  });

  it("names the default of a lone frontend as soon as it has a rule, even with one backend", () => {
    const r = imp(
      cfg("frontend f", "  use_backend b if TRUE", "  default_backend b", "backend b", "  server s 1:1"),
    );
    expect(r.value.frontend).toEqual({ name: "f", use_backend: ["b if TRUE"], default_backend: "b" });
  });

  it("keeps a regex's backslashes as HAProxy does, in an acl string that parses back the same", () => {
    // HAProxy 2.6 keeps the backslash of `\.`: this rule routes /a.b to b and not /axb.
    const r = imp(
      cfg(
        "frontend f",
        String.raw`  acl dotted path_reg ^/a\.b$`,
        String.raw`  use_backend b if dotted { hdr(x-q) -i "a\\b \x41" }`,
        "backend b",
        "  server s 1:1",
      ),
    );
    const { acl, use_backend } = r.value.frontend as { acl: string[]; use_backend: string[] };
    expect(acl).toEqual([String.raw`dotted path_reg ^/a\.b$`]);
    expect(use_backend).toEqual([String.raw`b if dotted { hdr(x-q) -i "a\\b A" }`]);
    expect(parseAcl(acl[0]!)).toMatchObject({
      ok: true,
      value: { name: "dotted", match: { method: "reg", patterns: [String.raw`^/a\.b$`] } },
    });
    const rule = parseUseBackend(use_backend[0]!);
    expect(rule.ok && rule.value.condition?.anyOf[0]?.[1]?.acl).toMatchObject({
      patterns: [String.raw`a\b A`],
    });
    expect(r.warnings).toEqual([]);
  });

  it("gives a listen section with its own default_backend that default", () => {
    const r = imp(cfg("listen l", "  default_backend b", "  server s 1:1", "backend b", "  server t 1:1"));
    expect(r.value.frontend).toEqual({ name: "l", default_backend: "b" });
    expect(r.warnings).toEqual([
      { line: 1, message: "listen l receives no traffic: no default_backend or use_backend names it" },
    ]);
  });

  it("imports several backends without a frontend, sending every request to the first", () => {
    const r = imp(cfg("backend a", "  server s 1:1", "backend b", "  server t 1:1"));
    expect(r.value).toEqual({
      frontend: { default_backend: "a" },
      backends: [
        { name: "a", servers: [{ name: "s", check: false }] },
        { name: "b", servers: [{ name: "t", check: false }] },
      ],
    });
    expect(r.warnings).toEqual([
      {
        line: 3,
        message:
          "backend b receives no traffic: the file has no frontend, and lbsim sends every request to the first backend (a)",
      },
    ]);
  });
});

describe("importHaproxyCfg: routing HAProxy would not simulate as written", () => {
  it("sends a frontend with neither default_backend nor use_backend to the one backend", () => {
    const r = imp(cfg("frontend f", "  bind :80", "backend b", "  server s 1:1"));
    expect(r.value).toEqual({
      frontend: { name: "f" },
      backend: { name: "b", servers: [{ name: "s", check: false }] },
    });
    expect(r.warnings).toEqual([
      {
        line: 1,
        message:
          "frontend f has no default_backend (HAProxy answers 503 to requests no use_backend rule routes); lbsim sends every request to backend b",
      },
    ]);
  });

  it("with several backends, names the first one with servers as its default", () => {
    const r = imp(cfg("frontend f", "backend empty", "backend b", "  server s 1:1"));
    expect(r.value.frontend).toEqual({ name: "f", default_backend: "b" });
    expect(r.warnings.map((w) => [w.line, w.message])).toEqual([
      [
        1,
        "frontend f has no default_backend and no use_backend (HAProxy answers 503 to every request); lbsim sends every request to backend b",
      ],
      [2, "backend empty receives no traffic: no default_backend or use_backend names it"],
      [
        2,
        "backend empty has no server: the scenario must list them under backends: [{name: empty, servers: […]}]",
      ],
    ]);
  });

  it("keeps the one-backend wording for a backend without servers", () => {
    const r = imp(cfg("frontend f", "  default_backend b", "backend b"));
    expect(r.value.backend).toEqual({ name: "b", servers: [] });
    expect(r.warnings).toEqual([
      { line: 3, message: "backend b has no server: the scenario must list them under backend.servers" },
    ]);
  });

  it("leaves out ACLs no use_backend rule uses, warning about those lbsim cannot evaluate", () => {
    const r = imp(
      cfg(
        "defaults",
        "  acl everywhere path_beg /",
        "frontend f",
        "  acl is_api path_beg /api/",
        "  acl is_ssl ssl_fc",
        "  acl spare path_end .png",
        "  http-request redirect scheme https unless is_ssl",
        "  use_backend b if is_api",
        "  default_backend b",
        "backend b",
        "  server s 1:1",
      ),
    );
    expect(r.value.frontend?.acl).toEqual(["is_api path_beg /api/"]);
    expect(r.warnings.map((w) => w.line)).toEqual([2, 5]);
    expect(r.warnings[0]?.message).toBe(
      "acl everywhere in defaults is left out: HAProxy passes a defaults section's ACLs on to no frontend (and refuses them in a defaults section without a name)",
    );
    expect(r.warnings[1]?.message).toMatch(
      /^acl is_ssl: .*; no use_backend rule uses it, so it is left out$/,
    );
    expect(r.ignored).toContainEqual({ directive: "acl used by no use_backend rule", lines: [6] });
  });

  it("warns about mode tcp once, naming the proxies in that mode", () => {
    const r = imp(
      cfg("defaults", "  mode tcp", "frontend f", "  default_backend b", "backend b", "  server s 1:1"),
    );
    expect(r.warnings).toEqual([
      {
        line: 3,
        message:
          "mode tcp (frontend f, backend b): lbsim simulates requests as in mode http (one request per connection); hdr, uri, url_param and ACLs on paths or headers need HTTP",
      },
    ]);
  });
});
