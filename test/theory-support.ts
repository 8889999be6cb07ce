// Support for the theory specs (theory-*.spec.ts): the statistical method, replicated Poisson runs.
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
import { expect } from "vitest";
import type { Distribution, Scenario, ServerSpec } from "../scenarios/types.js";
import type { Results } from "../sim/results.js";
import { client, scenario, simulate } from "../sim/test-support.js";

/** Replications per model. */
export const R = 20;
/** t(0.995, 19) = 2.8609: the 99.5% quantile of Student's t with R − 1 = 19 degrees of freedom. */
const T_995_19 = 2.8609;
export const SEEDS: readonly number[] = Array.from({ length: R }, (_, i) => i + 1);
/** Requests per replication after the warm-up. */
const REQUESTS = 200_000;
const WARMUP_MS = 20_000;
const BUCKET_MS = 10_000;
/** The sanity bound on the half-width relative to the theoretical value. */
const MAX_RELATIVE_HALF_WIDTH = 0.05;

const INFINITE = Number.POSITIVE_INFINITY;
export const EXPONENTIAL_10MS: Distribution = { kind: "exponential", meanMs: 10 };

// --- statistics ---------------------------------------------------------------------------------

interface Summary {
  readonly mean: number;
  /** Sample standard deviation of the replication values. */
  readonly s: number;
  /** t(0.995, R − 1) · s / √R. */
  readonly halfWidth: number;
}

export function summarize(values: ReadonlyArray<number>): Summary {
  const n = values.length;
  if (n !== R) throw new Error(`expected ${R} replications, got ${n}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, s, halfWidth: (T_995_19 * s) / Math.sqrt(n) };
}

/** The test of the file header: θ inside the 99% interval, and the interval narrow enough to mean something. */
export function expectAgreesWithTheory(what: string, values: ReadonlyArray<number>, theory: number): void {
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
export function expectZeroDifference(what: string, differences: ReadonlyArray<number>, scale: number): void {
  const { mean, halfWidth } = summarize(differences);
  const report = `${what}: mean difference ${mean.toFixed(4)} ± ${halfWidth.toFixed(4)} (scale ${scale.toFixed(3)})`;
  expect(halfWidth / scale, `${report} (half-width too wide)`).toBeLessThan(MAX_RELATIVE_HALF_WIDTH);
  expect(Math.abs(mean), report).toBeLessThanOrEqual(halfWidth);
}

// --- queueing formulas --------------------------------------------------------------------------

/** An open-loop Poisson scenario of about REQUESTS steady-state requests, with no timeouts. */
export function poissonScenario(
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
export function replications(build: (seed: number) => Scenario): () => readonly Results[] {
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

export const latencies = (runs: readonly Results[]) => runs.map((r) => r.latency.meanMs);
export const queueWaits = (runs: readonly Results[]) => runs.map((r) => r.queue.meanMs);
/** The mean wait inside the servers, behind busy workers (not the balancer's queues). */
export const serverWaits = (runs: readonly Results[]) => runs.map((r) => r.wait.meanMs);
