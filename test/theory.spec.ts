// Theory: the whole simulator (clients, balancer, strategies, servers, metrics) against queueing theory.
//
// Method (STYLE.md "Tests", DESIGN.md "Honest statistics"). Each model runs R = 20 replications with
// the fixed, distinct seeds 1..20; each replication sends about 200 000 requests after a 20 s
// warm-up that Results leave out. A replication mean is one sample; the 20 samples are independent
// (every random stream is derived from the seed) and close to normal (each averages 200 000
// requests whose correlation dies out within a second or so), so (mean − θ)/(s/√R) follows Student's
// t with R − 1 = 19 degrees of freedom when the simulator is right. Every test asserts
//
//     |mean − θ| ≤ t(0.995, 19) · s / √R
//
// a two-sided 99% interval whose width comes from the data, not a fixed number of decimals as in
// Ciw. A correct simulator fails it with probability 1% for a random set of seeds; the seeds are
// fixed, so the outcome is deterministic. Because a broken simulator could also pass through a huge
// s, every test also requires the half-width to be under 5% of θ (the runs give 0.7–2.7%).
//
// Biases that the interval does not cover, and why they are negligible next to a ~1% half-width:
// the run starts empty, but at ρ = 0.8 the relaxation time 1/(μ(1 − √ρ)²) ≈ 0.9 s is far below
// the 20 s warm-up; requests still open at the end are not reported (about L ≈ 4 of 200 000,
// ≤ 1e-4 relative); HDR records each latency to the microsecond (unbiased rounding) and Results
// round the mean to the microsecond. Timeouts are infinite, as in the textbook models.
import { describe, expect, it } from "vitest";
import type { Distribution, Scenario, ServerSpec } from "../scenarios/types.js";
import { meanOf, secondMomentOf } from "../sim/distributions.js";
import type { Results } from "../sim/results.js";
import { client, scenario, server, simulate } from "../sim/test-support.js";

/** Replications per model. */
const R = 20;
/** t(0.995, 19) = 2.8609: the 99.5% quantile of Student's t with R − 1 = 19 degrees of freedom. */
const T_995_19 = 2.8609;
const SEEDS: readonly number[] = Array.from({ length: R }, (_, i) => i + 1);
/** Requests per replication after the warm-up. */
const REQUESTS = 200_000;
const WARMUP_MS = 20_000;
const BUCKET_MS = 10_000;
/** The sanity bound on the half-width relative to the theoretical value. */
const MAX_RELATIVE_HALF_WIDTH = 0.05;

const INFINITE = Number.POSITIVE_INFINITY;
const EXPONENTIAL_10MS: Distribution = { kind: "exponential", meanMs: 10 };

// --- statistics ---------------------------------------------------------------------------------

interface Summary {
  readonly mean: number;
  /** Sample standard deviation of the replication values. */
  readonly s: number;
  /** t(0.995, R − 1) · s / √R. */
  readonly halfWidth: number;
}

function summarize(values: ReadonlyArray<number>): Summary {
  const n = values.length;
  if (n !== R) throw new Error(`expected ${R} replications, got ${n}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, s, halfWidth: (T_995_19 * s) / Math.sqrt(n) };
}

/** The test of the file header: θ inside the 99% interval, and the interval narrow enough to mean something. */
function expectAgreesWithTheory(what: string, values: ReadonlyArray<number>, theory: number): void {
  const { mean, halfWidth } = summarize(values);
  const report = `${what}: simulated ${mean.toFixed(3)} ± ${halfWidth.toFixed(3)}, theory ${theory.toFixed(3)}`;
  expect(halfWidth / Math.abs(theory), `${report} (half-width too wide)`).toBeLessThan(
    MAX_RELATIVE_HALF_WIDTH,
  );
  expect(Math.abs(mean - theory), report).toBeLessThanOrEqual(halfWidth);
}

/**
 * A paired version for identities (Little's law): the replication differences must average to 0
 * within their own interval; `scale` (the size of the quantities compared) sets the sanity bound.
 */
function expectZeroDifference(what: string, differences: ReadonlyArray<number>, scale: number): void {
  const { mean, halfWidth } = summarize(differences);
  const report = `${what}: mean difference ${mean.toFixed(4)} ± ${halfWidth.toFixed(4)} (scale ${scale.toFixed(3)})`;
  expect(halfWidth / scale, `${report} (half-width too wide)`).toBeLessThan(MAX_RELATIVE_HALF_WIDTH);
  expect(Math.abs(mean), report).toBeLessThanOrEqual(halfWidth);
}

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

/** Pollaczek–Khinchine: the mean wait in queue of M/G/1, λ·E[S²] / (2(1 − ρ)), with λ in 1/ms. */
function pollaczekKhinchineWaitMs(lambdaPerMs: number, service: Distribution): number {
  const rho = lambdaPerMs * meanOf(service);
  return (lambdaPerMs * secondMomentOf(service)) / (2 * (1 - rho));
}

// --- runs ---------------------------------------------------------------------------------------

/** An open-loop Poisson scenario of about REQUESTS steady-state requests, with no timeouts. */
function poissonScenario(
  seed: number,
  ratePerSecond: number,
  servers: ServerSpec[],
  balance = "roundrobin",
): Scenario {
  const steadyMs = Math.ceil(((REQUESTS / ratePerSecond) * 1000) / BUCKET_MS) * BUCKET_MS;
  return scenario({
    seed,
    durationMs: WARMUP_MS + steadyMs,
    warmupMs: WARMUP_MS,
    bucketMs: BUCKET_MS,
    backend: {
      balance,
      servers,
      timeout: { connectMs: INFINITE, serverMs: INFINITE, queueMs: INFINITE },
      retries: 0,
      redispatch: null,
    },
    clients: [client("poisson", { arrivals: { kind: "poisson", ratePerSecond } })],
  });
}

/** Runs each seed once, the first time a test asks; the runs are shared by the tests of a model. */
function replications(build: (seed: number) => Scenario): () => readonly Results[] {
  let results: Results[] | undefined;
  return () => {
    results ??= SEEDS.map((seed) => {
      const r = simulate(build(seed));
      // Without timeouts nothing fails; a failure would make the means meaningless.
      if (r.requests.failed !== 0) throw new Error(`seed ${seed}: ${r.requests.failed} requests failed`);
      return r;
    });
    return results;
  };
}

const latencies = (runs: readonly Results[]) => runs.map((r) => r.latency.meanMs);
const queueWaits = (runs: readonly Results[]) => runs.map((r) => r.queue.meanMs);

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
});

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

// --- M/D/1 --------------------------------------------------------------------------------------

describe("M/D/1", () => {
  // Constant 10 ms service (μ = 100/s), λ = 80/s, ρ = 0.8. With maxconn 1 the request waits at
  // the balancer, so Results.queue measures the M/D/1 queue wait directly.
  const lambda = 80;
  const mu = 100;
  const rho = lambda / mu;
  const runs = replications((seed) =>
    poissonScenario(seed, lambda, [
      server("web01", { maxconn: 1, service: { kind: "constant", valueMs: 10 } }),
    ]),
  );

  it("makes requests wait Wq = ρ/(2μ(1 − ρ)) = 20 ms in the balancer's queue at ρ = 0.8", () => {
    // Wq = 0.8 / (2 · 100/s · 0.2) = 0.02 s = 20 ms: half the M/M/1 wait, as deterministic service
    // has E[S²] = E[S]². Tolerance: the 99% t-interval; half-width ≈ 0.29 ms (1.4%).
    const waitMs = (1000 * rho) / (2 * mu * (1 - rho));
    expect(waitMs).toBeCloseTo(20, 12);
    expectAgreesWithTheory("M/D/1 Wq", queueWaits(runs()), waitMs);
  });

  it("keeps requests Wq + 1/μ = 30 ms in the system", () => {
    // W − Wq is exactly the constant 10 ms for every request, so W carries the same half-width.
    expectAgreesWithTheory("M/D/1 W", latencies(runs()), (1000 * rho) / (2 * mu * (1 - rho)) + 1000 / mu);
  });
});

// --- M/G/1 --------------------------------------------------------------------------------------

describe("M/G/1 (Pollaczek–Khinchine)", () => {
  // Wq = λE[S²]/(2(1 − ρ)), W = Wq + E[S], with E[S] and E[S²] from sim/distributions.ts. Both laws
  // have mean 10 ms and λ = 80/s, so ρ = 0.8; they differ in variability (SCV 1.72 and 0.25).
  const lambdaPerMs = 80 / 1000;
  const laws: ReadonlyArray<{
    readonly name: string;
    readonly service: Distribution;
    readonly expectedMs: number;
  }> = [
    // E[S²] = median² · e^{2σ²} = 100 · e = 271.83 ms², Wq = 0.08 · 271.83 / 0.4 = 54.37 ms.
    {
      name: "lognormal(σ = 1)",
      service: { kind: "lognormal", medianMs: 10 / Math.exp(0.5), sigma: 1 },
      expectedMs: 64.366,
    },
    // E[S²] = mean² · (1 + 1/k) = 125 ms², Wq = 0.08 · 125 / 0.4 = 25 ms.
    { name: "erlang(k = 4)", service: { kind: "erlang", k: 4, meanMs: 10 }, expectedMs: 35 },
  ];

  it.each(laws)(
    "keeps requests E[S] + λE[S²]/(2(1 − ρ)) in a FIFO server with $name service",
    ({ service, expectedMs }) => {
      // Tolerance: the 99% t-interval; half-widths ≈ 1.7% (lognormal, heavy right tail) and 1.2% (erlang).
      const theoryMs = meanOf(service) + pollaczekKhinchineWaitMs(lambdaPerMs, service);
      expect(meanOf(service)).toBeCloseTo(10, 9);
      expect(theoryMs).toBeCloseTo(expectedMs, 2);
      const runs = replications((seed) => poissonScenario(seed, 80, [server("web01", { service })]))();
      expectAgreesWithTheory(`M/G/1 W, ${service.kind}`, latencies(runs), theoryMs);
    },
  );
});

// --- processor sharing ----------------------------------------------------------------------------

describe("M/G/1-PS", () => {
  // Under processor sharing the mean sojourn is E[S]/(1 − ρ) whatever the service law
  // (insensitivity): 10 ms / 0.2 = 50 ms for both laws below, λ = 80/s, E[S] = 10 ms.
  const laws: ReadonlyArray<{ readonly name: string; readonly service: Distribution }> = [
    { name: "exponential (M/M/1-PS, 1/(μ − λ))", service: EXPONENTIAL_10MS },
    {
      name: "lognormal(σ = 1) (insensitivity)",
      service: { kind: "lognormal", medianMs: 10 / Math.exp(0.5), sigma: 1 },
    },
  ];

  it.each(laws)(
    "keeps requests E[S]/(1 − ρ) = 50 ms in a processor-sharing server with $name service",
    ({ service }) => {
      // Tolerance: the 99% t-interval; half-width ≈ 1.2% for both laws. FIFO with the lognormal law
      // gives 64.4 ms (above), so the test tells the two disciplines apart.
      const rho = 0.08 * meanOf(service);
      const theoryMs = meanOf(service) / (1 - rho);
      expect(theoryMs).toBeCloseTo(50, 9);
      const runs = replications((seed) =>
        poissonScenario(seed, 80, [server("web01", { discipline: "ps", service })]),
      )();
      expectAgreesWithTheory(`M/G/1-PS W, ${service.kind}`, latencies(runs), theoryMs);
    },
  );
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
