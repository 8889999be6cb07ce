// Expected shares of `lbsim explain`: HAProxy's choices counted with lbsim's strategies, checked
// against hand-made periods, a direct count with strategies/, and §8's slowstart formula.
import { describe, expect, it } from "vitest";
import { createSource } from "../strategies/index.js";
import { FakeModel } from "../strategies/test-support.js";
import { KEY_COUNT, keyRequests } from "./explain-keys.js";
import { explainShares } from "./explain-shares.js";
import { backendsOf, cfgWith, explainOf } from "./explain-test-support.js";

function sharesOf(lines: string[]) {
  return explainShares(backendsOf(cfgWith(lines))[0]!, 1);
}

const byName = (shares: ReturnType<typeof sharesOf>) =>
  Object.fromEntries(shares.servers.map((s) => [s.name, s.share]));

describe("explain: expected shares", () => {
  it("roundrobin 3:1 gives exactly 75% / 25% (a period of 4 picks, §3.2)", () => {
    const shares = sharesOf(["balance roundrobin", "server a 1:1 weight 3", "server b 1:2 weight 1"]);
    expect(byName(shares)).toEqual({ a: 0.75, b: 0.25 });
    expect(shares.hash).toBeNull();
  });

  it("static-rr 5:3:2 gives 50% / 30% / 20% (a map of 10 slots, §3.3)", () => {
    const shares = sharesOf([
      "balance static-rr",
      "server a 1:1 weight 5",
      "server b 1:2 weight 3",
      "server c 1:3 weight 2",
    ]);
    expect(byName(shares)).toEqual({ a: 0.5, b: 0.3, c: 0.2 });
  });

  it("first sends every sequential request to the first server (§3.5)", () => {
    const shares = sharesOf(["balance first", "server a 1:1", "server b 1:2"]);
    expect(byName(shares)).toEqual({ a: 1, b: 0 });
    expect(shares.notes.join(" ")).toContain("lowest id");
  });

  it("leastconn at light load ignores the weights, and says so (§3.4, §8 rule 1)", () => {
    const shares = sharesOf(["balance leastconn", "server a 1:1 weight 3", "server b 1:2 weight 1"]);
    expect(byName(shares)).toEqual({ a: 0.5, b: 0.5 });
    expect(shares.servers.map((s) => s.weightShare)).toEqual([0.75, 0.25]);
    expect(shares.notes[0]).toContain("whatever their weight");
  });

  it("balance source spreads the keys exactly as a direct count with strategies/ does", () => {
    const shares = sharesOf(["balance source", "server a 1:1 weight 3", "server b 1:2", "server c 1:3"]);
    const { requests } = keyRequests("source", 1);
    const model = new FakeModel(createSource, [3, 1, 1]);
    const counts = [0, 0, 0];
    for (const request of requests) counts[model.pick(undefined, request)]!++;
    expect(shares.servers.map((s) => s.share)).toEqual(counts.map((c) => c / KEY_COUNT));
    // Map-based sdbm without avalanche: key mod 5 over the (3,1,1) map [a, a, b, a, c] of §3.3.
    const map = [0, 0, 1, 0, 2];
    const byHand = [0, 0, 0];
    for (const request of requests) byHand[map[request.sourceKey % 5]!]!++;
    expect(counts).toEqual(byHand);
    expect(shares.hash).toMatchObject({ hashType: "map-based", hashFunction: "sdbm", count: KEY_COUNT });
    expect(shares.hash?.lookup).toContain("5 slots");
  });

  it("consistent hashing moves no other server's keys when one goes DOWN; map-based moves many (§8 rule 16)", () => {
    const servers = ["server a 1:1", "server b 1:2", "server c 1:3", "server d 1:4"];
    const consistent = sharesOf(["balance uri", "hash-type consistent", ...servers]);
    const mapBased = sharesOf(["balance uri", ...servers]);
    expect(consistent.hash).toMatchObject({ hashType: "consistent", hashFunction: "sdbm avalanche" });
    expect(consistent.hash?.othersMovedWhenFirstDown).toBe(0);
    // From 4 map slots to 3: a key stays only where h mod 4 and h mod 3 pick the same server.
    expect(mapBased.hash?.othersMovedWhenFirstDown).toBeGreaterThan(0.3);
  });

  it("url_param and hdr(host) hash their own keys; another header falls back to round-robin", () => {
    const param = sharesOf(["balance url_param uid", "server a 1:1", "server b 1:2"]);
    expect(param.hash?.key).toContain('"uid"');
    const other = sharesOf(["balance hdr(X-User)", "server a 1:1", "server b 1:2"]);
    expect(other.hash?.key).toContain("round-robin fallback");
    expect(byName(other)).toEqual({ a: 0.5, b: 0.5 });
  });

  it("backups take nothing while an active is up; the first takes over, or all with allbackups (§3.12)", () => {
    const first = sharesOf(["server a 1:1", "server x 1:8 backup", "server y 1:9 backup"]);
    expect(first.backups).toMatchObject({ servers: ["x", "y"], takeover: "first" });
    expect(first.backups.sharesWhenActivesDown.map((s) => s.share)).toEqual([1, 0]);
    expect(first.servers.map((s) => s.name)).toEqual(["a"]);
    const all = sharesOf(["option allbackups", "server a 1:1", "server x 1:8 backup", "server y 1:9 backup"]);
    expect(all.backups.takeover).toBe("allbackups");
    expect(all.backups.sharesWhenActivesDown.map((s) => s.share)).toEqual([0.5, 0.5]);
  });

  it("slowstart ramps the share by w × (⌊16·t/S⌋ + 1)/16 (§8 rule 18)", () => {
    const shares = sharesOf(["server a 1:1 weight 2 slowstart 4s", "server b 1:2 weight 2"]);
    const ramp = shares.slowstart[0]!;
    expect(ramp.ramps).toBe(true);
    // t = 0,1,2,3 s: (⌊16t/4⌋+1)/16 = 1/16, 5/16, 9/16, 13/16 of weight 2; at 4s the full weight.
    const weights = [2 / 16, 10 / 16, 18 / 16, 26 / 16, 2];
    expect(ramp.steps.map((s) => s.afterMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(ramp.steps.map((s) => s.weight)).toEqual(weights);
    expect(ramp.steps.map((s) => s.share)).toEqual(weights.map((w) => w / (w + 2)));
  });

  it("slowstart does not ramp a static algorithm (§1)", () => {
    const shares = sharesOf(["balance static-rr", "server a 1:1 slowstart 4s", "server b 1:2"]);
    expect(shares.slowstart[0]?.ramps).toBe(false);
    expect(shares.slowstart[0]?.steps.every((s) => s.share === 0.5)).toBe(true);
  });

  it("balance source also shows the spread over the model's consecutive clients, which the model run matches", () => {
    // consistent djb2 names a function without avalanche (§3.1): 10.0.0.1 … 10.0.39.16 are close
    // integers, so they fall between the same two ring points; random addresses spread.
    const report = explainOf(
      cfgWith(["balance source", "hash-type consistent djb2", "server a 1:1", "server b 1:2"]),
    );
    const shares = report.backends[0]!.shares!;
    const consecutive = shares.hash!.consecutive!.servers.map((s) => s.share);
    expect(Math.max(...consecutive)).toBe(1);
    expect(Math.max(...shares.servers.map((s) => s.share))).toBeLessThan(0.7);
    // The model's clients draw from those addresses: its shares are those, up to 4σ of a binomial.
    const n = shares.model.requests;
    shares.model.servers.forEach((server, i) => {
      const p = consecutive[i]!;
      expect(Math.abs(server.share - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
    });
  });

  it("map-based sdbm splits consecutive addresses exactly by key mod the map", () => {
    // Keys 0x0a000001 + i, i < 10,000: two slots alternate, 5,000 each.
    const shares = sharesOf(["balance source", "server a 1:1", "server b 1:2"]);
    expect(shares.hash?.consecutive?.servers.map((s) => s.share)).toEqual([0.5, 0.5]);
  });
});
