// Spec of cli/format-actual.ts: an actual value and its limit read differently whenever they differ, and the margin.
import { describe, expect, it } from "vitest";
import { formatActual, formatFailure, formatMargin, formatPair } from "./format-actual.js";

describe("formatPair", () => {
  it("adds digits until a value and its limit read differently (seen: 103 ms vs 103 ms)", () => {
    // The check JSON had 102.85 vs 102.66; three significant digits showed both as "103 ms".
    expect(formatActual("leastconn.p99 < roundrobin.p99", 102.85)).toBe("103 ms");
    expect(formatPair("leastconn.p99 < roundrobin.p99", 102.85, 102.66)).toEqual({
      actual: "102.85 ms",
      limit: "102.66 ms",
    });
    expect(formatActual("leastconn.p99 < roundrobin.p99", 102.85, 102.66)).toBe("102.85 ms");
  });

  it("keeps three digits when they already differ, and when the two are equal", () => {
    expect(formatPair("p99 < 300ms", 412.3, 300)).toEqual({ actual: "412 ms", limit: "300 ms" });
    expect(formatPair("p99 < 300ms", 300, 300)).toEqual({ actual: "300 ms", limit: "300 ms" });
  });

  it("shows both in one unit once more digits are needed, and percentages and plain numbers alike", () => {
    expect(formatPair("p99 < 1s", 1000.4, 999.9)).toEqual({ actual: "1.0004 s", limit: "0.9999 s" });
    expect(formatPair("errors < 1%", 0.010012, 0.01)).toEqual({ actual: "1.0012%", limit: "1%" });
    expect(formatPair("maxqueued(web01) < 1000", 1000.5, 1000)).toEqual({
      actual: "1,000.5",
      limit: "1,000",
    });
  });

  it("stops at nine significant digits: a difference below that is float noise", () => {
    const pair = formatPair("p99 < roundrobin.p99", 102.850000000001, 102.85);
    expect(pair.actual).toBe(pair.limit);
  });

  it("reads unfinished as a share when the line has %, else as a count", () => {
    expect(formatActual("unfinished < 1%", 0.0213)).toBe("2.1%");
    expect(formatActual("unfinished < 50", 61)).toBe("61");
  });
});

describe("formatFailure", () => {
  it("prints the actual value, the limit and the margin, absolute and relative", () => {
    expect(formatFailure("leastconn.p99 < roundrobin.p99", 102.85, 102.66)).toBe(
      "102.85 ms vs 102.66 ms: 0.19 ms (0.19%) over",
    );
    expect(formatFailure("errors < 1%", 0.0125, 0.01)).toBe("1.3% vs 1.0%: 0.25 points (25%) over");
    expect(formatFailure("status(200) > 99%", 0.98, 0.99)).toBe("98.0% vs 99.0%: 1 point (1%) under");
  });

  it("leaves out the relative margin against a limit of 0, and says when the value sits on the limit", () => {
    expect(formatMargin("failed < 0", 3, 0)).toBe("3 over");
    expect(formatMargin("p99 < 100ms", 100, 100)).toBe("at the limit");
  });
});
