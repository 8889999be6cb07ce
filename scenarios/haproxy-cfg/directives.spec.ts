// The haproxy.cfg importer's directives: timeouts and their units, balance, hash-type and the rest,
// server keywords and default-server.
import { describe, expect, it } from "vitest";
import { parseDuration } from "../units.js";
import { cfg, imp } from "./test-support.js";

describe("importHaproxyCfg: directives and units", () => {
  const backend = (...lines: string[]) => imp(cfg("backend b", ...lines)).value.backend ?? {};

  it("keeps timeouts in the cfg's units, which a scenario reads as HAProxy does", () => {
    const timeout = backend(
      "  timeout connect 500us",
      "  timeout server 2m",
      "  timeout queue 1h",
      "  timeout check 3s",
      "  server s 1:1",
    ).timeout as Record<string, string>;
    expect(timeout).toEqual({ connect: "500us", server: "2m", queue: "1h" });
    expect(Object.values(timeout).map((text) => parseDuration(text))).toEqual([0.5, 120_000, 3_600_000]);
    expect(backend("  timeout check 3s", "  timeout connect 1d", "  server s 1:1")).toMatchObject({
      check: { timeout: "3s" },
      timeout: { connect: "1d" },
    });
  });

  it("keeps a bare number as a number: milliseconds in haproxy.cfg and in a scenario alike", () => {
    expect(backend("  timeout connect 5000", "  server s 1:1 inter 2000").timeout).toEqual({ connect: 5000 });
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
        .value.backend?.redispatch,
    ).toBe(false);
  });

  it("reads option abortonclose where HAProxy 2.6.12 acts on it: defaults or listen, not a backend alone", () => {
    const fromDefaults = imp(cfg("defaults", "  option abortonclose", "backend b", "  server s 1:1"));
    expect(fromDefaults.value.backend?.abortonclose).toBe(true);
    expect(fromDefaults.warnings).toEqual([]);
    const listen = imp(cfg("listen l", "  bind :80", "  option abortonclose", "  server s 1:1"));
    expect(listen.value.backend?.abortonclose).toBe(true);
    const negated = cfg(
      "defaults",
      "  option abortonclose",
      "listen l",
      "  no option abortonclose",
      "  server s 1:1",
    );
    expect(imp(negated).value.backend?.abortonclose).toBe(false);
    const inBackend = imp(cfg("backend b", "  option abortonclose", "  server s 1:1"));
    expect(inBackend.value.backend?.abortonclose).toBeUndefined();
    expect(inBackend.warnings.map((w) => [w.line, w.message])).toEqual([
      [
        2,
        "option abortonclose in a backend section: HAProxy 2.6.12 was measured to act on it only from defaults or a listen section; left out",
      ],
    ]);
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
      "default-server": { weight: 10, maxconn: 20, check: { inter: "3s", rise: 4 } },
      servers: [
        {
          name: "a",
          weight: 3,
          maxconn: 4,
          maxqueue: 5,
          check: { inter: "1s", fastinter: 500, downinter: "5s", rise: 1, fall: 2 },
        },
        {
          name: "b",
          backup: true,
          slowstart: "10s",
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
