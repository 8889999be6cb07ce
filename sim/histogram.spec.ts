// Spec of sim/histogram.ts: percentiles within HDR's precision, exact mean/max, fixed memory.
import fc from "fast-check";
import { build } from "hdr-histogram-js";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "./histogram.js";

// 3 significant digits: a reported value is within 0.1% of the true order statistic (HDR buckets
// are at most 1/1024 of their value wide; 1e-3 leaves the rounding to 1 µs a margin).
const RELATIVE_PRECISION = 1e-3;

/** The whole µs that LatencyHistogram records for `ms` under ceiling `highestUs`: half up, clamped. */
function toMicroseconds(ms: number, highestUs: number): number {
  return Math.min(Math.max(Math.floor(ms * 1000 + 0.5), 0), highestUs);
}

/**
 * hdr-histogram-js fed what LatencyHistogram records, as the reference: the percentile it answers,
 * capped at the exact max as LatencyHistogram documents.
 */
function hdrReference(ms: readonly number[], highestMs: number): (p: number) => number {
  const highestUs = Math.round(highestMs * 1000);
  const hdr = build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestUs,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  let maxUs = 0;
  for (const x of ms) {
    const us = toMicroseconds(x, highestUs);
    hdr.recordValue(us);
    maxUs = Math.max(maxUs, us);
  }
  return (p) => Math.min(hdr.getValueAtPercentile(p), maxUs) / 1000;
}

/**
 * The exact p-th percentile (µs) of sorted µs by HDR's rank: the ⌈p% · n⌉-th smallest (less 1 ulp,
 * so fp error cannot skip a rank), at least the 1st.
 */
function exactPercentileUs(sortedUs: readonly number[], p: number): number {
  const fpRank = (p / 100) * sortedUs.length;
  const rank = Math.max(Math.ceil(fpRank - 2 ** (Math.floor(Math.log2(fpRank)) - 52)), 1);
  return sortedUs[rank - 1]!;
}

/** Latencies (ms) over every bucket magnitude, including negatives, 0, ∞ and past any ceiling. */
const latencyMs = fc.oneof(
  fc.double({ min: -4, max: 7.5, noNaN: true }).map((e) => 10 ** e),
  fc.integer({ min: 0, max: 5_000_000 }).map((us) => us / 1000),
  fc.double({ min: -10, max: 0, noNaN: true }),
  fc.constantFrom(0, -0, 0.0005, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);
/** Ceilings (ms) on both sides of 2^32 µs (71.6 min), where record() leaves its 32-bit fast path. */
const highestMs = fc.constantFrom(1, 1000, 3_600_000, 4_294_967.295, 4_294_967.296, 10_000_000, 1e9);
const percentiles = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 10 });
const FIXED_PERCENTILES = [0, 0.1, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

/** 1..100 000 µs once each, i.e. 0.001 ms to 100 ms uniformly. */
function uniformMicroseconds(): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (let us = 1; us <= 100_000; us++) histogram.record(us / 1000);
  return histogram;
}

describe("LatencyHistogram", () => {
  it("reports percentiles of known data within HDR's relative precision", () => {
    const histogram = uniformMicroseconds();
    for (const p of [1, 10, 50, 90, 99, 99.9, 99.99]) {
      // The p-th percentile of 1..100 000 µs is ⌈p·1000⌉ µs.
      const exactMs = Math.ceil(p * 1000) / 1000;
      const reportedMs = histogram.percentileMs(p);
      expect(Math.abs(reportedMs - exactMs)).toBeLessThanOrEqual(exactMs * RELATIVE_PRECISION);
    }
    expect(histogram.percentileMs(100)).toBe(100);
  });

  it("keeps count, mean and max exact", () => {
    const histogram = uniformMicroseconds();
    expect(histogram.count).toBe(100_000);
    expect(histogram.meanMs).toBeCloseTo(50.0005, 10);
    expect(histogram.maxMs).toBe(100);
  });

  it("records milliseconds at microsecond resolution", () => {
    const histogram = new LatencyHistogram();
    histogram.record(1.2344);
    histogram.record(1.2346);
    expect(histogram.meanMs).toBeCloseTo(1.2345, 12);
    expect(histogram.maxMs).toBe(1.235);
    expect(histogram.percentileMs(0)).toBe(1.234);
  });

  it("is empty after reset and reports 0 rather than NaN when empty", () => {
    const histogram = uniformMicroseconds();
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.meanMs).toBe(0);
    expect(histogram.maxMs).toBe(0);
    expect(histogram.percentileMs(99)).toBe(0);
    histogram.record(7);
    expect(histogram.percentileMs(50)).toBe(7);
    expect(histogram.meanMs).toBe(7);
  });

  it("clamps negative times to 0 and times past its ceiling to the ceiling", () => {
    const histogram = new LatencyHistogram({ highestMs: 1000 });
    histogram.record(-5);
    histogram.record(Number.POSITIVE_INFINITY);
    histogram.record(5000);
    expect(histogram.count).toBe(3);
    expect(histogram.percentileMs(0)).toBe(0);
    expect(histogram.maxMs).toBe(1000);
    expect(histogram.percentileMs(100)).toBe(1000);
    expect(histogram.meanMs).toBeCloseTo(2000 / 3, 9);
  });

  it("records an hour by default", () => {
    const histogram = new LatencyHistogram();
    histogram.record(3_600_000);
    histogram.record(4_000_000);
    expect(histogram.maxMs).toBe(3_600_000);
  });

  it("rounds half up to whole microseconds", () => {
    const histogram = new LatencyHistogram();
    histogram.record(0.0005);
    histogram.record(0.0014999);
    histogram.record(-0.0004);
    expect(histogram.maxMs).toBe(0.001);
    expect(histogram.meanMs).toBeCloseTo(0.002 / 3, 15);
    expect(histogram.percentileMs(0)).toBe(0);
  });

  it("refuses NaN, a sign of a bug upstream, and records nothing", () => {
    const histogram = new LatencyHistogram();
    histogram.record(3);
    expect(() => histogram.record(Number.NaN)).toThrow();
    expect(histogram.count).toBe(1);
    expect(histogram.maxMs).toBe(3);
  });

  it("refuses a ceiling below 1 ms or past 2^52 µs", () => {
    expect(() => new LatencyHistogram({ highestMs: 0.5 })).toThrow();
    expect(() => new LatencyHistogram({ highestMs: Number.NaN })).toThrow();
    expect(() => new LatencyHistogram({ highestMs: Number.POSITIVE_INFINITY })).toThrow();
    expect(() => new LatencyHistogram({ highestMs: 4.6e12 })).toThrow();
    const widest = new LatencyHistogram({ highestMs: 4.5e12 });
    widest.record(Number.POSITIVE_INFINITY);
    widest.record(4e12);
    expect(widest.maxMs).toBe(4.5e12);
    expect(Math.abs(widest.percentileMs(50) - 4e12)).toBeLessThanOrEqual(4e12 * RELATIVE_PRECISION);
  });

  it("answers as hdr-histogram-js does, within 0.1% of the exact percentile", () => {
    fc.assert(
      fc.property(
        fc.array(latencyMs, { minLength: 1, maxLength: 300 }),
        highestMs,
        percentiles,
        (ms, highest, randomPercentiles) => {
          const histogram = new LatencyHistogram({ highestMs: highest });
          for (const x of ms) histogram.record(x);
          const reference = hdrReference(ms, highest);
          const highestUs = Math.round(highest * 1000);
          const sortedUs = ms.map((x) => toMicroseconds(x, highestUs)).sort((a, b) => a - b);
          for (const p of [...FIXED_PERCENTILES, ...randomPercentiles]) {
            const reported = histogram.percentileMs(p);
            // Same bucket layout and rank rule as HDR (3 significant digits), hence the same answer.
            expect(reported).toBe(reference(p));
            const exactUs = exactPercentileUs(sortedUs, p);
            expect(Math.abs(reported * 1000 - exactUs)).toBeLessThanOrEqual(
              exactUs * RELATIVE_PRECISION + 1e-6,
            );
          }
        },
      ),
    );
  });

  it("agrees with hdr-histogram-js at every 0.1 percentile of 10^5 exponential latencies", () => {
    let state = 12345;
    const ms = Array.from({ length: 100_000 }, () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return -20 * Math.log((state + 0.5) / 2 ** 32);
    });
    const histogram = new LatencyHistogram();
    for (const x of ms) histogram.record(x);
    const reference = hdrReference(ms, 3_600_000);
    for (let tenths = 0; tenths <= 1000; tenths++) {
      expect(histogram.percentileMs(tenths / 10)).toBe(reference(tenths / 10));
    }
  });

  it("forgets everything on reset, though it clears only up to the max's bucket", () => {
    fc.assert(
      fc.property(
        fc.array(latencyMs, { maxLength: 100 }),
        fc.array(latencyMs, { minLength: 1, maxLength: 100 }),
        highestMs,
        (before, after, highest) => {
          const reused = new LatencyHistogram({ highestMs: highest });
          for (const x of before) reused.record(x);
          reused.reset();
          const fresh = new LatencyHistogram({ highestMs: highest });
          for (const x of after) {
            reused.record(x);
            fresh.record(x);
          }
          expect(reused.count).toBe(fresh.count);
          expect(reused.meanMs).toBe(fresh.meanMs);
          expect(reused.maxMs).toBe(fresh.maxMs);
          for (const p of FIXED_PERCENTILES) expect(reused.percentileMs(p)).toBe(fresh.percentileMs(p));
        },
      ),
    );
  });

  it("never reports a percentile above the max or out of order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (ms) => {
          const histogram = new LatencyHistogram();
          for (const x of ms) histogram.record(x);
          let previous = 0;
          for (const p of [0, 25, 50, 75, 90, 99, 99.9, 100]) {
            const value = histogram.percentileMs(p);
            expect(value).toBeGreaterThanOrEqual(previous);
            expect(value).toBeLessThanOrEqual(histogram.maxMs);
            previous = value;
          }
          const sorted = [...ms].map((x) => Math.round(x * 1000) / 1000).sort((a, b) => a - b);
          const median = sorted[Math.ceil(sorted.length / 2) - 1]!;
          expect(Math.abs(histogram.percentileMs(50) - median)).toBeLessThanOrEqual(
            median * RELATIVE_PRECISION + 0.001,
          );
        },
      ),
    );
  });

  it("answers several percentiles in one pass exactly as one at a time", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 300 }),
        fc.uniqueArray(fc.constantFrom(0, 1, 25, 50, 90, 99, 99.9, 100), { minLength: 1 }),
        (ms, unsorted) => {
          const histogram = new LatencyHistogram();
          for (const x of ms) histogram.record(x);
          const ps = [...unsorted].sort((a, b) => a - b);
          expect(histogram.percentilesMs(ps)).toEqual(ps.map((p) => histogram.percentileMs(p)));
        },
      ),
    );
    expect(() => new LatencyHistogram().percentilesMs([99, 50])).not.toThrow();
    const one = new LatencyHistogram();
    one.record(5);
    expect(() => one.percentilesMs([99, 50])).toThrow(/ascend/);
  });

  it("does not grow with the number of records", () => {
    const histogram = new LatencyHistogram();
    const footprint = histogram.footprintBytes;
    // 8-byte counts for the ~22.7 k buckets up to an hour at 3 significant digits.
    expect(footprint).toBeGreaterThan(180 * 1024);
    expect(footprint).toBeLessThan(256 * 1024);
    // Memory grows with the log of the ceiling: a second needs 11 powers of two fewer than an hour.
    expect(new LatencyHistogram({ highestMs: 1000 }).footprintBytes).toBeLessThan(footprint / 2);
    for (let i = 0; i < 1_000_000; i++) histogram.record((i % 997) * 3.7 + i * 1e-3);
    histogram.record(1e12);
    expect(histogram.footprintBytes).toBe(footprint);
  });

  it("rejects percentiles outside 0..100", () => {
    expect(() => uniformMicroseconds().percentileMs(101)).toThrow();
    expect(() => uniformMicroseconds().percentileMs(-1)).toThrow();
  });
});
