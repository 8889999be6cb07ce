// first spec: the lowest id with room, up to each server's maxconn (§3.5).
import { describe, expect, it } from "vitest";
import { createFirst } from "./first.js";
import { FakeModel } from "./test-support.js";

describe("first", () => {
  it("first sends sequential traffic to s1 only (maxconn 2, measured)", () => {
    const m = new FakeModel(createFirst, [{ maxconn: 2 }, { maxconn: 2 }, { maxconn: 2 }]);
    expect(m.sequence(10)).toEqual(Array(10).fill("s1"));
  });

  it("first fills s1 up to its maxconn, then s2, then s3, then queues", () => {
    const m = new FakeModel(createFirst, [{ maxconn: 2 }, { maxconn: 2 }, { maxconn: 1 }]);
    const picks: number[] = [];
    for (let k = 0; k < 6; k++) {
      const i = m.pick();
      picks.push(i);
      if (i >= 0) m.take(i);
    }
    expect(picks).toEqual([0, 0, 1, 1, 2, -1]);
    m.release(1);
    expect(m.pick()).toBe(1);
  });

  it("first follows ids, not declaration order", () => {
    const m = new FakeModel(createFirst, [
      { id: 3, maxconn: 1 },
      { id: 1, maxconn: 1 },
      { id: 2, maxconn: 1 },
    ]);
    expect(m.pick()).toBe(1);
    m.take(1);
    expect(m.pick()).toBe(2);
    m.take(2);
    expect(m.pick()).toBe(0);
  });

  it("first ignores weights other than 0", () => {
    const m = new FakeModel(createFirst, [1, 100]);
    expect(m.sequence(3)).toEqual(["s1", "s1", "s1"]);
    m.setWeight(0, 0);
    expect(m.sequence(2)).toEqual(["s2", "s2"]);
    m.setWeight(0, 5);
    expect(m.sequence(1)).toEqual(["s1"]);
  });

  it("first skips a down server and takes it back when it is up", () => {
    const m = new FakeModel(createFirst, [1, 1]);
    m.down(0);
    expect(m.pick()).toBe(1);
    m.up(0);
    expect(m.pick()).toBe(0);
  });

  it("first skips the avoided server unless it is the only one with room", () => {
    const m = new FakeModel(createFirst, [{ maxconn: 1 }, { maxconn: 1 }]);
    expect(m.pick(0)).toBe(1);
    m.take(1);
    expect(m.pick(0)).toBe(0);
    m.take(0);
    expect(m.pick(0)).toBe(-1);
  });

  it("first waits in the backend queue when it is not empty (FIFO fairness, §1)", () => {
    expect(new FakeModel(createFirst, [1]).strategy.queueWhenBacklogged).toBe(true);
  });
});
