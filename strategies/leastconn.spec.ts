// leastconn spec: HAProxy 2.6's fwlc choices for small cases (§3.4, §8 rules 1 and 15).
import { describe, expect, it } from "vitest";
import { createLeastconn, leastconnFull } from "./leastconn.js";
import { FakeModel, type FakeServer } from "./test-support.js";

const fresh = (servers: ReadonlyArray<number | FakeServer>) => new FakeModel(createLeastconn, servers);

/** Picks and takes `count` requests without releasing any (concurrent load). */
function load(model: FakeModel, count: number): number[] {
  for (let k = 0; k < count; k++) model.take(model.pick());
  return model.servers.map((server) => server.served);
}

describe("leastconn (fwlc 2.6, §3.4)", () => {
  it("rotates s1 s2 s3 under sequential traffic over (1,1,1)", () => {
    expect(fresh([1, 1, 1]).sequence(9).join(" ")).toBe("s1 s2 s3 s1 s2 s3 s1 s2 s3");
  });

  it("ignores weights while servers are idle: (3,1,1) also rotates s1 s2 s3 (§8 rule 1)", () => {
    expect(fresh([3, 1, 1]).sequence(9).join(" ")).toBe("s1 s2 s3 s1 s2 s3 s1 s2 s3");
  });

  it("follows the weights under concurrent load", () => {
    // Keys ⌊(inflight + 1)·4096/ew⌋ even out at inflight + 1 ∝ weight.
    expect(load(fresh([3, 1, 1]), 60)).toEqual([36, 12, 12]);
    expect(load(fresh([1, 1, 2]), 40)).toEqual([10, 10, 20]);
  });

  it("counts a server's own queue as in flight", () => {
    const model = fresh([1, 1]);
    model.enqueue(0);
    expect(model.pick()).toBe(1);
  });

  it("keeps an unchanged key's place, and requeues a changed key at the back of its FIFO", () => {
    const model = fresh([1, 1, 1]);
    // taken/released with no change of counts (a repeated notification) keeps s1 first.
    model.strategy.taken(model.servers[0]!);
    model.strategy.released(model.servers[0]!);
    expect(model.pick()).toBe(0);
    model.take(0);
    model.release(0);
    expect(model.sequence(3).join(" ")).toBe("s2 s3 s1");
  });

  it("puts a server back from down at the back of the idle FIFO (§8 rule 15)", () => {
    const model = fresh([1, 1, 1]);
    model.down(0);
    model.up(0);
    expect(model.sequence(3).join(" ")).toBe("s2 s3 s1");
  });

  it("puts an idle server whose weight changed at the back of the idle FIFO (§8 rule 15)", () => {
    const model = fresh([1, 1, 1]);
    model.setWeight(0, 2);
    expect(model.sequence(3).join(" ")).toBe("s2 s3 s1");
  });

  it("never picks a down server, and has nothing when all are down", () => {
    const model = fresh([1, 1]);
    model.down(1);
    expect(model.sequence(4)).toEqual(["s1", "s1", "s1", "s1"]);
    model.down(0);
    expect(model.pick()).toBe(-1);
  });

  it("skips servers at maxconn + maxqueue, and with maxqueue still picks a server that will queue", () => {
    const model = fresh([{ maxconn: 2 }, { maxconn: 2, maxqueue: 1 }, 1]);
    model.take(0);
    model.take(0);
    model.take(1);
    model.take(1);
    for (let k = 0; k < 5; k++) model.take(2);
    // s1 is at maxconn; s2 is at maxconn but may queue one more, so it is picked before busier s3.
    expect(model.pick()).toBe(1);
    model.enqueue(1);
    expect(leastconnFull(model.servers[1]!)).toBe(true);
    expect(model.pick()).toBe(2);
  });

  it("avoids the avoided server unless it is the only choice", () => {
    const model = fresh([1, 1, { maxconn: 1 }]);
    expect(model.pick(0)).toBe(1);
    model.take(2);
    model.take(1);
    model.take(1);
    expect(model.pick(0)).toBe(1);
    model.down(1);
    expect(model.pick(0)).toBe(0);
  });

  it("returns nothing when every server is full", () => {
    const model = fresh([{ maxconn: 1 }, { maxconn: 1 }]);
    load(model, 2);
    expect(model.pick()).toBe(-1);
    model.release(1);
    expect(model.pick()).toBe(1);
  });

  it("stays fast with 1000 busy servers (O(log n) per pick, taken and released)", () => {
    const weights = Array.from({ length: 1000 }, (_, i) => 1 + (i % 7));
    const model = fresh(weights);
    load(model, 5000);
    const started = performance.now();
    const picks = 200_000;
    let last = -1;
    for (let k = 0; k < picks; k++) {
      const i = model.pick();
      model.take(i);
      if (last >= 0) model.release(last);
      last = i;
    }
    expect((performance.now() - started) / picks).toBeLessThan(0.01);
    const served = model.servers.map((server) => server.served);
    // Under load the in-flight counts stay proportional to weight (within one request).
    for (const [i, w] of weights.entries()) {
      expect(Math.abs((served[i]! + 1) / w - (served[0]! + 1) / weights[0]!)).toBeLessThan(2);
    }
  });
});
