// parseScenario: defaults, merging (check, default-server), ids, arrivals, events, options.
import { describe, expect, it } from "vitest";
import { parseScenario } from "./parse.js";
import type { ServerSpec } from "./types.js";

const server = (fields: Partial<ServerSpec> & Pick<ServerSpec, "name" | "id">): ServerSpec => ({
  weight: 1,
  maxconn: 0,
  maxqueue: 0,
  slots: 1,
  discipline: "fifo",
  speed: 1,
  service: null,
  backup: false,
  check: null,
  slowstartMs: 0,
  observe: null,
  disabled: false,
  ...fields,
});

const MINIMAL = `duration: 10s
backend:
  servers: [{name: web01, service: {constant: 5ms}}]
clients: [{name: c, arrivals: {poisson: 10/s}}]
`;

describe("parseScenario", () => {
  it("fills HAProxy's defaults in a minimal scenario", () => {
    const scenario = parseScenario(MINIMAL, "dir/minimal.yml");
    expect(scenario).toMatchObject({
      name: "minimal",
      description: "",
      seed: 1,
      warmupMs: 0,
      bucketMs: 1000,
      events: [],
      compare: [],
      expect: [],
    });
    // One frontend, one backend, no routing: the frontend sends everything to that backend.
    expect(scenario.frontend).toEqual({
      name: "frontend",
      maxconn: 0,
      clientTimeoutMs: Number.POSITIVE_INFINITY,
      acls: [],
      useBackends: [],
      defaultBackend: "backend",
    });
    expect(scenario.frontends).toEqual([scenario.frontend]);
    expect(scenario.backends).toEqual([scenario.backend]);
    expect(scenario.backend).toEqual({
      name: "backend",
      balance: "roundrobin",
      hashType: "map-based",
      timeout: {
        connectMs: Number.POSITIVE_INFINITY,
        serverMs: Number.POSITIVE_INFINITY,
        queueMs: Number.POSITIVE_INFINITY,
      },
      retries: 3,
      redispatch: null,
      allbackups: false,
      servers: [server({ name: "web01", id: 1, service: { kind: "constant", valueMs: 5 } })],
    });
    expect(scenario.clients[0]).toEqual({
      name: "c",
      arrivals: { kind: "poisson", ratePerSecond: 10 },
      sources: { count: 1, zipf: null },
      paths: { count: 1, zipf: null },
      pathPrefix: "/item/",
      host: "",
      frontend: "frontend",
      timeoutMs: Number.POSITIVE_INFINITY,
      retry: null,
    });
  });

  it("takes timeout queue from timeout connect, and reads a timeout of 0 as none", () => {
    const text = `${MINIMAL.replace("backend:", "backend:\n  timeout: {connect: 2s, server: 0, queue: 0}")}frontend: {timeout: {client: 0}}\n`;
    const scenario = parseScenario(text, "t.yaml");
    expect(scenario.backend.timeout).toEqual({
      connectMs: 2000,
      serverMs: Number.POSITIVE_INFINITY,
      queueMs: 2000,
    });
    expect(scenario.frontend.clientTimeoutMs).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    ["true", { interval: -1 }],
    ["false", null],
    ["2", { interval: 2 }],
    ["-1", { interval: -1 }],
    ["0", null],
  ])("reads redispatch: %s as %j", (value, expected) => {
    const scenario = parseScenario(MINIMAL.replace("backend:", `backend:\n  redispatch: ${value}`), "t.yaml");
    expect(scenario.backend.redispatch).toEqual(expected);
  });

  it("merges check settings: backend, then default-server, then the server", () => {
    const text = `duration: 10s
backend:
  service: {exponential: 10ms}
  check: {type: http, inter: 1s, fall: 2}
  default-server: {weight: 5, slowstart: 30s, check: {rise: 4}, observe: layer7}
  on-error: mark-down
  servers:
    - {name: a}
    - {name: b, check: false}
    - {name: c, check: {inter: 3s}, weight: 2, error-limit: 3}
    - {name: d, check: true, observe: layer4, on-error: fail-check}
clients: [{name: c, arrivals: {constant: 1/s}}]
`;
    const [a, b, c, d] = parseScenario(text, "t.yaml").backend.servers;
    const base = {
      type: "http",
      interMs: 1000,
      fastinterMs: 1000,
      downinterMs: 1000,
      rise: 4,
      fall: 2,
      timeoutMs: null,
    };
    expect(a).toMatchObject({
      weight: 5,
      slowstartMs: 30_000,
      check: base,
      observe: { mode: "layer7", errorLimit: 10, onError: "mark-down" },
    });
    expect(b?.check).toBeNull();
    expect(c).toMatchObject({
      weight: 2,
      check: { ...base, interMs: 3000, fastinterMs: 3000, downinterMs: 3000 },
    });
    expect(c?.observe).toEqual({ mode: "layer7", errorLimit: 3, onError: "mark-down" });
    expect(d).toMatchObject({
      check: base,
      observe: { mode: "layer4", errorLimit: 10, onError: "fail-check" },
    });
  });

  it("reads check phase: random, leaves phase out for spread (the default), and refuses other phases", () => {
    const withPhase = (phase: string) =>
      MINIMAL.replace("backend:", `backend:\n  check: {inter: 1s, phase: ${phase}}`);
    const [random] = parseScenario(withPhase("random"), "t.yaml").backend.servers;
    expect(random?.check?.phase).toBe("random");
    const [spread] = parseScenario(withPhase("spread"), "t.yaml").backend.servers;
    expect(spread?.check).not.toHaveProperty("phase");
    expect(() => parseScenario(withPhase("early"), "t.yaml")).toThrow(/phase/);
  });

  it("gives no checks without a backend check, and HAProxy's defaults for check: true", () => {
    const text = MINIMAL.replace(
      "servers: [{name: web01,",
      "servers: [{name: web02}, {name: web01, check: true,",
    ).replace("backend:", "backend:\n  service: {constant: 1ms}");
    const [plain, checked] = parseScenario(text, "t.yaml").backend.servers;
    expect(plain?.check).toBeNull();
    expect(checked?.check).toEqual({
      type: "tcp",
      interMs: 2000,
      fastinterMs: 2000,
      downinterMs: 2000,
      rise: 2,
      fall: 3,
      timeoutMs: null,
    });
  });

  // cfgparse.c: next_id = get_next_id(used, next_id) for a server without id, then next_id++ for every server.
  it("numbers servers as HAProxy does: the first free id from a counter that every server advances", () => {
    const text = MINIMAL.replace(
      "servers: [{name: web01, service: {constant: 5ms}}]",
      "service: {constant: 5ms}\n  servers: [{name: a}, {name: b, id: 1}, {name: c}, {name: d, id: 3}, {name: e}]",
    );
    expect(parseScenario(text, "t.yaml").backend.servers.map((s) => s.id)).toEqual([2, 1, 4, 3, 6]);
  });

  it("reads every kind of arrivals, client retry and population", () => {
    const text = `duration: 1m
backend: {service: {constant: 1ms}, servers: [{name: s}]}
clients:
  - {name: a, arrivals: {constant: 1200/m}, retry: {count: 2, backoff: 100ms}}
  - {name: b, arrivals: {ramp: {from: 0, to: 100/s}}, sources: {count: 10, zipf: 1.2}}
  - {name: c, arrivals: {ramp: {from: 10/s, to: 20/s, over: 30s}}, retry: {count: 1, backoff: 1s, max-backoff: 5s, jitter: 0.5}}
  - {name: d, arrivals: {users: {count: 20, think: {exponential: 1s}}}, timeout: 30s}
  - {name: e, arrivals: {trace: traces/day.csv}}
`;
    const clients = parseScenario(text, "t.yaml").clients;
    expect(clients.map((c) => c.arrivals)).toEqual([
      { kind: "constant", ratePerSecond: 20 },
      { kind: "ramp", fromPerSecond: 0, toPerSecond: 100, overMs: 60_000 },
      { kind: "ramp", fromPerSecond: 10, toPerSecond: 20, overMs: 30_000 },
      { kind: "users", count: 20, think: { kind: "exponential", meanMs: 1000 } },
      { kind: "trace", file: "traces/day.csv" },
    ]);
    expect(clients[0]?.retry).toEqual({ count: 2, backoffMs: 100, maxBackoffMs: 1000, jitter: 1 });
    expect(clients[2]?.retry).toEqual({ count: 1, backoffMs: 1000, maxBackoffMs: 5000, jitter: 0.5 });
    expect(clients[1]?.sources).toEqual({ count: 10, zipf: 1.2 });
    expect(clients[3]?.timeoutMs).toBe(30_000);
  });

  it("lets servers go without a service model when every client replays a trace", () => {
    const text = `duration: 1m
backend: {servers: [{name: s}]}
clients: [{name: t, arrivals: {trace: t.csv}}]
`;
    expect(parseScenario(text, "t.yaml").backend.servers[0]?.service).toBeNull();
  });

  it("sorts events by time, keeping the written order of simultaneous ones", () => {
    const text = `${MINIMAL}events:
  - {at: 5s, restore: web01}
  - {at: 1s, slow: {server: web01, factor: 3}}
  - {at: 5s, errors: {server: web01, rate: 0.25}}
  - {at: 1s, hang: web01}
  - {at: 0, partition: web01}
  - {at: 10s, heal: web01}
  - {at: 2s, runtime: "set weight backend/web01 50%"}
`;
    expect(parseScenario(text, "t.yaml").events).toEqual([
      { atMs: 0, kind: "partition", server: "web01" },
      { atMs: 1000, kind: "slow", server: "web01", factor: 3 },
      { atMs: 1000, kind: "hang", server: "web01" },
      {
        atMs: 2000,
        kind: "runtime",
        text: "set weight backend/web01 50%",
        command: { op: "weight", server: "web01", weight: 50, percent: true },
      },
      { atMs: 5000, kind: "restore", server: "web01" },
      { atMs: 5000, kind: "errors", server: "web01", rate: 0.25 },
      { atMs: 10_000, kind: "heal", server: "web01" },
    ]);
  });

  it("reads the frontend, the bucket and the other top-level fields", () => {
    const text = `${MINIMAL}name: my-test
description: what to look at
seed: 0
bucket: 250ms
frontend: {name: fe, maxconn: 100, timeout: {client: 30s}}
`;
    const scenario = parseScenario(text, "t.yaml");
    expect(scenario).toMatchObject({
      name: "my-test",
      description: "what to look at",
      seed: 0,
      bucketMs: 250,
    });
    expect(scenario.frontend).toMatchObject({ name: "fe", maxconn: 100, clientTimeoutMs: 30_000 });
  });

  it("accepts a scenario over the request limit when forced", () => {
    const text = MINIMAL.replace("10/s", "1e9/s").replace("duration: 10s", "duration: 1d");
    expect(parseScenario(text, "t.yaml", { force: true }).durationMs).toBe(86_400_000);
  });
});
