// Spec of sim/engine.ts: runUntil and step, and where they leave the clock.
import { describe, expect, it } from "vitest";
import { Engine } from "./engine.js";
import { recordingEngine } from "./engine-test-support.js";

describe("Engine.runUntil", () => {
  it("runs the events at the boundary, leaves the later ones, and sets nowMs to the boundary", () => {
    const { engine, fired } = recordingEngine();
    const lane = engine.lane(10, 2);
    engine.schedule(5, 0, 1);
    engine.schedule(10, 0, 2);
    engine.arm(lane, 3); // at 10
    engine.schedule(10.000001, 0, 4);
    engine.runUntil(10);
    expect(fired).toEqual([1, 2, 3]);
    expect(engine.nowMs).toBe(10);
    engine.runUntil(7);
    expect(engine.nowMs).toBe(10);
    expect(engine.pending()).toBe(1);
    engine.runUntil(50);
    expect(fired).toEqual([1, 2, 3, 4]);
    expect(engine.nowMs).toBe(50);
  });

  it("sets nowMs to the boundary when nothing is pending", () => {
    const engine = new Engine();
    engine.runUntil(123.5);
    expect(engine.nowMs).toBe(123.5);
    expect(engine.events).toBe(0);
  });

  it("leaves nowMs at the last event when run to infinity", () => {
    const { engine } = recordingEngine();
    engine.schedule(42, 0, 0);
    engine.runUntil(Number.POSITIVE_INFINITY);
    expect(engine.nowMs).toBe(42);
  });
});

describe("Engine.step", () => {
  it("returns false and leaves the clock alone when the next event is after endMs", () => {
    const { engine, fired } = recordingEngine();
    engine.arm(engine.lane(3, 2), 1);
    engine.schedule(4, 0, 2);
    expect(engine.step(2.5)).toBe(false);
    expect(engine.nowMs).toBe(0);
    expect(engine.step(3)).toBe(true);
    expect(engine.nowMs).toBe(3);
    expect(engine.step(3.5)).toBe(false);
    expect(engine.step()).toBe(true);
    expect(engine.step()).toBe(false);
    expect(fired).toEqual([1, 2]);
  });
});

describe("Engine.runBefore and scheduleWithSeq (the stepping API's advanceTo and apply)", () => {
  it("runs the events strictly before the boundary and leaves those at it pending, the clock at it", () => {
    const { engine, fired } = recordingEngine();
    const lane = engine.lane(10, 2);
    engine.schedule(9.999999999, 0, 1);
    engine.schedule(10, 0, 2);
    engine.arm(lane, 3); // at 10
    engine.runBefore(10);
    expect(fired).toEqual([1]);
    expect(engine.nowMs).toBe(10);
    // A second look at the same time runs nothing; runUntil then runs the two at 10.
    engine.runBefore(10);
    expect(fired).toEqual([1]);
    engine.runUntil(10);
    expect(fired).toEqual([1, 2, 3]);
  });

  it("places an event among same-time ones by the seq it is given", () => {
    const { engine, fired } = recordingEngine();
    const first = engine.nextSeq;
    engine.schedule(5, 0, 1);
    engine.schedule(5, 0, 2);
    engine.runBefore(5);
    // Between the two events at 5, as an event scheduled between them would have been.
    engine.scheduleWithSeq(5, 0, 3, first + 0.5);
    engine.scheduleWithSeq(5, 0, 4, first - 0.5);
    engine.runUntil(5);
    expect(fired).toEqual([4, 1, 3, 2]);
  });
});
