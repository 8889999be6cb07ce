// least-response-time spec: fewest (in flight + 1) × EWMA response time per weight, ties by declaration order.
import { describe, expect, it } from "vitest";
import { createLeastResponseTime } from "./least-response-time.js";
import { closedLoop, FakeModel } from "./test-support.js";

describe("least-response-time", () => {
  it("least-response-time takes the lowest (in flight + 1) × average response time", () => {
    const model = new FakeModel(createLeastResponseTime, [1, 1, 1]);
    model.servers[0]!.observedResponseMs = 30;
    model.servers[1]!.observedResponseMs = 10;
    model.servers[2]!.observedResponseMs = 25;
    expect(model.pick()).toBe(1);
    model.take(1);
    model.take(1);
    // s2: 3 × 10 = 30 > s3: 1 × 25.
    expect(model.pick()).toBe(2);
  });

  it("least-response-time breaks ties by declaration order", () => {
    const model = new FakeModel(createLeastResponseTime, [1, 1, 1]);
    for (const server of model.servers) server.observedResponseMs = 20;
    expect(model.sequence(3)).toEqual(["s1", "s1", "s1"]);
    model.take(0);
    expect(model.pick()).toBe(1);
  });

  it("least-response-time counts an unmeasured server as fast as the fastest measured one", () => {
    const model = new FakeModel(createLeastResponseTime, [1, 1]);
    model.servers[0]!.observedResponseMs = 40;
    // s2 counts 40 ms too: a tie, and s1 was declared first.
    expect(model.pick()).toBe(0);
    model.take(0);
    // s1: 2 × 40 > s2: 1 × 40.
    expect(model.pick()).toBe(1);
    model.take(1);
    model.servers[0]!.observedResponseMs = 10;
    // s2 now counts 10 ms like s1: 2 × 10 each, a tie, and s1 first.
    expect(model.pick()).toBe(0);
  });

  it("least-response-time with nothing measured is fewest in flight per weight", () => {
    const model = new FakeModel(createLeastResponseTime, [1, 3]);
    const picks: number[] = [];
    for (let k = 0; k < 4; k++) {
      const i = model.pick();
      picks.push(i);
      model.take(i);
    }
    // Scores (in flight + 1) / weight: s2 1/3, 2/3, then s1 1 vs s2 1 (tie → s1), then s2 4/3 vs s1 2.
    expect(picks).toEqual([1, 1, 0, 1]);
  });

  it("least-response-time prefers the faster server under load", () => {
    const model = new FakeModel(createLeastResponseTime, [1, 1]);
    const [fast, slow] = closedLoop(model, [10, 50], 10, 4000);
    expect(fast! / (fast! + slow!)).toBeGreaterThan(0.75);
  });
});
