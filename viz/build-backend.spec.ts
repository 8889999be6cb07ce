// Spec of viz/build-backend.ts: folding many servers' load into `other`, the size bound, ideal shares by weight.
import { describe, expect, it } from "vitest";
import type { Results, ServerResults } from "../sim/index.js";
import { LOAD_NUMBERS_BUDGET, MAX_DRAWN_SERVERS, otherLabel } from "./build-backend.js";
import { compareView } from "./build-compare.js";
import { runView } from "./build-run.js";
import { failoverRuns, nonFinite } from "./build-test-support.js";

const SERVERS = 1000;
const BUCKETS = 2000;

/** A value per server and bucket that differs from server to server and bucket to bucket (not rounded to 4 digits). */
function load(server: number, bucket: number): number {
  return ((server * 7919 + bucket * 104_729) % 1000) / 97;
}

/** A real run grown to 1000 servers × 2000 buckets: the largest a report must stay small for. */
function largeResults(): Results {
  const [base] = failoverRuns([1]);
  if (base === undefined) throw new Error("no run");
  const names = Array.from({ length: SERVERS }, (_, i) => `s${i + 1}`);
  const template = base.servers[0] as ServerResults;
  // Requests grow with the index, except s5 (named by the crash below) which is the least busy.
  const servers = names.map((name, i) => ({
    ...template,
    name,
    requests: name === "s5" ? 0 : 1000 + i,
    states: [{ atMs: 0, state: "UP" }],
  }));
  const perServer = (f: (s: number, b: number) => number) =>
    Object.fromEntries(names.map((n, s) => [n, Array.from({ length: BUCKETS }, (_, b) => f(s, b))]));
  const perBucket = (f: (b: number) => number) => Array.from({ length: BUCKETS }, (_, b) => f(b));
  return {
    ...base,
    durationMs: BUCKETS * 100,
    servers,
    timeline: [{ atMs: 5000, action: "crash", server: "s5", text: "crash s5" }],
    series: {
      ...base.series,
      bucketMs: 100,
      atMs: perBucket((b) => b * 100),
      requests: perBucket((b) => 5000 + (b % 7)),
      errors: perBucket(() => 0),
      p50Ms: perBucket((b) => 10 + load(1, b)),
      p90Ms: perBucket((b) => 20 + load(2, b)),
      p99Ms: perBucket((b) => 40 + load(3, b)),
      backendQueue: perBucket(() => 0),
      errorsByStatus: {},
      errorsByTermination: {},
      inFlight: perServer(load),
      queued: perServer((s, b) => load(s + 1, b) / 3),
      serverRequests: perServer((s, b) => (s + b) % 9),
    },
  };
}

describe("backend sections of a large run", () => {
  const results = largeResults();
  const view = runView({ results }, "t");
  const backend = view.sections[0]!.backends[0]!;
  const drawn = backend.load.servers.slice(0, -1);
  const other = otherLabel(SERVERS - MAX_DRAWN_SERVERS);

  it("draws the server an action names and the busiest by requests, and folds the rest into one line", () => {
    expect(backend.folded).toBe(SERVERS - MAX_DRAWN_SERVERS);
    expect(backend.load.servers[backend.load.servers.length - 1]).toBe(other);
    const busiest = Array.from({ length: MAX_DRAWN_SERVERS - 1 }, (_, i) => `s${SERVERS - i}`);
    expect([...drawn].sort()).toEqual(["s5", ...busiest].sort());
    // In the backend's order.
    expect(drawn[0]).toBe("s5");
  });

  it("folds into a mean that adds up: mean × count = the sum over the folded servers, bucket by bucket", () => {
    const kept = new Set(drawn);
    const folded = results.servers.map((s) => s.name).filter((n) => !kept.has(n));
    const line = backend.load.lines[0]!;
    for (const bucket of [0, 1, 999, BUCKETS - 1]) {
      const sum = folded.reduce((a, n) => a + results.series.inFlight[n]![bucket]!, 0);
      const folded4 = line.inFlight[other]!.mean[bucket]! * folded.length;
      expect(Math.abs(folded4 - sum)).toBeLessThanOrEqual(sum * 5e-4);
      const queuedSum = folded.reduce((a, n) => a + results.series.queued[n]![bucket]!, 0);
      expect(Math.abs(line.queued[other]!.mean[bucket]! * folded.length - queuedSum)).toBeLessThanOrEqual(
        queuedSum * 5e-4,
      );
    }
    // A drawn server keeps its own series, to 4 significant digits.
    expect(line.inFlight.s1000!.mean[7]).toBe(Number(load(999, 7).toPrecision(4)));
  });

  it("keeps every latency bucket", () => {
    expect(view.sections[0]!.latency.lines[0]!.p99.mean.length).toBe(BUCKETS);
  });

  it("stays under 2.5 MB of JSON, with no NaN or Infinity", () => {
    const json = JSON.stringify(view);
    expect(json.length).toBeLessThan(2.5 * 1024 * 1024);
    expect(nonFinite(view)).toEqual([]);
  });

  it("draws fewer servers one by one when bands and variants multiply the numbers, and stays under 2.5 MB", () => {
    const comparison = {
      scenario: "large",
      seed: 1,
      runs: [results, { ...results, strategy: "leastconn" }],
      checks: [],
      replications: 3,
      seeds: [1, 2, 3],
      strategies: ["roundrobin", "leastconn"],
      rows: [],
    };
    const replications = [
      [results, results, results],
      [results, results, results],
    ];
    const compared = compareView({ comparison, replications }, "t");
    const b = compared.sections[0]!.backends[0]!;
    // 2 series × 2000 buckets × 3 (a band) × 2 variants = 24,000 numbers a server: 5 fit the budget.
    expect(b.load.servers.length).toBe(Math.floor(LOAD_NUMBERS_BUDGET / 24_000) + 1);
    expect(b.load.servers).toContain("s5");
    expect(b.load.servers).toContain("s1000");
    expect(JSON.stringify(compared).length).toBeLessThan(2.5 * 1024 * 1024);
  });

  it("does not fold a backend of 24 servers or fewer", () => {
    const small = runView({ results: failoverRuns([1])[0]! }, "t").sections[0]!.backends[0]!;
    expect(small.folded).toBeUndefined();
    expect(small.load.servers).toEqual(["s1", "s2", "s3"]);
  });
});

describe("ideal shares", () => {
  const [base] = failoverRuns([1]);
  if (base === undefined) throw new Error("no run");

  it("follow the weights of the active servers; a backup's is 0 while actives have weight", () => {
    const weighted = (weights: number[], backups: boolean[]): Results => ({
      ...base,
      servers: base.servers.map((s, i) => ({ ...s, weight: weights[i]!, backup: backups[i]! })),
    });
    const infos = runView({ results: weighted([1, 3, 2], [false, false, true]) }, "t").sections[0]!
      .backends[0]!.shares.servers;
    expect(infos.map((s) => s.idealShare)).toEqual([0.25, 0.75, 0]);
    expect(infos[2]!.backup).toBe(true);
    const noActive = runView({ results: weighted([0, 0, 2], [false, false, true]) }, "t").sections[0]!
      .backends[0]!.shares.servers;
    expect(noActive.map((s) => s.idealShare)).toEqual([0, 0, 1]);
  });
});
