import { describe, expect, it } from "vitest";
import type { Scenario } from "../scenarios/types.js";
import type { Results } from "../sim/index.js";
import { scenario, server, simulate } from "../sim/test-support.js";
import { balancerInstances } from "./build-instances.js";
import type { Variant } from "./view.js";

const leastconn: Variant = { name: "leastconn", color: "#0072B2" };

/** Three servers (one 4× slower) behind `count` leastconn instances spread round robin. */
function pods(seed: number, count: number): Scenario {
  const s = scenario({
    seed,
    durationMs: 20_000,
    backend: {
      balance: "leastconn",
      servers: [
        server("web01", { slots: 4 }),
        server("web02", { slots: 4 }),
        server("old01", { slots: 4, speed: 0.25 }),
      ],
    },
  });
  return count > 0 ? { ...s, balancers: { count, spread: "roundrobin" } } : s;
}

const runs = (seeds: number[], count: number): Results[] => seeds.map((seed) => simulate(pods(seed, count)));

describe("balancerInstances", () => {
  it("is absent when no run had several balancer instances", () => {
    expect(balancerInstances([{ variant: leastconn, runs: runs([1], 0) }])).toBeUndefined();
  });

  it("gives each instance's share of each server as Results.balancers[] says, the totals as Results.servers[]", () => {
    const [run] = runs([1], 3);
    const view = balancerInstances([{ variant: leastconn, runs: [run!] }])!;
    expect(view.instances).toEqual(["lb1", "lb2", "lb3"]);
    expect(view.servers).toEqual(["web01", "web02", "old01"]);
    const [drawn] = view.variants;
    run!.balancers!.forEach((b, i) => {
      for (const s of b.servers) expect(drawn!.shares[view.servers.indexOf(s.name)]![i]).toBe(s.share);
    });
    expect(drawn!.total).toEqual(run!.servers.map((s) => s.share));
    // Each instance's shares over the servers sum to 1, as its requests all went to one of them.
    for (let i = 0; i < 3; i++)
      expect(drawn!.shares.reduce((sum, row) => sum + row[i]!, 0)).toBeCloseTo(1, 3);
  });

  it("gives each instance's own figures; their requests add up to the run's", () => {
    const [run] = runs([1], 3);
    const view = balancerInstances([{ variant: leastconn, runs: [run!] }])!;
    expect(view.rows.map((r) => r.instance)).toEqual(["lb1", "lb2", "lb3"]);
    expect(view.rows.reduce((sum, r) => sum + r.requests, 0)).toBe(run!.requests.total);
    view.rows.forEach((row, i) => {
      const b = run!.balancers![i]!;
      expect(row.requests).toBe(b.requests.total);
      expect(row.share).toBe(b.requests.share);
      expect(row.share).toBeCloseTo(b.requests.total / run!.requests.total, 4);
      expect(row.p99Ms).toBe(b.latency.p99Ms);
      expect(row.checks).toBe(b.checks);
      expect(row.downs).toBe(b.servers.reduce((sum, s) => sum + s.downs, 0));
    });
  });

  it("averages replications instance by instance: lb2's share is the mean of each replication's lb2", () => {
    const replications = runs([1, 2, 3], 2);
    const view = balancerInstances([{ variant: leastconn, runs: replications }])!;
    const old = view.servers.indexOf("old01");
    const expected = replications.reduce((sum, r) => sum + r.balancers![1]!.servers[old]!.share, 0) / 3;
    expect(view.variants[0]!.shares[old]![1]).toBeCloseTo(expected, 12);
    const requests = replications.reduce((sum, r) => sum + r.balancers![1]!.requests.total, 0) / 3;
    expect(view.rows[1]!.requests).toBeCloseTo(requests, 12);
  });

  it("shows what one instance hides: the slow server's share grows when 8 instances count their own connections", () => {
    // leastconn with local state (docs/balancers.md): each of 8 instances sees an eighth of the
    // connections, ties go round robin and old01 gets closer to a third than with one balancer.
    const one = simulate(pods(1, 0)).servers.find((s) => s.name === "old01")!.share;
    const eight = balancerInstances([{ variant: leastconn, runs: runs([1], 8) }])!;
    const old = eight.servers.indexOf("old01");
    expect(eight.variants[0]!.total[old]!).toBeGreaterThan(one + 0.03);
    for (const share of eight.variants[0]!.shares[old]!) expect(share).toBeGreaterThan(one);
  });
});
