// `add server` / `del server` (HAProxy 2.6 dynamic servers, management.txt; messages measured on
// haproxy 2.6.12): a server declared `added: false` is out of the backend until added, joins in MAINT,
// and `del server` is refused unless it is in MAINT with nothing on it.
import { describe, expect, it } from "vitest";
import { runtimeAction } from "../../scenarios/runtime-command.js";
import type { RuntimeCommand, Scenario, ServerSpec, TimelineEvent } from "../../scenarios/types.js";
import type { RequestRecord } from "../run-types.js";
import { createModel } from "../stepping.js";
import { client, RUN_OPTIONS, scenario, server, simulateWithRecords, TCP_CHECK } from "../test-support.js";

const constant = (valueMs: number) => ({ kind: "constant", valueMs }) as const;

const TEXT: Record<RuntimeCommand["op"], (c: RuntimeCommand) => string> = {
  add: (c) => `add server backend/${c.server}`,
  del: (c) => `del server backend/${c.server}`,
  state: (c) => `set server backend/${c.server} state ${"state" in c ? c.state : ""}`,
  weight: (c) => `set server backend/${c.server} weight ${"weight" in c ? c.weight : ""}`,
  health: (c) => `set server backend/${c.server} health ${"health" in c ? c.health : ""}`,
};
function runtime(atMs: number, command: RuntimeCommand): TimelineEvent {
  return { atMs, kind: "runtime", text: TEXT[command.op](command), command };
}
/** `add server` then `state ready` at the same time: the server takes traffic from then on. */
const addReady = (atMs: number, name: string): TimelineEvent[] => [
  runtime(atMs, { op: "add", server: name }),
  runtime(atMs, { op: "state", server: name, state: "ready" }),
];

function build(
  balance: string,
  servers: ServerSpec[],
  events: TimelineEvent[],
  extra: Partial<Scenario> = {},
) {
  return scenario({
    durationMs: 10_000,
    backend: { balance, timeout: { connectMs: 1000, serverMs: 10_000, queueMs: 1000 }, servers },
    // 300 requests/s, one every 10/3 ms (three every 10 ms).
    clients: [
      client("c", {
        arrivals: { kind: "constant", ratePerSecond: 300 },
        sources: { count: 500, zipf: null },
      }),
    ],
    events,
    ...extra,
  });
}

const between = (records: RequestRecord[], name: string, fromMs: number, toMs: number) =>
  records.filter((r) => r.server === name && r.atMs >= fromMs && r.atMs < toMs).length;

describe("a server declared added: false", () => {
  it("takes no request and runs no check until added, and its Results row says so", () => {
    const servers = [
      server("s1", { check: TCP_CHECK, service: constant(2) }),
      server("s2", { check: TCP_CHECK, service: constant(2) }),
      server("s3", { check: TCP_CHECK, service: constant(2), added: false }),
    ];
    const { results, records } = simulateWithRecords(build("roundrobin", servers, []));
    const s3 = results.servers[2]!;
    expect(s3.name).toBe("s3");
    expect(s3.requests).toBe(0);
    expect(records.filter((r) => r.server === "s3")).toEqual([]);
    expect(s3.states).toEqual([{ atMs: 0, state: "ABSENT" }]);
    // The others share the 3000 requests as two servers do.
    expect(results.servers.map((s) => s.requests)).toEqual([1500, 1500, 0]);
  });
});

describe("add server under roundrobin", () => {
  it("two servers, then a third added and made ready at 4 s: a third each from then on", () => {
    const servers = ["s1", "s2"].map((n) => server(n, { service: constant(2), slots: 4 }));
    servers.push(server("s3", { service: constant(2), slots: 4, added: false }));
    const { results, records } = simulateWithRecords(build("roundrobin", servers, addReady(4000, "s3")));
    // Before: 1200 requests in [0, 4 s), half each (fwrr with equal weights alternates).
    expect([between(records, "s1", 0, 4000), between(records, "s2", 0, 4000)]).toEqual([600, 600]);
    expect(between(records, "s3", 0, 4000)).toBe(0);
    // After the re-integration window (fwrr places the newcomer within the next round), equal weights
    // give one request each per three picks: 1800 requests in [4 s, 10 s) → 600 each, exactly.
    expect(["s1", "s2", "s3"].map((n) => between(records, n, 4000, 10_000))).toEqual([600, 600, 600]);
    // It was added in MAINT (HAProxy 2.6), then ready: "no check" (it has no check).
    expect(results.servers[2]!.states).toEqual([
      { atMs: 0, state: "ABSENT" },
      { atMs: 4000, state: "MAINT" },
      { atMs: 4000, state: "no check" },
    ]);
  });

  it("added without `state ready` it stays in MAINT and takes nothing, as in HAProxy", () => {
    const servers = ["s1", "s2"].map((n) => server(n, { service: constant(2) }));
    servers.push(server("s3", { service: constant(2), added: false }));
    const { results } = simulateWithRecords(
      build("roundrobin", servers, [runtime(4000, { op: "add", server: "s3" })]),
    );
    expect(results.servers[2]!.requests).toBe(0);
    expect(results.servers[2]!.states.at(-1)).toEqual({ atMs: 4000, state: "MAINT" });
  });
});

describe("add server under leastconn", () => {
  it("the new, empty server takes the next requests until it has as many as the others", () => {
    // Each request lasts 1 s: at 300/s each of s1, s2 holds ~150 connections when s3 arrives.
    const servers = ["s1", "s2"].map((n) => server(n, { service: constant(1000), slots: 1000 }));
    servers.push(server("s3", { service: constant(1000), slots: 1000, added: false }));
    const { records } = simulateWithRecords(build("leastconn", servers, addReady(4000, "s3")));
    const after = records.filter((r) => r.atMs > 4000).sort((a, b) => a.atMs - b.atMs);
    // s1 and s2 hold 150 each and lose one every 1/300 s between them, while s3 takes every arrival:
    // after k arrivals s3 holds k and the others 150 − k/2, equal at k = 100. So the first 100 go
    // to s3, and then the three share.
    expect(after.slice(0, 100).every((r) => r.server === "s3")).toBe(true);
    expect(after[100]!.server).not.toBe("s3");
  });
});

describe("del server", () => {
  const slowS2 = () => [
    server("s1", { service: constant(2) }),
    server("s2", { service: constant(2000), slots: 1000 }),
  ];

  it("is refused while the server is not in MAINT, with HAProxy's message", () => {
    const { results } = simulateWithRecords(
      build("roundrobin", slowS2(), [runtime(3000, { op: "del", server: "s2" })]),
    );
    expect(results.warnings).toContain(
      '3000ms: "del server backend/s2": Only servers in maintenance mode can be deleted.',
    );
    expect(results.servers[1]!.states).toEqual([{ atMs: 0, state: "no check" }]);
  });

  it("is refused while requests are in flight on it, and removes it once they ended", () => {
    // s2's requests last 2 s: at 3.5 s those sent in (1.5 s, 3 s] are still on it; by 5.5 s none.
    const { results, records } = simulateWithRecords(
      build("roundrobin", slowS2(), [
        runtime(3000, { op: "state", server: "s2", state: "maint" }),
        runtime(3500, { op: "del", server: "s2" }),
        runtime(5500, { op: "del", server: "s2" }),
      ]),
    );
    expect(results.warnings).toEqual([
      '3500ms: "del server backend/s2": Server still has connections attached to it, cannot remove it.',
    ]);
    expect(results.servers[1]!.states).toEqual([
      { atMs: 0, state: "no check" },
      { atMs: 3000, state: "MAINT" },
      { atMs: 5500, state: "ABSENT" },
    ]);
    // The in-flight requests were not cut: every one sent to s2 got its 200.
    expect(records.filter((r) => r.server === "s2").every((r) => r.status === 200)).toBe(true);
  });

  it("a deleted server can be added again (a new server: MAINT, then ready)", () => {
    const servers = [server("s1", { service: constant(2) }), server("s2", { service: constant(2) })];
    const { results, records } = simulateWithRecords(
      build("roundrobin", servers, [
        runtime(2000, { op: "state", server: "s2", state: "maint" }),
        runtime(2000, { op: "del", server: "s2" }),
        ...addReady(6000, "s2"),
      ]),
    );
    expect(results.warnings).toBeUndefined();
    expect(between(records, "s2", 2000, 6000)).toBe(0);
    // Back in the rotation after fwrr's re-integration (within the next round): half of [7 s, 9 s).
    expect(between(records, "s2", 7000, 9000)).toBe(300);
  });
});

describe("refused commands", () => {
  it("add server on a server that is there, and any command on one that is not", () => {
    const servers = ["s1", "s2", "s3"].map((n) =>
      server(n, { service: constant(2), ...(n === "s3" ? { added: false } : {}) }),
    );
    const { results } = simulateWithRecords(
      build("roundrobin", servers, [
        runtime(1000, { op: "add", server: "s1" }),
        runtime(2000, { op: "state", server: "s3", state: "ready" }),
        runtime(3000, { op: "del", server: "s3" }),
      ]),
    );
    expect(results.warnings).toEqual([
      '1000ms: "add server backend/s1": Already exists a server with the same name in backend.',
      '2000ms: "set server backend/s3 state ready": No such server.',
      '3000ms: "del server backend/s3": No such server.',
    ]);
    expect(results.servers[2]!.requests).toBe(0);
  });

  it.each([
    ["static-rr", "map-based"],
    ["source", "map-based"],
    ["uri", "map-based"],
  ] as const)(
    "add server under %s (%s) is refused: HAProxy needs a dynamic algorithm",
    (balance, hashType) => {
      const servers = ["s1", "s2", "s3"].map((n) =>
        server(n, { service: constant(2), ...(n === "s3" ? { added: false } : {}) }),
      );
      const s = build(balance, servers, addReady(3000, "s3"));
      const { results } = simulateWithRecords({ ...s, backend: { ...s.backend, hashType } });
      // The `state ready` that follows names a server that is not there.
      expect(results.warnings).toEqual([
        '3000ms: "add server backend/s3": Backend must use a dynamic load balancing to support dynamic servers.',
        '3000ms: "set server backend/s3 state ready": No such server.',
      ]);
      expect(results.servers[2]!.requests).toBe(0);
    },
  );
});

describe("del server under a static algorithm", () => {
  it.each(["static-rr", "source"])(
    "%s: allowed (haproxy 2.6.12 deletes a server in MAINT whatever the algorithm)",
    (balance) => {
      const servers = ["s1", "s2"].map((n) => server(n, { service: constant(2) }));
      const { results, records } = simulateWithRecords(
        build(balance, servers, [
          runtime(2000, { op: "state", server: "s2", state: "maint" }),
          runtime(2000, { op: "del", server: "s2" }),
        ]),
      );
      expect(results.warnings).toBeUndefined();
      expect(results.servers[1]!.states.at(-1)).toEqual({ atMs: 2000, state: "ABSENT" });
      expect(between(records, "s2", 2000, 10_000)).toBe(0);
    },
  );
});

describe("every dynamic algorithm takes a newcomer", () => {
  // After the add, the other two go to MAINT at 6 s: from then on every request must reach s3.
  it.each([
    ["roundrobin", "map-based"],
    ["leastconn", "map-based"],
    ["first", "map-based"],
    ["random", "map-based"],
    ["random(2)", "map-based"],
    ["source", "consistent"],
    ["uri", "consistent"],
    ["hdr(host)", "consistent"],
    ["url_param userid", "consistent"],
  ] as const)("%s (%s)", (balance, hashType) => {
    const servers = ["s1", "s2", "s3"].map((n, i) =>
      server(n, { id: i + 1, service: constant(2), slots: 4, ...(n === "s3" ? { added: false } : {}) }),
    );
    const s = build(balance, servers, [
      ...addReady(3000, "s3"),
      runtime(6000, { op: "state", server: "s1", state: "maint" }),
      runtime(6000, { op: "state", server: "s2", state: "maint" }),
    ]);
    const { results, records } = simulateWithRecords({ ...s, backend: { ...s.backend, hashType } });
    expect(results.warnings).toBeUndefined();
    expect(between(records, "s3", 0, 3000)).toBe(0);
    // 300/s over (6 s, 9 s): 900 requests, all of them on s3.
    const late = records.filter((r) => r.atMs > 6000 && r.atMs < 9000);
    expect(late.length).toBe(900);
    expect(late.every((r) => r.server === "s3")).toBe(true);
  });
});

describe("hashing when a server is added", () => {
  /** Each source address's server before the add (in [1 s, 4 s)) and after it (in [5 s, 10 s)). */
  function movesOnAdd(hashType: "consistent" | "map-based") {
    const servers = ["s1", "s2", "s3", "s4"].map((n, i) =>
      server(n, { id: i + 1, service: constant(2), slots: 8, ...(n === "s4" ? { added: false } : {}) }),
    );
    const s = build("source", servers, addReady(4500, "s4"));
    const { results, records } = simulateWithRecords({ ...s, backend: { ...s.backend, hashType } });
    const before = new Map<string, string>();
    const after = new Map<string, string>();
    for (const r of records) {
      if (r.atMs >= 1000 && r.atMs < 4000) before.set(r.sourceIp, r.server);
      if (r.atMs >= 5000) after.set(r.sourceIp, r.server);
    }
    const moved = [...before].filter(([ip, was]) => after.has(ip) && after.get(ip) !== was);
    const kept = [...before].filter(([ip, was]) => after.get(ip) === was);
    return { results, moved, kept, after };
  }

  it("consistent: only sources that move to the new server move, about a quarter of them", () => {
    const { moved, kept, after } = movesOnAdd("consistent");
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every(([ip]) => after.get(ip) === "s4")).toBe(true);
    // The ring gives the newcomer about 1/4 of the keys (its share of the weights): 15%..35% of them.
    const share = moved.length / (moved.length + kept.length);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.35);
  });

  it("map-based: HAProxy refuses the add, so no source moves", () => {
    const { results, moved } = movesOnAdd("map-based");
    expect(results.warnings?.[0]).toMatch(/Backend must use a dynamic load balancing/);
    expect(moved).toEqual([]);
  });
});

describe("the stepping API", () => {
  it("applies add and del as any runtime command, and the snapshot shows ABSENT / MAINT / UP", () => {
    const servers = [
      server("s1", { check: TCP_CHECK, service: constant(2) }),
      server("s2", { check: TCP_CHECK, service: constant(2), added: false }),
    ];
    const s = build("roundrobin", servers, []);
    const model = createModel(s, RUN_OPTIONS);
    const state = () => model.snapshot().servers[1]!.state;
    model.advanceTo(1000);
    expect(state()).toBe("ABSENT");
    model.apply(runtimeAction("add server backend/s2", s));
    expect(state()).toBe("MAINT");
    model.apply(runtimeAction("set server backend/s2 state ready", s));
    // Leaving MAINT, health = rise (§5): UP, one failed check from going DOWN; the check it starts
    // at once runs among the events at 1000 ms, after the action (sim/stepping.ts), and passes: full UP.
    expect(state()).toBe("UP 1/3");
    model.advanceTo(1001);
    expect(state()).toBe("UP");
    model.advanceTo(3000);
    model.apply(runtimeAction("disable server backend/s2", s));
    model.advanceTo(3100);
    model.apply(runtimeAction("del server backend/s2", s));
    expect(state()).toBe("ABSENT");
    const results = model.finish();
    expect(results.servers[1]!.requests).toBeGreaterThan(0);
    expect(results.warnings).toBeUndefined();
  });
});

describe("a declared but absent server changes nothing for the others", () => {
  // The same run with and without web03 declared `added: false`: every other server's counts and
  // states are identical (its own random stream, no check, not in any strategy's live set), so a
  // spare declared for a demo leaves the demo's numbers as they were.
  it.each([
    ["roundrobin", "map-based"],
    ["static-rr", "map-based"],
    ["leastconn", "map-based"],
    ["first", "map-based"],
    ["random", "map-based"],
    ["random(2)", "map-based"],
    ["source", "map-based"],
    ["source", "consistent"],
    ["uri", "map-based"],
    ["uri", "consistent"],
    ["hdr(host)", "consistent"],
  ] as const)("%s (%s)", (balance, hashType) => {
    const base = ["s1", "s2"].map((n, i) =>
      server(n, {
        id: i + 1,
        check: TCP_CHECK,
        service: { kind: "exponential", meanMs: 8 },
        slots: 2,
        maxconn: 3,
      }),
    );
    const spare = server("s3", { id: 3, check: TCP_CHECK, added: false });
    const poisson = [
      client("c", { arrivals: { kind: "poisson", ratePerSecond: 150 }, sources: { count: 300, zipf: null } }),
    ];
    const events: TimelineEvent[] = [
      { atMs: 3000, kind: "crash", server: "s1" },
      { atMs: 6000, kind: "restore", server: "s1" },
    ];
    const runWith = (servers: ServerSpec[]) => {
      const s = build(balance, servers, events, { clients: poisson });
      return simulateWithRecords({ ...s, backend: { ...s.backend, hashType } }).results;
    };
    const without = runWith(base);
    const withSpare = runWith([...base, spare]);
    expect(withSpare.servers.slice(0, 2)).toEqual(without.servers);
    expect(withSpare.requests).toEqual(without.requests);
    expect(withSpare.latency).toEqual(without.latency);
  });
});

describe("with several balancer instances", () => {
  it("add and del apply to every instance's copy of the server", () => {
    const servers = ["s1", "s2"].map((n) => server(n, { service: constant(2), slots: 4 }));
    servers.push(server("s3", { service: constant(2), slots: 4, added: false }));
    const s = build("roundrobin", servers, [
      ...addReady(2000, "s3"),
      runtime(6000, { op: "state", server: "s3", state: "maint" }),
      // 100 ms later its last requests (2 ms each) ended on both instances.
      runtime(6100, { op: "del", server: "s3" }),
    ]);
    const { results, records } = simulateWithRecords({ ...s, balancers: { count: 2, spread: "roundrobin" } });
    expect(results.warnings).toBeUndefined();
    // Both instances send it traffic between 2 s and 6 s: a third of the 1200 requests, give or
    // take each instance's fwrr re-integration.
    const during = between(records, "s3", 2000, 6000);
    expect(during).toBeGreaterThan(390);
    expect(during).toBeLessThanOrEqual(400);
    expect(between(records, "s3", 6000, 10_000)).toBe(0);
    expect(results.servers[2]!.states.at(-1)).toEqual({ atMs: 6100, state: "ABSENT" });
  });
});
