// Spec of sim/engine.ts: (atMs, seq) order across the heap and the timer lanes, cancel, the clock.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine, type Handle } from "./engine.js";

/** An engine whose every kind in `kinds` records its payload in `fired` (and the clock in `clock`). */
function recordingEngine(kinds: ReadonlyArray<number> = [0, 1, 2, 3]): {
  engine: Engine;
  fired: number[];
  clock: number[];
} {
  const engine = new Engine();
  const fired: number[] = [];
  const clock: number[] = [];
  for (const kind of kinds) {
    engine.on(kind, (payload) => {
      fired.push(payload);
      clock.push(engine.nowMs);
    });
  }
  return { engine, fired, clock };
}

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
