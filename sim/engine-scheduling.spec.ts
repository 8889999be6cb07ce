// Spec of sim/engine.ts: schedule, lanes, handler registration and the event count.
import { describe, expect, it } from "vitest";
import { Engine, type Handle } from "./engine.js";
import { recordingEngine } from "./engine-test-support.js";

describe("Engine.schedule", () => {
  it("throws when asked to schedule in the past", () => {
    const { engine } = recordingEngine();
    engine.runUntil(10);
    expect(() => engine.schedule(9.999, 0, 0)).toThrow(/past/);
    expect(() => engine.schedule(Number.NaN, 0, 0)).toThrow(/past/);
    expect(engine.pending()).toBe(0);
    engine.schedule(10, 0, 0);
    expect(engine.pending()).toBe(1);
  });

  it("keeps more than 100 000 pending events and timers, beyond every initial capacity", () => {
    const { engine, fired, clock } = recordingEngine();
    const lane = engine.lane(500, 2);
    // First move the lane's head off position 0, so that it grows while wrapped around its ring.
    for (let i = 0; i < 200; i++) engine.arm(lane, -1 - i);
    engine.runUntil(500);
    fired.length = 0;
    clock.length = 0;
    const n = 120_000;
    const cancelled = new Set<number>();
    const handles: Handle[] = [];
    // Times from a fixed LCG, with many ties; the clock creeps forward meanwhile so that timers
    // are armed at distinct times and interleave with the heap's events.
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      handles.push(engine.schedule(1000 + (x % 5000), 0, i));
      handles.push(engine.arm(lane, n + i));
      if (i % 3 === 0) engine.runUntil(engine.nowMs + 0.01);
    }
    for (let i = 0; i < 2 * n; i += 7) {
      engine.cancel(handles[i]!);
      cancelled.add(i % 2 === 0 ? i / 2 : n + (i - 1) / 2);
    }
    expect(engine.pending()).toBe(2 * n - cancelled.size);
    engine.runUntil(Number.POSITIVE_INFINITY);
    expect(fired).toHaveLength(2 * n - cancelled.size);
    expect(new Set(fired).size).toBe(fired.length);
    expect(fired.filter((p) => cancelled.has(p))).toEqual([]);
    expect(clock.every((t, k) => k === 0 || t >= clock[k - 1]!)).toBe(true);
    // Lane timers (payload ≥ n) fire in the order they were armed, heap events in time order.
    const timers = fired.filter((p) => p >= n);
    expect(timers.every((p, k) => k === 0 || p > timers[k - 1]!)).toBe(true);
    expect(timers).toHaveLength(n - [...cancelled].filter((p) => p >= n).length);
    expect(engine.pending()).toBe(0);
  });
});

describe("Engine.lane", () => {
  it("shares a lane between callers asking for the same duration and kind", () => {
    const engine = new Engine();
    const a = engine.lane(5000, 7);
    expect(engine.lane(5000, 7)).toBe(a);
    expect(engine.lane(5000, 8)).not.toBe(a);
    expect(engine.lane(4000, 7)).not.toBe(a);
    expect(engine.lane(5000, 7)).toBe(a);
  });

  it("fires timers of a shared lane in the order they were armed, whoever armed them", () => {
    const { engine, fired } = recordingEngine();
    const a = engine.lane(5, 2);
    const b = engine.lane(5, 2);
    engine.arm(a, 1);
    engine.arm(b, 2);
    engine.arm(a, 3);
    engine.runUntil(5);
    expect(fired).toEqual([1, 2, 3]);
  });

  it("rejects a negative or infinite duration", () => {
    const engine = new Engine();
    expect(() => engine.lane(-1, 2)).toThrow();
    expect(() => engine.lane(Number.POSITIVE_INFINITY, 2)).toThrow();
    expect(() => engine.lane(Number.NaN, 2)).toThrow();
  });
});

describe("Engine.on", () => {
  it("rejects kinds outside 0..254 (255 marks a cancelled slot)", () => {
    const engine = new Engine();
    expect(() => engine.on(255, () => {})).toThrow();
    expect(() => engine.on(-1, () => {})).toThrow();
    engine.on(254, () => {});
  });
});

describe("Engine.events", () => {
  it("counts the events handled, not those cancelled or still pending", () => {
    const { engine } = recordingEngine();
    const lane = engine.lane(1, 2);
    engine.schedule(1, 0, 0);
    engine.cancel(engine.schedule(1, 0, 1));
    engine.arm(lane, 2);
    engine.cancel(engine.arm(lane, 3));
    engine.schedule(100, 0, 4);
    engine.runUntil(50);
    expect(engine.events).toBe(2);
    expect(engine.pending()).toBe(1);
  });
});
