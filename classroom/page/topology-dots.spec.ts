import { linkHorizontal } from "d3-shape";
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../sim/index.js";
import {
  DOT_CAP,
  DotField,
  dotPoint,
  IN_BALANCER,
  requestsPerDot,
  serverRates,
  TO_BALANCER,
  TRAVEL_MS,
} from "./topology-dots.js";

describe("requestsPerDot", () => {
  it("is 1 while every request fits on screen, else the next 2, 5, 10… that fits the cap", () => {
    // 100 req/s for 0.9 s: 90 dots under the cap of 150.
    expect(requestsPerDot(100)).toBe(1);
    expect(requestsPerDot((DOT_CAP * 1000) / TRAVEL_MS)).toBe(1);
    // 500 req/s: 450 on screen, 3 per dot needed, 5 it is.
    expect(requestsPerDot(500)).toBe(5);
    expect(requestsPerDot(250)).toBe(2);
    // ×100 of 500 req/s: 45,000 on screen → 300 per dot needed → 500.
    expect(requestsPerDot(50_000)).toBe(500);
    expect(requestsPerDot(0)).toBe(1);
  });

  it("keeps the dots on screen within the cap, whatever the rate", () => {
    for (const rate of [1, 170, 333, 1000, 12_345, 1e6]) {
      const onScreen = (rate / requestsPerDot(rate)) * (TRAVEL_MS / 1000);
      expect(onScreen).toBeLessThanOrEqual(DOT_CAP);
    }
  });
});

describe("DotField", () => {
  /** Steps a field through `ms` of 60 Hz frames from `fromMs`; returns the most dots alive at once. */
  let lastStepMs = 0;
  function run(field: DotField, fromMs: number, ms: number): number {
    let most = 0;
    for (let frame = 0; frame <= (ms * 60) / 1000; frame++) {
      lastStepMs = fromMs + (frame * 1000) / 60;
      field.step(lastStepMs);
      most = Math.max(most, field.count);
    }
    return most;
  }

  it("launches dots at each row's rate and retires them after their journey", () => {
    const field = new DotField(1000);
    field.step(0);
    field.setRates([100, 0, 50], 10_000);
    run(field, 0, 2000);
    // 150 a second for 0.9 s each: 135 alive, two thirds of them to row 0.
    expect(field.count).toBeGreaterThanOrEqual(133);
    expect(field.count).toBeLessThanOrEqual(137);
    const rows = [0, 0, 0];
    for (let i = 0; i < field.count; i++) rows[field.row[i]!]!++;
    expect(rows[1]).toBe(0);
    expect(Math.abs(rows[0]! - 2 * rows[2]!)).toBeLessThanOrEqual(2);
    for (let i = 0; i < field.count; i++) expect(field.progress(i, lastStepMs)).toBeLessThan(1);
  });

  it("never holds more than its capacity, counting what it dropped", () => {
    const field = new DotField(40);
    field.step(0);
    field.setRates([1000], 10_000);
    expect(run(field, 0, 1000)).toBe(40);
    expect(field.dropped).toBeGreaterThan(800);
  });

  it("stops launching when the rates run out (the page paused or its tab hid)", () => {
    const field = new DotField(1000);
    field.step(0);
    field.setRates([100], 500);
    run(field, 0, 3000);
    expect(field.count).toBe(0);
    expect(field.hasRates(3000)).toBe(false);
  });

  it("drops the dots of a removed server and renumbers the others", () => {
    const field = new DotField(1000);
    field.step(0);
    field.setRates([60, 60, 60], 10_000);
    run(field, 0, 500);
    const before = field.count;
    field.remap([0, -1, 1]);
    const rows = new Set(Array.from(field.row.subarray(0, field.count)));
    expect([...rows].sort()).toEqual([0, 1]);
    expect(field.count).toBeLessThan(before);
    expect(field.count).toBeGreaterThan(0);
  });
});

describe("dotPoint", () => {
  const route = {
    from: { x: 100, y: 200 },
    balancerIn: { x: 150, y: 200 },
    balancerOut: { x: 250, y: 200 },
    to: { x: 400, y: 60 },
  };

  it("goes from the clients to the balancer, hides inside it, then rides the link to the server", () => {
    expect(dotPoint(route, 0)).toEqual({ x: 100, y: 200, visible: true });
    const half = dotPoint(route, TO_BALANCER / 2);
    expect([half.x, half.y, half.visible]).toEqual([expect.closeTo(125, 9), 200, true]);
    expect(dotPoint(route, TO_BALANCER + IN_BALANCER / 2).visible).toBe(false);
    const out = dotPoint(route, TO_BALANCER + IN_BALANCER);
    expect([out.x, out.y, out.visible]).toEqual([expect.closeTo(250, 9), expect.closeTo(200, 9), true]);
    expect(dotPoint(route, 1)).toEqual({ x: 400, y: 60, visible: true });
  });

  it("lies on the curve d3-shape's linkHorizontal draws", () => {
    const path = linkHorizontal()({ source: [250, 200], target: [400, 60] });
    // M250,200C325,200,325,60,400,60: control points at mid-x, the curve's middle is the midpoint.
    expect(path).toBe("M250,200C325,200,325,60,400,60");
    const middle = dotPoint(route, TO_BALANCER + IN_BALANCER + (1 - TO_BALANCER - IN_BALANCER) / 2);
    expect(middle.x).toBeCloseTo(325, 6);
    expect(middle.y).toBeCloseTo(130, 6);
  });
});

describe("serverRates", () => {
  function snapshot(
    nowMs: number,
    servers: Array<Partial<Snapshot["servers"][number]> & { served?: number }>,
    finished = 0,
  ): Snapshot {
    return {
      nowMs,
      durationMs: 20_000,
      done: false,
      servers: servers.map((s, i) => ({
        name: `web0${i + 1}`,
        backend: "web",
        state: "UP",
        inFlight: 0,
        queued: 0,
        health: 4,
        rise: 2,
        fall: 3,
        checksFailed: 0,
        weight: 1,
        ...s,
      })),
      backends: [{ name: "web", queued: 0 }],
      requests: { total: finished, ok: finished, failed: 0, byStatus: {} },
      recent: [],
    };
  }

  it("takes each server's requests between two snapshots, per wall-clock second", () => {
    const a = snapshot(1000, [{ served: 10 }, { served: 10 }, { served: 4 }]);
    const b = snapshot(1100, [{ served: 15 }, { served: 10 }, { served: 6 }]);
    // 100 ms of simulated time shown in 50 ms of wall clock (×2): 5 requests → 100 a second on screen.
    expect(serverRates(a, b, 50)).toEqual({ perSecond: [100, 0, 40], estimated: false });
  });

  it("draws nothing on the first snapshot, or when the model did not move (paused)", () => {
    const a = snapshot(1000, [{ served: 10 }]);
    expect(serverRates(undefined, a, 50).perSecond).toEqual([0]);
    expect(serverRates(a, a, 50).perSecond).toEqual([0]);
  });

  it("estimates while served counts stand still but requests finish (counts that start after the warm-up)", () => {
    const a = snapshot(
      500,
      [
        { served: 0, inFlight: 1 },
        { served: 0, inFlight: 1 },
      ],
      0,
    );
    const b = {
      ...snapshot(
        600,
        [
          { served: 0, inFlight: 1 },
          { served: 0, inFlight: 1 },
        ],
        0,
      ),
      recent: [
        { atMs: 550, latencyMs: 5, status: 200 },
        { atMs: 590, latencyMs: 5, status: 200 },
      ],
    };
    expect(serverRates(a, b, 100)).toEqual({ perSecond: [10, 10], estimated: true });
    // Nothing finished and nothing counted: nothing drawn, from the counts.
    expect(serverRates(a, snapshot(600, [{ served: 0 }, { served: 0 }], 0), 100)).toEqual({
      perSecond: [0, 0],
      estimated: false,
    });
  });

  it("without served counts, shares the finished requests out by in flight and weight; none to a DOWN idle server", () => {
    const a = snapshot(1000, [{}, {}, {}], 100);
    const b = snapshot(1100, [{ inFlight: 2 }, { inFlight: 0, state: "DOWN" }, { inFlight: 0 }], 106);
    const { perSecond, estimated } = serverRates(a, b, 100);
    expect(estimated).toBe(true);
    // 6 finished over 100 ms = 60/s, shared 3 : 0 : 1 (in flight 2 + weight share 1, 0, weight share 1).
    expect(perSecond).toEqual([45, 0, 15]);
  });
});
