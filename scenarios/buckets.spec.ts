// The series bucket rule: nice widths, at most 2,000 buckets when unset, 100,000 when set.
import { describe, expect, it } from "vitest";
import { simulate } from "../sim/test-support.js";
import { autoBucketMs, formatWidth, MAX_AUTO_BUCKETS, MAX_BUCKETS } from "./buckets.js";
import { issuesOf } from "./errors-test-support.js";
import { parseScenario } from "./parse.js";

const HOUR_MS = 3_600_000;

const sparse = (duration: string, bucket = ""): string => `duration: ${duration}
${bucket}backend:
  service: {exponential: 20ms}
  servers:
    - {name: web01}
clients:
  - name: c
    arrivals: {poisson: 0.01/s}
`;

describe("autoBucketMs", () => {
  it("keeps 1 s up to 2,000 s, so existing Results do not change", () => {
    for (const seconds of [1, 60, 1_999, 2_000]) expect(autoBucketMs(seconds * 1000, 3)).toBe(1000);
  });

  it("takes the narrowest nice width that makes at most 2,000 buckets", () => {
    expect(autoBucketMs(2_001_000, 3)).toBe(2_000);
    expect(autoBucketMs(1000 * HOUR_MS, 1)).toBe(30 * 60_000); // 3.6 M s / 2,000 = 1,800 s
    expect(autoBucketMs(24 * HOUR_MS, 1)).toBe(60_000); // 86,400 s / 2,000 = 43.2 s → 1m
    expect(autoBucketMs(2e12, 1)).toBe(20 * 86_400_000); // 10^9 ms = 11.6 days → 20d
  });

  it("never makes more than 2,000 buckets, whatever the duration", () => {
    for (let durationMs = 1; durationMs < 1e16; durationMs *= 3.7) {
      const widthMs = autoBucketMs(durationMs, 1);
      expect(Math.ceil(durationMs / widthMs)).toBeLessThanOrEqual(MAX_AUTO_BUCKETS);
      expect(formatWidth(widthMs)).toMatch(/^(1|2|3|5|6|10|12|15|20|30|50|\d+0)(s|m|h|d)$/);
    }
  });

  it("keeps servers × buckets at 2·10^6 points: 10^4 servers get 200 buckets", () => {
    expect(Math.ceil((2 * HOUR_MS) / autoBucketMs(2 * HOUR_MS, 10_000))).toBeLessThanOrEqual(200);
  });
});

describe("a long sparse run", () => {
  it("1000 hours at 0.01 requests/s: 2,000 buckets of 30m and a JSON under 1 MB (was 3.6 M buckets, 265 MB)", () => {
    const scenario = parseScenario(sparse("1000h"), "sparse.yaml");
    expect(scenario.bucketMs).toBe(30 * 60_000);
    const results = simulate(scenario);
    expect(results.series.atMs).toHaveLength(2_000);
    expect(results.series.inFlight.web01).toHaveLength(2_000);
    expect(results.series.requests.reduce((a, b) => a + b, 0)).toBe(
      results.requests.total + results.requests.unfinished,
    );
    expect(JSON.stringify(results).length).toBeLessThan(1_000_000);
  });

  it("an explicit bucket is kept when it makes at most 100,000 buckets", () => {
    expect(parseScenario(sparse("1000h", "bucket: 1m\n"), "s.yaml").bucketMs).toBe(60_000);
  });

  it("an explicit bucket that makes more than 100,000 buckets is refused at its line, with the smallest width allowed", () => {
    const [issue, ...rest] = issuesOf(sparse("1000h", "bucket: 1s\n"));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: "too-large", path: "bucket", line: 2, column: 9 });
    expect(issue?.message).toContain("3,600,000 buckets");
    // 3.6·10^9 ms / 100,000 = 36 s
    expect(issue?.hint).toContain("smallest width allowed for this duration is 36s");
    expect(MAX_BUCKETS).toBe(100_000);
  });
});
