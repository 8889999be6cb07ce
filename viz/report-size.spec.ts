// Spec of the report's size for a long run: 10M requests' Results (2000 buckets, 10 servers) give a page under 3 MB.
import { describe, expect, it } from "vitest";
import type { Results, ServerResults } from "../sim/index.js";
import { compareView } from "./build-compare.js";
import { runView } from "./build-run.js";
import { failoverRuns } from "./build-test-support.js";
import { reportHtml } from "./report-html.js";

const SERVERS = 10;
const BUCKETS = 2000;
const LIMIT_BYTES = 3_000_000;

/** A value that differs from series to series and bucket to bucket, with every digit a double has. */
function value(series: number, bucket: number): number {
  return ((series * 7919 + bucket * 104_729) % 1000) / 97 + 1 / 3;
}

/** A real run grown to 2000 buckets of 2.5 s (5000 requests each: 10M requests) on 10 servers. */
function longRun(seed: number, strategy: string): Results {
  const [base] = failoverRuns([1]);
  if (base === undefined) throw new Error("no run");
  const names = Array.from({ length: SERVERS }, (_, i) => `web${String(i + 1).padStart(2, "0")}`);
  const template = base.servers[0] as ServerResults;
  const servers = names.map((name, i) => ({ ...template, name, requests: 1_000_000 + i }));
  const perServer = (offset: number) =>
    Object.fromEntries(
      names.map((n, s) => [n, Array.from({ length: BUCKETS }, (_, b) => value(offset + s, b))]),
    );
  const perBucket = (f: (b: number) => number) => Array.from({ length: BUCKETS }, (_, b) => f(b));
  return {
    ...base,
    seed,
    strategy,
    durationMs: BUCKETS * 2500,
    servers,
    timeline: [
      { atMs: 500_000, action: "crash", server: "web05", text: "crash web05" },
      { atMs: 900_000, action: "restore", server: "web05", text: "restore web05" },
    ],
    series: {
      ...base.series,
      bucketMs: 2500,
      atMs: perBucket((b) => b * 2500),
      requests: perBucket((b) => 5000 + (b % 7)),
      errors: perBucket((b) => b % 13),
      p50Ms: perBucket((b) => 10 + value(1, b)),
      p90Ms: perBucket((b) => 20 + value(2, b)),
      p99Ms: perBucket((b) => 40 + value(3, b)),
      backendQueue: perBucket((b) => value(4, b)),
      errorsByStatus: {
        "503": perBucket((b) => b % 7),
        "504": perBucket((b) => b % 5),
        "-1": perBucket((b) => b % 3),
      },
      errorsByTermination: {
        sC: perBucket((b) => b % 7),
        sH: perBucket((b) => b % 5),
        CH: perBucket((b) => b % 3),
      },
      inFlight: perServer(100),
      queued: perServer(200),
      serverRequests: perServer(300),
    },
  };
}

describe("the report of a 10M-request run", () => {
  it("stays under 3 MB for one run", () => {
    const html = reportHtml(runView({ results: longRun(1, "roundrobin"), file: "long.yaml" }, "lbsim 9.8.7"));
    expect(html.length).toBeLessThan(LIMIT_BYTES);
  });

  it("stays under 3 MB for three strategies with five replications each", () => {
    const strategies = ["roundrobin", "leastconn", "random(2)"];
    const replications = strategies.map((s) => [1, 2, 3, 4, 5].map((seed) => longRun(seed, s)));
    const comparison = {
      scenario: "long",
      seed: 1,
      runs: replications.map((r) => r[0] as Results),
      checks: [],
      replications: 5,
      seeds: [1, 2, 3, 4, 5],
      strategies,
      rows: [],
    };
    const html = reportHtml(compareView({ comparison, replications, file: "long.yaml" }, "lbsim 9.8.7"));
    expect(html.length).toBeLessThan(LIMIT_BYTES);
  });
});
