// The backend-change events' syntax: `{at, balance: …}` with `hash-type` and `backend`,
// `{at, redispatch: …}`, and their errors at file:line:col.
import { describe, expect, it } from "vitest";
import { BASE, issuesOf } from "./errors-test-support.js";
import { parseScenario } from "./parse.js";

const withEvents = (base: string, ...events: string[]) =>
  `${base}events:\n${events.map((e) => `  - ${e}\n`).join("")}`;

const TWO_BACKENDS = `duration: 10s
backends:
  - name: api
    service: {exponential: 10ms}
    servers: [{name: a1}, {name: a2}]
  - name: web
    service: {exponential: 10ms}
    servers: [{name: w1}]
frontend:
  acl: [is_api path_beg /api]
  use_backend: [api if is_api]
  default_backend: web
clients:
  - name: c
    arrivals: {poisson: 10/s}
`;

describe("balance and redispatch events", () => {
  it("reads any balance the backend accepts, with hash-type, and redispatch as the backend writes it", () => {
    const scenario = parseScenario(
      withEvents(
        BASE,
        "{at: 1s, balance: leastconn}",
        '{at: 2s, balance: "random(3)"}',
        "{at: 3s, balance: source, hash-type: consistent}",
        "{at: 4s, balance: uri whole, hash-type: map-based djb2 avalanche}",
        "{at: 5s, redispatch: true}",
        "{at: 6s, redispatch: 2}",
        "{at: 7s, redispatch: false}",
      ),
      "s.yaml",
    );
    const backend = "backend";
    expect(scenario.events).toEqual([
      { atMs: 1000, kind: "balance", backend, balance: "leastconn" },
      { atMs: 2000, kind: "balance", backend, balance: "random(3)" },
      { atMs: 3000, kind: "balance", backend, balance: "source", hashType: "consistent" },
      {
        atMs: 4000,
        kind: "balance",
        backend,
        balance: "uri whole",
        hashType: "map-based",
        hashFunction: "djb2",
        hashAvalanche: true,
      },
      { atMs: 5000, kind: "redispatch", backend, redispatch: { interval: -1 } },
      { atMs: 6000, kind: "redispatch", backend, redispatch: { interval: 2 } },
      { atMs: 7000, kind: "redispatch", backend, redispatch: null },
    ]);
  });

  it("names the backend with several, as it must", () => {
    const scenario = parseScenario(
      withEvents(
        TWO_BACKENDS,
        "{at: 1s, balance: leastconn, backend: api}",
        "{at: 2s, redispatch: true, backend: web}",
      ),
      "s.yaml",
    );
    expect(scenario.events.map((e) => ("backend" in e ? e.backend : ""))).toEqual(["api", "web"]);
    const issues = issuesOf(withEvents(TWO_BACKENDS, "{at: 1s, balance: leastconn}"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "missing-key", path: "events[0]", line: 17, column: 5 });
    expect(issues[0]!.message).toMatch(/with several backends, say which one changes \(api, web\)/);
  });

  it("points at each mistake with its line and column", () => {
    const issues = issuesOf(
      withEvents(
        BASE,
        "{at: 1s, balance: leastcon}",
        "{at: 2s, balance: leastconn, backend: nope}",
        "{at: 3s, redispatch: on}",
        "{at: 4s, balance: source, hash-type: ring}",
        "{at: 5s, balance: leastconn, weight: 2}",
        '{at: 6s, balance: "random(0)"}',
      ),
    );
    const at = issues.map((i) => [i.path, i.line, i.column, i.code]);
    expect(at).toEqual([
      ["events[0].balance", 12, 23, "unknown-strategy"],
      ["events[1].backend", 13, 43, "bad-value"],
      ["events[2].redispatch", 14, 26, "bad-type"],
      ["events[3].hash-type", 15, 42, "bad-value"],
      ["events[4].weight", 16, 34, "unknown-key"],
      ["events[5].balance", 17, 23, "unknown-strategy"],
    ]);
    expect(issues[0]!.hint).toBe('did you mean "leastconn"?');
    expect(issues[2]!.message).toMatch(/expected true, false or an interval/);
  });
});
