// peak-ewma spec: the peak-sensitive EWMA (Finagle's rule), power of two choices, decay over picks.
import { describe, expect, it } from "vitest";
import { createPeakEwma, nextCost } from "./peak-ewma.js";
import { closedLoop, FakeModel } from "./test-support.js";

describe("peak-ewma", () => {
  it("nextCost jumps to a new peak at once and moves toward a lower time as an EWMA", () => {
    expect(nextCost(10, 100, 0.9)).toBe(100);
    expect(nextCost(100, 10, 0.5)).toBe(55);
    expect(nextCost(100, 10, 1)).toBe(100);
    expect(nextCost(100, 10, 0)).toBe(10);
    expect(nextCost(0, 0, 0.5)).toBe(0);
  });

  it("peak-ewma prefers the faster server under load", () => {
    const model = new FakeModel(createPeakEwma, [1, 1], { seed: 5 });
    const [fast, slow] = closedLoop(model, [10, 50], 10, 4000);
    expect(fast! / (fast! + slow!)).toBeGreaterThan(0.75);
    // Not all of it: the (in flight + 1) factor sends some to the slow one when the fast one is busy.
    expect(slow).toBeGreaterThan(0);
  });

  it("peak-ewma spreads evenly over equally fast servers", () => {
    const model = new FakeModel(createPeakEwma, [1, 1, 1], { seed: 9 });
    const counts = closedLoop(model, [20, 20, 20], 6, 3000);
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it("peak-ewma tries an idle unmeasured server first and avoids a busy unmeasured one", () => {
    const model = new FakeModel(createPeakEwma, [1, 1]);
    model.strategy.observed!(model.servers[0]!, 10);
    expect(model.pick()).toBe(1);
    model.take(1);
    expect(model.pick()).toBe(0);
  });

  it("peak-ewma forgets one slow answer: the cost decays over picks until the server is tried again", () => {
    const model = new FakeModel(createPeakEwma, [1, 1]);
    model.strategy.observed!(model.servers[0]!, 1000);
    model.strategy.observed!(model.servers[1]!, 10);
    const picks: number[] = [];
    for (let k = 0; k < 200; k++) {
      const i = model.pick();
      picks.push(i);
      model.take(i);
      model.strategy.observed!(model.servers[i]!, 10);
      model.release(i);
    }
    // τ = 10 picks × 2 servers: 1000·e^(−t/20) falls under 10 after about 92 picks.
    const firstRetry = picks.indexOf(0);
    expect(firstRetry).toBeGreaterThan(60);
    expect(firstRetry).toBeLessThan(120);
  });

  it("peak-ewma draws from the strategy's seeded stream: the same seed, the same picks", () => {
    const run = (seed: number) =>
      closedLoop(new FakeModel(createPeakEwma, [1, 2, 1], { seed }), [10, 30, 20], 4, 500);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it("peak-ewma with one usable server takes it, even when avoided, unless it is full", () => {
    const model = new FakeModel(createPeakEwma, [{ maxconn: 1 }, { weight: 1, down: true }]);
    expect(model.pick(0)).toBe(0);
    model.take(0);
    expect(model.pick()).toBe(-1);
  });
});
