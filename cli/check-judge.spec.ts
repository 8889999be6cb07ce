// Spec of cli/check-stats.ts and cli/check-judge.ts: Student's t, confidence intervals, and
// expectations judged on the means over the replications.
import { describe, expect, it } from "vitest";
import { checkExpectations } from "../sim/expectations.js";
import { judge } from "./check-judge.js";
import { confidenceInterval95, tQuantile95 } from "./check-stats.js";
import { expectation, replication, results } from "./check-test-support.js";

describe("statistics", () => {
  it("has Student's t quantiles for up to 29 degrees of freedom, then 1.96", () => {
    expect(tQuantile95(1)).toBe(12.706);
    expect(tQuantile95(4)).toBe(2.776);
    expect(tQuantile95(9)).toBe(2.262);
    expect(tQuantile95(29)).toBe(2.045);
    expect(tQuantile95(30)).toBe(1.96);
    expect(tQuantile95(1000)).toBe(1.96);
    expect(() => tQuantile95(0)).toThrow(RangeError);
  });

  it("gives the 95% interval of a mean as mean ± t·s/√n, none for one value", () => {
    const ci = confidenceInterval95([1, 2, 3, 4, 5]);
    // s = √2.5, t(4) = 2.776: half-width 2.776 × √2.5 / √5 = 1.963.
    expect(ci?.low).toBeCloseTo(3 - 1.96293, 4);
    expect(ci?.high).toBeCloseTo(3 + 1.96293, 4);
    expect(confidenceInterval95([42])).toBeUndefined();
    expect(confidenceInterval95([5, 5, 5])).toEqual({ low: 5, high: 5 });
  });
});

describe("judge", () => {
  it("agrees with checkExpectations on a single replication", () => {
    const rr = results(90);
    const lc = results(60, "leastconn");
    const lines = [
      "p99 < 80ms",
      "p99 >= 90ms",
      "leastconn.p99 < roundrobin.p99",
      "leastconn.p99 < p99",
      "share(web01) in 40%..45%",
      "errors < 0.1%",
      "requests == 16500",
    ].map(expectation);
    const runs = new Map([
      ["roundrobin", rr],
      ["leastconn", lc],
    ]);
    const single = lines.map((e) => judge(e, [replication(rr, lc)]));
    // An `in` line's limit is its nearer bound (the check JSON keeps the whole range).
    const nearer = (c: (typeof single)[number]) =>
      c.range === undefined || c.actual === null
        ? c.limit
        : Math.abs(c.actual - c.range[0]) <= Math.abs(c.actual - c.range[1])
          ? c.range[0]
          : c.range[1];
    expect(single.map((c) => ({ name: c.name, pass: c.pass, actual: c.actual, limit: nearer(c) }))).toEqual(
      checkExpectations(lines, runs, rr),
    );
    expect(single.every((c) => c.ci95 === undefined && c.uncertain === undefined)).toBe(true);
  });

  it("passes or fails on the mean over the replications, with its interval", () => {
    const reps = [100, 60, 50, 70].map((p99) => replication(results(p99)));
    const check = judge(expectation("p99 < 75ms"), reps);
    // One replication alone (100 ms) would fail; the mean (70 ms) passes.
    expect(check).toMatchObject({
      name: "p99 < 75ms",
      pass: true,
      actual: 70,
      values: [100, 60, 50, 70],
      limit: 75,
    });
    const half = (3.182 * Math.sqrt((30 ** 2 + 10 ** 2 + 20 ** 2 + 0) / 3 / 4)) as number;
    expect(check.ci95?.low).toBeCloseTo(70 - half, 9);
    expect(check.ci95?.high).toBeCloseTo(70 + half, 9);
    // The interval (about 35..105 ms) reaches 75 ms: more replications would tell.
    expect(check.uncertain).toBe(true);
    expect(judge(expectation("p99 < 200ms"), reps).uncertain).toBeUndefined();
  });

  it("takes prefixed metrics from the compared runs and pairs them by replication", () => {
    const reps = [
      replication(results(100), results(60, "leastconn")),
      replication(results(300), results(250, "leastconn")),
      replication(results(200), results(160, "leastconn")),
    ];
    const check = judge(expectation("leastconn.p99 < roundrobin.p99"), reps);
    expect(check).toMatchObject({
      pass: true,
      actual: expect.closeTo((60 + 250 + 160) / 3, 9),
      limit: 200,
      limitMetric: "roundrobin.p99",
      values: [60, 250, 160],
    });
    // The two means' own intervals overlap widely, but leastconn is 40 or 50 ms lower in every
    // replication: the paired differences settle it.
    expect(check.uncertain).toBeUndefined();
  });

  it("judges a range on the means of its bounds", () => {
    const check = judge(expectation("share(web01) in 40%..45%"), [
      replication(results(1)),
      replication(results(2)),
    ]);
    expect(check).toMatchObject({ pass: true, actual: 0.425, range: [0.4, 0.45] });
  });

  it("fails a line whose figure the runs do not have", () => {
    const check = judge(expectation("share(nowhere) > 1%"), [replication(results(1))]);
    expect(check).toEqual({ name: "share(nowhere) > 1%", pass: false, actual: null, values: [] });
  });
});

describe("judge, on time windows and the failover window", () => {
  /** A replication whose window [10 s, 20 s) (`after 10s` of a 20 s run) has `p99Ms` and `failed` of 100. */
  function windowed(p99Ms: number, failed: number, strategy = "roundrobin", seed = 7) {
    const base = results(1, strategy, seed);
    const window = {
      fromMs: 10_000,
      toMs: 20_000,
      requests: {
        total: 100,
        ok: 100 - failed,
        failed,
        unfinished: 0,
        byStatus: {},
        byTermination: {},
        retried: 0,
        redispatched: 0,
      },
      latency: { ...base.latency, p99Ms },
      queue: { meanMs: 0, p99Ms: 0 },
      servers: {},
    };
    return { ...base, durationMs: 20_000, windows: [window] };
  }

  it("reads each replication's window, prefixed or not", () => {
    const reps = [
      replication(windowed(40, 0), windowed(20, 0, "leastconn")),
      replication(windowed(44, 2, "roundrobin", 8), windowed(24, 0, "leastconn", 8)),
    ];
    const p99 = judge(expectation("p99 after 10s < 50ms"), reps);
    expect(p99).toMatchObject({ pass: true, actual: 42, values: [40, 44] });
    const errors = judge(expectation("errors after 10s == 0"), reps);
    expect(errors).toMatchObject({ pass: false, values: [0, 0.02] });
    const leastconn = judge(expectation("leastconn.p99 after 10s < p99 after 10s"), reps);
    expect(leastconn).toMatchObject({ pass: true, actual: 22, limit: 42 });
    // The whole run's p99 is 1 ms: a window reads its own figure.
    expect(judge(expectation("p99 < 2ms"), reps).pass).toBe(true);
  });

  it("fails detected() with the reason when a replication never marked the server DOWN", () => {
    const broken = {
      ...results(1),
      timeline: [{ atMs: 21_000, action: "crash", server: "web01", text: "crash web01" }],
    };
    // sampleResults' web01 is DOWN from 21 s to 37 s.
    const detected = judge(expectation("detected(web01) < 3s"), [replication(broken)]);
    expect(detected).toMatchObject({ pass: true, actual: 0 });
    const late = { ...broken, timeline: [{ ...broken.timeline[0]!, atMs: 40_000 }] };
    const never = judge(expectation("detected(web01) < 3s"), [replication(broken), replication(late)]);
    expect(never).toMatchObject({
      pass: false,
      actual: null,
      note: expect.stringContaining("never detected"),
    });
  });
});
