// Passive health checks (`observe`, haproxy-semantics.md §4) and slowstart's weight ramp (§1), against HAProxy 2.6.
import { describe, expect, it } from "vitest";
import type { ObserveParams, TimelineEvent } from "../../scenarios/types.js";
import { client, server } from "../test-support.js";
import { slowstartSteps } from "./checks.js";
import { check, constant5ms, round3, run, statesFrom } from "./checks-test-support.js";

describe("observe (passive health)", () => {
  const observe = (fields: Partial<ObserveParams>): ObserveParams => ({
    mode: "layer7",
    errorLimit: 5,
    onError: "mark-down",
    ...fields,
  });

  it("marks a server DOWN at its error-limit-th consecutive 500 with observe layer7 on-error mark-down", () => {
    const { results, records } = run(
      [server("s1", { check: check({ type: "tcp", interMs: 10000 }), observe: observe({}) }), server("s2")],
      [{ atMs: 3000, kind: "errors", server: "s1", rate: 1 }],
    );
    const fifth = records
      .filter((r) => r.server === "s1" && r.status === 500)
      .map((r) => r.atMs + r.totalMs)
      .sort((a, b) => a - b)[4]!;
    const s1 = results.servers[0]!;
    expect(statesFrom(s1.states, 3000)[0]).toEqual({ atMs: round3(fifth), state: "DOWN" });
    expect(s1.downs).toBeGreaterThanOrEqual(1);
  });

  it("forces the next check to fastinter after an on-error action", () => {
    // inter 10 s, fastinter 500 ms: after the mark-down the (passing) L4 check comes 500 ms later.
    const { results } = run(
      [
        server("s1", {
          check: check({ type: "tcp", interMs: 10000, fastinterMs: 500 }),
          observe: observe({}),
        }),
        server("s2"),
      ],
      [{ atMs: 3000, kind: "errors", server: "s1", rate: 1 }],
    );
    const [down, next] = statesFrom(results.servers[0]!.states, 3000);
    expect(down!.state).toBe("DOWN");
    expect(next).toEqual({ atMs: round3(down!.atMs + 500), state: "DOWN 1/2" });
  });

  it("ignores 500s with observe layer4", () => {
    const { results } = run(
      [server("s1", { check: check({ type: "tcp", interMs: 10000 }), observe: observe({ mode: "layer4" }) })],
      [{ atMs: 3000, kind: "errors", server: "s1", rate: 1 }],
    );
    expect(statesFrom(results.servers[0]!.states, 3000)).toEqual([]);
  });

  it("counts refused connections with observe layer4 and layer7 alike", () => {
    for (const mode of ["layer4", "layer7"] as const) {
      const { results } = run(
        [
          server("s1", { check: check({ interMs: 10000 }), observe: observe({ mode, errorLimit: 3 }) }),
          server("s2"),
        ],
        [{ atMs: 3000, kind: "crash", server: "s1" }],
        { backend: { retries: 0 } },
      );
      // Roundrobin gives s1 every other request (every 100 ms): the 3rd refusal is at 3200.
      expect(statesFrom(results.servers[0]!.states, 3000)[0]).toEqual({ atMs: 3200, state: "DOWN" });
    }
  });

  it("counts one failed check per error-limit errors with on-error fail-check", () => {
    const { results } = run(
      [
        server("s1", {
          check: check({ type: "tcp", interMs: 60000 }),
          observe: observe({ onError: "fail-check", errorLimit: 2 }),
          service: constant5ms,
        }),
      ],
      [{ atMs: 3000, kind: "errors", server: "s1", rate: 1 }],
    );
    // 20 req/s on one server: 500s at 3005, 3055, … → a failed check at every 2nd.
    expect(statesFrom(results.servers[0]!.states, 3000).slice(0, 3)).toEqual([
      { atMs: 3055, state: "UP 2/3" },
      { atMs: 3155, state: "UP 1/3" },
      { atMs: 3255, state: "DOWN" },
    ]);
  });

  it("leaves a fully healthy server one failure from DOWN with on-error sudden-death", () => {
    const { results } = run(
      [
        server("s1", {
          check: check({ type: "tcp", interMs: 60000 }),
          observe: observe({ onError: "sudden-death", errorLimit: 2 }),
          service: constant5ms,
        }),
      ],
      [{ atMs: 3000, kind: "errors", server: "s1", rate: 1 }],
    );
    expect(statesFrom(results.servers[0]!.states, 3000).slice(0, 2)).toEqual([
      { atMs: 3055, state: "UP 1/3" },
      { atMs: 3155, state: "DOWN" },
    ]);
    expect(results.servers[0]!.checksFailed).toBeGreaterThanOrEqual(2);
  });
});

describe("slowstart (§1)", () => {
  it("steps the weight as HAProxy 2.6.12 was measured to (show stat, weight 100)", () => {
    const shown = (slowstartMs: number, seconds: number) =>
      Math.ceil((100 * slowstartSteps(slowstartMs, seconds * 1000)) / 16);
    // slowstart 10s, a second apart from `state ready`.
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((s) => shown(10_000, s))).toEqual([
      7, 13, 25, 32, 44, 57, 63, 75, 82, 94, 100, 100,
    ]);
    // slowstart 30s: the weight seen at 2, 4, 6 and 8 s.
    expect([2, 4, 6, 8].map((s) => shown(30_000, s))).toEqual([13, 19, 25, 32]);
    // Within a second nothing moves (whole seconds), and float noise on a tick does not lose one.
    expect(slowstartSteps(10_000, 1999.9)).toBe(slowstartSteps(10_000, 1000));
    expect(slowstartSteps(10_000, 2000 - 1e-9)).toBe(slowstartSteps(10_000, 2000));
    // A slowstart of 1500 ms is kept as 2 s.
    expect(slowstartSteps(1500, 1000)).toBe(9);
  });

  const ramp = (events: TimelineEvent[]) =>
    run([server("s1", { check: check() }), server("s2", { check: check(), slowstartMs: 10000 })], events, {
      durationMs: 40000,
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
    });
  const countIn = (
    records: ReadonlyArray<{ atMs: number; server: string }>,
    name: string,
    from: number,
    to: number,
  ) => records.filter((r) => r.server === name && r.atMs >= from && r.atMs < to).length;

  it("does not ramp at startup", () => {
    const { records } = ramp([]);
    expect(countIn(records, "s2", 0, 5000)).toBe(countIn(records, "s1", 0, 5000));
  });

  it("ramps the share of a server coming back UP over slowstart, then gives it its full share", () => {
    const { records, results } = ramp([
      { atMs: 2000, kind: "crash", server: "s2" },
      { atMs: 8000, kind: "restore", server: "s2" },
    ]);
    const upMs = statesFrom(results.servers[1]!.states, 8000).find((c) => c.state === "UP")!.atMs;
    const shareIn = (from: number) => {
      const s2 = countIn(records, "s2", from, from + 2000);
      return s2 / (s2 + countIn(records, "s1", from, from + 2000));
    };
    const steps = [0, 2000, 4000, 6000, 8000].map((d) => shareIn(upMs + d));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    expect(steps[0]!).toBeLessThan(0.2);
    // After the ramp: half of the traffic again.
    expect(shareIn(upMs + 12000)).toBeCloseTo(0.5, 2);
  });

  it("ramps after leaving MAINT but not after a drain ends", () => {
    const maint = ramp([
      { atMs: 2000, kind: "runtime", text: "", command: { op: "state", server: "s2", state: "maint" } },
      { atMs: 8000, kind: "runtime", text: "", command: { op: "state", server: "s2", state: "ready" } },
    ]);
    const drain = ramp([
      { atMs: 2000, kind: "runtime", text: "", command: { op: "state", server: "s2", state: "drain" } },
      { atMs: 8000, kind: "runtime", text: "", command: { op: "state", server: "s2", state: "ready" } },
    ]);
    expect(countIn(maint.records, "s2", 8000, 10000)).toBeLessThan(40);
    expect(countIn(drain.records, "s2", 8100, 10000)).toBe(countIn(drain.records, "s1", 8100, 10000));
  });
});
