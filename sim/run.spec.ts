// run(): invariants of Results and per-request records over random small scenarios (fast-check), and
// determinism (DESIGN.md "Principles", "Results"; STYLE.md "Tests").
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../scenarios/types.js";
import { scenarioArb } from "./arbitraries-test-support.js";
import type { Results } from "./results.js";
import type { RequestRecord } from "./run-types.js";
import { client, scenario, server, simulate, simulateWithRecords, withAbortOnClose } from "./test-support.js";

const RUNS = { numRuns: 200 };

// --- the invariants -----------------------------------------------------------------------------

const sum = (xs: Iterable<number>) => {
  let n = 0;
  for (const x of xs) n += x;
  return n;
};

/** Statuses under which the load balancer must not give the server a new request (§4.2 table). */
const UNUSABLE = /^(DOWN|MAINT|DRAIN|NOLB)/;

function unusableSpans(states: Results["servers"][number]["states"]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  states.forEach((change, i) => {
    if (!UNUSABLE.test(change.state)) return;
    const next = states[i + 1];
    spans.push([change.atMs, next === undefined ? Number.POSITIVE_INFINITY : next.atMs]);
  });
  return spans;
}

function checkAccounting(s: Scenario, results: Results, records: RequestRecord[]): void {
  const r = results.requests;
  expect(r.total).toBe(r.ok + r.failed);
  expect(sum(Object.values(r.byStatus))).toBe(r.total);
  expect(sum(Object.values(r.byTermination))).toBe(r.total);
  // Every finished request is reported once.
  expect(records.length).toBe(r.total);
  expect(new Set(records.map((x) => x.id)).size).toBe(records.length);
  expect(r.ok).toBe(records.filter((x) => x.status >= 100 && x.status < 400).length);
  expect(r.retried).toBe(records.filter((x) => x.retries > 0).length);
  expect(r.redispatched).toBe(records.filter((x) => x.redispatched).length);
  // The time series sees every finished request, the last bucket included.
  expect(sum(results.series.requests)).toBe(records.length);
  expect(sum(results.series.errors)).toBe(records.filter((x) => x.status === -1 || x.status >= 500).length);
  expect(results.series.atMs.length).toBe(Math.ceil(s.durationMs / s.bucketMs));
  checkSeriesBreakdowns(results, records);
  // Shares: each server's finished requests over all that had a server.
  const withServer = records.filter((x) => x.server !== "").length;
  expect(sum(results.servers.map((x) => x.requests))).toBe(withServer);
  const shares = sum(results.servers.map((x) => x.share));
  if (withServer === 0) expect(shares).toBe(0);
  else expect(Math.abs(shares - 1)).toBeLessThan(1e-5);
}

/** Series' errors by status and termination, and requests and queue per server, against the records. */
function checkSeriesBreakdowns(results: Results, records: RequestRecord[]): void {
  const series = results.series;
  const buckets = series.atMs.length;
  const failed = records.filter((x) => x.status === -1 || x.status >= 500);
  const tally = (keys: string[]) => {
    const out: Record<string, number> = {};
    for (const key of keys) out[key] = (out[key] ?? 0) + 1;
    return out;
  };
  const totals = (by: Readonly<Record<string, ReadonlyArray<number>>>) =>
    Object.fromEntries(Object.entries(by).map(([key, counts]) => [key, sum(counts)]));
  // Only keys that occur, each with its run total.
  expect(totals(series.errorsByStatus)).toEqual(tally(failed.map((x) => String(x.status))));
  expect(totals(series.errorsByTermination)).toEqual(tally(failed.map((x) => x.termination.slice(0, 2))));
  const servers = results.servers.map((x) => x.name);
  expect(Object.keys(series.serverRequests)).toEqual(servers);
  expect(Object.keys(series.queued)).toEqual(servers);
  expect(totals(series.serverRequests)).toEqual(
    Object.fromEntries(servers.map((name) => [name, records.filter((x) => x.server === name).length])),
  );
  const column = (by: Readonly<Record<string, ReadonlyArray<number>>>, b: number) =>
    sum(Object.values(by).map((counts) => counts[b]!));
  for (const counts of [
    series.p90Ms,
    ...Object.values(series.errorsByStatus),
    ...Object.values(series.errorsByTermination),
    ...Object.values(series.serverRequests),
    ...Object.values(series.queued),
  ])
    expect(counts.length).toBe(buckets);
  for (let b = 0; b < buckets; b++) {
    expect(column(series.errorsByStatus, b)).toBe(series.errors[b]);
    expect(column(series.errorsByTermination, b)).toBe(series.errors[b]);
    expect(column(series.serverRequests, b)).toBeLessThanOrEqual(series.requests[b]!);
    expect(series.p50Ms[b]).toBeLessThanOrEqual(series.p90Ms[b]!);
    expect(series.p90Ms[b]).toBeLessThanOrEqual(series.p99Ms[b]!);
  }
  if (records.every((x) => x.server !== ""))
    expect(sum(Object.values(totals(series.serverRequests)))).toBe(sum(series.requests));
  results.servers.forEach((out) => {
    for (const q of series.queued[out.name]!) {
      expect(q).toBeGreaterThanOrEqual(0);
      expect(q).toBeLessThanOrEqual(out.maxQueued);
    }
  });
}

function checkServers(s: Scenario, results: Results): void {
  results.servers.forEach((out, i) => {
    const spec = s.backend.servers[i]!;
    if (spec.maxconn > 0) expect(out.maxInFlight).toBeLessThanOrEqual(spec.maxconn);
    // A server's own queue: only behind maxconn, and never beyond maxqueue (503 SQ instead).
    if (spec.maxconn === 0) expect(out.maxQueued).toBe(0);
    if (spec.maxqueue > 0) expect(out.maxQueued).toBeLessThanOrEqual(spec.maxqueue);
    expect(results.series.inFlight[spec.name]!.length).toBe(results.series.atMs.length);
    expect(out.utilization).toBeGreaterThanOrEqual(0);
    expect(out.utilization).toBeLessThanOrEqual(1 + 1e-9);
    expect(out.states[0]!.atMs).toBe(0);
    // The end-of-run stats row: configuration as given, counters within their maxima.
    expect(out.weight).toBe(spec.weight);
    expect(out.backup).toBe(spec.backup);
    expect(out.inFlightAtEnd).toBeLessThanOrEqual(out.maxInFlight);
    expect(out.queuedAtEnd).toBeLessThanOrEqual(out.maxQueued);
    expect(out.downtimeMs).toBeGreaterThanOrEqual(0);
    expect(out.downtimeMs).toBeLessThanOrEqual(results.endedAtMs ?? results.durationMs);
    if (spec.check === null) expect(out.lastCheck).toBeUndefined();
    const failedChecks = results.series.checksFailed[out.name]!;
    expect(failedChecks.length).toBe(results.series.atMs.length);
    expect(failedChecks.reduce((a, b) => a + b, 0)).toBe(out.checksFailed);
    for (let k = 1; k < out.states.length; k++) {
      expect(out.states[k]!.atMs).toBeGreaterThanOrEqual(out.states[k - 1]!.atMs);
      expect(out.states[k]!.state).not.toBe(out.states[k - 1]!.state);
    }
  });
}

const TERMINATION_STATUS: Record<string, number[]> = {
  "--": [200, 500],
  SC: [503],
  sC: [503],
  sQ: [503],
  SQ: [503],
  sH: [504],
  SH: [502],
  CQ: [-1],
  CC: [-1],
  CH: [-1],
  CR: [-1],
};

/** What is wrong with a record, or "" (plain checks: this runs for every record of every case). */
function recordProblem(s: Scenario, x: RequestRecord): string {
  const eps = 1e-6;
  if (!(x.totalMs >= 0)) return "negative totalMs";
  if (x.atMs > s.durationMs || x.atMs + x.totalMs > s.durationMs + eps) return "outside the run";
  for (const t of [x.queueMs, x.connectMs, x.responseMs]) {
    if (t !== -1 && !(t >= 0 && t <= x.totalMs + eps)) return `timer ${t} outside [0, totalMs]`;
  }
  const code = x.termination.slice(0, 2);
  if (x.termination.slice(2) !== "--") return "termination not ending in --";
  if (!TERMINATION_STATUS[code]?.includes(x.status)) return `status ${x.status} with ${x.termination}`;
  if (code === "--") {
    if (x.server === "" || x.connectMs < 0 || x.responseMs < 0) return "answered without server or timers";
    // Tw, Tc and Tr are consecutive stages of Ta (§6).
    if (x.queueMs + x.connectMs + x.responseMs > x.totalMs + eps) return "Tw + Tc + Tr > Ta";
  } else if (x.responseMs !== -1) return "Tr set on an error";
  if (code === "SQ" && !s.backend.servers.some((v) => v.name === x.server && v.maxqueue > 0))
    return "SQ without maxqueue";
  if (x.retries < 0 || x.retries > s.backend.retries) return `retries ${x.retries}`;
  if (x.redispatched && x.retries < 1) return "redispatched without a retry";
  return "";
}

/** A request that arrived after a server became unusable, and ended before it was usable again, never used it. */
function checkNeverOnUnusable(s: Scenario, results: Results, records: RequestRecord[]): void {
  const eps = 1e-3; // status times are rounded to the microsecond
  const spans = new Map(results.servers.map((x) => [x.name, unusableSpans(x.states)] as const));
  for (const x of records) {
    if (x.server === "") continue;
    // Picked on arrival: accepted at once, never queued, connected on the first try.
    const pickedOnArrival =
      s.frontend.maxconn === 0 && x.queueMs <= 0 && x.retries === 0 && x.connectMs === 0;
    for (const [from, to] of spans.get(x.server)!) {
      const inside = x.atMs > from + eps && x.atMs + x.totalMs < to - eps;
      const pickedInside = pickedOnArrival && x.atMs > from + eps && x.atMs < to - eps;
      if (inside || pickedInside) {
        throw new Error(`request ${x.id} (${x.atMs}+${x.totalMs}) used ${x.server}, unusable ${from}..${to}`);
      }
    }
  }
}

// The invariants that pair each finished request with one record run with `abortonclose`: without
// it a request whose client gave up ends twice (the client's view in Results, HAProxy's in its
// record), which sim/run-give-up.spec.ts checks.
describe("run over random scenarios", () => {
  it("accounts for every request: total = ok + failed, Σ byStatus = Σ byTermination = total = records", () => {
    fc.assert(
      fc.property(scenarioArb.map(withAbortOnClose), (s) => {
        const { results, records } = simulateWithRecords(s);
        checkAccounting(s, results, records);
      }),
      RUNS,
    );
  });

  it("ends every request that arrived exactly once, or counts it unfinished", () => {
    fc.assert(
      fc.property(scenarioArb.map(withAbortOnClose), (s) => {
        // With warm-up past the end, every arrival (client retries included) is counted as warm-up.
        const arrivals = simulate({ ...s, warmupMs: s.durationMs + 1 }).requests.warmup;
        const { results, records } = simulateWithRecords(s);
        expect(results.requests.total + results.requests.unfinished).toBe(arrivals);
        expect(records.length).toBe(results.requests.total);
      }),
      RUNS,
    );
  });

  it("keeps steady-state figures to requests that arrived after warm-up", () => {
    fc.assert(
      fc.property(scenarioArb.map(withAbortOnClose), fc.double({ min: 0, max: 1, noNaN: true }), (s0, f) => {
        const s = { ...s0, warmupMs: Math.round(f * s0.durationMs) };
        const { results, records } = simulateWithRecords(s);
        expect(results.requests.total).toBe(records.filter((x) => x.atMs >= s.warmupMs).length);
        expect(sum(results.series.requests)).toBe(records.length);
        const arrivals = simulate({ ...s, warmupMs: s.durationMs + 1 }).requests.warmup;
        const steady = results.requests.total + results.requests.unfinished;
        expect(steady + results.requests.warmup).toBe(arrivals);
      }),
      { numRuns: 60 },
    );
  });

  it("never lets a server exceed its maxconn, and keeps utilization and state timelines sane", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        checkServers(s, simulate(s));
      }),
      RUNS,
    );
  });

  it("writes records whose times, statuses and terminations agree", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { records } = simulateWithRecords(s);
        const problems = records.map((x) => [x, recordProblem(s, x)] as const).filter(([, p]) => p !== "");
        expect(problems.slice(0, 3)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("never gives a request to a server that is DOWN, MAINT, DRAIN or NOLB for its whole life", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { results, records } = simulateWithRecords(s);
        checkNeverOnUnusable(s, results, records);
      }),
      RUNS,
    );
  });

  it("gives byte-identical Results for the same seed, whether records are taken or not", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = JSON.stringify(simulate(s));
        expect(JSON.stringify(simulate(s))).toBe(a);
        expect(JSON.stringify(simulateWithRecords(s).results)).toBe(a);
      }),
      { numRuns: 80 },
    );
  });
});

describe("run", () => {
  const poisson = scenario({
    durationMs: 5000,
    backend: { balance: "random(2)", servers: [server("s1"), server("s2"), server("s3")] },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 100 } })],
  });
  const withoutSeed = (r: Results) => JSON.stringify({ ...r, seed: 0 });

  it("gives different Results for different seeds", () => {
    for (const seed of [2, 3, 4]) {
      expect(withoutSeed(simulate(poisson, { seed }))).not.toBe(withoutSeed(simulate(poisson, { seed: 1 })));
    }
  });

  it("reports wallMs 0 with deterministic, and the seed and strategy it used", () => {
    const results = simulate(poisson, { seed: 9, strategy: "leastconn" });
    expect(results).toMatchObject({ seed: 9, strategy: "leastconn", engine: { wallMs: 0 } });
    expect(results.engine.events).toBeGreaterThan(0);
  });

  it("closes the last bucket with the run, whatever the bucket width", () => {
    for (const bucketMs of [1000, 1500, 5000]) {
      const { results, records } = simulateWithRecords({ ...poisson, bucketMs });
      expect(results.series.atMs.length).toBe(Math.ceil(5000 / bucketMs));
      expect(sum(results.series.requests)).toBe(records.length);
      expect(results.series.inFlight.s1!.length).toBe(results.series.atMs.length);
    }
  });

  it("runs 70 clients each with its own timeout (more timeouts than the engine has timer lanes)", () => {
    // Each client's requests give up after its own timeout: 70 distinct durations, all on one slow
    // server, so that many give up (-1, `CC`) and each at its client's time.
    const clients = Array.from({ length: 70 }, (_, i) =>
      client(`c${i}`, { arrivals: { kind: "poisson", ratePerSecond: 2 }, timeoutMs: 200 + i }),
    );
    const slow = scenario({
      durationMs: 5000,
      backend: { servers: [server("s1", { service: { kind: "constant", valueMs: 300 } })] },
      clients,
    });
    const results = simulate(slow);
    expect(results.requests.byStatus["-1"]).toBeGreaterThan(0);
    expect(results.requests.total).toBe(results.requests.ok + results.requests.failed);
  });

  it("stops early when asked and says so", () => {
    let asked = 0;
    const results = simulate(poisson, { shouldStop: () => ++asked === 2 });
    expect(results).toMatchObject({ partial: true, endedAtMs: 2000 });
    expect(results.series.atMs.length).toBe(2);
  });

  it("measures utilization as busy slot-time over the steady period (M/D/1 at ρ = 0.5)", () => {
    const results = simulate(
      scenario({
        durationMs: 200_000,
        warmupMs: 10_000,
        backend: { servers: [server("s1", { service: { kind: "constant", valueMs: 10 } })] },
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 50 } })],
      }),
    );
    expect(results.servers[0]!.utilization).toBeCloseTo(0.5, 1);
    // M/D/1: mean response = D + ρD / (2(1 − ρ)) = 10 + 5 = 15 ms.
    expect(results.latency.meanMs).toBeGreaterThan(14);
    expect(results.latency.meanMs).toBeLessThan(16);
  });
});
