// Theory: M/D/1, M/G/1 (Pollaczek–Khinchine) and M/G/1-PS against the simulator (see theory-support.ts).
import { describe, expect, it } from "vitest";
import type { Distribution } from "../scenarios/types.js";
import { meanOf, secondMomentOf } from "../sim/distributions.js";
import { server } from "../sim/test-support.js";
import {
  EXPONENTIAL_10MS,
  expectAgreesWithTheory,
  latencies,
  poissonScenario,
  queueWaits,
  replications,
} from "./theory-support.js";

// --- queueing formulas --------------------------------------------------------------------------

/** Pollaczek–Khinchine: the mean wait in queue of M/G/1, λ·E[S²] / (2(1 − ρ)), with λ in 1/ms. */
function pollaczekKhinchineWaitMs(lambdaPerMs: number, service: Distribution): number {
  const rho = lambdaPerMs * meanOf(service);
  return (lambdaPerMs * secondMomentOf(service)) / (2 * (1 - rho));
}

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
