// Spec of sim/engine.ts: (atMs, seq) order across the heap and the lanes, against a reference model.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine, type Handle } from "./engine.js";
import { recordingEngine } from "./engine-test-support.js";

// --- the reference model ---------------------------------------------------------------------------

interface ModelEvent {
  readonly atMs: number;
  readonly seq: number;
  readonly id: number;
}

/**
 * The naive engine: every pending event in one array, the next one found by a linear scan for the
 * least (atMs, seq). Heap events and lane timers are the same thing here; a lane timer is just an
 * event at now + the lane's duration. It is slow and obviously right, which is the point.
 */
class ReferenceEngine {
  nowMs = 0;
  #seq = 0;
  #pending: ModelEvent[] = [];
  readonly fired: number[] = [];

  add(atMs: number, id: number): void {
    this.#pending.push({ atMs, seq: this.#seq++, id });
  }

  cancel(id: number): void {
    this.#pending = this.#pending.filter((e) => e.id !== id);
  }

  step(endMs = Number.POSITIVE_INFINITY): boolean {
    let best: ModelEvent | undefined;
    for (const e of this.#pending) {
      if (best === undefined || e.atMs < best.atMs || (e.atMs === best.atMs && e.seq < best.seq)) best = e;
    }
    if (best === undefined || best.atMs > endMs) return false;
    const next = best;
    this.#pending = this.#pending.filter((e) => e !== next);
    this.nowMs = next.atMs;
    this.fired.push(next.id);
    return true;
  }

  runUntil(endMs: number): void {
    while (this.step(endMs)) {}
    if (endMs > this.nowMs && Number.isFinite(endMs)) this.nowMs = endMs;
  }

  get pending(): number {
    return this.#pending.length;
  }
}

/** The lanes of the property test: (durationMs, kind). Two share a duration, two share a kind. */
const LANES: ReadonlyArray<readonly [number, number]> = [
  [0, 2],
  [5, 2],
  [5, 3],
  [10, 3],
];

type Op =
  | { readonly op: "schedule"; readonly delayMs: number; readonly kind: number }
  | { readonly op: "arm"; readonly lane: number }
  | { readonly op: "cancel"; readonly pick: number }
  | { readonly op: "step" }
  | { readonly op: "stepUntil"; readonly aheadMs: number }
  | { readonly op: "runUntil"; readonly aheadMs: number };

// Delays are small multiples of 1/4 ms: exact in binary, so `now + delay` is the same number in the
// engine and in the model, and equal times (ties) are frequent.
const quarterMs = fc.integer({ min: 0, max: 40 }).map((q) => q / 4);

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("schedule" as const),
      delayMs: quarterMs,
      kind: fc.constantFrom(0, 1),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("arm" as const),
      lane: fc.integer({ min: 0, max: LANES.length - 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("step" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("stepUntil" as const), aheadMs: quarterMs }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("runUntil" as const), aheadMs: quarterMs }) },
);

describe("Engine", () => {
  it("fires events in (atMs, seq) order: random schedule/arm/cancel/step interleavings match a sorted-array model", () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 300 }), (ops) => {
        const { engine, fired } = recordingEngine();
        const lanes = LANES.map(([durationMs, kind]) => engine.lane(durationMs, kind));
        const model = new ReferenceEngine();
        const handles: Array<{ readonly handle: Handle; readonly id: number }> = [];
        for (const op of ops) {
          switch (op.op) {
            case "schedule": {
              const id = handles.length;
              const atMs = engine.nowMs + op.delayMs;
              handles.push({ handle: engine.schedule(atMs, op.kind, id), id });
              model.add(atMs, id);
              break;
            }
            case "arm": {
              const id = handles.length;
              handles.push({ handle: engine.arm(lanes[op.lane]!, id), id });
              model.add(model.nowMs + LANES[op.lane]![0], id);
              break;
            }
            case "cancel": {
              // Any handle ever returned: pending, already fired, or already cancelled.
              if (handles.length === 0) break;
              const { handle, id } = handles[op.pick % handles.length]!;
              engine.cancel(handle);
              model.cancel(id);
              break;
            }
            case "step":
              expect(engine.step()).toBe(model.step());
              break;
            case "stepUntil": {
              const endMs = model.nowMs + op.aheadMs;
              expect(engine.step(endMs)).toBe(model.step(endMs));
              break;
            }
            case "runUntil": {
              const endMs = model.nowMs + op.aheadMs;
              engine.runUntil(endMs);
              model.runUntil(endMs);
              break;
            }
          }
          expect(engine.nowMs).toBe(model.nowMs);
          expect(fired).toEqual(model.fired);
          expect(engine.pending()).toBe(model.pending);
        }
        engine.runUntil(Number.POSITIVE_INFINITY);
        model.runUntil(Number.POSITIVE_INFINITY);
        expect(fired).toEqual(model.fired);
        expect(engine.nowMs).toBe(model.nowMs);
        expect(engine.pending()).toBe(0);
        expect(engine.events).toBe(model.fired.length);
      }),
      { numRuns: 300 },
    );
  });

  it("fires simultaneous events in scheduling order, whether they sit in the heap or in a lane", () => {
    const { engine, fired } = recordingEngine();
    const fast = engine.lane(5, 2);
    const slow = engine.lane(10, 3);
    engine.schedule(10, 0, 1);
    engine.arm(slow, 2);
    engine.schedule(10, 1, 3);
    engine.runUntil(5);
    // Now 5: the 5 ms lane lands on 10 too, after everything already due at 10.
    engine.arm(fast, 4);
    engine.schedule(10, 0, 5);
    engine.arm(slow, 6); // at 15
    engine.runUntil(Number.POSITIVE_INFINITY);
    expect(fired).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("runs an event scheduled by a handler for the current time after the events already due then", () => {
    const engine = new Engine();
    const fired: number[] = [];
    const lane = engine.lane(0, 2);
    engine.on(0, (payload) => {
      fired.push(payload);
      if (payload === 1) {
        engine.schedule(engine.nowMs, 0, 10);
        engine.arm(lane, 11);
      }
    });
    engine.on(2, (payload) => fired.push(payload));
    engine.schedule(3, 0, 1);
    engine.schedule(3, 0, 2);
    engine.runUntil(3);
    expect(fired).toEqual([1, 2, 10, 11]);
  });

  it("never moves the clock backwards", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), quarterMs, fc.boolean()), { maxLength: 200 }), (plan) => {
        const { engine, clock } = recordingEngine();
        const lanes = [engine.lane(2.5, 2), engine.lane(7, 3)];
        let lastNow = engine.nowMs;
        plan.forEach(([arm, delayMs, step], i) => {
          if (arm) engine.arm(lanes[i % 2]!, i);
          else engine.schedule(engine.nowMs + delayMs, i % 2, i);
          if (step) engine.step();
          else engine.runUntil(engine.nowMs + delayMs / 2);
          expect(engine.nowMs).toBeGreaterThanOrEqual(lastNow);
          lastNow = engine.nowMs;
        });
        engine.runUntil(Number.POSITIVE_INFINITY);
        for (let k = 1; k < clock.length; k++) expect(clock[k]!).toBeGreaterThanOrEqual(clock[k - 1]!);
      }),
    );
  });
});

describe("Engine with more durations than it has lanes", () => {
  it("still fires every timer at its time and in scheduling order, and cancels them", () => {
    // 70 distinct durations (70 clients, each with its own `timeout`): more than the 64 lanes.
    const { engine, fired } = recordingEngine();
    const lanes = Array.from({ length: 70 }, (_, i) => engine.lane(100 - i, 2));
    expect(new Set(lanes).size).toBe(70);
    expect(engine.lane(100 - 69, 2)).toBe(lanes[69]);
    const handles = lanes.map((lane, i) => engine.arm(lane, i));
    engine.cancel(handles[68]!);
    engine.runUntil(Number.POSITIVE_INFINITY);
    // Timer i fires at 100 − i: the last armed fire first, and the cancelled one never.
    expect(fired).toEqual(lanes.map((_, i) => 69 - i).filter((i) => i !== 68));
    expect(engine.pending()).toBe(0);
  });
});
