// Spec of sim/histogram.ts: percentiles within HDR's precision, exact mean/max, fixed memory.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "./histogram.js";

// 3 significant digits: a reported value is within 0.1% of the true order statistic (HDR buckets
// are at most 1/1024 of their value wide; 1e-3 leaves the rounding to 1 µs a margin).
const RELATIVE_PRECISION = 1e-3;

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

  it("refuses NaN, a sign of a bug upstream", () => {
    expect(() => new LatencyHistogram().record(Number.NaN)).toThrow();
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

  it("does not grow with the number of records", () => {
    const histogram = new LatencyHistogram();
    const footprint = histogram.footprintBytes;
    expect(footprint).toBeLessThan(256 * 1024);
    for (let i = 0; i < 1_000_000; i++) histogram.record((i % 997) * 3.7 + i * 1e-3);
    histogram.record(1e12);
    expect(histogram.footprintBytes).toBe(footprint);
  });

  it("rejects percentiles outside 0..100", () => {
    expect(() => uniformMicroseconds().percentileMs(101)).toThrow();
    expect(() => uniformMicroseconds().percentileMs(-1)).toThrow();
  });
});
