// What users rely on when they compare strategies, checked on whole simulated runs.
import { describe, expect, it } from "vitest";
import { client, scenario, server, simulate } from "../sim/test-support.js";

const SEEDS = [1, 2, 3, 4, 5];

describe("strategy behaviour on whole runs", () => {
  it("roundrobin gives each server its weight's share of the requests (5:3:2)", () => {
    const results = simulate(
      scenario({
        durationMs: 60_000,
        backend: {
          balance: "roundrobin",
          servers: [server("a", { weight: 5 }), server("b", { weight: 3 }), server("c", { weight: 2 })],
        },
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 50 } })],
      }),
    );
    // fwrr hands out exactly Σw = 10 picks per period, so each share is off its weight's share by
    // at most one period's worth of picks over the whole run (about 3000 picks here).
    const total = results.servers.reduce((n, s) => n + s.requests, 0);
    const tolerance = 10 / total;
    expect(results.servers[0]!.share).toBeCloseTo(0.5, 2);
    for (const [s, expected] of [
      [results.servers[0]!, 0.5],
      [results.servers[1]!, 0.3],
      [results.servers[2]!, 0.2],
    ] as const) {
      expect(Math.abs(s.share - expected)).toBeLessThanOrEqual(tolerance);
    }
  });

  it("leastconn beats roundrobin on p99 when one server is twice as slow", () => {
    // Two single-slot servers, one at half speed, 60% of the total capacity offered: roundrobin
    // sends the slow one half the requests (its utilization 0.5·λ·2S = 90%), leastconn steers
    // away from its growing backlog. Same request stream for both (common random numbers).
    for (const seed of SEEDS) {
      const base = {
        seed,
        durationMs: 120_000,
        warmupMs: 10_000,
        backend: {
          servers: [server("fast"), server("slow", { speed: 0.5 })],
        },
        clients: [client("c", { arrivals: { kind: "poisson" as const, ratePerSecond: 90 } })],
      };
      const rr = simulate(scenario({ ...base, backend: { ...base.backend, balance: "roundrobin" } }));
      const lc = simulate(scenario({ ...base, backend: { ...base.backend, balance: "leastconn" } }));
      expect(lc.latency.p99Ms).toBeLessThan(0.7 * rr.latency.p99Ms);
      expect(lc.servers[0]!.share).toBeGreaterThan(rr.servers[0]!.share);
    }
  });

  it("random(2) keeps queues shorter than random(1)", () => {
    // Power of two choices: with 10 single-slot servers at 85% load, one random draw splits the
    // requests by the consistent ring's shares (16 points per server: uneven, so some servers get
    // more than their capacity and their queues grow without bound); two draws compare loads and
    // keep every queue short (Mitzenmacher), so the mean latency and the longest queue both drop.
    for (const seed of SEEDS) {
      const base = {
        seed,
        durationMs: 60_000,
        warmupMs: 5000,
        backend: { servers: Array.from({ length: 10 }, (_, i) => server(`s${i}`)) },
        clients: [client("c", { arrivals: { kind: "poisson" as const, ratePerSecond: 850 } })],
      };
      const one = simulate(scenario({ ...base, backend: { ...base.backend, balance: "random(1)" } }));
      const two = simulate(scenario({ ...base, backend: { ...base.backend, balance: "random(2)" } }));
      const longest = (r: typeof one) => Math.max(...r.servers.map((s) => s.maxInFlight));
      expect(two.latency.meanMs).toBeLessThan(0.6 * one.latency.meanMs);
      expect(longest(two)).toBeLessThan(longest(one));
    }
  });
});
