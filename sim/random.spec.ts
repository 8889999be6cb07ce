// Spec of sim/random.ts: named streams and the per-request demand generator.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStream, DemandRandom, lazyStream } from "./random.js";

function draws(next: () => number, n: number): number[] {
  return Array.from({ length: n }, next);
}

describe("createStream", () => {
  it("gives the same sequence for the same seed and name", () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (seed, name) => {
        const a = createStream(seed, name);
        const b = createStream(seed, name);
        expect(draws(() => a.next(), 20)).toEqual(draws(() => b.next(), 20));
        expect(draws(() => a.nextUint32(), 20)).toEqual(draws(() => b.nextUint32(), 20));
      }),
    );
  });

  it("gives unrelated sequences to different names under one seed", () => {
    const a = draws(createStream(7, "client:a").next, 1000);
    const b = draws(createStream(7, "client:b").next, 1000);
    expect(a).not.toEqual(b);
    // Independent uniforms have correlation ~ N(0, 1/n): 4.5/√1000 ≈ 0.14 is never reached by chance.
    expect(Math.abs(correlation(a, b))).toBeLessThan(4.5 / Math.sqrt(1000));
  });

  it("keeps a component's draws when another component is added", () => {
    const alone = createStream(7, "client:a");
    const first = draws(() => alone.next(), 50);
    const withNeighbour = createStream(7, "client:a");
    const neighbour = createStream(7, "client:b");
    const interleaved = draws(() => {
      neighbour.next();
      return withNeighbour.next();
    }, 50);
    expect(interleaved).toEqual(first);
  });

  it("reproduces the pinned sequence of seed 7, client:browsers on every platform", () => {
    // Alea is pure double arithmetic; these values must not change across Node versions or browsers.
    const stream = createStream(7, "client:browsers");
    expect([stream.next(), stream.next(), stream.nextUint32()]).toEqual(PINNED);
  });

  it("lazyStream draws what createStream draws, seeded at its first draw", () => {
    const eager = createStream(42, "server:web01:errors");
    const lazy = lazyStream(42, "server:web01:errors");
    for (let k = 0; k < 100; k++) {
      if (k % 3 === 0) expect(lazy.nextUint32()).toBe(eager.nextUint32());
      else expect(lazy.next()).toBe(eager.next());
    }
  });

  it("returns next() in [0, 1) and nextUint32() as 32-bit unsigned integers", () => {
    const stream = createStream(1, "range");
    for (let i = 0; i < 100_000; i++) {
      const u = stream.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = stream.nextUint32();
      expect(Number.isInteger(k) && k >= 0 && k <= 0xffffffff).toBe(true);
    }
  });

  it("draws next() with mean 1/2 and variance 1/12", () => {
    const n = 200_000;
    const sample = draws(createStream(3, "moments").next, n);
    const mean = sample.reduce((s, x) => s + x, 0) / n;
    const variance = sample.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    // Standard error of the mean is √(1/12/n); 4.5 of them is a false alarm once in ~10^5 seeds.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4.5 * Math.sqrt(1 / 12 / n));
    // Var of the sample variance of U(0,1) is (1/80 − 1/144)/n.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4.5 * Math.sqrt((1 / 80 - 1 / 144) / n));
  });
});

describe("DemandRandom", () => {
  it("restarts the same sequence on every reset to one seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const demand = new DemandRandom();
        demand.reset(seed);
        const first = draws(() => demand.next(), 8);
        demand.next();
        demand.reset(seed);
        expect(draws(() => demand.next(), 8)).toEqual(first);
      }),
    );
  });

  it("depends on the low 32 bits of the seed only", () => {
    const a = new DemandRandom(5);
    const b = new DemandRandom(5 + 2 ** 32);
    expect(draws(() => a.next(), 4)).toEqual(draws(() => b.next(), 4));
  });

  it("never returns 0 or 1: its extremes are 2^-33 and 1 − 2^-33", () => {
    // fmix32 is a bijection, so the seeds that make it output 0 and 2^32 − 1 can be computed.
    const demand = new DemandRandom();
    demand.reset(seedForFirstOutput(0));
    expect(demand.next()).toBe(2 ** -33);
    demand.reset(seedForFirstOutput(0xffffffff));
    expect(demand.next()).toBe(1 - 2 ** -33);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        demand.reset(seed);
        for (let i = 0; i < 4; i++) {
          const u = demand.next();
          expect(u > 0 && u < 1).toBe(true);
        }
      }),
    );
  });

  it("gives uniforms of mean 1/2 whose first draws are uncorrelated across consecutive seeds", () => {
    // Requests may carry consecutive seeds; their first uniforms must still look independent.
    const n = 100_000;
    const demand = new DemandRandom();
    const first: number[] = [];
    for (let seed = 0; seed < n; seed++) {
      demand.reset(seed);
      first.push(demand.next());
    }
    const mean = first.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4.5 * Math.sqrt(1 / 12 / n));
    const lagged = correlation(first.slice(0, -1), first.slice(1));
    expect(Math.abs(lagged)).toBeLessThan(4.5 / Math.sqrt(n));
  });

  it("gives uncorrelated successive draws within one request", () => {
    const n = 100_000;
    const demand = new DemandRandom();
    const firsts: number[] = [];
    const seconds: number[] = [];
    const seeds = createStream(11, "seeds");
    for (let i = 0; i < n; i++) {
      demand.reset(seeds.nextUint32());
      firsts.push(demand.next());
      seconds.push(demand.next());
    }
    expect(Math.abs(correlation(firsts, seconds))).toBeLessThan(4.5 / Math.sqrt(n));
  });
});

// Computed once, and cross-checked against an independent Python port of Alea (IEEE doubles
// give the same bits in any language), which is what makes them platform-independent.
const PINNED = [0.7473244808065964, 0.04201404751032689, 949836458];

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

// Inverts DemandRandom's first step: state = seed + γ, output = fmix32(state).
function seedForFirstOutput(output: number): number {
  let z = output | 0;
  z ^= z >>> 16;
  z = Math.imul(z, inverseOdd(0xc2b2ae35));
  z ^= (z >>> 13) ^ (z >>> 26);
  z = Math.imul(z, inverseOdd(0x85ebca6b));
  z ^= z >>> 16;
  return (z - 0x9e3779b9) >>> 0;
}

// Newton's iteration for the inverse of an odd number modulo 2^32 (each step doubles the bits).
function inverseOdd(m: number): number {
  let inverse = m;
  for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(m, inverse));
  return inverse;
}
