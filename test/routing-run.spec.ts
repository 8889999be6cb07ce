// Several frontends and backends, routed by ACLs: whole runs through the loader and the model.
import { describe, expect, it } from "vitest";
import { httpLogLine } from "../cli/httplog.js";
import { parseScenario } from "../scenarios/parse.js";
import type { Scenario } from "../scenarios/types.js";
import { simulate, simulateWithRecords } from "../sim/test-support.js";
import { CROSSED_TICKETS } from "./fixtures/crossed-tickets.js";
import { expectAgreesWithTheory, SEEDS } from "./theory-support.js";

/** A site: pages to `web`, /api/ to `api`, the admin host to `admin`; an internal frontend with no default. */
const SITE = `
name: site
seed: 3
duration: 20s
frontends:
  - name: www
    acl:
      - is_api path_beg /api/
      - is_admin hdr(host) -i admin.example.com
    use_backend:
      - admin if is_admin
      - api if is_api
    default_backend: web
  - name: internal
    maxconn: 1
    use_backend: ["api if { path_beg /api/ }"]
backends:
  - name: web
    balance: roundrobin
    service: {exponential: 10ms}
    servers: [{name: w1, slots: 4}, {name: w2, slots: 4}]
  - name: api
    balance: leastconn
    timeout: {connect: 1s}
    retries: 1
    redispatch: true
    check: {inter: 500ms, fall: 2}
    service: {exponential: 20ms}
    servers: [{name: a1, slots: 4}, {name: a2, slots: 4}, {name: w1, slots: 4}]
  - name: admin
    service: {constant: 5ms}
    servers: [{name: adm}]
clients:
  - {name: pages, arrivals: {poisson: 100/s}}
  - {name: apis, arrivals: {poisson: 50/s}, paths: {count: 10, prefix: /api/v1/}}
  - {name: admins, arrivals: {poisson: 5/s}, host: ADMIN.Example.com}
  - {name: batch, frontend: internal, arrivals: {poisson: 20/s}, paths: {count: 4, prefix: /batch/}}
  - {name: jobs, frontend: internal, arrivals: {poisson: 5/s}, paths: {count: 4, prefix: /api/jobs/}}
`;

const load = (text: string): Scenario => parseScenario(text, "site.yaml");

/** Where the rules send each client's requests: `www` by path and host, `internal` only /api/. */
const EXPECTED_BACKEND: Readonly<Record<string, string>> = {
  pages: "web",
  apis: "api",
  admins: "admin",
  batch: "internal",
  jobs: "api",
};

describe("routing by ACLs across frontends and backends", () => {
  it("sends every request where its frontend's rules say, and counts each backend's own", () => {
    const { results, records } = simulateWithRecords(load(SITE));
    expect(records.length).toBeGreaterThan(3000);
    for (const record of records) {
      expect(record.backend, `${record.client} ${record.path} ${record.host}`).toBe(
        EXPECTED_BACKEND[record.client],
      );
      expect(record.frontend).toBe(
        record.client === "batch" || record.client === "jobs" ? "internal" : "www",
      );
      if (record.server !== "") expect(record.server.startsWith(`${record.backend}/`)).toBe(true);
    }
    // No warm-up: every finished request is in the backends' figures, each in its own.
    const routed = new Map<string, number>();
    for (const record of records) routed.set(record.backend!, (routed.get(record.backend!) ?? 0) + 1);
    const backends = results.backends ?? [];
    expect(backends.map((b) => b.name)).toEqual(["web", "api", "admin", "internal"]);
    for (const b of backends) expect(b.requests.total, b.name).toBe(routed.get(b.name) ?? 0);
    expect(backends.reduce((n, b) => n + b.requests.total, 0)).toBe(results.requests.total);
    expect(backends.reduce((n, b) => n + b.requests.share, 0)).toBeCloseTo(1, 5);
    expect(backends.map((b) => b.strategy)).toEqual(["roundrobin", "leastconn", "roundrobin", ""]);
  });

  it("names servers <backend>/<server> and measures shares within each backend", () => {
    const results = simulate(load(SITE));
    expect(results.servers.map((s) => s.name)).toEqual([
      "web/w1",
      "web/w2",
      "api/a1",
      "api/a2",
      "api/w1",
      "admin/adm",
    ]);
    expect(results.servers.map((s) => s.backend)).toEqual(["web", "web", "api", "api", "api", "admin"]);
    // Two servers of equal weight under roundrobin: exactly alternating, so within one request.
    const [w1, w2] = results.servers;
    expect(Math.abs(w1!.requests - w2!.requests)).toBeLessThanOrEqual(1);
    for (const backend of ["web", "api", "admin"]) {
      const shares = results.servers.filter((s) => s.backend === backend).map((s) => s.share);
      expect(
        shares.reduce((a, b) => a + b, 0),
        backend,
      ).toBeCloseTo(1, 5);
    }
    expect(Object.keys(results.series.inFlight)).toEqual(results.servers.map((s) => s.name));
  });

  it("answers what no rule routes with HAProxy's 503 SC from the frontend itself", () => {
    const { results, records } = simulateWithRecords(load(SITE));
    const unrouted = records.filter((r) => r.client === "batch");
    expect(unrouted.length).toBeGreaterThan(300);
    for (const record of unrouted) {
      expect(record).toMatchObject({ server: "", status: 503, termination: "SC--", backend: "internal" });
    }
    // As HAProxy 2.6.12 logs it (measured): `fe fe/<NOSRV> -1/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0`.
    expect(httpLogLine(unrouted[0]!, { frontend: "x", backend: "y" })).toMatch(
      / internal internal\/<NOSRV> -1\/-1\/-1\/-1\/0 503 217 - - SC-- \d+\/\d+\/0\/0\/0 0\/0 /,
    );
    const internal = results.backends?.find((b) => b.name === "internal");
    expect(internal).toMatchObject({ servers: [], requests: { failed: unrouted.length, ok: 0 } });
    expect(results.requests.byTermination.SC).toBeGreaterThanOrEqual(unrouted.length);
  });

  it("keeps backends apart: a crash in one leaves every figure of another unchanged", () => {
    const calm = simulate(load(SITE));
    const crash = simulate(load(`${SITE}events:\n  - {at: 5s, crash: a1}\n  - {at: 12s, restore: api/a1}\n`));
    const backend = (r: typeof calm, name: string) => r.backends?.find((b) => b.name === name);
    // Same request stream (common random numbers), independent queues: web and admin are identical.
    expect(backend(crash, "web")).toEqual(backend(calm, "web"));
    expect(backend(crash, "admin")).toEqual(backend(calm, "admin"));
    // In api, a1 refused connections (redispatched to a2 and w1) until its checks took it out.
    const a1 = (r: typeof calm) => r.servers.find((s) => s.name === "api/a1")!;
    expect(a1(crash).states.map((s) => s.state)).toContain("DOWN");
    expect(a1(crash).redispatches).toBeGreaterThan(0);
    expect(a1(crash).requests).toBeLessThan(a1(calm).requests);
  });

  it("holds each frontend to its own maxconn: internal backlogs, www does not", () => {
    const results = simulate(load(SITE));
    const [www, internal] = results.frontends ?? [];
    expect(internal).toMatchObject({ name: "internal", maxConnections: 1 });
    expect(internal!.backlogged).toBeGreaterThan(0);
    expect(www!.maxConnections).toBeGreaterThan(1);
    expect(www!.backlogged).toBe(0);
    expect(www!.requests + internal!.requests).toBe(results.requests.total + results.requests.unfinished);
  });

  it("holds every frontend together to global maxconn, admitting the oldest waiting first", () => {
    const { results, records } = simulateWithRecords(
      load(`
duration: 10s
global: {maxconn: 3}
frontends:
  - {name: a, default_backend: be}
  - {name: b, default_backend: be}
backends:
  - {name: be, service: {constant: 50ms}, servers: [{name: s1, slots: 8}]}
  - {name: other, service: {constant: 1ms}, servers: [{name: s2}]}
clients:
  - {name: ca, frontend: a, arrivals: {poisson: 40/s}}
  - {name: cb, frontend: b, arrivals: {poisson: 40/s}}
`),
    );
    // 80/s × 50 ms = 4 connections wanted on average, 3 allowed: both frontends wait at times.
    for (const f of results.frontends ?? []) expect(f.backlogged, f.name).toBeGreaterThan(0);
    expect(Math.max(...records.map((r) => r.processConnections ?? 0))).toBe(3);
    // Accepted in arrival order across both frontends: each is accepted (arrival + backlog wait)
    // no earlier than any request that arrived before it.
    const accepted = [...records]
      .sort((x, y) => x.atMs - y.atMs)
      .map((r) => r.atMs + r.totalMs - r.queueMs - r.connectMs - r.responseMs);
    for (let i = 1; i < accepted.length; i++)
      expect(accepted[i]!).toBeGreaterThanOrEqual(accepted[i - 1]! - 1e-9);
  });

  it("upgrades the servers of every backend in turn, each through its own backend", () => {
    const results = simulate(
      load(
        `${SITE}events:\n  - {at: 1s, rolling-upgrade: {servers: [web/w1, w2, api/w1], drain: 1s, downtime: 2s}}\n`,
      ),
    );
    const states = (name: string) => results.servers.find((s) => s.name === name)!.states.map((s) => s.state);
    // w2 is web's only (a bare name is fine); w1 is in web and api, so it is written qualified.
    expect(states("web/w1")).toContain("MAINT");
    expect(states("web/w2")).toContain("MAINT");
    expect(states("api/w1")).toContain("MAINT");
    expect(states("api/a1")).not.toContain("MAINT");
    // Drained first, nothing in flight is lost: the upgrade costs no request.
    expect(results.backends?.find((b) => b.name === "web")?.requests.failed).toBe(0);
  });

  it("never lets a server take a request queued in another backend, however slots are reused", () => {
    // Found by sim/run-routed.spec.ts: queue tickets counted per backend met when a slot was reused.
    const { records } = simulateWithRecords(CROSSED_TICKETS);
    expect(records.length).toBeGreaterThan(100);
    // Its frontend www sends /b/… to backend b and the rest to a; edge sends only /b/… anywhere.
    const routed = (path: string, frontend: string | undefined) =>
      path.startsWith("/b/") ? "b" : frontend === "edge" ? "edge" : "a";
    const crossed = records.filter(
      (r) =>
        r.backend !== routed(r.path, r.frontend) ||
        (r.server !== "" && !r.server.startsWith(`${r.backend}/`)),
    );
    expect(crossed.map((r) => `${r.id} ${r.path} ${r.backend} ${r.server}`)).toEqual([]);
  });

  it("runs runtime commands on <backend>/<server> only", () => {
    const results = simulate(
      load(`${SITE}events:\n  - {at: 2s, runtime: "set server api/w1 state maint"}\n`),
    );
    const states = (name: string) => results.servers.find((s) => s.name === name)?.states.map((s) => s.state);
    expect(states("api/w1")).toContain("MAINT");
    expect(states("web/w1")).toEqual(["no check"]);
  });

  it("gives the same Results whether one backend is written as backend: or backends: [...]", () => {
    const one = `
duration: 5s
frontend: {name: fe}
backend: {name: be, service: {exponential: 5ms}, servers: [{name: s1}, {name: s2}]}
clients: [{name: c, arrivals: {poisson: 100/s}}]
`;
    const listed = one
      .replace("backend: {name: be,", "backends:\n  - {name: be,")
      .replace("[{name: s2}]}", "[{name: s2}]}");
    expect(listed).toContain("backends:");
    expect(JSON.stringify(simulate(load(listed)))).toBe(JSON.stringify(simulate(load(one))));
    expect(simulate(load(one)).backends).toBeUndefined();
  });

  it("is deterministic: same scenario and seed, byte-identical Results", () => {
    expect(JSON.stringify(simulate(load(SITE)))).toBe(JSON.stringify(simulate(load(SITE))));
  });

  it("checks backend.* expectations on the routed backend's figures", () => {
    const scenario = load(
      `${SITE}expect:\n  - "backend.p50(admin) < 5.1ms"\n  - "backend.errors(internal) == 100%"\n  - "backend.share(web) in 40%..70%"\n`,
    );
    const results = simulate(scenario);
    expect(results.checks.map((c) => [c.name, c.pass])).toEqual([
      ["backend.p50(admin) < 5.1ms", true],
      ["backend.errors(internal) == 100%", true],
      ["backend.share(web) in 40%..70%", true],
    ]);
    // A constant 5 ms service at 5/s: M/D/1 with ρ = 0.025, so 97.5% never wait and the median is 5 ms.
    expect(results.backends?.find((b) => b.name === "admin")?.latency.p50Ms).toBeCloseTo(5, 1);
  });
});

describe("two backends fed by independent Poisson streams are two M/M/1 queues", () => {
  // web: λ = 50/s, mean service 10 ms (μ = 100/s) → E[T] = 1/(μ − λ) = 20 ms;
  // api: λ = 30/s, mean service 20 ms (μ = 50/s) → E[T] = 1/(50 − 30) = 50 ms.
  const mm1 = (seed: number) =>
    load(`
seed: ${seed}
duration: 400s
warmup: 20s
frontend:
  acl: ["is_api path_beg /api/"]
  use_backend: ["api if is_api"]
  default_backend: web
backends:
  - {name: web, service: {exponential: 10ms}, servers: [{name: s1}]}
  - {name: api, service: {exponential: 20ms}, servers: [{name: s1}]}
clients:
  - {name: pages, arrivals: {poisson: 50/s}}
  - {name: apis, arrivals: {poisson: 30/s}, paths: {prefix: /api/}}
`);
  const runs = SEEDS.map((seed) => simulate(mm1(seed)));
  const meanOf = (name: string) => runs.map((r) => r.backends!.find((b) => b.name === name)!.latency.meanMs);

  it("web's mean response time is 1/(μ − λ) = 20 ms", () => {
    expectAgreesWithTheory("web E[T]", meanOf("web"), 20);
  });

  it("api's mean response time is 1/(μ − λ) = 50 ms", () => {
    expectAgreesWithTheory("api E[T]", meanOf("api"), 50);
  });
});
