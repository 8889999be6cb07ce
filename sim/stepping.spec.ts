// The stepping API: stepping gives run()'s Results byte for byte, an applied action is a timeline
// event at that time, and partial Results are a stopped run's (snapshots: stepping-snapshot.spec.ts).
import { describe, expect, it } from "vitest";
import { runtimeAction } from "../scenarios/runtime-command.js";
import type { CheckParams, Scenario, TimelineAction, TimelineEvent } from "../scenarios/types.js";
import type { RequestRecord } from "./run-types.js";
import { createModel } from "./stepping.js";
import { client, RUN_OPTIONS, scenario, server, simulate, simulateWithRecords } from "./test-support.js";

const OPTIONS = RUN_OPTIONS;

function check(fields: Partial<CheckParams> = {}): CheckParams {
  return {
    type: "tcp",
    interMs: 1000,
    fastinterMs: 1000,
    downinterMs: 1000,
    rise: 2,
    fall: 3,
    timeoutMs: null,
    ...fields,
  };
}

/** Three scenarios with failures: checks and crash/restore; errors, slow and a drain; users with retries. */
const SCENARIOS: ReadonlyArray<Scenario> = [
  scenario({
    durationMs: 9000,
    backend: {
      balance: "leastconn",
      timeout: { connectMs: 200, serverMs: 300, queueMs: 500 },
      redispatch: { interval: 1 },
      servers: ["s1", "s2", "s3"].map((n) => server(n, { check: check(), maxconn: 4 })),
    },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 300 } })],
    events: [
      { atMs: 2000, kind: "crash", server: "s1" },
      { atMs: 3300, kind: "hang", server: "s2" },
      { atMs: 6000, kind: "restore", server: "s1" },
      { atMs: 6500, kind: "restore", server: "s2" },
    ],
  }),
  scenario({
    durationMs: 8000,
    warmupMs: 1000,
    backend: {
      balance: "roundrobin",
      servers: [
        server("a", { check: check({ type: "http" }), weight: 2 }),
        server("b", { discipline: "ps", slots: 2 }),
      ],
    },
    events: [
      { atMs: 1500, kind: "errors", server: "a", rate: 0.5 },
      { atMs: 2500, kind: "slow", server: "b", factor: 4 },
      { atMs: 3000, kind: "spike", client: "c", factor: 3, forMs: 1000 },
      {
        atMs: 4000,
        kind: "runtime",
        text: "set server backend/a state drain",
        command: { op: "state", server: "a", state: "drain" },
      },
      { atMs: 5000, kind: "restore", server: "a" },
      { atMs: 5500, kind: "partition", server: "b" },
      { atMs: 7000, kind: "heal", server: "b" },
    ],
  }),
  scenario({
    durationMs: 6000,
    backend: { balance: "random(2)", servers: [server("u1"), server("u2", { speed: 0.5 })] },
    clients: [
      client("users", {
        arrivals: { kind: "users", count: 20, think: { kind: "exponential", meanMs: 50 } },
        timeoutMs: 80,
        retry: { count: 2, backoffMs: 10, maxBackoffMs: 100, jitter: 0.5 },
      }),
    ],
    events: [{ atMs: 2000, kind: "crash", server: "u2" }],
  }),
];

const json = (x: unknown) => JSON.stringify(x);

function stepped(s: Scenario, stops: Iterable<number>): string {
  const model = createModel(s, OPTIONS);
  for (const atMs of stops) model.advanceTo(atMs);
  model.advanceTo(s.durationMs);
  return json(model.results());
}

/** Times at which requests finished: each is the time of an event (a response, a timeout…). */
function finishTimes(records: ReadonlyArray<RequestRecord>): number[] {
  return [...new Set(records.map((r) => r.atMs + r.totalMs))].sort((a, b) => a - b);
}

describe("stepping gives run()'s Results", () => {
  SCENARIOS.forEach((s, index) => {
    it(`scenario ${index}: in one step, in small steps and stopping on event times`, () => {
      const { results, records } = simulateWithRecords(s);
      const once = json(results);
      expect(results.requests.failed).toBeGreaterThan(0);
      expect(stepped(s, [])).toBe(once);
      const small: number[] = [];
      for (let t = 0; t < s.durationMs; t += 37.25) small.push(t);
      expect(stepped(s, small)).toBe(once);
      const onEvents = finishTimes(records);
      expect(onEvents.length).toBeGreaterThan(100);
      // Stopping exactly on an event time, and again on the same time, changes nothing.
      expect(
        stepped(
          s,
          onEvents.flatMap((t) => [t, t]),
        ),
      ).toBe(once);
    });
  });

  it("refuses to go back in time and caps at the duration", () => {
    const model = createModel(SCENARIOS[0]!, OPTIONS);
    model.advanceTo(500);
    expect(() => model.advanceTo(499)).toThrow(/cannot advance to 499 ms/);
    model.advanceTo(1e9);
    expect(model.nowMs).toBe(9000);
    expect(json(model.results())).toBe(json(simulate(SCENARIOS[0]!)));
  });
});

describe("apply: an action now is a timeline event at now", () => {
  const base = scenario({
    durationMs: 7000,
    backend: { servers: ["s1", "s2"].map((n) => server(n, { check: check() })) },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 200 } })],
  });
  /** A time no check, bucket or arrival falls on: ties would order differently (see DOCS). */
  const AT_MS = 2345.5;
  const drain: TimelineAction = {
    kind: "runtime",
    text: "set server backend/s1 state drain",
    command: { op: "state", server: "s1", state: "drain" },
  };
  const weight: TimelineAction = {
    kind: "runtime",
    text: "set weight backend/s2 25%",
    command: { op: "weight", server: "s2", weight: 25, percent: true },
  };
  const cases: ReadonlyArray<[string, TimelineAction]> = [
    ["crash", { kind: "crash", server: "s1" }],
    ["hang", { kind: "hang", server: "s1" }],
    ["slow", { kind: "slow", server: "s2", factor: 5 }],
    ["errors", { kind: "errors", server: "s2", rate: 0.3 }],
    ["partition", { kind: "partition", server: "s1" }],
    ["reset", { kind: "reset", server: "s1" }],
    ["loss", { kind: "loss", server: "s2", rate: 0.5 }],
    ["refuse-first", { kind: "refuse-first", server: "s1", count: 20 }],
    ["drain", drain],
    ["weight", weight],
    ["rate", { kind: "rate", client: "c", ratePerSecond: 500 }],
    ["spike", { kind: "spike", client: "c", factor: 2, forMs: 1500 }],
  ];
  for (const [name, action] of cases) {
    it(`${name}, then a restore or heal later`, () => {
      const server = "server" in action ? action.server : "s1";
      const later: TimelineAction =
        action.kind === "partition" ? { kind: "heal", server } : { kind: "restore", server };
      const scheduled = simulate({
        ...base,
        events: [{ atMs: AT_MS, ...action } as TimelineEvent, { atMs: 4100.25, ...later } as TimelineEvent],
      });
      const model = createModel(base, OPTIONS);
      model.advanceTo(AT_MS);
      model.apply(action);
      model.advanceTo(4100.25);
      model.apply(later);
      model.advanceTo(base.durationMs);
      const applied = model.results();
      expect(applied.timeline.map((e) => e.atMs)).toContain(AT_MS);
      expect(json(applied)).toBe(json(scheduled));
    });
  }

  it("takes a runtime command as written and checks names", () => {
    const scheduled = simulate({ ...base, events: [{ atMs: AT_MS, ...drain } as TimelineEvent] });
    const model = createModel(base, OPTIONS);
    model.advanceTo(AT_MS);
    model.apply(runtimeAction("set server backend/s1 state drain", base));
    model.advanceTo(base.durationMs);
    expect(json(model.results())).toBe(json(scheduled));
    expect(() => model.apply({ kind: "crash", server: "nope" })).toThrow(/finished/);
    const other = createModel(base, OPTIONS);
    expect(() => other.apply({ kind: "crash", server: "nope" })).toThrow(/no server named "nope"/);
    expect(() => other.apply({ kind: "rate", client: "x", ratePerSecond: 1 })).toThrow(/no client named "x"/);
    expect(() => runtimeAction("set server backend/zz state drain", base)).toThrow(/runtime command/);
    expect(() => other.apply({ kind: "loss", server: "s1", rate: 1.3 })).toThrow(/loss: rate .* got 1.3/);
    expect(() => other.apply({ kind: "refuse-first", server: "s1", count: 0 })).toThrow(
      /refuse-first: count .* got 0/,
    );
  });
});

describe("results() before the end", () => {
  const s = SCENARIOS[0]!;
  /** A run stopped (as by Ctrl-C) after `slices` one-second slices. */
  const stoppedRun = (target: Scenario, slices: number) => {
    let asked = 0;
    return simulate(target, { shouldStop: () => ++asked >= slices });
  };

  it("are a stopped run's partial Results, and the model goes on to the full Results", () => {
    const model = createModel(s, OPTIONS);
    model.advanceTo(3000);
    const partial = model.results();
    expect(partial.partial).toBe(true);
    expect(partial.endedAtMs).toBe(3000);
    expect(json(partial)).toBe(json(stoppedRun(s, 3)));
    // Asking twice gives the same, and collecting did not disturb the model.
    expect(json(model.results())).toBe(json(partial));
    model.advanceTo(s.durationMs);
    expect(json(model.results())).toBe(json(simulate(s)));
  });

  it("replay the actions applied so far", () => {
    const model = createModel(s, OPTIONS);
    model.advanceTo(1234.5);
    model.apply({ kind: "crash", server: "s3" });
    model.advanceTo(4000);
    const withEvent: Scenario = {
      ...s,
      events: [...s.events, { atMs: 1234.5, kind: "crash", server: "s3" } as TimelineEvent].sort(
        (a, b) => a.atMs - b.atMs,
      ),
    };
    expect(json(model.results())).toBe(json(stoppedRun(withEvent, 4)));
  });

  it("finish() ends the model where it is", () => {
    const model = createModel(s, OPTIONS);
    model.advanceTo(2000);
    expect(json(model.finish())).toBe(json(stoppedRun(s, 2)));
    expect(() => model.advanceTo(3000)).toThrow(/finished/);
  });
});
