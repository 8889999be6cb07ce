// The failure timeline and runtime-API commands against HAProxy 2.6 (haproxy-semantics.md §4.4, §5,
// DESIGN.md "Failure modes").
import { describe, expect, it } from "vitest";
import type { CheckParams, RuntimeCommand, ServerSpec, TimelineEvent } from "../../scenarios/types.js";
import type { RequestRecord } from "../run-types.js";
import { client, scenario, server, simulateWithRecords } from "../test-support.js";

const check: CheckParams = {
  type: "http",
  interMs: 1000,
  fastinterMs: 1000,
  downinterMs: 1000,
  rise: 2,
  fall: 3,
  timeoutMs: null,
};
const constant = (valueMs: number) => ({ kind: "constant", valueMs }) as const;

function runtime(atMs: number, command: RuntimeCommand): TimelineEvent {
  return { atMs, kind: "runtime", text: JSON.stringify(command), command };
}

/** Two checked servers (s2 checks at 500 + k·1000), 100 req/s roundrobin, 5 ms of service. */
function run(events: TimelineEvent[], servers?: ServerSpec[], durationMs = 10000) {
  return simulateWithRecords(
    scenario({
      durationMs,
      backend: {
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 1000 },
        servers: servers ?? [
          server("s1", { check, service: constant(5) }),
          server("s2", { check, service: constant(5) }),
        ],
      },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
      events,
    }),
  );
}

const sentTo = (records: RequestRecord[], name: string, fromMs: number, toMs = Number.POSITIVE_INFINITY) =>
  records.filter((r) => r.server === name && r.atMs > fromMs && r.atMs < toMs);
const statesAfter = (states: ReadonlyArray<{ atMs: number; state: string }>, fromMs: number) =>
  states.filter((c) => c.atMs >= fromMs);

describe("set server … state drain", () => {
  it("sends no new request to the server, lets in-flight ones finish, and shows DRAIN", () => {
    const { records, results } = run(
      [runtime(2000, { op: "state", server: "s2", state: "drain" })],
      [
        server("s1", { check, service: constant(5) }),
        server("s2", { check, slots: 100, service: constant(300) }),
      ],
    );
    expect(sentTo(records, "s2", 2000)).toEqual([]);
    // Requests sent to s2 just before the drain still get their 200.
    const inFlight = records.filter((r) => r.server === "s2" && r.atMs < 2000 && r.atMs + r.totalMs > 2000);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.every((r) => r.status === 200)).toBe(true);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([{ atMs: 2000, state: "DRAIN" }]);
  });

  it("keeps checking a drained server: a failing one still goes DOWN", () => {
    const { results } = run([
      runtime(2000, { op: "state", server: "s2", state: "drain" }),
      { atMs: 3000, kind: "crash", server: "s2" },
    ]);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([
      { atMs: 2000, state: "DRAIN" },
      { atMs: 3500, state: "DRAIN 2/3" },
      { atMs: 4500, state: "DRAIN 1/3" },
      { atMs: 5500, state: "DOWN" },
    ]);
  });

  it("returns to rotation at once with state ready", () => {
    const { records, results } = run([
      runtime(2000, { op: "state", server: "s2", state: "drain" }),
      runtime(4000, { op: "state", server: "s2", state: "ready" }),
    ]);
    expect(sentTo(records, "s2", 2000, 4000)).toEqual([]);
    expect(sentTo(records, "s2", 4000, 5000).length).toBeGreaterThanOrEqual(49);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([
      { atMs: 2000, state: "DRAIN" },
      { atMs: 4000, state: "UP" },
    ]);
  });
});

describe("set server … state maint", () => {
  it("shows MAINT, stops the checks and does not kill requests in flight", () => {
    const { records, results } = run(
      [
        runtime(2000, { op: "state", server: "s2", state: "maint" }),
        { atMs: 3000, kind: "crash", server: "s2" },
      ],
      [
        server("s1", { check, service: constant(5) }),
        server("s2", { check, slots: 100, service: constant(300) }),
      ],
    );
    // The crash at 3000 cuts what is still in flight, but no check notices it: still MAINT.
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([{ atMs: 2000, state: "MAINT" }]);
    expect(results.servers[1]!.checksFailed).toBe(0);
    expect(sentTo(records, "s2", 2000)).toEqual([]);
    expect(
      records
        .filter((r) => r.server === "s2" && r.atMs < 2000 && r.atMs + r.totalMs > 2000)
        .every((r) => r.status === 200),
    ).toBe(true);
  });

  it("leaves MAINT with state ready at health = rise (UP 1/3) and checks at once", () => {
    const { results } = run([
      runtime(2000, { op: "state", server: "s2", state: "maint" }),
      runtime(4200, { op: "state", server: "s2", state: "ready" }),
    ]);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([
      { atMs: 2000, state: "MAINT" },
      { atMs: 4200, state: "UP 1/3" },
      { atMs: 4200, state: "UP" },
    ]);
  });

  it("marks a server that left MAINT DOWN at its first failed check (health = rise)", () => {
    const { results, records } = run([
      runtime(2000, { op: "state", server: "s2", state: "maint" }),
      { atMs: 3000, kind: "crash", server: "s2" },
      runtime(4200, { op: "state", server: "s2", state: "ready" }),
    ]);
    expect(statesAfter(results.servers[1]!.states, 4200)).toEqual([
      { atMs: 4200, state: "UP 1/3" },
      { atMs: 4200, state: "DOWN" },
    ]);
    expect(sentTo(records, "s2", 4200)).toEqual([]);
  });
});

describe("set server … weight", () => {
  it("changes the shares at once: weight 3 against 1 takes three requests in four", () => {
    const { records } = run([runtime(2000, { op: "weight", server: "s1", weight: 3, percent: false })]);
    // 100 req/s over [3 s, 7 s): 400 requests, roundrobin windows of 4.
    expect(sentTo(records, "s1", 3000, 7000).length).toBeCloseTo(300, -1);
    expect(Math.abs(sentTo(records, "s1", 3000, 7000).length - 300)).toBeLessThanOrEqual(3);
    expect(Math.abs(sentTo(records, "s2", 3000, 7000).length - 100)).toBeLessThanOrEqual(3);
  });

  it("gives the Results shares in proportion to the weights", () => {
    const { results } = run([runtime(0, { op: "weight", server: "s1", weight: 3, percent: false })]);
    expect(results.servers.map((s) => s.share)).toEqual([expect.closeTo(0.75, 2), expect.closeTo(0.25, 2)]);
  });

  it("takes N% of the initial weight in integer arithmetic (50% of 3 is 1)", () => {
    const { records } = run(
      [runtime(0, { op: "weight", server: "s1", weight: 50, percent: true })],
      [
        server("s1", { weight: 3, check, service: constant(5) }),
        server("s2", { weight: 1, check, service: constant(5) }),
      ],
    );
    expect(
      Math.abs(sentTo(records, "s1", 1000, 9000).length - sentTo(records, "s2", 1000, 9000).length),
    ).toBeLessThanOrEqual(2);
  });

  it("shows DRAIN for weight 0 on a checked server and sends it nothing", () => {
    const { records, results } = run([
      runtime(2000, { op: "weight", server: "s2", weight: 0, percent: false }),
    ]);
    expect(sentTo(records, "s2", 2000)).toEqual([]);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([{ atMs: 2000, state: "DRAIN" }]);
  });

  it("shows 'no check' for weight 0 on a server without checks (§8 rule 17)", () => {
    const { records, results } = run(
      [runtime(2000, { op: "weight", server: "s2", weight: 0, percent: false })],
      [server("s1", { service: constant(5) }), server("s2", { service: constant(5) })],
    );
    expect(sentTo(records, "s2", 2000)).toEqual([]);
    expect(results.servers[1]!.states).toEqual([{ atMs: 0, state: "no check" }]);
  });
});

describe("set server … health", () => {
  it("forces DOWN; checks keep running and bring a healthy server back after rise", () => {
    const { records, results } = run([runtime(2000, { op: "health", server: "s2", health: "down" })]);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([
      { atMs: 2000, state: "DOWN" },
      { atMs: 2500, state: "DOWN 1/2" },
      { atMs: 3500, state: "UP" },
    ]);
    expect(sentTo(records, "s2", 2000, 3500)).toEqual([]);
    expect(results.servers[1]!.downs).toBe(1);
  });

  it("forces UP at full health; failing checks take it down again", () => {
    const { results } = run([
      { atMs: 1000, kind: "crash", server: "s2" },
      runtime(5000, { op: "health", server: "s2", health: "up" }),
    ]);
    expect(statesAfter(results.servers[1]!.states, 5000)).toEqual([
      { atMs: 5000, state: "UP" },
      { atMs: 5500, state: "UP 2/3" },
      { atMs: 6500, state: "UP 1/3" },
      { atMs: 7500, state: "DOWN" },
    ]);
  });

  it("shows NOLB for stopping and sends no new request until health up", () => {
    const { records, results } = run([
      runtime(2000, { op: "health", server: "s2", health: "stopping" }),
      runtime(4000, { op: "health", server: "s2", health: "up" }),
    ]);
    expect(statesAfter(results.servers[1]!.states, 2000)).toEqual([
      { atMs: 2000, state: "NOLB" },
      { atMs: 4000, state: "UP" },
    ]);
    expect(sentTo(records, "s2", 2000, 4000)).toEqual([]);
    expect(sentTo(records, "s2", 4000).length).toBeGreaterThan(0);
  });

  it("does not keep a stopping server NOLB after checks took it DOWN and back UP", () => {
    const { results } = run([
      runtime(2000, { op: "health", server: "s2", health: "stopping" }),
      { atMs: 3000, kind: "crash", server: "s2" },
      { atMs: 6000, kind: "restore", server: "s2" },
    ]);
    expect(statesAfter(results.servers[1]!.states, 2000).map((c) => c.state)).toEqual([
      "NOLB",
      "NOLB 2/3",
      "NOLB 1/3",
      "DOWN",
      "DOWN 1/2",
      "UP",
    ]);
  });
});

describe("failure modes (DESIGN.md)", () => {
  it("slow {factor} multiplies service times, and restore undoes it", () => {
    const { records } = run([
      { atMs: 2000, kind: "slow", server: "s1", factor: 3 },
      { atMs: 4000, kind: "restore", server: "s1" },
    ]);
    const latency = (from: number, to: number) =>
      new Set(sentTo(records, "s1", from, to).map((r) => r.totalMs));
    expect(latency(1000, 1990)).toEqual(new Set([5]));
    expect(latency(2000, 3990)).toEqual(new Set([15]));
    expect(latency(4000, 5000)).toEqual(new Set([5]));
  });

  it("partition makes connections time out (503 sC with retries 0), heal restores them", () => {
    const { records } = simulateWithRecords(
      scenario({
        durationMs: 4000,
        backend: {
          retries: 0,
          timeout: { connectMs: 250, serverMs: 5000, queueMs: 1000 },
          servers: [server("s1", { service: constant(5) })],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 10 } })],
        events: [
          { atMs: 1000, kind: "partition", server: "s1" },
          { atMs: 2000, kind: "heal", server: "s1" },
        ],
      }),
    );
    const during = records.filter((r) => r.atMs >= 1000 && r.atMs < 2000);
    expect(during.map((r) => [r.status, r.termination, r.totalMs])).toEqual(
      Array.from({ length: 10 }, () => [503, "sC--", 250]),
    );
    expect(records.filter((r) => r.atMs >= 2000).every((r) => r.status === 200)).toBe(true);
  });

  it("errors {rate} stops with restore", () => {
    const { records } = run([
      { atMs: 2000, kind: "errors", server: "s1", rate: 1 },
      { atMs: 2200, kind: "restore", server: "s1" },
    ]);
    expect(new Set(sentTo(records, "s1", 1999, 2190).map((r) => r.status))).toEqual(new Set([500]));
    expect(new Set(sentTo(records, "s1", 2200, 5000).map((r) => r.status))).toEqual(new Set([200]));
  });
});
