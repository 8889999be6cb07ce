import { describe, expect, it } from "vitest";
import { raisedFigures } from "./latency-figures.js";
import { sampleResults } from "./test-support.js";

describe("raisedFigures", () => {
  const higher = (boundMs: number, answeredMs: number) => boundMs > answeredMs;

  it("raisedFigures finds none when no request was unfinished", () => {
    expect(raisedFigures(sampleResults(), higher)).toEqual([]);
  });

  it("raisedFigures names the figures the rule says the bound raises, in the table's order", () => {
    const results = sampleResults();
    const bound = { ...results.latency, p999Ms: 2004.5, maxMs: 9000, p99Ms: 98, unfinished: 2 };
    expect(raisedFigures({ ...results, latencyLowerBound: bound }, higher)).toEqual([
      { name: "p99", answeredMs: 97.14, boundMs: 98 },
      { name: "max", answeredMs: 2012.9, boundMs: 9000 },
    ]);
  });
});
