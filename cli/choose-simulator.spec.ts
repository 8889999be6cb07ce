// Spec of cli/choose-simulator.ts: small jobs run in process, long or unknowable ones in the worker.
import { describe, expect, it } from "vitest";
import { estimateEvents } from "../scenarios/index.js";
import { client, scenario } from "../sim/test-support.js";
import { chooseSimulator, IN_PROCESS_MAX_EVENTS, runsInProcess } from "./choose-simulator.js";
import type { SimulationJob, SimulationOutcome, Simulator } from "./context.js";
import { sampleResults } from "./test-support.js";

/** A job of `ratePerSecond` Poisson arrivals for `durationMs`, two servers, buckets of 1 s. */
function job(ratePerSecond: number, durationMs: number, extra: Partial<SimulationJob> = {}): SimulationJob {
  const s = scenario({
    durationMs,
    bucketMs: 1000,
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond } })],
  });
  return { scenario: s, scenarioDir: ".", deterministic: true, ...extra };
}

describe("runsInProcess", () => {
  it("keeps a run estimated at the threshold in process, and one just above it in the worker", () => {
    // 1,000 requests a second for 90 s: 90,000 requests + 90 buckets × 3 series cells.
    const small = job(1000, 90_000);
    expect(estimateEvents(small.scenario).total).toBe(90_270);
    expect(runsInProcess(small)).toBe(true);
    // 100,000 requests alone: over the threshold with the series.
    const large = job(1000, 100_000);
    expect(estimateEvents(large.scenario).total).toBeGreaterThan(IN_PROCESS_MAX_EVENTS);
    expect(runsInProcess(large)).toBe(false);
  });

  it("sends a trace client to the worker: the estimate counts its unknown length as 0", () => {
    const traced = job(1, 1000);
    const withTrace: SimulationJob = {
      ...traced,
      scenario: {
        ...traced.scenario,
        clients: [client("t", { arrivals: { kind: "trace", file: "big.csv" } })],
      },
    };
    expect(estimateEvents(withTrace.scenario).requests).toBe(0);
    expect(runsInProcess(withTrace)).toBe(false);
  });

  it("sends a user's strategy file to the worker, whatever the size", () => {
    const file = { name: "./mine.mjs", path: "/tmp/mine.mjs", shown: "mine.mjs" };
    expect(runsInProcess(job(1, 1000))).toBe(true);
    expect(runsInProcess(job(1, 1000, { strategyFile: file }))).toBe(false);
    expect(runsInProcess(job(1, 1000, { strategyFiles: [file, { ...file, name: "./b.mjs" }] }))).toBe(false);
  });
});

describe("chooseSimulator", () => {
  it("hands each job to the simulator its size calls for", async () => {
    const calls: string[] = [];
    const outcome: SimulationOutcome = {
      results: sampleResults(),
      stopped: false,
      reachedMs: 0,
      traceRows: 0,
    };
    const fake =
      (name: string): Simulator =>
      async () => {
        calls.push(name);
        return outcome;
      };
    const simulate = chooseSimulator(fake("worker"), fake("in-process"));
    const control = { stop: new Int32Array(new SharedArrayBuffer(4)) };
    await simulate(job(10, 1000), control);
    await simulate(job(10_000, 60_000), control);
    expect(calls).toEqual(["in-process", "worker"]);
  });
});
