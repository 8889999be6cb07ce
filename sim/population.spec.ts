// Spec of sim/population.ts: uniform and Zipf index draws, source addresses and paths.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPopulation, ipv4ForIndex, pathForIndex } from "./population.js";
import { createStream } from "./random.js";

// Goodness of fit: Pearson's χ² against the exact probabilities, compared with the χ² quantile at
// 1 − 10^-4 (Wilson–Hilferty, z = 3.719). The seeds are fixed, so the tests are deterministic; the
// threshold means a correct sampler would fail on one random seed in 10 000, so a failure points at
// a wrong law rather than bad luck. Every bin expects ≥ 5 draws, where χ² is a good approximation.
function chiSquareLimit(degreesOfFreedom: number): number {
  const k = 2 / (9 * degreesOfFreedom);
  return degreesOfFreedom * (1 - k + 3.719 * Math.sqrt(k)) ** 3;
}

function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let statistic = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    statistic += (observed[i]! - e) ** 2 / e;
  }
  return statistic;
}

/** Exact S(r) = Σ_{j=1..r} j^-s for r = 0..count, by compensated summation. */
function exactPartialSums(count: number, s: number): Float64Array {
  const sums = new Float64Array(count + 1);
  let sum = 0;
  let compensation = 0;
  for (let j = 1; j <= count; j++) {
    const y = j ** -s - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
    sums[j] = sum;
  }
  return sums;
}

/** Draws n indices and counts them in bins [edges[b], edges[b + 1]). */
function binnedDraws(draw: (u: number) => number, n: number, edges: readonly number[], seed: number) {
  const stream = createStream(seed, "population");
  const observed = new Float64Array(edges.length - 1);
  for (let i = 0; i < n; i++) {
    const index = draw(stream.next());
    let b = 0;
    while (index >= edges[b + 1]!) b++;
    observed[b]!++;
  }
  return observed;
}

/** Ranks 1..32 one by one, then bins doubling in width up to `count`. */
function zipfEdges(count: number): number[] {
  const edges: number[] = [];
  for (let i = 0; i <= 32 && i < count; i++) edges.push(i);
  for (let edge = 64; edge < count; edge *= 2) edges.push(edge);
  edges.push(count);
  return edges;
}

describe("createPopulation", () => {
  it("draws uniformly when zipf is null (χ² over 50 values)", () => {
    const n = 200_000;
    const edges = Array.from({ length: 51 }, (_, i) => i);
    const observed = binnedDraws(createPopulation(50, null), n, edges, 1);
    expect(chiSquare(observed, new Float64Array(50).fill(n / 50))).toBeLessThan(chiSquareLimit(49));
  });

  it.each([0.7, 1, 1.1, 2])("draws Zipf(%s) from its head table (χ² over 50 values)", (s) => {
    const n = 200_000;
    const sums = exactPartialSums(50, s);
    const expected = Array.from({ length: 50 }, (_, k) => (n * (k + 1) ** -s) / sums[50]!);
    const edges = Array.from({ length: 51 }, (_, i) => i);
    const observed = binnedDraws(createPopulation(50, s), n, edges, 2);
    expect(chiSquare(observed, expected)).toBeLessThan(chiSquareLimit(49));
  });

  it.each([0.5, 1, 1.1, 2])("draws Zipf(%s) over 300 000 values, past the head table (binned χ²)", (s) => {
    const count = 300_000;
    const n = 400_000;
    const sums = exactPartialSums(count, s);
    const total = sums[count]!;
    // Merge bins until each expects ≥ 5 draws (steep laws leave little mass in the far tail).
    const edges = [0];
    const expected: number[] = [];
    const raw = zipfEdges(count);
    for (let b = 1; b < raw.length; b++) {
      const mass = (n * (sums[raw[b]!]! - sums[edges[edges.length - 1]!]!)) / total;
      if (mass >= 5 || b === raw.length - 1) {
        edges.push(raw[b]!);
        expected.push(mass);
      }
    }
    const observed = binnedDraws(createPopulation(count, s), n, edges, 3);
    expect(chiSquare(observed, expected)).toBeLessThan(chiSquareLimit(expected.length - 1));
  });

  it("inverts the exact Zipf CDF for any u, in the head and past it", () => {
    for (const count of [196_625, 1_000_000]) {
      for (const s of [0, 0.5, 0.99999999, 1, 1.1, 2.5]) {
        const draw = createPopulation(count, s);
        const sums = exactPartialSums(count, s);
        const total = sums[count]!;
        // Index i is right when S(i) ≤ u·Z < S(i + 1), up to the rounding of sums of 10^6 terms.
        const tolerance = 1e-12 * total;
        const check = (u: number): void => {
          const index = draw(u);
          expect(Number.isInteger(index) && index >= 0 && index < count).toBe(true);
          const target = u * total;
          expect(sums[index]!).toBeLessThanOrEqual(target + tolerance);
          expect(sums[index + 1]!).toBeGreaterThan(target - tolerance);
        };
        fc.assert(
          fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => check(u)),
          { numRuns: 200 },
        );
        // Either side of the head table's last entry, where the tail formula takes over.
        const headEnd = sums[2 ** 16]! / total;
        for (const u of [0, headEnd * (1 - 1e-15), headEnd, headEnd * (1 + 1e-15), 1 - 2 ** -53]) check(u);
      }
    }
  });

  it("handles 10^7 values: first index with probability 1/S(n), last one for u near 1", () => {
    const count = 10_000_000;
    const s = 1.1;
    const draw = createPopulation(count, s);
    expect(draw(0)).toBe(0);
    expect(draw(1 - 2 ** -53)).toBe(count - 1);
    // S(10^7) for s = 1.1 by Euler–Maclaurin from ζ(1.1) = 10.5844484649508…
    const total = 10.584448464950801 - count ** -0.1 / 0.1 + count ** -1.1 / 2;
    const n = 200_000;
    const stream = createStream(4, "large");
    let zeros = 0;
    for (let i = 0; i < n; i++) if (draw(stream.next()) === 0) zeros++;
    const p = 1 / total;
    expect(Math.abs(zeros - n * p)).toBeLessThanOrEqual(4.5 * Math.sqrt(n * p * (1 - p)));
  });

  it("maps u to 0 at 0 and to the last index just below 1, uniform or Zipf", () => {
    for (const zipf of [null, 0, 1.3]) {
      const draw = createPopulation(1000, zipf);
      expect(draw(0)).toBe(0);
      expect(draw(1 - 2 ** -53)).toBe(999);
    }
    expect(createPopulation(1, 1.2)(0.99)).toBe(0);
  });

  it("rejects a count below 1 or a negative exponent as a broken invariant", () => {
    expect(() => createPopulation(0, null)).toThrow();
    expect(() => createPopulation(10, -1)).toThrow();
  });
});

describe("ipv4ForIndex", () => {
  it("counts up from 10.0.0.1", () => {
    expect(ipv4ForIndex(0)).toEqual({ text: "10.0.0.1", key: 0x0a000001 });
    expect(ipv4ForIndex(254)).toEqual({ text: "10.0.0.255", key: 0x0a0000ff });
    expect(ipv4ForIndex(255)).toEqual({ text: "10.0.1.0", key: 0x0a000100 });
    expect(ipv4ForIndex(2 ** 24 - 3)).toEqual({ text: "10.255.255.254", key: 0x0afffffe });
  });

  it("gives distinct addresses whose key is the dotted text as a 32-bit number", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 24 - 3 }),
        fc.integer({ min: 0, max: 2 ** 24 - 3 }),
        (i, j) => {
          const a = ipv4ForIndex(i);
          const [w, x, y, z] = a.text.split(".").map(Number) as [number, number, number, number];
          expect(a.key).toBe(((w << 24) | (x << 16) | (y << 8) | z) >>> 0);
          if (i !== j) expect(ipv4ForIndex(j).text).not.toBe(a.text);
        },
      ),
    );
  });

  it("refuses indices that do not fit in 10.0.0.0/8", () => {
    expect(() => ipv4ForIndex(2 ** 24 - 2)).toThrow();
    expect(() => ipv4ForIndex(-1)).toThrow();
    expect(() => ipv4ForIndex(1.5)).toThrow();
  });
});

describe("pathForIndex", () => {
  it("names item paths by index", () => {
    expect(pathForIndex(0)).toBe("/item/0");
    expect(pathForIndex(4999)).toBe("/item/4999");
  });
});
