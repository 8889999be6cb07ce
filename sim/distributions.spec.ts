// Spec of sim/distributions.ts: samplers against their analytic laws, moments, and Φ⁻¹.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Distribution } from "../scenarios/types.js";
import {
  compileDistribution,
  inverseStandardNormal,
  meanOf,
  secondMomentOf,
  type Uniform,
} from "./distributions.js";
import { createStream, DemandRandom } from "./random.js";

// Every statistical check below allows Z = 4.5 standard errors. The seeds are fixed, so the tests
// are deterministic; the bound says that a correct sampler would fail with probability ~7e-6 on
// a random seed (two-sided normal tail at 4.5σ, by the CLT), so a failure means a biased sampler,
// not bad luck. With N = 200 000 the bound is 1% of the mean for the exponential law (the
// coefficient of variation is 1), so only a smaller bias than that can slip through.
const Z = 4.5;
const N = 200_000;

interface Law {
  readonly name: string;
  readonly d: Distribution;
  /** A point x and the analytic P(S ≤ x) there. */
  readonly cdfAt: readonly [number, number];
}

const LAWS: readonly Law[] = [
  { name: "exponential", d: { kind: "exponential", meanMs: 20 }, cdfAt: [20 * Math.LN2, 0.5] },
  { name: "uniform", d: { kind: "uniform", minMs: 5, maxMs: 15 }, cdfAt: [12, 0.7] },
  { name: "lognormal", d: { kind: "lognormal", medianMs: 20, sigma: 0.6 }, cdfAt: [20, 0.5] },
  { name: "erlang", d: { kind: "erlang", k: 4, meanMs: 10 }, cdfAt: [10, erlangCdf(4, 10, 10)] },
  { name: "pareto (shape 3)", d: { kind: "pareto", scaleMs: 10, shape: 3 }, cdfAt: [20, 1 - 0.5 ** 3] },
  {
    name: "mix",
    d: {
      kind: "mix",
      parts: [
        { p: 0.9, dist: { kind: "exponential", meanMs: 5 } },
        { p: 0.1, dist: { kind: "constant", valueMs: 200 } },
      ],
    },
    cdfAt: [10, 0.9 * (1 - Math.exp(-2))],
  },
];

function sample(d: Distribution, n: number, uniform: Uniform): Float64Array {
  const sampler = compileDistribution(d);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sampler(uniform);
  return out;
}

// The common-random-numbers path: one DemandRandom reseeded per "request", as servers use it.
function sampleAsRequests(d: Distribution, n: number, seed: number): Float64Array {
  const sampler = compileDistribution(d);
  const seeds = createStream(seed, "demand-seeds");
  const demand = new DemandRandom();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    demand.reset(seeds.nextUint32());
    out[i] = sampler(demand);
  }
  return out;
}

function expectMeanMatches(xs: Float64Array, d: Distribution): void {
  const mean = meanOf(d);
  const variance = secondMomentOf(d) - mean * mean;
  const sampleMean = xs.reduce((s, x) => s + x, 0) / xs.length;
  expect(Math.abs(sampleMean - mean)).toBeLessThanOrEqual(Z * Math.sqrt(variance / xs.length));
}

// The number of samples ≤ x is Binomial(n, F(x)) for a correct sampler.
function expectCdfMatches(xs: Float64Array, [x, p]: readonly [number, number]): void {
  let below = 0;
  for (const v of xs) if (v <= x) below++;
  expect(Math.abs(below - xs.length * p)).toBeLessThanOrEqual(Z * Math.sqrt(xs.length * p * (1 - p)));
}

describe.each(LAWS)("the $name sampler", ({ name, d, cdfAt }) => {
  it("has the analytic mean, from a named stream", () => {
    expectMeanMatches(sample(d, N, createStream(1, name)), d);
  });

  it("has the analytic CDF at one point, from a named stream", () => {
    expectCdfMatches(sample(d, N, createStream(2, name)), cdfAt);
  });

  it("has the analytic mean and CDF when reseeded per request", () => {
    const xs = sampleAsRequests(d, N, 3);
    expectMeanMatches(xs, d);
    expectCdfMatches(xs, cdfAt);
  });
});

describe("heavy tails", () => {
  it("pareto with shape 1.5 (infinite variance) has the analytic median", () => {
    const d: Distribution = { kind: "pareto", scaleMs: 10, shape: 1.5 };
    expectCdfMatches(sample(d, N, createStream(4, "pareto")), [10 * 2 ** (1 / 1.5), 0.5]);
    expect(meanOf(d)).toBe(30);
    expect(secondMomentOf(d)).toBe(Number.POSITIVE_INFINITY);
  });

  it("pareto with shape ≤ 1 has an infinite mean", () => {
    expect(meanOf({ kind: "pareto", scaleMs: 10, shape: 1 })).toBe(Number.POSITIVE_INFINITY);
    expect(meanOf({ kind: "pareto", scaleMs: 10, shape: 0.8 })).toBe(Number.POSITIVE_INFINITY);
  });

  it("a mix ignores the infinite moments of a part of weight 0", () => {
    const d: Distribution = {
      kind: "mix",
      parts: [
        { p: 1, dist: { kind: "constant", valueMs: 3 } },
        { p: 0, dist: { kind: "pareto", scaleMs: 1, shape: 0.5 } },
      ],
    };
    expect(meanOf(d)).toBe(3);
    expect(secondMomentOf(d)).toBe(9);
  });
});

describe("moments", () => {
  it("match the closed forms of each law", () => {
    expect(meanOf({ kind: "exponential", meanMs: 20 })).toBe(20);
    expect(secondMomentOf({ kind: "exponential", meanMs: 20 })).toBe(800);
    expect(secondMomentOf({ kind: "constant", valueMs: 7 })).toBe(49);
    // U(0, 12): E[S²] = 144/3.
    expect(secondMomentOf({ kind: "uniform", minMs: 0, maxMs: 12 })).toBe(48);
    // Erlang(k, mean m): Var = m²/k.
    expect(secondMomentOf({ kind: "erlang", k: 4, meanMs: 10 })).toBe(125);
    expect(meanOf({ kind: "lognormal", medianMs: 1, sigma: 1 })).toBeCloseTo(Math.exp(0.5), 14);
    expect(secondMomentOf({ kind: "lognormal", medianMs: 1, sigma: 1 })).toBeCloseTo(Math.exp(2), 13);
    expect(secondMomentOf({ kind: "pareto", scaleMs: 1, shape: 3 })).toBe(3);
  });

  it("weigh mix parts by p / Σp, as the sampler picks them", () => {
    const d: Distribution = {
      kind: "mix",
      parts: [
        { p: 3, dist: { kind: "constant", valueMs: 10 } },
        { p: 1, dist: { kind: "constant", valueMs: 30 } },
      ],
    };
    expect(meanOf(d)).toBe(15);
    expect(secondMomentOf(d)).toBe(300);
  });
});

describe("common random numbers", () => {
  it("exponential servers of different means see exactly proportional demands", () => {
    const fast = compileDistribution({ kind: "exponential", meanMs: 10 });
    const slow = compileDistribution({ kind: "exponential", meanMs: 20 });
    const demand = new DemandRandom();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        demand.reset(seed);
        const a = fast(demand);
        demand.reset(seed);
        expect(slow(demand)).toBe(2 * a);
      }),
    );
  });

  it("lognormal and pareto servers of different scales see proportional demands", () => {
    const pairs: ReadonlyArray<readonly [Distribution, Distribution, number]> = [
      [{ kind: "lognormal", medianMs: 10, sigma: 0.8 }, { kind: "lognormal", medianMs: 30, sigma: 0.8 }, 3],
      [{ kind: "pareto", scaleMs: 5, shape: 1.5 }, { kind: "pareto", scaleMs: 20, shape: 1.5 }, 4],
    ];
    const demand = new DemandRandom();
    for (const [small, large, factor] of pairs) {
      const a = compileDistribution(small);
      const b = compileDistribution(large);
      for (let seed = 0; seed < 1000; seed++) {
        demand.reset(seed);
        const x = a(demand);
        demand.reset(seed);
        expect(b(demand) / x).toBeCloseTo(factor, 12);
      }
    }
  });

  it("a mix picks its part with the first uniform and samples it with the next ones", () => {
    const mix = compileDistribution({
      kind: "mix",
      parts: [
        { p: 0.5, dist: { kind: "constant", valueMs: 1 } },
        { p: 0.5, dist: { kind: "exponential", meanMs: 10 } },
      ],
    });
    expect(mix(scripted([0.7, 0.25]))).toBe(-10 * Math.log1p(-0.25));
    expect(mix(scripted([0.3]))).toBe(1);
  });

  it("uses one uniform per continuous law, k for erlang and none for a constant", () => {
    const counting = (d: Distribution): number => {
      let calls = 0;
      compileDistribution(d)({
        next: () => {
          calls++;
          return 0.5;
        },
      });
      return calls;
    };
    expect(counting({ kind: "exponential", meanMs: 1 })).toBe(1);
    expect(counting({ kind: "uniform", minMs: 0, maxMs: 1 })).toBe(1);
    expect(counting({ kind: "lognormal", medianMs: 1, sigma: 0 })).toBe(1);
    expect(counting({ kind: "pareto", scaleMs: 1, shape: 2 })).toBe(1);
    expect(counting({ kind: "erlang", k: 5, meanMs: 1 })).toBe(5);
    expect(counting({ kind: "constant", valueMs: 1 })).toBe(0);
  });
});

describe("every sampler", () => {
  it("returns finite times ≥ 0 for any uniform in [0, 1)", () => {
    fc.assert(
      fc.property(
        distributionArbitrary,
        fc.array(uniformArbitrary, { minLength: 40, maxLength: 40 }),
        (d, us) => {
          const x = compileDistribution(d)(scripted(us));
          expect(x >= 0 && Number.isFinite(x)).toBe(true);
        },
      ),
    );
  });

  it("is deterministic: the same seed gives the same samples", () => {
    fc.assert(
      fc.property(distributionArbitrary, fc.integer(), (d, seed) => {
        const a = sample(d, 20, createStream(seed, "x"));
        const b = sample(d, 20, createStream(seed, "x"));
        expect(a).toEqual(b);
      }),
    );
  });

  it("survives erlang phases whose product of uniforms would underflow", () => {
    // Each factor 1 − u is 2^-53, so the product of 400 of them is 2^-21200, far below any double.
    const tiny = scripted(Array.from({ length: 400 }, () => 1 - 2 ** -53));
    const x = compileDistribution({ kind: "erlang", k: 400, meanMs: 400 })(tiny);
    expect(x).toBeCloseTo(400 * 53 * Math.LN2, 9);
  });

  it("rejects impossible parameters as a broken invariant", () => {
    expect(() => compileDistribution({ kind: "erlang", k: 2.5, meanMs: 1 })).toThrow();
    expect(() => compileDistribution({ kind: "exponential", meanMs: -1 })).toThrow();
    expect(() => compileDistribution({ kind: "uniform", minMs: 5, maxMs: 1 })).toThrow();
    expect(() => compileDistribution({ kind: "pareto", scaleMs: 1, shape: 0 })).toThrow();
    expect(() => compileDistribution({ kind: "mix", parts: [] })).toThrow();
  });
});

describe("inverseStandardNormal", () => {
  it("matches reference quantiles to 1e-15 relative", () => {
    // Reference values from scipy.stats.norm.ppf (Cephes ndtri).
    const reference: ReadonlyArray<readonly [number, number]> = [
      [0.975, 1.959963984540054],
      [0.9, 1.2815515655446004],
      [0.3, -0.5244005127080409],
      [0.0749, -1.4402382675279635],
      [0.926, 1.446632067158979],
      [0.999, 3.090232306167813],
      [1e-5, -4.264890793922825],
      [1e-10, -6.361340902404056],
      [1e-20, -9.262340089798409],
      [1e-300, -37.0470962993612],
      [2 ** -33, -6.3379577545537895],
      [1 - 2 ** -53, 8.209536151601387],
    ];
    for (const [p, x] of reference) {
      expect(Math.abs(inverseStandardNormal(p) - x)).toBeLessThanOrEqual(1e-15 * Math.abs(x));
    }
    expect(inverseStandardNormal(0.5)).toBe(0);
  });

  it("is antisymmetric and monotone", () => {
    // p is rounded to a multiple of 2^-53 so that 1 − p is exact and the symmetry can be exact too.
    fc.assert(
      fc.property(fc.double({ min: 2 ** -53, max: 0.5, noNaN: true }), (x) => {
        const p = Math.round(x * 2 ** 53) * 2 ** -53;
        expect(inverseStandardNormal(1 - p) + inverseStandardNormal(p)).toBe(0);
      }),
    );
    let previous = Number.NEGATIVE_INFINITY;
    for (let i = 1; i < 10_000; i++) {
      const x = inverseStandardNormal(i / 10_000);
      expect(x).toBeGreaterThan(previous);
      previous = x;
    }
  });

  it("is −∞ at 0 and +∞ at 1", () => {
    expect(inverseStandardNormal(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseStandardNormal(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

function scripted(values: readonly number[]): Uniform {
  let i = 0;
  return {
    next: () => {
      const v = values[i++];
      if (v === undefined) throw new Error("scripted uniforms exhausted");
      return v;
    },
  };
}

// P(Erlang(k, mean) ≤ x) = 1 − Σ_{j<k} e^{−λx}(λx)^j / j!, with λ = k / mean.
function erlangCdf(k: number, meanMs: number, x: number): number {
  const lx = (k / meanMs) * x;
  let term = Math.exp(-lx);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    sum += term;
    term *= lx / (j + 1);
  }
  return 1 - sum;
}

const uniformArbitrary = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const msArbitrary = fc.double({ min: 0, max: 1e5, noNaN: true });

const leafArbitrary: fc.Arbitrary<Distribution> = fc.oneof(
  msArbitrary.map((meanMs): Distribution => ({ kind: "exponential", meanMs })),
  msArbitrary.map((valueMs): Distribution => ({ kind: "constant", valueMs })),
  fc.tuple(msArbitrary, msArbitrary).map(
    ([a, b]): Distribution => ({
      kind: "uniform",
      minMs: Math.min(a, b),
      maxMs: Math.max(a, b),
    }),
  ),
  fc
    .tuple(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }))
    .map(([medianMs, sigma]): Distribution => ({ kind: "lognormal", medianMs, sigma })),
  fc
    .tuple(fc.integer({ min: 1, max: 8 }), msArbitrary)
    .map(([k, meanMs]): Distribution => ({ kind: "erlang", k, meanMs })),
  fc
    .tuple(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), fc.double({ min: 0.5, max: 10, noNaN: true }))
    .map(([scaleMs, shape]): Distribution => ({ kind: "pareto", scaleMs, shape })),
);

const distributionArbitrary: fc.Arbitrary<Distribution> = fc.oneof(
  { weight: 3, arbitrary: leafArbitrary },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), leafArbitrary), {
        minLength: 1,
        maxLength: 4,
      })
      .map((parts): Distribution => ({ kind: "mix", parts: parts.map(([p, dist]) => ({ p, dist })) })),
  },
);
