// Spec of sim/engine.ts: cancel, in the heap and in the lanes, with stale handles.
import { describe, expect, it } from "vitest";
import { Engine, type Handle } from "./engine.js";
import { recordingEngine } from "./engine-test-support.js";

describe("Engine.cancel", () => {
  it("keeps a cancelled event from firing, in the heap and in a lane", () => {
    const { engine, fired } = recordingEngine();
    const lane = engine.lane(4, 2);
    const a = engine.schedule(1, 0, 1);
    engine.schedule(2, 0, 2);
    const t = engine.arm(lane, 3);
    engine.arm(lane, 4);
    engine.cancel(a);
    engine.cancel(t);
    expect(engine.pending()).toBe(2);
    engine.runUntil(100);
    expect(fired).toEqual([2, 4]);
    expect(engine.events).toBe(2);
  });

  it("is a no-op on an event that already fired", () => {
    const { engine, fired } = recordingEngine();
    const lane = engine.lane(1, 2);
    const a = engine.schedule(1, 0, 1);
    const t = engine.arm(lane, 2);
    engine.runUntil(1);
    expect(fired).toEqual([1, 2]);
    // The freed slot and the next lane position are taken by new events: they must survive.
    engine.schedule(2, 0, 3);
    engine.arm(lane, 4);
    engine.cancel(a);
    engine.cancel(t);
    expect(engine.pending()).toBe(2);
    engine.runUntil(10);
    expect(fired).toEqual([1, 2, 3, 4]);
  });

  it("is a no-op on an event cancelled before", () => {
    const { engine, fired } = recordingEngine();
    const lane = engine.lane(1, 2);
    const a = engine.schedule(1, 0, 1);
    const t = engine.arm(lane, 2);
    engine.cancel(a);
    engine.cancel(t);
    engine.cancel(a);
    engine.cancel(t);
    engine.schedule(1, 0, 3);
    engine.arm(lane, 4);
    engine.runUntil(10);
    expect(fired).toEqual([3, 4]);
  });

  it("is a no-op when called by the handler of the event itself", () => {
    const engine = new Engine();
    const fired: number[] = [];
    const handles: Handle[] = [];
    const lane = engine.lane(1, 2);
    const selfCancel = (payload: number) => {
      fired.push(payload);
      engine.cancel(handles[payload]!);
    };
    engine.on(0, selfCancel);
    engine.on(2, selfCancel);
    handles.push(engine.schedule(1, 0, 0));
    handles.push(engine.arm(lane, 1));
    handles.push(engine.schedule(1, 0, 2));
    handles.push(engine.arm(lane, 3));
    engine.runUntil(5);
    expect(fired).toEqual([0, 1, 2, 3]);
  });

  it("never cancels the slot's next occupant with a stale handle (generations)", () => {
    const { engine, fired } = recordingEngine();
    // One event at a time: every schedule reuses the same heap slot, with a new generation.
    const stale: Handle[] = [];
    for (let round = 0; round < 2000; round++) {
      const handle = engine.schedule(engine.nowMs + 1, 0, round);
      for (const old of stale) engine.cancel(old);
      expect(engine.pending()).toBe(1);
      engine.step();
      stale.push(handle);
      if (stale.length > 8) stale.shift();
    }
    expect(fired).toHaveLength(2000);
    expect(fired).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it("never cancels a lane timer with the handle of an earlier timer at the same ring position", () => {
    const { engine, fired } = recordingEngine();
    const lane = engine.lane(1, 2);
    // 256 is a lane's initial ring size: timer 256 sits where timer 0 sat.
    const first = engine.arm(lane, 0);
    for (let i = 1; i < 256; i++) engine.arm(lane, i);
    engine.runUntil(1);
    expect(fired).toHaveLength(256);
    const again = engine.arm(lane, 256);
    engine.cancel(first);
    expect(engine.pending()).toBe(1);
    engine.runUntil(10);
    expect(fired.at(-1)).toBe(256);
    engine.cancel(again);
    expect(engine.pending()).toBe(0);
  });
});
