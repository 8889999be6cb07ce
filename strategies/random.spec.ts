// random spec: draws on the consistent ring and the less-loaded-per-weight rule (§3.10).
import { describe, expect, it } from "vitest";
import { createRandom } from "./random.js";
import { fullHash } from "./shared/index.js";
import { FakeModel, type FakeServer, ringShares } from "./test-support.js";
import type { StrategyContext, StrategyFactory } from "./types.js";

const TWO_32 = 4294967296;

/** A factory whose random stream returns `keys / 2^32` in turn, so that each draw hits a chosen point. */
function scripted(keys: number[], draws = 2): StrategyFactory {
  let next = 0;
  const context: StrategyContext = {
    hashType: "map-based",
    random: () => keys[next++ % keys.length]! / TWO_32,
  };
  return (servers) => createRandom(servers, context, draws);
}

/** A key exactly on server id's first ring point (§3.11: full_hash(id·4096)). */
const onServer = (id: number) => fullHash(id * 4096);

describe("random / random(N) (§3.10)", () => {
  it("is named random for two draws and random(N) otherwise", () => {
    const servers = new FakeModel(createRandom, [1]).servers;
    const context: StrategyContext = { hashType: "map-based", random: () => 0 };
    expect(createRandom(servers, context).name).toBe("random");
    expect(createRandom(servers, context, 3).name).toBe("random(3)");
    expect(() => createRandom(servers, context, 0)).toThrow();
  });

  it("follows each server's share of the consistent ring under sequential traffic", () => {
    const weights = [1, 2, 3, 1];
    const model = new FakeModel(createRandom, weights, { seed: 42 });
    const picks = 200_000;
    const counts = model.counts(picks);
    ringShares(model.servers).forEach((share, i) => {
      const sigma = Math.sqrt(picks * share * (1 - share));
      expect(Math.abs(counts[i]! - picks * share)).toBeLessThan(5 * sigma);
    });
    // The ring gives roughly, not exactly, the weights (16 points per unit of weight).
    counts.forEach((count, i) => {
      const ratio = count / picks / (weights[i]! / 7);
      expect(ratio).toBeGreaterThan(2 / 3);
      expect(ratio).toBeLessThan(3 / 2);
    });
  });

  it("uses the ring whatever the hash-type", () => {
    const a = new FakeModel(createRandom, [1, 2, 3], { seed: 5, hashType: "map-based" });
    const b = new FakeModel(createRandom, [1, 2, 3], { seed: 5, hashType: "consistent" });
    expect(a.sequence(200)).toEqual(b.sequence(200));
  });

  it("keeps an earlier draw only when it is strictly less loaded per weight", () => {
    const servers: FakeServer[] = [{ weight: 1 }, { weight: 1 }];
    const first = new FakeModel(scripted([onServer(1), onServer(2)]), servers);
    first.take(1);
    expect(first.pick()).toBe(0);
    const tie = new FakeModel(scripted([onServer(1), onServer(2)]), servers);
    expect(tie.pick()).toBe(1);
    tie.take(0);
    tie.take(1);
    expect(tie.pick()).toBe(1);
    // Per weight: s1 (weight 2) with 2 in flight is as loaded as s2 (weight 1) with 1: newer wins.
    const weighted = new FakeModel(scripted([onServer(2), onServer(1)]), [2, 1]);
    weighted.take(0);
    weighted.take(0);
    weighted.take(1);
    expect(weighted.pick()).toBe(0);
    weighted.take(0);
    expect(weighted.pick()).toBe(1);
  });

  it("makes N draws for random(N)", () => {
    const model = new FakeModel(scripted([onServer(1), onServer(2), onServer(3)], 3), [1, 1, 1]);
    model.take(0);
    model.take(1);
    model.take(1);
    model.take(2);
    expect(model.pick()).toBe(2);
  });

  it("sends the request to the backend queue when the final choice is full", () => {
    const model = new FakeModel(scripted([onServer(1), onServer(1)]), [{ maxconn: 1 }, 1]);
    model.take(0);
    expect(model.pick()).toBe(-1);
  });

  it("walks past the avoided server on the ring, and returns it when it is alone", () => {
    const model = new FakeModel(scripted([onServer(1)]), [1, 1]);
    expect(model.pick()).toBe(0);
    expect(model.pick(0)).toBe(1);
    model.down(1);
    expect(model.pick(0)).toBe(0);
  });

  it("never picks a down server and has nothing when all are down", () => {
    const model = new FakeModel(createRandom, [1, 1, 1], { seed: 9 });
    model.down(1);
    expect(model.sequence(300)).not.toContain("s2");
    model.down(0);
    model.down(2);
    expect(model.pick()).toBe(-1);
    model.up(1);
    expect(model.pick()).toBe(1);
  });
});
