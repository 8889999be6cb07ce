// Several balancer instances sharing one server pool (scenario `balancers`): what each instance owns,
// what they share, and Results' totals and balancers[].
import { describe, expect, it } from "vitest";
import type { BalancerInstances, Scenario, TimelineEvent } from "../scenarios/types.js";
import type { Results } from "./results.js";
import { client, scenario, server, simulate, simulateWithRecords, TCP_CHECK } from "./test-support.js";

const CHECK = TCP_CHECK;

function withBalancers(s: Scenario, balancers: BalancerInstances | undefined): Scenario {
  return balancers === undefined ? s : { ...s, balancers };
}

/** Two fast servers and one four times slower, under leastconn at a third of what they can serve. */
function slowServerScenario(count: number | undefined): Scenario {
  const base = scenario({
    durationMs: 20_000,
    warmupMs: 2000,
    seed: 3,
    backend: {
      balance: "leastconn",
      servers: [
        server("fast1", { slots: 4 }),
        server("fast2", { slots: 4 }),
        server("slow", { slots: 4, speed: 0.25 }),
      ],
    },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 300 } })],
  });
  return withBalancers(base, count === undefined ? undefined : { count, spread: "roundrobin" });
}

const shareOf = (results: Results, name: string): number =>
  results.servers.find((s) => s.name === name)!.share;

describe("several balancer instances (scenario balancers)", () => {
  it("one instance given is today's model: the same Results, plus balancers[] with the totals", () => {
    const without = simulate(slowServerScenario(undefined));
    const one = simulate(slowServerScenario(1));
    // Absent, Results have no balancers[] at all (so every existing output stays byte-identical).
    expect("balancers" in without).toBe(false);
    const { balancers, ...rest } = one;
    expect(rest).toEqual(without);
    expect(balancers).toHaveLength(1);
    expect(balancers![0]).toMatchObject({
      index: 0,
      name: "lb1",
      requests: { total: without.requests.total },
    });
    expect(balancers![0]!.latency).toEqual(without.latency);
    expect(balancers![0]!.servers.map((s) => [s.name, s.requests, s.share])).toEqual(
      without.servers.map((s) => [s.name, s.requests, s.share]),
    );
  });

  it("leastconn with local state sends more to a slow server with several instances than with one", () => {
    // One balancer sees every connection: the slow server's pile up (each lasts 4× longer) and
    // leastconn steers around it. Eight instances each see an eighth of the connections: most of the
    // time every server holds 0 or 1 of its own, the counts tie, and the tie goes round robin, so the
    // slow server gets close to roundrobin's third although it is as busy as ever for the others.
    // (Measured: 16% of the requests with one instance, 25% with eight; p99 105 ms → 138 ms.)
    const single = simulate(slowServerScenario(1));
    const one = shareOf(single, "slow");
    const eight = simulate(slowServerScenario(8));
    const many = shareOf(eight, "slow");
    expect(one).toBeLessThan(0.2);
    expect(many).toBeGreaterThan(1.4 * one);
    expect(many).toBeLessThan(1 / 3);
    // The requests it takes wait behind its slow workers: the tail gets worse.
    expect(eight.latency.p99Ms).toBeGreaterThan(1.2 * single.latency.p99Ms);
    // Each instance made the same mistake on its own.
    for (const b of eight.balancers!)
      expect(b.servers.find((s) => s.name === "slow")!.share).toBeGreaterThan(one);
  });

  it("every instance's requests land on the same servers: the work adds up on them", () => {
    // Constant arrivals and service: one instance or four, roundrobin gives each server half of
    // every request, so each server works the same. Were the servers not shared, instance 1's
    // copy would show a quarter of that.
    const shared = (count: number | undefined) =>
      withBalancers(
        scenario({
          durationMs: 10_000,
          backend: {
            servers: [
              server("s1", { service: { kind: "constant", valueMs: 8 } }),
              server("s2", { service: { kind: "constant", valueMs: 8 } }),
            ],
          },
          clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
        }),
        count === undefined ? undefined : { count, spread: "roundrobin" },
      );
    const one = simulate(shared(undefined));
    const four = simulate(shared(4));
    expect(one.servers.map((s) => s.utilization)).toEqual([0.4, 0.4]);
    expect(four.servers.map((s) => s.utilization)).toEqual(one.servers.map((s) => s.utilization));
    expect(four.servers.map((s) => s.requests)).toEqual(one.servers.map((s) => s.requests));
    // Round robin over the instances: each took a quarter of the requests.
    expect(four.balancers!.map((b) => b.requests.total)).toEqual([250, 250, 250, 250]);
    // The totals are all instances': requests and each server's count add up.
    expect(four.requests.total).toBe(1000);
    for (const [k, s] of four.servers.entries())
      expect(four.balancers!.reduce((n, b) => n + b.servers[k]!.requests, 0)).toBe(s.requests);
    expect(four.series.serverRequests!.s1!.reduce((a, b) => a + b, 0)).toBe(four.servers[0]!.requests);
  });

  it("maxconn is per instance, as in HAProxy per process: the server holds up to count × maxconn", () => {
    const busy = (count: number) =>
      withBalancers(
        scenario({
          durationMs: 5000,
          backend: {
            servers: [server("s1", { maxconn: 2, slots: 16, service: { kind: "constant", valueMs: 50 } })],
          },
          clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 400 } })],
        }),
        { count, spread: "roundrobin" },
      );
    const three = simulate(busy(3));
    // 400/s × 50 ms = 20 connections wanted: each instance stops at its own 2, together 6.
    expect(three.servers[0]!.maxInFlight).toBe(6);
    for (const b of three.balancers!) expect(b.servers[0]!.maxInFlight).toBe(2);
    const one = simulate(busy(1));
    expect(one.servers[0]!.maxInFlight).toBe(2);
    // The offered load's capacity counts it: 2 connections × 1000/50 ms = 40/s for one, 120/s for three.
    expect(one.offeredLoad.map((l) => l.capacityPerSecond)).toEqual([40]);
    expect(three.offeredLoad.map((l) => l.capacityPerSecond)).toEqual([120]);
  });

  it("each instance has its own frontend: its maxconn and global maxconn count its own connections", () => {
    // 400/s × 50 ms = 20 connections wanted; each instance accepts 2 at once (the rest wait in its
    // backlog), so the server holds up to 6 with three instances, as three HAProxy processes would.
    const limited = (count: number, limits: Partial<Scenario>) =>
      withBalancers(
        scenario({
          durationMs: 5000,
          backend: { servers: [server("s1", { slots: 32, service: { kind: "constant", valueMs: 50 } })] },
          clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 400 } })],
          ...limits,
        }),
        { count, spread: "roundrobin" },
      );
    const frontend = {
      frontend: { name: "frontend", maxconn: 2, clientTimeoutMs: Number.POSITIVE_INFINITY },
    };
    expect(simulate(limited(1, frontend)).servers[0]!.maxInFlight).toBe(2);
    expect(simulate(limited(3, frontend)).servers[0]!.maxInFlight).toBe(6);
    const global = simulateWithRecords(limited(3, { globalMaxconn: 2 }));
    expect(global.results.servers[0]!.maxInFlight).toBe(6);
    // The log's actconn (%ac) is the request's own instance's: never above its global maxconn.
    expect(Math.max(...global.records.map((r) => r.processConnections ?? 0))).toBe(2);
    // With several frontends Results show each: its connections of every instance together.
    const base = limited(3, {});
    const be1 = { ...base.backend, name: "be1" };
    const be2 = { ...base.backend, name: "be2" };
    const a = { name: "a", maxconn: 2, clientTimeoutMs: Number.POSITIVE_INFINITY, defaultBackend: "be1" };
    const b = { ...a, name: "b", defaultBackend: "be2" };
    const two = simulate({
      ...base,
      backend: be1,
      backends: [be1, be2],
      frontend: a,
      frontends: [a, b],
      clients: [client("c", { frontend: "a", arrivals: { kind: "poisson", ratePerSecond: 400 } })],
    });
    expect(two.frontends!.map((f) => f.maxConnections)).toEqual([6, 0]);
  });

  it("N instances run N times the health checks, each on its own schedule", () => {
    const checked = (count: number) =>
      withBalancers(
        scenario({
          durationMs: 10_000,
          backend: { servers: [server("s1", { check: CHECK }), server("s2", { check: CHECK })] },
        }),
        { count, spread: "roundrobin" },
      );
    const single = simulate(checked(1)).balancers![0]!.checks;
    // 10 s at inter 1 s, two servers: about 10 checks each.
    expect(single).toBeGreaterThanOrEqual(18);
    const four = simulate(checked(4)).balancers!;
    const total = four.reduce((n, b) => n + b.checks, 0);
    // Each instance checks every server itself; a later instance's first check starts up to one
    // interval later (its phase), so it may run one check fewer per server.
    expect(total).toBeGreaterThanOrEqual(4 * single - 4 * 2);
    expect(total).toBeLessThanOrEqual(4 * single);
    // Each server gets its checks from every instance: about 10 s / 1 s from each.
    for (const b of four) for (const s of b.servers) expect(Math.abs(s.checks - 10)).toBeLessThanOrEqual(1);
  });

  it("a crash hits the shared server; each instance marks it DOWN at its own time", () => {
    const crash: TimelineEvent = { atMs: 5000, kind: "crash", server: "s1" };
    const s = withBalancers(
      scenario({
        durationMs: 15_000,
        backend: { servers: [server("s1", { check: CHECK }), server("s2", { check: CHECK })] },
        events: [crash],
      }),
      { count: 4, spread: "roundrobin" },
    );
    const results = simulate(s);
    const downAt = results.balancers!.map(
      (b) => b.servers.find((x) => x.name === "s1")!.states.find((c) => c.state === "DOWN")!.atMs,
    );
    // fall 3 at inter 1 s: DOWN at the third failed check, 2 s after the first one, which comes
    // within one interval of the crash; the instances' checks are spread a quarter interval apart,
    // so no two see it at the same moment.
    for (const atMs of downAt) {
      expect(atMs).toBeGreaterThanOrEqual(7000);
      expect(atMs).toBeLessThan(8000);
    }
    expect(new Set(downAt).size).toBe(4);
    // Results.servers[].states is instance 1's view; downs add up over the instances.
    expect(results.servers[0]!.states).toEqual(results.balancers![0]!.servers[0]!.states);
    expect(results.servers[0]!.downs).toBe(4);
  });

  it("an admin action is a configuration rollout: it applies on every instance at once", () => {
    const s = withBalancers(
      scenario({
        durationMs: 6000,
        events: [
          { atMs: 2000, kind: "runtime", text: "", command: { op: "state", server: "s1", state: "maint" } },
        ],
      }),
      { count: 3, spread: "roundrobin" },
    );
    const results = simulate(s);
    for (const b of results.balancers!)
      expect(b.servers[0]!.states).toEqual([
        { atMs: 0, state: "no check" },
        { atMs: 2000, state: "MAINT" },
      ]);
  });

  it("spread: source keeps each client address on one instance; roundrobin spreads its requests", () => {
    const oneAddress = (spread: BalancerInstances["spread"]) =>
      withBalancers(
        scenario({
          durationMs: 5000,
          clients: [client("c", { sources: { count: 1, zipf: null } })],
        }),
        { count: 4, spread },
      );
    const bySource = simulate(oneAddress("source")).balancers!.map((b) => b.requests.total);
    // The one address hashes to one instance, which takes every request.
    expect(bySource.filter((n) => n > 0)).toHaveLength(1);
    const byTurn = simulate(oneAddress("roundrobin")).balancers!.map((b) => b.requests.total);
    expect(Math.max(...byTurn) - Math.min(...byTurn)).toBeLessThanOrEqual(1);
    // Many addresses spread over every instance.
    const many = simulate(
      withBalancers(scenario({ durationMs: 5000 }), { count: 4, spread: "source" }),
    ).balancers!.map((b) => b.requests.share);
    for (const share of many) expect(share).toBeGreaterThan(0.15);
  });

  it("with spread: source every request of an address reaches the same instance (per-request records)", () => {
    const spread = (kind: BalancerInstances["spread"]) =>
      simulateWithRecords(
        withBalancers(
          scenario({ durationMs: 5000, clients: [client("c", { sources: { count: 20, zipf: null } })] }),
          { count: 4, spread: kind },
        ),
      ).records;
    const instancesOf = (records: ReadonlyArray<{ sourceIp: string; balancer?: string }>) => {
      const seen = new Map<string, Set<string>>();
      for (const r of records) seen.set(r.sourceIp, (seen.get(r.sourceIp) ?? new Set()).add(r.balancer!));
      return [...seen.values()].map((set) => set.size);
    };
    const bySource = spread("source");
    expect(instancesOf(bySource).every((n) => n === 1)).toBe(true);
    expect(new Set(bySource.map((r) => r.balancer))).toEqual(new Set(["lb1", "lb2", "lb3", "lb4"]));
    // Round robin sends each address's requests to several instances.
    expect(Math.max(...instancesOf(spread("roundrobin")))).toBeGreaterThan(1);
    // Without balancers: the records carry no such field.
    expect(simulateWithRecords(scenario({ durationMs: 1000 })).records[0]).not.toHaveProperty("balancer");
  });

  it("refuse-first counts the server's connections, whichever instance makes them", () => {
    // The server refuses its next 3 connections: with no retries, the first three requests (one on
    // each instance) get 503 SC, then it answers. Were the fault per instance, nine would.
    const s = withBalancers(
      scenario({
        durationMs: 2000,
        backend: { retries: 0, servers: [server("s1")] },
        events: [{ atMs: 0, kind: "refuse-first", server: "s1", count: 3 }],
      }),
      { count: 3, spread: "roundrobin" },
    );
    const results = simulate(s);
    expect(results.requests.byTermination.SC).toBe(3);
    expect(results.balancers!.map((b) => b.requests.failed)).toEqual([1, 1, 1]);
  });

  it("a client giving up is counted per backend whatever the instance (several backends)", () => {
    const base = scenario({
      durationMs: 3000,
      backend: { servers: [server("s1", { slots: 1, service: { kind: "constant", valueMs: 50 } })] },
    });
    const be1 = { ...base.backend, name: "be1" };
    const be2 = { ...base.backend, name: "be2" };
    const front = { name: "f", maxconn: 0, clientTimeoutMs: Number.POSITIVE_INFINITY, defaultBackend: "be1" };
    const results = simulate({
      ...base,
      backend: be1,
      backends: [be1, be2],
      frontend: front,
      frontends: [front],
      clients: [client("c", { timeoutMs: 20, arrivals: { kind: "poisson", ratePerSecond: 40 } })],
      balancers: { count: 3, spread: "roundrobin" },
    });
    // Each request takes 50 ms and its client gives up at 20 ms: the servers answer them anyway.
    const gaveUp = results.requests.gaveUpServed!;
    expect(gaveUp).toBeGreaterThan(0);
    expect(results.backends!.map((b) => b.requests.gaveUpServed)).toEqual([gaveUp, 0]);
    expect(results.servers.reduce((n, s) => n + (s.gaveUpServed ?? 0), 0)).toBe(gaveUp);
  });

  it("is deterministic: the same scenario and seed give the same Results", () => {
    const s = slowServerScenario(4);
    expect(simulate(s)).toEqual(simulate(s));
  });
});
