// Timeline `balance` and `redispatch` changes: the new algorithm picks from then on over the servers
// as they are, redispatch acts on retry decisions taken after it, every balancer instance switches.
import { describe, expect, it } from "vitest";
import type { Scenario, TimelineEvent } from "../../scenarios/types.js";
import type { Results } from "../results.js";
import { createModel } from "../stepping.js";
import {
  client,
  RUN_OPTIONS,
  scenario,
  server,
  simulate,
  simulateWithRecords,
  TCP_CHECK,
} from "../test-support.js";

/** A server's share of the requests answered or failed in buckets [fromMs, toMs) (1 s buckets). */
function share(results: Results, name: string, fromMs: number, toMs: number): number {
  const { atMs, serverRequests } = results.series;
  const inWindow = (values: ReadonlyArray<number>) =>
    values.reduce((n, v, i) => (atMs[i]! >= fromMs && atMs[i]! < toMs ? n + v : n), 0);
  const all = Object.values(serverRequests).reduce((n, values) => n + inWindow(values), 0);
  return inWindow(serverRequests[name]!) / all;
}

describe("{at, balance: …}", () => {
  // unequal-speed.yaml: two servers and old03 at 40% speed, equal weights, 216 req/s (72% of the
  // 480/s they serve together, 90% of old03's 80/s when it gets a third).
  const unequal = (balance: string, events: TimelineEvent[] = []): Scenario =>
    scenario({
      durationMs: 60_000,
      backend: {
        balance,
        timeout: { connectMs: 1000, serverMs: 30_000, queueMs: 30_000 },
        servers: [
          server("web01", { slots: 4, service: { kind: "exponential", meanMs: 20 } }),
          server("web02", { slots: 4, service: { kind: "exponential", meanMs: 20 } }),
          server("old03", { slots: 4, speed: 0.4, service: { kind: "exponential", meanMs: 20 } }),
        ],
      },
      clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 216 } })],
      events,
    });
  const SWITCH_MS = 20_000;
  const switched = simulate(
    unequal("roundrobin", [{ atMs: SWITCH_MS, kind: "balance", backend: "backend", balance: "leastconn" }]),
  );
  const leastconn = simulate(unequal("leastconn"));

  it("roundrobin gives the slow server a third, then leastconn's steady share", () => {
    // Before the switch: roundrobin's equal turns, a third whatever the speed (±1.5 points of noise).
    expect(share(switched, "old03", 0, SWITCH_MS)).toBeGreaterThan(0.32);
    expect(share(switched, "old03", 0, SWITCH_MS)).toBeLessThan(0.35);
    // After it, leastconn's share: a fifth or so (old03 serves 80 of the 480/s).
    const after = share(switched, "old03", 25_000, 60_000);
    expect(after).toBeLessThan(0.25);
    // And exactly the share of a run that is leastconn throughout, bucket by bucket, once old03's
    // roundrobin backlog is gone (25 s on): the arrivals and each request's demand are the same
    // draws in both runs, and leastconn picks by in-flight counts only, so as soon as both runs
    // hold the same requests on the same servers (every server idle at once, here within 2 s)
    // they are in the same state and pick alike from then on.
    const from = switched.series.atMs.indexOf(25_000);
    for (const name of ["web01", "web02", "old03"])
      expect(switched.series.serverRequests[name]!.slice(from)).toEqual(
        leastconn.series.serverRequests[name]!.slice(from),
      );
    expect(after).toBe(share(leastconn, "old03", 25_000, 60_000));
    // The timeline says when; Results' strategy stays the one the run started with.
    expect(switched.timeline).toEqual([{ atMs: SWITCH_MS, action: "balance", text: "balance leastconn" }]);
    expect(switched.strategy).toBe("roundrobin");
  });

  it("builds the new algorithm over the servers as they are: a DOWN server stays out until it is UP again", () => {
    // s1 crashes at 1 s and is DOWN at 3 s (checks at 1, 2, 3 s, fall 3); at 5 s `first` takes over:
    // built over the usable set it sends everything to s2, where a `first` that counted s1 in would
    // pick it (the lowest id) and fail every request. When s1 comes back, the new algorithm (not
    // the replaced one) is told, and `first` gives it everything again.
    const s = scenario({
      durationMs: 10_000,
      backend: {
        timeout: { connectMs: 200, serverMs: 5000, queueMs: 5000 },
        servers: [server("s1", { check: TCP_CHECK }), server("s2", { check: TCP_CHECK })],
      },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
      events: [
        { atMs: 1000, kind: "crash", server: "s1" },
        { atMs: 5000, kind: "balance", backend: "backend", balance: "first" },
        { atMs: 7000, kind: "restore", server: "s1" },
      ],
    });
    const { results, records } = simulateWithRecords(s);
    const s1 = results.servers[0]!;
    expect(s1.states.map((c) => c.state)).toContain("DOWN");
    const between = records.filter((r) => r.atMs >= 5000 && r.atMs < 7000);
    expect(between.length).toBeGreaterThan(150);
    expect(between.every((r) => r.server === "s2" && r.status === 200)).toBe(true);
    // s1 back UP (rise 2 after 7 s: 8 s) enters the new algorithm: `first` then sends it everything.
    const late = records.filter((r) => r.atMs >= 9000);
    expect(late.every((r) => r.server === "s1")).toBe(true);
  });

  it("takes the event's hash-type: after a switch to source, each address goes where a consistent-hash run sends it", () => {
    // A hash is stateless over a fixed usable set: after the switch every client address must map
    // to the server a run that is `source` + `hash-type consistent` throughout maps it to, and (for
    // some addresses) not to the one map-based hashing picks.
    const hashed = (balance: string, hashType: "map-based" | "consistent", events: TimelineEvent[] = []) =>
      scenario({
        durationMs: 6000,
        backend: { balance, hashType, servers: ["s1", "s2", "s3", "s4"].map((n) => server(n)) },
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 300 } })],
        events,
      });
    const mapping = (
      records: ReadonlyArray<{ atMs: number; sourceIp: string; server: string }>,
      fromMs: number,
    ) => new Map(records.filter((r) => r.atMs >= fromMs).map((r) => [r.sourceIp, r.server]));
    const switched = mapping(
      simulateWithRecords(
        hashed("roundrobin", "map-based", [
          { atMs: 2000, kind: "balance", backend: "backend", balance: "source", hashType: "consistent" },
        ]),
      ).records,
      2000,
    );
    const consistent = mapping(simulateWithRecords(hashed("source", "consistent")).records, 0);
    const mapBased = mapping(simulateWithRecords(hashed("source", "map-based")).records, 0);
    let compared = 0;
    let differsFromMap = 0;
    for (const [ip, server] of switched) {
      if (consistent.has(ip)) {
        compared++;
        expect(server, ip).toBe(consistent.get(ip));
      }
      if (mapBased.has(ip) && mapBased.get(ip) !== server) differsFromMap++;
    }
    expect(compared).toBeGreaterThan(300);
    expect(differsFromMap).toBeGreaterThan(100);
  });

  it("switches every balancer instance", () => {
    // Two instances; `first` sends every request to s1 (no maxconn: never full). Had only one
    // instance switched, s2 would still get a quarter of the requests (half of the other's).
    const s: Scenario = {
      ...scenario({
        durationMs: 6000,
        backend: { servers: [server("s1"), server("s2")] },
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 200 } })],
        events: [{ atMs: 2000, kind: "balance", backend: "backend", balance: "first" }],
      }),
      balancers: { count: 2, spread: "roundrobin" },
    };
    const results = simulate(s);
    expect(share(results, "s2", 0, 2000)).toBeGreaterThan(0.4);
    expect(share(results, "s2", 3000, 6000)).toBe(0);
  });

  it("applied through the stepping API at a check tick gives the scenario event's Results byte for byte", () => {
    const base = unequal("roundrobin");
    const event: TimelineEvent = { atMs: 20_000, kind: "balance", backend: "backend", balance: "random(2)" };
    const model = createModel(base, RUN_OPTIONS);
    model.advanceTo(20_000);
    model.apply({ kind: "balance", backend: "backend", balance: "random(2)" });
    expect(() => model.apply({ kind: "balance", backend: "backend", balance: "nope" })).toThrow(
      /unknown algorithm "nope"/,
    );
    expect(() => model.apply({ kind: "redispatch", backend: "api", redispatch: null })).toThrow(
      /no backend named "api"/,
    );
    model.advanceTo(base.durationMs);
    expect(JSON.stringify(model.results())).toBe(JSON.stringify(simulate({ ...base, events: [event] })));
  });
});

describe("{at, redispatch: …}", () => {
  // failover.yaml without redispatch and with retries 1: a request refused by the crashed web02
  // retries it once after the 1 s turn-around and gets 503 (SC) unless it is redispatched; web02
  // crashes at 5 s and is DOWN at 7 s (checks at 5, 6, 7 s, fall 3).
  const failover = (events: TimelineEvent[]): Scenario =>
    scenario({
      durationMs: 10_000,
      backend: {
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 5000 },
        retries: 1,
        servers: ["web01", "web02", "web03"].map((n) => server(n, { slots: 8, check: TCP_CHECK })),
      },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 50 } })],
      events: [{ atMs: 5000, kind: "crash", server: "web02" }, ...events],
    });
  const ON_MS = 6000;
  const off = simulateWithRecords(failover([]));
  const switched = simulateWithRecords(
    failover([{ atMs: ON_MS, kind: "redispatch", backend: "backend", redispatch: { interval: -1 } }]),
  );
  const arrivedIn = (records: typeof off.records, fromMs: number, toMs: number) =>
    records.filter((r) => r.atMs >= fromMs && r.atMs < toMs);

  it("before the switch retries hit the dead server (503 SC); after it they are redispatched", () => {
    // Arrivals in [5 s, 6 s): web02's turns (a third of 50) decided their retry before the switch:
    // the same server, then 503 SC, exactly as without the switch.
    const before = arrivedIn(switched.records, 5000, ON_MS);
    const failed = before.filter((r) => r.status === 503);
    expect(failed.length).toBeGreaterThanOrEqual(16);
    expect(failed.every((r) => r.termination === "SC--" && r.server === "web02" && !r.redispatched)).toBe(
      true,
    );
    expect(failed.length).toBe(arrivedIn(off.records, 5000, ON_MS).filter((r) => r.status === 503).length);
    // From the switch until web02 is DOWN (7 s): each refused request goes at once to another server.
    const after = arrivedIn(switched.records, ON_MS, 7000);
    expect(after.filter((r) => r.status !== 200)).toEqual([]);
    const redispatched = after.filter((r) => r.redispatched);
    expect(redispatched.length).toBeGreaterThanOrEqual(16);
    expect(redispatched.every((r) => r.server !== "web02")).toBe(true);
    // Without the switch the same window fails.
    expect(arrivedIn(off.records, ON_MS, 7000).filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(
      16,
    );
    expect(switched.results.timeline.at(-1)).toEqual({
      atMs: ON_MS,
      action: "redispatch",
      text: "option redispatch",
    });
  });

  it("off again: later retries stay on the dead server", () => {
    const back = simulateWithRecords(
      failover([
        { atMs: 4000, kind: "redispatch", backend: "backend", redispatch: { interval: -1 } },
        { atMs: ON_MS, kind: "redispatch", backend: "backend", redispatch: null },
      ]),
    );
    expect(arrivedIn(back.records, 5000, ON_MS).filter((r) => r.status !== 200)).toEqual([]);
    expect(
      arrivedIn(back.records, ON_MS, 7000).filter((r) => r.status === 503).length,
    ).toBeGreaterThanOrEqual(16);
    expect(back.results.timeline.at(-1)!.text).toBe("no option redispatch");
  });
});
