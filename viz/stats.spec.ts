// Spec of viz/stats.ts: Student's t quantiles, 95% intervals and rounding for charts.
import { describe, expect, it } from "vitest";
import { chartRound, interval95, tQuantile95 } from "./stats.js";

describe("stats", () => {
  it("gives Student's t two-sided 95% quantiles by degrees of freedom, 1.96 beyond the table", () => {
    expect([tQuantile95(1), tQuantile95(2), tQuantile95(4), tQuantile95(29), tQuantile95(30)]).toEqual([
      12.706, 4.303, 2.776, 2.045, 1.96,
    ]);
  });

  it("gives mean ± t·s/√n, and no interval for one value", () => {
    // 1, 2, 3: mean 2, s = 1, t(2) = 4.303.
    const ci = interval95([1, 2, 3])!;
    expect(ci.low).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 12);
    expect(ci.high).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 12);
    expect(interval95([5])).toBeUndefined();
  });

  it("rounds to 4 significant digits, and turns what JSON cannot hold into 0", () => {
    expect([chartRound(153.0871), chartRound(0.000123456), chartRound(12345.6)]).toEqual([
      153.1, 0.0001235, 12350,
    ]);
    expect([chartRound(Number.NaN), chartRound(Number.POSITIVE_INFINITY)]).toEqual([0, 0]);
    expect([chartRound(-3.45678), chartRound(1000), chartRound(999.96), chartRound(5)]).toEqual([
      -3.457, 1000, 1000, 5,
    ]);
    // The same double as the 4-significant-digit decimal, across magnitudes.
    for (let i = 1; i < 2000; i++) {
      const x = (i * 7919.123) / 10 ** (i % 12);
      expect(chartRound(x)).toBe(Number(x.toPrecision(4)));
    }
  });
});
