// Theory: M/M/1, alone and as the Bernoulli split of random(1), against the simulator (see theory-support.ts).
import { describe, expect, it } from "vitest";
import { server, simulate } from "../sim/test-support.js";
import {
  EXPONENTIAL_10MS,
  expectAgreesWithTheory,
  latencies,
  poissonScenario,
  replications,
  SEEDS,
  serverWaits,
} from "./theory-support.js";

// --- M/M/1 --------------------------------------------------------------------------------------

describe("M/M/1", () => {
  // μ = 100/s (exponential 10 ms), λ = 80/s, ρ = 0.8. No maxconn: requests wait in the server's
  // hidden FIFO behind its single slot, which is the M/M/1 queue.
  const lambda = 80;
  const mu = 100;
  const runs = replications((seed) =>
    poissonScenario(seed, lambda, [server("web01", { service: EXPONENTIAL_10MS })]),
  );

  it("keeps requests 1/(μ − λ) = 50 ms in the system on average at ρ = 0.8", () => {
    // W = 1/(μ − λ) = 1/20 s = 50 ms. Tolerance: the 99% t-interval (header); s ≈ 0.8 ms per
    // replication, so the half-width is ≈ 0.53 ms (1.1%).
    const theoryMs = 1000 / (mu - lambda);
    expect(theoryMs).toBe(50);
    expectAgreesWithTheory("M/M/1 W", latencies(runs()), theoryMs);
  });

  it("counts no balancer queue time when the wait is in the server's hidden FIFO", () => {
    // Results.queue covers only balancer queues (maxconn / backend queue); without maxconn the
    // balancer hands every request over at once, so the exact value is 0, not a statistic.
    for (const r of runs()) expect(r.queue.meanMs).toBe(0);
  });

  it("makes requests wait Wq = ρ/(μ − λ) = 40 ms inside the server, behind its one slot", () => {
    // Results.wait is that hidden FIFO: Wq = W − 1/μ = 50 − 10 ms. Tolerance: the 99% t-interval;
    // the wait carries all of W's variability, so its half-width is W's, ≈ 0.52 ms (1.3%).
    const theoryMs = (1000 * (lambda / mu)) / (mu - lambda);
    expect(theoryMs).toBe(40);
    expectAgreesWithTheory("M/M/1 Wq (in the server)", serverWaits(runs()), theoryMs);
  });
});

describe("M/M/1 at ρ = 0.5: the wait inside a FIFO 1-slot server", () => {
  // μ = 100/s, λ = 50/s: the mean latency, 1/(μ − λ) = 20 ms, is twice the 10 ms service time;
  // the other half is the wait for the one worker, which the balancer's queue does not see.
  const lambda = 50;
  const mu = 100;
  const rho = lambda / mu;
  const runs = replications((seed) =>
    poissonScenario(seed, lambda, [server("web01", { service: EXPONENTIAL_10MS })]),
  );

  it("makes requests wait Wq = ρ/(μ − λ) = 10 ms in the server, on average and in servers[]", () => {
    // Tolerance: the 99% t-interval (theory-support.ts); s ≈ 0.10 ms per replication, half-width
    // ≈ 0.064 ms (0.6%). The server's own waitMeanMs is the same mean over the same jobs.
    const theoryMs = (1000 * rho) / (mu - lambda);
    expect(theoryMs).toBe(10);
    expectAgreesWithTheory("M/M/1 Wq at ρ = 0.5", serverWaits(runs()), theoryMs);
    for (const r of runs()) expect(r.servers[0]!.waitMeanMs).toBeCloseTo(r.wait.meanMs, 2);
    // And none of it in the balancer: no maxconn, so every request is handed over at once.
    for (const r of runs()) expect(r.queue.meanMs).toBe(0);
  });

  it("has a 99th percentile of the wait ln(100ρ)/(μ − λ) = 78.2 ms", () => {
    // P(Wq > t) = ρ·e^−(μ−λ)t, so the p99 solves ρ·e^−(μ−λ)t = 0.01. Tolerance: the 99% t-interval
    // over the replications' p99s (each the p99 of ≈ 200 000 waits, so close to normal); s ≈ 1.0 ms,
    // half-width ≈ 0.63 ms (0.8%).
    const theoryMs = (1000 * Math.log(100 * rho)) / (mu - lambda);
    expect(theoryMs).toBeCloseTo(78.24, 2);
    expectAgreesWithTheory(
      "M/M/1 Wq p99 at ρ = 0.5",
      runs().map((r) => r.wait.p99Ms),
      theoryMs,
    );
  });
});

// --- a Bernoulli split into M/M/1 queues ------------------------------------------------------------

describe("random(1) over independent servers", () => {
  // random(1) makes one draw on the consistent ring per request, from the strategy's own stream,
  // and never looks at load (nothing is full without maxconn). So each request goes to server i
  // with a fixed probability p_i (its share of the ring), independently of everything else: a
  // Bernoulli split of a Poisson stream, which gives each server a Poisson stream of rate λp_i.
  // Each single-slot exponential server is then an M/M/1 queue with W_i = 1/(μ − λp_i).
  //
  // The ring shares are not exactly 1/3 (16 points per server, §3.11), so p_i is measured: pooled
  // over all replications (the ring does not depend on the seed) from 4 million requests, its
  // standard error is 0.024 percentage points, which moves W_i by λ·δp/(μ − λp_i) ≤ 0.3%, well
  // inside the half-widths.
  const lambda = 225;
  const mu = 100;
  const names = ["web01", "web02", "web03"];

  interface SplitRun {
    readonly count: number[];
    readonly sumMs: number[];
  }
  const runs = (() => {
    let cached: SplitRun[] | undefined;
    return () => {
      cached ??= SEEDS.map((seed) => {
        const count = names.map(() => 0);
        const sumMs = names.map(() => 0);
        const s = poissonScenario(
          seed,
          lambda,
          names.map((name) => server(name, { service: EXPONENTIAL_10MS })),
          "random(1)",
        );
        simulate(s, {
          onRequest: (record) => {
            if (record.atMs < s.warmupMs) return;
            const i = names.indexOf(record.server);
            count[i]!++;
            sumMs[i]! += record.totalMs;
          },
        });
        return { count, sumMs };
      });
      return cached;
    };
  })();

  it("keeps requests 1/(μ − λp_i) on each server, p_i being its observed share", () => {
    // Tolerance: the 99% t-interval per server; at λ = 225/s the loads λp_i/μ are about 0.79,
    // 0.67 and 0.80, and the half-widths 1.7%, 1.1% and 2.6%.
    const all = runs();
    const total = all.reduce((n, r) => n + r.count.reduce((a, b) => a + b, 0), 0);
    names.forEach((name, i) => {
      const p = all.reduce((n, r) => n + r.count[i]!, 0) / total;
      expect(lambda * p, `${name} must be stable`).toBeLessThan(mu);
      const theoryMs = 1000 / (mu - lambda * p);
      expectAgreesWithTheory(
        `W of ${name} (p = ${p.toFixed(4)})`,
        all.map((r) => r.sumMs[i]! / r.count[i]!),
        theoryMs,
      );
    });
  });
});
