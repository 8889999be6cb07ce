// static-map spec: §3.3's build rule, map lookups, the persistent walk and the weight divisor.
import { describe, expect, it } from "vitest";
import { FakeModel, type FakeServer } from "../test-support.js";
import type { ServerView, Strategy } from "../types.js";
import { StaticMap, weightDivisor } from "./static-map.js";

/** A FakeModel whose strategy exposes its map. */
function mapOf(weights: ReadonlyArray<number | FakeServer>): { map: StaticMap; model: FakeModel } {
  let map: StaticMap | undefined;
  const model = new FakeModel((servers: ReadonlyArray<ServerView>): Strategy => {
    map = new StaticMap(servers);
    const m = map;
    const set = (server: ServerView) => m.setWeight(server.index, server.effectiveWeight / 16);
    return {
      name: "map",
      queueWhenBacklogged: false,
      ignoresFullness: false,
      serverUp: set,
      serverDown: (server) => m.setWeight(server.index, 0),
      weightChanged: set,
      taken: () => {},
      released: () => {},
      pick: () => undefined,
    };
  }, weights);
  return { map: map!, model };
}

const entries = (map: StaticMap) => Array.from({ length: map.size }, (_, i) => `s${map.at(i) + 1}`);

describe("StaticMap", () => {
  it("builds HAProxy's (5,3,2) map by the score rule of §3.3", () => {
    expect(entries(mapOf([5, 3, 2]).map)).toEqual("s1 s1 s2 s1 s3 s1 s2 s1 s2 s3".split(" "));
  });

  it("gives each server as many entries as its weight", () => {
    for (const weights of [[1], [3, 1], [2, 7, 1, 4], [1, 2, 3, 4, 5, 6, 7]]) {
      const { map } = mapOf(weights);
      const counts = weights.map(() => 0);
      for (let i = 0; i < map.size; i++) counts[map.at(i)]!++;
      expect(counts).toEqual(weights);
    }
  });

  it("looks a hash up as map[h mod T]", () => {
    const { map } = mapOf([5, 3, 2]);
    expect(map.lookup(0)).toBe(0);
    expect(map.lookup(2)).toBe(1);
    expect(map.lookup(14)).toBe(2);
    expect(map.lookup(4294967295)).toBe(map.at(4294967295 % 10));
  });

  it("rebuilds lazily after a change and is empty with no usable server", () => {
    const { map, model } = mapOf([1, 1]);
    model.down(0);
    expect(entries(map)).toEqual(["s2"]);
    model.down(1);
    expect(map.size).toBe(0);
    expect(map.lookup(7)).toBe(-1);
    expect(map.next(-1)).toBe(-1);
  });

  it("walks on from where it stopped, skipping full servers", () => {
    const { map, model } = mapOf([1, { weight: 1, maxconn: 1 }, 1]);
    expect(map.next(-1)).toBe(0);
    model.take(1);
    expect(map.next(-1)).toBe(2);
    expect(map.next(-1)).toBe(0);
  });
});

describe("weightDivisor", () => {
  it("is the GCD of the positive weights, 1 when there are none", () => {
    expect(weightDivisor([2, 2, 2])).toBe(2);
    expect(weightDivisor([4, 0, 6])).toBe(2);
    expect(weightDivisor([3, 5])).toBe(1);
    expect(weightDivisor([0, 0])).toBe(1);
    expect(weightDivisor([])).toBe(1);
  });
});
