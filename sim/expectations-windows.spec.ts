// Expectations on time windows, on the failover window (detected/recovered/downtime), and the bare-number rule for ratios.
import { describe, expect, it } from "vitest";
import { parseExpectation } from "../scenarios/expectation-grammar.js";
import {
  checkExpectations,
  type Expectation,
  failoverMetric,
  metricValue,
  serversOf,
  windowsOf,
} from "./expectations.js";
import type { Results, StateChange, TimelineEntry, WindowResults } from "./results.js";

function parsed(text: string): Expectation {
  const e = parseExpectation(text);
  if ("error" in e) throw new Error(e.error);
  return e;
}

const left = (text: string) => parsed(text).left;

const latency = (p99Ms: number) => ({ meanMs: 1, p50Ms: 1, p90Ms: 1, p99Ms, p999Ms: p99Ms, maxMs: p99Ms });

function window(
  fromMs: number,
  toMs: number,
  fields: Partial<WindowResults["requests"]> = {},
): WindowResults {
  return {
    fromMs,
    toMs,
    requests: {
      total: 200,
      ok: 150,
      failed: 50,
      unfinished: 0,
      byStatus: { "200": 150, "503": 20, "504": 30 },
      byTermination: { "--": 150, SC: 20, sH: 30 },
      retried: 10,
      redispatched: 4,
      ...fields,
    },
    latency: latency(40),
    queue: { meanMs: 2, p99Ms: 9 },
    servers: { web02: 150 },
  };
}

/** A 20 s run, whole-run figures unlike every window's, with a server web02 and the given timeline. */
function results(parts: {
  windows?: WindowResults[];
  states?: StateChange[];
  timeline?: TimelineEntry[];
  endedAtMs?: number;
}): Results {
  return {
    scenario: "t",
    seed: 1,
    strategy: "roundrobin",
    durationMs: 20_000,
    warmupMs: 0,
    ...(parts.endedAtMs === undefined ? {} : { partial: true, endedAtMs: parts.endedAtMs }),
    requests: {
      total: 1000,
      ok: 1000,
      failed: 0,
      unfinished: 0,
      warmup: 0,
      byStatus: { "200": 1000 },
      byTermination: { "--": 1000 },
      retried: 0,
      redispatched: 0,
    },
    latency: latency(10),
    latencyDistribution: { percentiles: [], valuesMs: [] },
    queue: { meanMs: 0, p99Ms: 0, maxBackendQueue: 0 },
    wait: { meanMs: 0, p99Ms: 0 },
    offeredLoad: [],
    servers: [
      {
        name: "web02",
        requests: 1000,
        share: 1,
        waitMeanMs: 0,
        utilization: 0.1,
        maxInFlight: 1,
        maxQueued: 0,
        states: parts.states ?? [{ atMs: 0, state: "UP" }],
        attempts: 0,
        picks: 0,
        retries: 0,
        redispatches: 0,
        connectErrors: 0,
        responseErrors: 0,
        serverErrors: 0,
        checksFailed: 0,
        downs: 0,
        weight: 1,
        weightAtEnd: 1,
        backup: false,
        inFlightAtEnd: 0,
        queuedAtEnd: 0,
        downtimeMs: 0,
      },
    ],
    series: {
      bucketMs: 1000,
      atMs: [],
      requests: [],
      errors: [],
      p50Ms: [],
      p99Ms: [],
      inFlight: {},
      backendQueue: [],
      p90Ms: [],
      errorsByStatus: {},
      errorsByTermination: {},
      serverRequests: {},
      queued: {},
      checksFailed: {},
    },
    checks: [],
    timeline: parts.timeline ?? [],
    ...(parts.windows === undefined ? {} : { windows: parts.windows }),
    engine: { events: 0, wallMs: 0 },
  };
}

describe("time windows in expectations", () => {
  it("reads during, after and before as [from, to) of simulated time, after running to the end", () => {
    expect(left("errors during 10s..20s == 0").window).toEqual({ fromMs: 10_000, toMs: 20_000 });
    expect(left("p99 after 18s < 50ms").window).toEqual({ fromMs: 18_000, toMs: null });
    expect(left("status(503) before 5s < 1%").window).toEqual({ fromMs: 0, toMs: 5000 });
    expect(left("status(503) before 5s < 1%")).toMatchObject({ name: "status", argument: "503" });
    expect(left("p99 < 50ms").window).toBeNull();
    expect(left("queue.p99 during 1500ms..2.5s < 1s").window).toEqual({ fromMs: 1500, toMs: 2500 });
  });

  it("keeps a strategy prefix, and lets the right-hand side have its own window", () => {
    expect(left("leastconn.p99 after 18s < 50ms")).toMatchObject({
      strategy: "leastconn",
      name: "p99",
      window: { fromMs: 18_000, toMs: null },
    });
    const e = parsed("p99 after 10s < p99 before 5s");
    expect(e.op !== "in" && e.right).toMatchObject({ kind: "metric", window: { fromMs: 0, toMs: 5000 } });
    expect(parsed("errors during 5s..8s in 0..1%").op).toBe("in");
  });

  it("lists each window once, `after` ending at the run's end (what the run must tally)", () => {
    const lines = [
      "errors during 10s..20s == 0",
      "p99 after 18s < 50ms",
      "failed during 10s..20s < 3",
      "p99 < 1s",
    ];
    expect(windowsOf(lines.map(parsed), 30_000)).toEqual([
      { fromMs: 10_000, toMs: 20_000 },
      { fromMs: 18_000, toMs: 30_000 },
    ]);
    expect(windowsOf([parsed("p99 < 1s")], 30_000)).toEqual([]);
  });

  it("rejects an empty window, a time without its unit, and a window on a metric that is not counted over requests", () => {
    expect(parseExpectation("errors during 20s..10s == 0")).toMatchObject({
      error: expect.stringContaining("empty"),
    });
    expect(parseExpectation("errors during 10s..10s == 0")).toMatchObject({
      error: expect.stringContaining("empty"),
    });
    expect(parseExpectation("errors before 0s == 0")).toMatchObject({
      error: expect.stringContaining("empty"),
    });
    expect(parseExpectation("errors after 10 == 0")).toMatchObject({
      error: expect.stringContaining("unit"),
      hint: "write 10s or 10ms",
    });
    const busy = parseExpectation("utilization(web01) after 10s > 10%");
    expect(busy).toMatchObject({ error: expect.stringContaining("utilization takes no time window") });
    expect(busy).toMatchObject({ error: expect.stringContaining("p99") });
    expect(left("share(web01) after 10s > 10%").window).toEqual({ fromMs: 10_000, toMs: null });
    expect(parseExpectation("detected(web01) after 10s < 3s")).toHaveProperty("error");
  });

  it("reads each request metric from the window's tally, not from the whole run", () => {
    const r = results({
      windows: [window(5000, 8000), window(18_000, 20_000, { total: 0, ok: 0, failed: 0 })],
    });
    const during = { fromMs: 5000, toMs: 8000 };
    expect(metricValue(r, "errors", null, during)).toBe(0.25);
    expect(metricValue(r, "errors", null)).toBe(0);
    expect(metricValue(r, "failed", null, during)).toBe(50);
    expect(metricValue(r, "requests", null, during)).toBe(200);
    expect(metricValue(r, "status", "504", during)).toBe(0.15);
    expect(metricValue(r, "termination", "SC", during)).toBe(0.1);
    expect(metricValue(r, "retried", null, during)).toBe(0.05);
    expect(metricValue(r, "redispatched", null, during)).toBe(0.02);
    expect(metricValue(r, "p99", null, during)).toBe(40);
    expect(metricValue(r, "queue.p99", null, during)).toBe(9);
    // `after 18s` is [18 s, duration): the entry the run wrote with toMs = 20 s.
    expect(metricValue(r, "errors", null, { fromMs: 18_000, toMs: null })).toBe(0);
    // A window the run did not tally has no value.
    expect(metricValue(r, "errors", null, { fromMs: 1000, toMs: 2000 })).toBeUndefined();
  });

  it("gives a server's share of what its backend's servers finished in the window", () => {
    const base = results({
      windows: [{ ...window(5000, 8000), servers: { "a/web02": 150, "a/web03": 50, "b/x": 600 } }],
    });
    const server = base.servers[0]!;
    const r: Results = {
      ...base,
      servers: [
        { ...server, name: "a/web02", backend: "a" },
        { ...server, name: "a/web03", backend: "a" },
        { ...server, name: "b/x", backend: "b" },
      ],
    };
    const during = { fromMs: 5000, toMs: 8000 };
    expect(metricValue(r, "share", "a/web02", during)).toBe(0.75);
    expect(metricValue(r, "share", "b/x", during)).toBe(1);
    expect(metricValue(r, "share", "a/web09", during)).toBeUndefined();
  });

  it("judges a window's latency on its lower bound when some of its requests are still waiting", () => {
    const stuck = { ...window(5000, 8000, { unfinished: 3 }), latencyLowerBound: latency(12_000) };
    const r = results({ windows: [stuck] });
    expect(metricValue(r, "p99", null, { fromMs: 5000, toMs: 8000 })).toBe(12_000);
    const [check] = checkExpectations([parsed("p99 during 5s..8s < 1s")], new Map(), r);
    expect(check).toMatchObject({ pass: false, actual: 12_000 });
  });

  it("checks a windowed expectation against its window", () => {
    const r = results({ windows: [window(5000, 8000)] });
    const checks = checkExpectations(
      [parsed("errors during 5s..8s < 30%"), parsed("errors during 5s..8s == 0"), parsed("errors == 0")],
      new Map([["roundrobin", r]]),
      r,
    );
    expect(checks.map((c) => [c.pass, c.actual])).toEqual([
      [true, 0.25],
      [false, 0.25],
      [true, 0],
    ]);
  });
});

/** web02 crashes at 5 s, is DOWN at 7.333 s, restored at 12 s, UP at 13.333 s (failover.yaml's checks). */
const failover = results({
  timeline: [
    { atMs: 5000, action: "crash", server: "web02", text: "crash web02" },
    { atMs: 12_000, action: "restore", server: "web02", text: "restore web02" },
  ],
  states: [
    { atMs: 0, state: "UP 1/3" },
    { atMs: 333.333, state: "UP" },
    { atMs: 5333.333, state: "UP 2/3" },
    { atMs: 6333.333, state: "UP 1/3" },
    { atMs: 7333.333, state: "DOWN" },
    { atMs: 12_333.333, state: "DOWN 1/2" },
    { atMs: 13_333.333, state: "UP" },
  ],
});

describe("detected, recovered and downtime", () => {
  it("are times that take a server", () => {
    expect(left("detected(web02) < 3s")).toMatchObject({ name: "detected", argument: "web02", unit: "time" });
    expect(serversOf(parsed("recovered(web02) < 2s"))).toEqual(["web02"]);
    expect(serversOf(parsed("downtime(web02) < 7s"))).toEqual(["web02"]);
    expect(parseExpectation("detected < 3s")).toMatchObject({
      error: expect.stringContaining("needs an argument"),
    });
  });

  it("measure from the crash to DOWN, from the restore to UP, and the time DOWN", () => {
    expect(metricValue(failover, "detected", "web02")).toBe(2333.333);
    expect(metricValue(failover, "recovered", "web02")).toBe(1333.333);
    expect(metricValue(failover, "downtime", "web02")).toBe(6000);
  });

  it("take the first break, and the first restore after it", () => {
    const twice = results({
      timeline: [
        { atMs: 1000, action: "restore", server: "web02", text: "restore web02" },
        { atMs: 2000, action: "slow", server: "web02", text: "slow web02 ×4" },
        { atMs: 3000, action: "hang", server: "web02", text: "hang web02" },
        { atMs: 6000, action: "heal", server: "web02", text: "heal web02" },
        { atMs: 10_000, action: "partition", server: "web02", text: "partition web02" },
        { atMs: 15_000, action: "heal", server: "web02", text: "heal web02" },
      ],
      states: [
        { atMs: 0, state: "UP" },
        { atMs: 5000, state: "DOWN" },
        { atMs: 7000, state: "UP" },
        { atMs: 12_500, state: "DOWN" },
        { atMs: 16_000, state: "UP" },
      ],
    });
    expect(metricValue(twice, "detected", "web02")).toBe(2000);
    expect(metricValue(twice, "recovered", "web02")).toBe(1000);
    expect(metricValue(twice, "downtime", "web02")).toBe(2000 + 3500);
  });

  it("count MAINT as down time and DRAIN or NOLB as in service, as HAProxy's downtime counter does", () => {
    const r = results({
      states: [
        { atMs: 0, state: "UP" },
        { atMs: 1000, state: "DRAIN" },
        { atMs: 2000, state: "MAINT" },
        { atMs: 5000, state: "UP" },
        { atMs: 6000, state: "NOLB" },
        { atMs: 8000, state: "DOWN" },
      ],
    });
    expect(metricValue(r, "downtime", "web02")).toBe(3000 + 12_000);
    // A run stopped early counts down time to where it stopped.
    expect(metricValue({ ...r, endedAtMs: 10_000 }, "downtime", "web02")).toBe(3000 + 2000);
  });

  it("have no value when the server never went DOWN, and the line then fails saying so", () => {
    const undetected = results({
      timeline: [{ atMs: 5000, action: "errors", server: "web02", text: "errors web02 5%" }],
      states: [
        { atMs: 0, state: "UP" },
        { atMs: 6000, state: "UP 2/3" },
        { atMs: 7000, state: "UP" },
      ],
    });
    expect(metricValue(undetected, "detected", "web02")).toBeUndefined();
    expect(failoverMetric(undetected, "detected", "web02").note).toContain("never detected");
    const checks = checkExpectations(
      [parsed("detected(web02) < 3s"), parsed("recovered(web02) < 3s"), parsed("detected(web02) > 1s")],
      new Map(),
      undetected,
    );
    expect(checks.map((c) => c.pass)).toEqual([false, false, false]);
    expect(checks[0]!.note).toContain('never marked DOWN after "errors web02 5%" at 5s');
    expect(checks[1]!.note).toContain("never restored");
    const unbroken = checkExpectations([parsed("detected(web02) < 3s")], new Map(), results({}));
    expect(unbroken[0]).toMatchObject({ pass: false, note: expect.stringContaining("never broke") });
  });

  it("do not take an errors event at 0% for a break", () => {
    const r = results({
      timeline: [{ atMs: 5000, action: "errors", server: "web02", text: "errors web02 0%" }],
      states: [{ atMs: 0, state: "UP" }],
    });
    expect(failoverMetric(r, "detected", "web02").note).toContain("never broke");
  });
});

describe("a bare number next to a ratio", () => {
  it("is bad input above 1, with the percentage it surely meant", () => {
    expect(parseExpectation("errors < 5")).toMatchObject({
      error: expect.stringContaining("errors is a ratio"),
      hint: "did you mean 5%?",
    });
    expect(parseExpectation("share(a) in 45..55")).toMatchObject({ hint: "did you mean 45%..55%?" });
    expect(parseExpectation("share(a) in 0..55")).toMatchObject({ hint: "did you mean 0..55%?" });
    expect(parseExpectation("status(503) during 1s..2s <= 2")).toMatchObject({ hint: "did you mean 2%?" });
  });

  it("is a fraction up to 1, and counts and times keep their bare numbers", () => {
    expect(left("errors < 0.05").unit).toBe("ratio");
    expect(parsed("errors <= 1").op).toBe("<=");
    expect(parsed("share(a) in 0.45..0.55").op).toBe("in");
    expect(parsed("failed < 5").op).toBe("<");
    expect(parsed("p99 < 300").op).toBe("<");
    expect(parsed("maxinflight(a) <= 16").op).toBe("<=");
  });
});
