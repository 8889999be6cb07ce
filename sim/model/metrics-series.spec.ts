// What Results gain for the report's charts (issue 10): series.p90Ms, errors by status and
// termination, requests and queue per server per bucket, and latencyDistribution.
import { describe, expect, it } from "vitest";
import type { Distribution } from "../../scenarios/types.js";
import { LatencyHistogram } from "../histogram.js";
import type { Results } from "../results.js";
import { client, scenario, server, simulate, simulateWithRecords } from "../test-support.js";
import { DISTRIBUTION_PERCENTILES } from "./metrics.js";

const constant = (valueMs: number): Distribution => ({ kind: "constant", valueMs });
const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0);

describe("series: errors by status and termination", () => {
  // Two servers in turn, 100 requests/s; s2 crashes at 2.5 s and is back at 4.5 s, no checks and no
  // retries: each request sent to it meanwhile is refused at once (503 SC), 50 a second.
  const crash = scenario({
    durationMs: 6000,
    backend: {
      retries: 0,
      servers: [server("s1", { service: constant(5) }), server("s2", { service: constant(5) })],
    },
    clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
    events: [
      { atMs: 2500, kind: "crash", server: "s2" },
      { atMs: 4500, kind: "restore", server: "s2" },
    ],
  });

  it("counts a crash's refused requests as 503 SC in the buckets they failed in", () => {
    const results = simulate(crash);
    expect(results.series.errors).toEqual([0, 0, 25, 50, 25, 0]);
    expect(results.series.errorsByStatus).toEqual({ "503": [0, 0, 25, 50, 25, 0] });
    expect(results.series.errorsByTermination).toEqual({ SC: [0, 0, 25, 50, 25, 0] });
    // s2 fails them: they are its requests all the same, as in Results.servers[].requests.
    expect(results.series.serverRequests.s1).toEqual([50, 50, 50, 50, 50, 50]);
    expect(results.series.serverRequests.s2).toEqual([50, 50, 50, 50, 50, 50]);
  });

  it("lists each status and termination state of a failure, and adds up to errors in every bucket", () => {
    // A server that answers 500 to a tenth of its requests (status 500, termination --) and another
    // that hangs (504 sH after timeout server): keys of several kinds.
    const s = scenario({
      durationMs: 8000,
      backend: {
        retries: 0,
        timeout: { connectMs: 5000, serverMs: 300, queueMs: 5000 },
        servers: [server("s1"), server("s2"), server("s3")],
      },
      events: [
        { atMs: 1000, kind: "errors", server: "s1", rate: 0.1 },
        { atMs: 3000, kind: "hang", server: "s2" },
        { atMs: 5000, kind: "crash", server: "s3" },
      ],
    });
    const { results, records } = simulateWithRecords(s);
    const { series } = results;
    expect(Object.keys(series.errorsByStatus)).toEqual(["500", "503", "504"]);
    expect(Object.keys(series.errorsByTermination)).toEqual(["--", "SC", "sH"]);
    series.atMs.forEach((fromMs, b) => {
      const failed = records.filter((r) => {
        const endMs = r.atMs + r.totalMs;
        return (r.status === -1 || r.status >= 500) && endMs >= fromMs && endMs < fromMs + s.bucketMs;
      });
      expect(series.errors[b]).toBe(failed.length);
      expect(sum(Object.values(series.errorsByStatus).map((c) => c[b]!))).toBe(series.errors[b]);
      expect(sum(Object.values(series.errorsByTermination).map((c) => c[b]!))).toBe(series.errors[b]);
      expect(series.errorsByStatus["504"]![b]).toBe(failed.filter((r) => r.status === 504).length);
      expect(series.errorsByTermination.sH![b]).toBe(
        failed.filter((r) => r.termination.startsWith("sH")).length,
      );
    });
    // Nothing failed before the first event: the arrays start with zeros.
    expect(series.errorsByStatus["503"]![0]).toBe(0);
    expect(series.errorsByStatus["503"]![7]).toBeGreaterThan(0);
  });

  it("has no key at all in a run without failures", () => {
    const results = simulate(scenario({ durationMs: 3000 }));
    expect(results.series.errorsByStatus).toEqual({});
    expect(results.series.errorsByTermination).toEqual({});
  });
});

describe("series: requests and queue per server", () => {
  it("counts each server's finished requests per bucket, and they add up to requests", () => {
    const { results, records } = simulateWithRecords(
      scenario({
        durationMs: 5000,
        backend: { balance: "random", servers: [server("a"), server("b"), server("c")] },
      }),
    );
    const { series } = results;
    expect(Object.keys(series.serverRequests)).toEqual(["a", "b", "c"]);
    series.atMs.forEach((fromMs, b) => {
      for (const name of ["a", "b", "c"]) {
        const ended = records.filter(
          (r) => r.server === name && r.atMs + r.totalMs >= fromMs && r.atMs + r.totalMs < fromMs + 1000,
        );
        expect(series.serverRequests[name]![b]).toBe(ended.length);
      }
      expect(sum(Object.values(series.serverRequests).map((c) => c[b]!))).toBe(series.requests[b]);
    });
  });

  // leastconn queues on a server with maxqueue (HAProxy's server queue behind maxconn): 150 requests/s
  // for 2 s on one connection served in 10 ms, so the queue grows by ~50 a second, then drains.
  const queueing = scenario({
    durationMs: 6000,
    backend: {
      balance: "leastconn",
      timeout: { connectMs: 5000, serverMs: 50_000, queueMs: 50_000 },
      servers: [
        server("s1", { maxconn: 1, maxqueue: 1000, service: constant(10) }),
        server("s2", { weight: 0 }),
      ],
    },
    clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 150 } })],
    events: [{ atMs: 2000, kind: "rate", client: "c", ratePerSecond: 0 }],
  });

  it("time-averages each server's own queue, the one maxQueued measures", () => {
    const { results, records } = simulateWithRecords(queueing);
    const q = results.series.queued;
    expect(results.requests.unfinished).toBe(0);
    // Grows by ~50/s for 2 s (averages ~25 then ~75), then drains at 100/s from ~100.
    expect(q.s1).toEqual([25, 75, 49.5, 0, 0, 0]);
    expect(Math.max(...q.s1!)).toBeLessThanOrEqual(results.servers[0]!.maxQueued);
    expect(q.s2).toEqual([0, 0, 0, 0, 0, 0]);
    // Little's law: Σ bucket averages × width = Σ time requests waited in the queue.
    const waits = sum(records.map((r) => r.queueMs));
    expect(Math.abs(sum(q.s1!) * queueing.bucketMs - waits)).toBeLessThan(5);
  });
});

describe("series: p90", () => {
  it("is the 90th percentile of the latency of requests finishing in the bucket", () => {
    const s = scenario({ durationMs: 4000, backend: { servers: [server("s1", { slots: 4 })] } });
    const { results, records } = simulateWithRecords(s);
    results.series.atMs.forEach((fromMs, b) => {
      const h = new LatencyHistogram();
      for (const r of records) {
        const endMs = r.atMs + r.totalMs;
        if (endMs >= fromMs && endMs < fromMs + 1000) h.record(r.totalMs);
      }
      expect(results.series.p90Ms[b]).toBe(Math.round(h.percentileMs(90) * 1000) / 1000);
    });
    expect(results.series.p90Ms.some((p, b) => p > results.series.p50Ms[b]!)).toBe(true);
  });
});

describe("latencyDistribution", () => {
  it("lists HdrHistogram's halving percentiles to 98.4375, then the nines and their halfway points", () => {
    const halving: number[] = [];
    for (let k = 0; k < 6; k++) {
      const from = 100 - 100 / 2 ** k;
      const step = 100 / 2 ** (k + 1) / 5;
      for (let i = 0; i < 5; i++) halving.push(from + i * step);
    }
    halving.push(100 - 100 / 64);
    const nines = [99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 99.9995, 99.9999, 100];
    expect(DISTRIBUTION_PERCENTILES).toEqual([...halving, ...nines]);
    expect(DISTRIBUTION_PERCENTILES.length).toBe(41);
  });

  const check = (results: Results) => {
    const { percentiles, valuesMs } = results.latencyDistribution;
    expect(percentiles).toEqual(DISTRIBUTION_PERCENTILES);
    expect(valuesMs.length).toBe(percentiles.length);
    valuesMs.forEach((v, i) => {
      if (i > 0) expect(v).toBeGreaterThanOrEqual(valuesMs[i - 1]!);
    });
    const at = (p: number) => valuesMs[percentiles.indexOf(p)];
    expect(at(50)).toBe(results.latency.p50Ms);
    expect(at(90)).toBe(results.latency.p90Ms);
    expect(at(99)).toBe(results.latency.p99Ms);
    expect(at(99.9)).toBe(results.latency.p999Ms);
    expect(at(100)).toBe(results.latency.maxMs);
  };

  it("gives the steady-state latency at each percentile, as Results.latency does", () => {
    const results = simulate(
      scenario({
        durationMs: 20_000,
        warmupMs: 2000,
        backend: { servers: [server("s1", { service: { kind: "lognormal", medianMs: 10, sigma: 1 } })] },
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 50 } })],
      }),
    );
    check(results);
    const { valuesMs } = results.latencyDistribution;
    expect(valuesMs[0]).toBeGreaterThan(0);
    expect(new Set(valuesMs).size).toBeGreaterThan(30);
  });

  it("counts failed requests too, as Results.latency does", () => {
    const results = simulate(
      scenario({
        durationMs: 4000,
        backend: { retries: 0 },
        events: [{ atMs: 1000, kind: "crash", server: "s2" }],
      }),
    );
    expect(results.requests.failed).toBeGreaterThan(0);
    check(results);
  });

  it("is all zeros when no request finished in the steady state", () => {
    const results = simulate(scenario({ durationMs: 2000, warmupMs: 2000 }));
    expect(results.requests.total).toBe(0);
    check(results);
    expect(results.latencyDistribution.valuesMs).toEqual(DISTRIBUTION_PERCENTILES.map(() => 0));
  });
});
