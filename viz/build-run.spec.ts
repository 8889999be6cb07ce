// Spec of viz/build-run.ts with viz/build-health.ts: a real run's view, its health, failover windows, stats and headline.
import { describe, expect, it } from "vitest";
import type { Results } from "../sim/index.js";
import { scenario, server, simulate } from "../sim/test-support.js";
import { runView } from "./build-run.js";
import { failoverRuns, failoverScenario, nonFinite } from "./build-test-support.js";
import { variantColor } from "./palette.js";

describe("runView", () => {
  const [results] = failoverRuns([1]);
  if (results === undefined) throw new Error("no run");
  const view = runView({ results, file: "f.yaml", description: "d" }, "lbsim test");
  const section = view.sections[0]!;
  const backend = section.backends[0]!;
  const s2 = results.servers.find((s) => s.name === "s2")!;
  const downAt = s2.states.find((c) => c.state === "DOWN")!.atMs;
  const upAt = s2.states.find((c) => c.atMs > downAt && c.state === "UP")!.atMs;

  it("has one section with the run's strategy as its only variant, coloured by the palette", () => {
    expect(view.kind).toBe("run");
    expect(section.variants).toEqual([{ name: "roundrobin", color: variantColor(0) }]);
    expect(section.seeds).toEqual([1]);
    expect(section.file).toBe("f.yaml");
  });

  it("has a failover window from the crash to s2's DOWN to its next UP, as its states say", () => {
    expect(section.latency.failover).toEqual([
      { server: "s2", variant: "roundrobin", actionMs: 5000, downMs: downAt, upMs: upAt, endMs: upAt },
    ]);
    // The restore does not open a window; the window is shared by every time chart.
    expect(section.errors.failover).toEqual(section.latency.failover);
    expect(backend.load.failover).toEqual(section.latency.failover);
  });

  it("opens a window for the network faults too: refuse-first, reset, loss (one per action, DOWN if it came)", () => {
    const base = failoverScenario(1);
    const faulty = simulate({
      ...base,
      events: [
        { atMs: 5000, kind: "refuse-first", server: "s2", count: 10_000 },
        { atMs: 12_000, kind: "reset", server: "s3" },
        { atMs: 15_000, kind: "loss", server: "s1", rate: 0.1 },
      ],
    });
    const windows = runView({ results: faulty, file: "f.yaml", description: "d" }, "lbsim test").sections[0]!
      .latency.failover;
    expect(windows.map((w) => `${w.server} ${w.actionMs}`)).toEqual(["s2 5000", "s3 12000", "s1 15000"]);
    // s2's refused checks mark it DOWN (fall 3); TCP checks pass on a reset server (L4OK): no DOWN.
    const s2Down = faulty.servers
      .find((s) => s.name === "s2")!
      .states.find((c) => c.atMs >= 5000 && c.state === "DOWN");
    expect(windows[0]!.downMs).toBe(s2Down!.atMs);
    expect(windows[1]!.downMs).toBeNull();
  });

  it("ends a window at the restore when the fault ended before any DOWN (a lossy link checks never saw)", () => {
    const base = failoverScenario(1);
    const lossy = simulate({
      ...base,
      events: [
        { atMs: 5000, kind: "loss", server: "s1", rate: 0.3 },
        { atMs: 9000, kind: "restore", server: "s1" },
      ],
    });
    expect(lossy.servers.find((s) => s.name === "s1")!.states.some((c) => c.state === "DOWN")).toBe(false);
    const [window] = runView({ results: lossy, file: "f.yaml", description: "d" }, "lbsim test").sections[0]!
      .latency.failover;
    expect(window).toMatchObject({ server: "s1", actionMs: 5000, downMs: null, upMs: null, endMs: 9000 });
  });

  it("has health spans covering [0, end] without gaps, in the states' order", () => {
    for (const lane of backend.health.lanes) {
      expect(lane.spans[0]!.fromMs).toBe(0);
      expect(lane.spans[lane.spans.length - 1]!.toMs).toBe(results.durationMs);
      for (let i = 1; i < lane.spans.length; i++) expect(lane.spans[i]!.fromMs).toBe(lane.spans[i - 1]!.toMs);
    }
    const lane = backend.health.lanes.find((l) => l.server === "s2")!;
    expect(lane.spans.map((s) => s.state)).toEqual(s2.states.map((c) => c.state));
    expect(lane.spans.find((s) => s.state === "DOWN")).toEqual({
      fromMs: downAt,
      toMs: expect.any(Number),
      state: "DOWN",
    });
  });

  it("marks s2's three failed checks (fall 3) at its states' changes, by bucket", () => {
    const lane = backend.health.lanes.find((l) => l.server === "s2")!;
    const counted = lane.failedChecks.reduce((sum, f) => sum + f.count, 0);
    // Without series.checksFailed: UP → UP 2/3 → UP 1/3 → DOWN, the three checks of `fall 3`, as the run counted them.
    expect(counted).toBe(3);
    expect(counted).toBe(s2.checksFailed);
    expect(lane.failedChecks.every((f) => f.atMs % results.series.bucketMs === 0)).toBe(true);
    expect(backend.health.lanes.find((l) => l.server === "s1")!.failedChecks).toEqual([]);
  });

  it("takes series.checksFailed when the Results have it", () => {
    const checksFailed = {
      s1: results.series.atMs.map(() => 0),
      s2: results.series.atMs.map((_, i) => (i === 6 ? 2 : 0)),
      s3: results.series.atMs.map(() => 0),
    };
    const withSeries = { ...results, series: { ...results.series, checksFailed } };
    const lanes = runView({ results: withSeries }, "t").sections[0]!.backends[0]!.health.lanes;
    expect(lanes.find((l) => l.server === "s2")!.failedChecks).toEqual([
      { atMs: results.series.atMs[6], count: 2 },
    ]);
  });

  it("takes the stats row's downtime, sessions and last check from the server's Results", () => {
    const row = backend.stats.find((r) => r.server === "s2")!;
    const s2Results = results.servers.find((s) => s.name === "s2")!;
    // DOWN from downAt, `DOWN 1/2` from the first passing check, UP at upAt: all of it is DOWN.
    expect(row.downtimeMs).toBeCloseTo(upAt - downAt, 6);
    expect(row.status).toBe("UP");
    expect([row.sessionsCur, row.queueCur, row.lastCheck]).toEqual([
      s2Results.inFlightAtEnd,
      s2Results.queuedAtEnd,
      s2Results.lastCheck,
    ]);
    expect(row.sessionsTotal).toBe(s2.attempts);
  });

  it("says in its headline the expectations' verdict, the p99 and the DOWN episode", () => {
    const checked = {
      ...results,
      checks: [
        { name: "errors < 1%", pass: true, actual: 0, limit: 0.01 },
        { name: "p99 < 1ms", pass: false, actual: 20, limit: 1 },
      ],
    };
    const headline = runView({ results: checked }, "t").sections[0]!.headline;
    expect(headline[0]).toMatch(/^1 of 2 expectations fail \(`p99 < 1ms`\); p99 \d[\d.]* m?s/);
    expect(headline[1]).toBe(
      `s2 was DOWN from ${Number((downAt / 1000).toFixed(1))} s to ${Number((upAt / 1000).toFixed(1))} s.`,
    );
  });

  it("counts a server's DOWN episodes rather than listing each", () => {
    const states = [
      { atMs: 0, state: "UP" },
      { atMs: 2000, state: "DOWN" },
      { atMs: 3000, state: "DOWN 1/2" },
      { atMs: 4000, state: "UP" },
      { atMs: 9000, state: "DOWN" },
    ];
    const flapping = {
      ...results,
      servers: results.servers.map((s) => (s.name === "s2" ? { ...s, states } : s)),
    };
    expect(runView({ results: flapping }, "t").sections[0]!.headline[1]).toBe(
      "s2 was DOWN 2 times, first from 2 s to 4 s.",
    );
  });

  it("keeps idle buckets recognisable: latency 0 where no request finished, with the bucket's requests 0", () => {
    const sparse = simulate(
      scenario({
        durationMs: 5000,
        bucketMs: 50,
        clients: [{ ...scenario().clients[0]!, arrivals: { kind: "poisson", ratePerSecond: 5 } }],
      }),
    );
    const line = runView({ results: sparse }, "t").sections[0]!.latency.lines[0]!;
    const idle = sparse.series.requests.map((n) => n === 0);
    expect(idle.filter(Boolean).length).toBeGreaterThan(10);
    expect(line.requests!.mean.map((n) => n === 0)).toEqual(idle);
    idle.forEach((isIdle, i) => {
      if (isIdle) expect(line.p99.mean[i]).toBe(0);
      else expect(line.p99.mean[i]).toBeGreaterThan(0);
    });
  });

  it("opens its summary with the run's figures: throughput over the steady state, errors as a share", () => {
    const byKey = Object.fromEntries(section.summary.map((r) => [r.key, r.values[0]]));
    expect(section.summary.map((r) => r.label)).toEqual([
      "requests",
      "throughput",
      "errors",
      "unfinished",
      "mean",
      "p50",
      "p90",
      "p99",
      "p99.9",
      "max",
      "queue mean",
      "retried",
      "redispatched",
    ]);
    expect(byKey.requests).toBe(results.requests.total);
    // No warm-up: the steady state is the whole 20 s.
    expect(byKey.throughput).toBeCloseTo(results.requests.total / 20, 3);
    expect(byKey.errors).toBeCloseTo(results.requests.failed / results.requests.total, 5);
    expect(byKey.p99).toBeCloseTo(results.latency.p99Ms, 2);
    expect(byKey.redispatched).toBe(results.requests.redispatched);
    expect(section.summary.every((r) => r.ci95 === undefined && r.verdict === undefined)).toBe(true);
  });

  it("round-trips through JSON: no NaN or Infinity, nothing lost", () => {
    expect(nonFinite(view)).toEqual([]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it("gives one section per backend with several, each its own servers", () => {
    const two = simulate(
      scenario({
        backend: { servers: [server("s1"), server("s2")] },
      }),
    );
    expect(runView({ results: two }, "t").sections[0]!.backends.map((b) => b.name)).toEqual([
      two.offeredLoad[0]!.backend,
    ]);
    // Results.backends as a scenario with two backends writes it (only the fields the view reads matter).
    const backend = (name: string, servers: string[]) => ({
      name,
      strategy: "roundrobin",
      servers,
      requests: { total: 0, ok: 0, failed: 0, share: 0, byStatus: {} },
      latency: two.latency,
      queue: two.queue,
    });
    const split: Results = { ...two, backends: [backend("a", ["s1"]), backend("b", ["s2"])] };
    const backends = runView({ results: split }, "t").sections[0]!.backends;
    expect(backends.map((b) => [b.name, b.shares.servers.map((s) => s.name)])).toEqual([
      ["a", ["s1"]],
      ["b", ["s2"]],
    ]);
  });
});
