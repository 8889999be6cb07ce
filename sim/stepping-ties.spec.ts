// The stepping API at a time other events share: an action applied at T acts as the scenario's
// `{at: T}` event would (before the check or arrival at T), so a model and a run agree byte for byte.
import { describe, expect, it } from "vitest";
import type { Scenario, TimelineAction, TimelineEvent } from "../scenarios/types.js";
import type { RequestRecord } from "./run-types.js";
import { createModel } from "./stepping.js";
import { client, RUN_OPTIONS, scenario, server, simulateWithRecords, TCP_CHECK } from "./test-support.js";

const json = (x: unknown) => JSON.stringify(x);

// Checks every 1000 ms from 0 and a constant 100 req/s (an arrival every 10 ms, on whole ms): a
// whole second is both a check tick and an arrival time.
const base: Scenario = scenario({
  durationMs: 8000,
  backend: {
    timeout: { connectMs: 300, serverMs: 5000, queueMs: 5000 },
    servers: [server("s1", { check: TCP_CHECK }), server("s2", { check: TCP_CHECK })],
  },
  clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
});

/** The model with `actions` applied at their times, run to the end: its Results and request records. */
function stepped(actions: ReadonlyArray<TimelineEvent>): { json: string; records: RequestRecord[] } {
  const records: RequestRecord[] = [];
  const model = createModel(base, { ...RUN_OPTIONS, onRequest: (r) => records.push(r) });
  for (const { atMs, ...action } of actions) {
    model.advanceTo(atMs);
    model.apply(action as TimelineAction);
  }
  model.advanceTo(base.durationMs);
  return { json: json(model.results()), records };
}

describe("apply at a time a check and an arrival share", () => {
  const T = 3000;
  const crash: TimelineEvent = { atMs: T, kind: "crash", server: "s1" };

  it("a crash at a check tick and an arrival gives run()'s Results byte for byte", () => {
    const run = simulateWithRecords({ ...base, events: [crash] });
    const model = stepped([crash]);
    expect(model.json).toBe(json(run.results));
    // It mattered: the check at T already failed (first failure at T, not at T + 1000), and the
    // request arriving at T was refused by s1 (it went to s1 by roundrobin's turn and retried).
    const states = run.results.servers[0]!.states;
    expect(states.find((c) => c.state === "UP 2/3")?.atMs).toBe(T);
    const arrivedAtT = model.records.filter((r) => r.atMs === T);
    expect(arrivedAtT).toHaveLength(1);
    expect(arrivedAtT[0]!.retries).toBeGreaterThan(0);
  });

  it("two actions at the same time keep their order, after the scenario's own event at that time", () => {
    const own: TimelineEvent = { atMs: T, kind: "slow", server: "s2", factor: 3 };
    const withOwn: Scenario = { ...base, events: [own] };
    const actions: TimelineEvent[] = [
      { atMs: T, kind: "restore", server: "s2" },
      { atMs: T, kind: "spike", client: "c", factor: 2, forMs: 2000 },
      { atMs: 5000, kind: "crash", server: "s2" },
    ];
    const run = simulateWithRecords({ ...withOwn, events: [own, ...actions] });
    const records: RequestRecord[] = [];
    const model = createModel(withOwn, { ...RUN_OPTIONS, onRequest: (r) => records.push(r) });
    for (const { atMs, ...action } of actions) {
      model.advanceTo(atMs);
      model.apply(action as TimelineAction);
    }
    model.advanceTo(base.durationMs);
    expect(json(model.results())).toBe(json(run.results));
    // The restore came after the scenario's slow at T: s2 ends up not slow (its restore undid it).
    expect(run.results.timeline.map((e) => e.text).slice(0, 3)).toEqual([
      "slow s2 ×3",
      "restore s2",
      "spike c ×2 for 2s",
    ]);
  });

  it("partial results() replay the applied actions at their exact times", () => {
    const model = createModel(base, RUN_OPTIONS);
    model.advanceTo(T);
    model.apply({ kind: "crash", server: "s1" });
    model.advanceTo(6000);
    let asked = 0;
    const stopped = simulateWithRecords({ ...base, events: [crash] }, { shouldStop: () => ++asked >= 6 });
    expect(json(model.results())).toBe(json(stopped.results));
  });
});
