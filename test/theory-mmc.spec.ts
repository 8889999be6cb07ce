// Theory: M/M/c (Erlang C) and Little's law on it, against the simulator (see theory-support.ts).
import { describe, expect, it } from "vitest";
import type { Results } from "../sim/results.js";
import { server } from "../sim/test-support.js";
import {
  EXPONENTIAL_10MS,
  expectAgreesWithTheory,
  expectZeroDifference,
  latencies,
  poissonScenario,
  queueWaits,
  R,
  replications,
  serverWaits,
  summarize,
} from "./theory-support.js";

// --- queueing formulas --------------------------------------------------------------------------

/** Erlang C: the chance that an arrival waits in M/M/c with offered load a = λ/μ < c. */
function erlangC(c: number, a: number): number {
  let term = 1; // a^k / k!, from k = 0
  let below = 1; // Σ_{k<c} a^k / k!
  for (let k = 1; k < c; k++) {
    term *= a / k;
    below += term;
  }
  const waiting = ((term * a) / c) * (c / (c - a)); // a^c / c! · c / (c − a)
  return waiting / (below + waiting);
}

// --- M/M/c --------------------------------------------------------------------------------------

/**
 * M/M/4 the HAProxy way, shared by the Erlang C and Little's law tests: 4 single-slot servers with
 * maxconn 1 and exponential 10 ms service under leastconn, λ = 320/s (ρ = 0.8).
 */
const leastconnMmc = replications((seed) =>
  poissonScenario(
    seed,
    320,
    ["web01", "web02", "web03", "web04"].map((name) =>
      server(name, { maxconn: 1, service: EXPONENTIAL_10MS }),
    ),
    "leastconn",
  ),
);

describe("M/M/c (Erlang C)", () => {
  // c = 4 workers with μ = 100/s each, λ = 320/s, so ρ = λ/(cμ) = 0.8 and a = λ/μ = 3.2.
  // Erlang C: C(4, 3.2) = 0.59643, Wq = C/(cμ − λ) = 7.455 ms, W = Wq + 1/μ = 17.455 ms.
  const c = 4;
  const mu = 100;
  const lambda = 0.8 * c * mu;
  const waitMs = (1000 * erlangC(c, lambda / mu)) / (c * mu - lambda);
  const sojournMs = waitMs + 1000 / mu;

  // One server with 4 slots: 4 workers in front of one FIFO.
  const slots = replications((seed) =>
    poissonScenario(seed, lambda, [server("web01", { slots: c, service: EXPONENTIAL_10MS })]),
  );
  // The HAProxy way: 4 single-slot servers with maxconn 1. leastconn skips full servers (§3.4), so
  // when all 4 are busy the request waits in the backend queue, which serves its head to the
  // first server that frees (haproxy-semantics.md §1): one FIFO in front of c servers, M/M/c.
  const haproxy = leastconnMmc;

  it("computes Erlang C as the textbook does", () => {
    // C(1, a) = a (M/M/1: the chance of waiting is ρ), C(2, 1) = 1/3 by hand; C(4, 3.2) = 0.596432.
    expect(erlangC(1, 0.8)).toBeCloseTo(0.8, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(4, 3.2)).toBeCloseTo(0.596432, 6);
  });

  it("keeps requests Wq + 1/μ = 17.455 ms in a 4-slot server at ρ = 0.8", () => {
    // Tolerance: the 99% t-interval; s ≈ 0.19 ms, so the half-width is ≈ 0.12 ms (0.7%).
    expectAgreesWithTheory("M/M/4 W (slots)", latencies(slots()), sojournMs);
  });

  it("makes requests wait Wq = C(c, a)/(cμ − λ) = 7.455 ms inside a 4-slot server", () => {
    // Results.wait is the server's own FIFO in front of its 4 workers: Erlang C's Wq, while the
    // balancer's queue stays empty (no maxconn). Tolerance: the 99% t-interval, ≈ 0.12 ms (1.6%).
    expectAgreesWithTheory("M/M/4 Wq (in the server)", serverWaits(slots()), waitMs);
    for (const r of slots()) expect(r.queue.meanMs).toBe(0);
  });

  it("keeps requests Wq + 1/μ = 17.455 ms over 4 maxconn-1 servers under leastconn", () => {
    // Same model, same W, the same tolerance as above.
    expectAgreesWithTheory("M/M/4 W (leastconn, maxconn 1)", latencies(haproxy()), sojournMs);
  });

  it("makes requests wait Wq = C(c, a)/(cμ − λ) = 7.455 ms in the backend queue under leastconn", () => {
    // Results.queue is the balancer's queue, here the backend queue: its mean is Erlang C's Wq.
    // Tolerance: the 99% t-interval; the half-width is ≈ 0.12 ms (1.6%) as the wait carries all the
    // variability of W.
    expectAgreesWithTheory("M/M/4 Wq (backend queue)", queueWaits(haproxy()), waitMs);
  });

  it("gives every request the same time in system with 4 slots as with 4 maxconn-1 servers", () => {
    // Not a statistic: both are the same FIFO M/M/4 and, by common random numbers (DESIGN.md),
    // see the same arrivals and the same demand per request, so each request starts and ends at
    // the same instants. Any difference in the latency figures is a modelling difference.
    const a = slots();
    const b = haproxy();
    for (let k = 0; k < R; k++) expect(b[k]!.latency).toEqual(a[k]!.latency);
  });
});

// --- Little's law ---------------------------------------------------------------------------------

describe("Little's law", () => {
  // L = λW holds for any stable system; here on the M/M/4 of 4 maxconn-1 servers under leastconn
  // (λ = 320/s), where a request is in the system while it is served on a server
  // (Series.inFlight) or waits in the backend queue (Series.backendQueue). The time averages come
  // from the series, W and Wq from the latency and queue figures: they are measured independently.
  const lambda = 320;
  const runs = leastconnMmc;

  /** Time-average of Σ series over the steady-state buckets (each weighted by its own width). */
  function steadyAverage(r: Results, series: ReadonlyArray<ReadonlyArray<number>>): number {
    const { atMs, bucketMs } = r.series;
    let area = 0;
    let width = 0;
    atMs.forEach((startMs, k) => {
      if (startMs < r.warmupMs) return;
      const w = Math.min(bucketMs, r.durationMs - startMs);
      for (const values of series) area += values[k]! * w;
      width += w;
    });
    return area / width;
  }

  it("has a series bucket for every bucketMs of the run, so its averages span the whole steady state", () => {
    // The time averages below are over [warm-up, end); a bucket missing from the series would
    // leave part of the run out of L. The run lasts a whole number of buckets here.
    for (const r of runs()) {
      expect(r.series.atMs).toHaveLength(Math.ceil(r.durationMs / r.series.bucketMs));
      expect(r.series.atMs.at(-1)).toBe(r.durationMs - r.series.bucketMs);
    }
  });

  it("finds the mean number of requests in the system L equal to λW", () => {
    // Per replication, L − λW is 0 up to edge effects (requests straddling the warm-up or the end:
    // a few requests' worth, ~1e-4 relative) and to λ̂ − λ (the realized arrival rate varies by
    // ~0.2% per replication), so the paired differences average to 0 within their 99% t-interval.
    // The sanity bound is relative to L ≈ λW = 5.59.
    const all = runs();
    const differences = all.map((r) => {
      const inFlight = Object.values(r.series.inFlight);
      return steadyAverage(r, [...inFlight, r.series.backendQueue]) - (lambda / 1000) * r.latency.meanMs;
    });
    expectZeroDifference("L − λW", differences, (lambda / 1000) * summarize(latencies(all)).mean);
  });

  it("finds the mean backend queue length Lq equal to λWq", () => {
    // The same identity for the queue alone, whose time average comes from Series.backendQueue.
    const all = runs();
    const differences = all.map(
      (r) => steadyAverage(r, [r.series.backendQueue]) - (lambda / 1000) * r.queue.meanMs,
    );
    expectZeroDifference("Lq − λWq", differences, (lambda / 1000) * summarize(queueWaits(all)).mean);
  });
});
