// static-rr spec: HAProxy's map order (§3.3), the walking position kept across rebuilds (§8 rule 14).
import { describe, expect, it } from "vitest";
import { createStaticRr } from "./static-rr.js";
import { FakeModel } from "./test-support.js";

const model = (...specs: ConstructorParameters<typeof FakeModel>[1]) => new FakeModel(createStaticRr, specs);

describe("static-rr", () => {
  it("static-rr (5,3,2) gives s1 s1 s2 s1 s3 s1 s2 s1 s2 s3, then again", () => {
    const period = "s1 s1 s2 s1 s3 s1 s2 s1 s2 s3".split(" ");
    expect(model(5, 3, 2).sequence(30)).toEqual([...period, ...period, ...period]);
  });

  it("static-rr starts with the first declared server, where roundrobin starts with the heaviest (§8 rule 2)", () => {
    expect(model(1, 1).sequence(4)).toEqual(["s1", "s2", "s1", "s2"]);
    expect(model(3, 1).sequence(8)).toEqual(["s1", "s1", "s1", "s2", "s1", "s1", "s1", "s2"]);
    expect(model(1, 3).sequence(4)).toEqual(["s1", "s2", "s2", "s2"]);
  });

  it("static-rr gives exactly the weights in every period: 1:1, 3:1, 5:3:2 and 1..7", () => {
    for (const weights of [
      [1, 1],
      [3, 1],
      [5, 3, 2],
      [1, 2, 3, 4, 5, 6, 7],
    ]) {
      const m = model(...weights);
      const total = weights.reduce((a, b) => a + b, 0);
      for (let period = 0; period < 3; period++) expect(m.counts(total)).toEqual(weights);
    }
  });

  it("static-rr divides the weights by their GCD: (2,2,4) walks like (1,1,2)", () => {
    expect(model(2, 2, 4).sequence(12)).toEqual(model(1, 1, 2).sequence(12));
  });

  it("static-rr keeps the walking position when the map is rebuilt (§8 rule 14)", () => {
    const m = model(5, 3, 2);
    expect(m.sequence(6)).toEqual(["s1", "s1", "s2", "s1", "s3", "s1"]);
    m.down(1);
    // The (5,2) map is s1 s1 s1 s3 s1 s1 s3; the walk goes on at entry 6, not at 0.
    expect(m.sequence(8)).toEqual(["s3", "s1", "s1", "s1", "s3", "s1", "s1", "s3"]);
    m.up(1);
    // Back to the (5,3,2) map, still at the kept position: entries 7, 8, 9.
    expect(m.sequence(3)).toEqual(["s1", "s2", "s3"]);
  });

  it("static-rr skips a full server and the avoided one, and still moves past them", () => {
    const m = model({ weight: 1, maxconn: 1 }, 1, 1);
    m.take(0);
    expect(m.sequence(4)).toEqual(["s2", "s3", "s2", "s3"]);
    m.release(0);
    expect(m.pick(1)).toBe(0);
    expect(m.pick(1)).toBe(2);
  });

  it("static-rr returns the avoided server only when nothing else can take the request", () => {
    const m = model({ weight: 1, maxconn: 1 }, { weight: 1, maxconn: 1 });
    m.take(0);
    expect(m.pick(1)).toBe(1);
    expect(m.pick(0)).toBe(1);
    m.take(1);
    expect(m.pick()).toBe(-1);
  });

  it("static-rr is static: a slowstart ramp of the effective weight does not change the map", () => {
    const m = model(5, 3, 2);
    const strategy = m.strategy;
    expect(strategy.dynamic).toBe(false);
    m.servers[0]!.effectiveWeight = 8;
    strategy.weightChanged(m.servers[0]!);
    expect(m.sequence(10)).toEqual("s1 s1 s2 s1 s3 s1 s2 s1 s2 s3".split(" "));
  });

  it("static-rr with every server down picks nothing, and resumes when one is back", () => {
    const m = model(1, 1);
    m.down(0);
    m.down(1);
    expect(m.pick()).toBe(-1);
    m.up(1);
    expect(m.sequence(2)).toEqual(["s2", "s2"]);
  });
});
