// Spec of viz/build-compare.ts with viz/build-series.ts, build-summary.ts and headline.ts: bands, summary rows, headline.
import { describe, expect, it } from "vitest";
import type { Results } from "../sim/index.js";
import { compareView } from "./build-compare.js";
import { runView } from "./build-run.js";
import { failoverRuns, nonFinite } from "./build-test-support.js";
import type { ComparisonInput, ComparisonRowInput } from "./inputs.js";

/** Two-sided 95% Student t for 2 degrees of freedom (three replications). */
const T95_DF2 = 4.303;

function expectedInterval(values: number[]): { mean: number; low: number; high: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (T95_DF2 * sd) / Math.sqrt(n);
  return { mean, low: mean - half, high: mean + half };
}

/** Equal to 4 significant digits (the view rounds what charts draw). */
function expectClose(actual: number | undefined, expected: number): void {
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 5e-4 + 1e-9);
}

function row(
  key: string,
  verdict: string,
  means: [number, number],
  extra: Partial<ComparisonRowInput> = {},
): ComparisonRowInput {
  return {
    key,
    better: "lower",
    unit: "ms",
    strategies: [
      { strategy: "roundrobin", values: [means[0] - 1, means[0], means[0] + 1], mean: means[0] },
      { strategy: "leastconn", values: [means[1] - 1, means[1], means[1] + 1], mean: means[1] },
    ],
    verdict,
    ...extra,
  };
}

function comparisonOf(rr: Results[], lc: Results[], rows: ComparisonRowInput[]): ComparisonInput {
  return {
    scenario: "test",
    seed: 1,
    runs: [rr[0]!, lc[0]!],
    checks: [],
    replications: rr.length,
    seeds: rr.map((r) => r.seed),
    strategies: ["roundrobin", "leastconn"],
    rows,
  };
}

describe("compareView", () => {
  const rr = failoverRuns([1, 2, 3], "roundrobin");
  const lc = failoverRuns([1, 2, 3], "leastconn");
  const winner = row("latency.p99", "winner", [295, 153], { best: "leastconn", winner: "leastconn" });
  const view = compareView({ comparison: comparisonOf(rr, lc, [winner]), replications: [rr, lc] }, "t");
  const section = view.sections[0]!;

  it("has a variant per strategy, in the comparison's order", () => {
    expect(section.variants.map((v) => v.name)).toEqual(["roundrobin", "leastconn"]);
    expect(section.latency.lines.map((l) => l.variant.name)).toEqual(["roundrobin", "leastconn"]);
    expect(section.replications).toBe(3);
  });

  it("bands every bucket's p50 with the Student-t 95% interval over the replications", () => {
    const line = section.latency.lines[0]!;
    let checked = 0;
    for (let i = 0; i < rr[0]!.series.atMs.length; i++) {
      const values = rr.map((r) => r.series.p50Ms[i]!);
      if (rr.some((r) => r.series.requests[i] === 0)) continue;
      const e = expectedInterval(values);
      expectClose(line.p50.mean[i], e.mean);
      expectClose(line.p50.low?.[i], e.low);
      expectClose(line.p50.high?.[i], e.high);
      checked++;
    }
    expect(checked).toBe(rr[0]!.series.atMs.length);
  });

  it("bands the distribution per percentile and the shares per server the same way", () => {
    const d = section.distribution.lines[1]!;
    const at = d.percentiles.indexOf(99);
    const e = expectedInterval(lc.map((r) => r.latencyDistribution.valuesMs[at]!));
    expectClose(d.valuesMs[at], e.mean);
    expectClose(d.lowMs?.[at], e.low);
    expectClose(d.highMs?.[at], e.high);
    const share = section.backends[0]!.shares.bars[0]!.shares[0]!;
    const s = expectedInterval(rr.map((r) => r.servers[0]!.share));
    expectClose(share.share, s.mean);
    expectClose(share.low!, s.low);
    expectClose(share.high!, s.high);
  });

  it("shades every replication's failover window, each as that run alone would, naming its replication and seed", () => {
    const windows = section.latency.failover.filter((w) => w.variant === "roundrobin");
    expect(windows.map((w) => [w.replication, w.seed])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    rr.forEach((run, i) => {
      const alone = runView({ results: run }, "t").sections[0]!.latency.failover;
      expect(alone).toHaveLength(1);
      expect(windows[i]).toEqual({ ...alone[0]!, variant: "roundrobin", replication: i + 1, seed: run.seed });
    });
    expect(section.errors.failover).toEqual(section.latency.failover);
  });

  it("averages a bucket's latency over the replications where requests finished in it", () => {
    const idleFirst = {
      ...rr[0]!,
      series: { ...rr[0]!.series, requests: rr[0]!.series.requests.map((n, i) => (i === 3 ? 0 : n)) },
    };
    const v = compareView(
      { comparison: comparisonOf(rr, lc, []), replications: [[idleFirst, rr[1]!, rr[2]!], lc] },
      "t",
    );
    const line = v.sections[0]!.latency.lines[0]!;
    expectClose(line.p99.mean[3], (rr[1]!.series.p99Ms[3]! + rr[2]!.series.p99Ms[3]!) / 2);
    expectClose(line.requests!.mean[3], (rr[1]!.series.requests[3]! + rr[2]!.series.requests[3]!) / 3);
  });

  it("draws no band with one replication", () => {
    const one = compareView({ comparison: comparisonOf([rr[0]!], [lc[0]!], []) }, "t").sections[0]!;
    expect(one.latency.lines[0]!.p99.low).toBeUndefined();
    expect(one.distribution.lines[0]!.lowMs).toBeUndefined();
    expect(one.summary.find((r) => r.key === "p99")!.ci95).toBeUndefined();
    // Without replications given, each strategy's run in `comparison.runs` is drawn.
    expect(one.latency.lines[1]!.p99.mean.length).toBe(lc[0]!.series.atMs.length);
  });

  it("takes a comparison row's means, interval of its values, verdict and winner into the summary", () => {
    const p99 = section.summary.find((r) => r.key === "p99")!;
    expect(p99.values).toEqual([295, 153]);
    expect(p99.verdict).toBe("winner");
    expect(p99.winner).toBe("leastconn");
    const e = expectedInterval([152, 153, 154]);
    expectClose(p99.ci95![1]!.low, e.low);
    // A row the comparison has not: the replications' own mean, no verdict.
    const p50 = section.summary.find((r) => r.key === "p50")!;
    expectClose(p50.values[0]!, rr.reduce((a, r) => a + r.latency.p50Ms, 0) / 3);
    expect(p50.verdict).toBeUndefined();
  });

  it("derives the errors' share and throughput per replication from the comparison's counts", () => {
    const counts = (key: string, values: [number[], number[]]): ComparisonRowInput => ({
      key,
      better: "lower",
      unit: "count",
      strategies: values.map((v, i) => ({
        strategy: i === 0 ? "roundrobin" : "leastconn",
        values: v,
        mean: 0,
      })),
      verdict: "winner",
      winner: "leastconn",
    });
    const rows = [
      counts("requests.total", [
        [1000, 2000, 4000],
        [1000, 1000, 1000],
      ]),
      counts("requests.errors", [
        [10, 20, 40],
        [0, 0, 30],
      ]),
    ];
    const summary = compareView({ comparison: comparisonOf([rr[0]!], [lc[0]!], rows) }, "t").sections[0]!
      .summary;
    const errors = summary.find((r) => r.key === "errors")!;
    expect(errors.values).toEqual([0.01, 0.01]);
    expect(errors.verdict).toBeUndefined();
    // 20 s without warm-up.
    const throughput = summary.find((r) => r.key === "throughput")!.values;
    expect(throughput[0]).toBeCloseTo(7000 / 3 / 20, 3);
    expect(throughput[1]).toBe(50);
  });

  it("says who wins only when the verdict tells them apart", () => {
    expect(section.headline[0]).toBe(
      "leastconn has the lower p99: 153 ms against 295 ms for roundrobin (−48%, 3 runs, told apart at 95%).",
    );
    const same = row("latency.p99", "indistinguishable", [160, 153], {
      best: "leastconn",
      indistinguishable: ["leastconn", "roundrobin"],
    });
    const tied = compareView({ comparison: comparisonOf(rr, lc, [same]), replications: [rr, lc] }, "t")
      .sections[0]!.headline;
    expect(tied[0]).toBe(
      "The p99 cannot be told apart at 95% over 3 runs: roundrobin 160 ms, leastconn 153 ms.",
    );
    expect(tied.join(" ")).not.toMatch(/has the lower|busy/);
  });

  it("explains a win by the server whose utilization differs most", () => {
    const busier = (r: Results, u: number): Results => ({
      ...r,
      servers: r.servers.map((s) => (s.name === "s3" ? { ...s, utilization: u, waitMeanMs: 80 } : s)),
    });
    const v = compareView(
      {
        comparison: comparisonOf(rr, lc, [winner]),
        replications: [rr.map((r) => busier(r, 0.97)), lc.map((r) => busier(r, 0.71))],
      },
      "t",
    );
    expect(v.sections[0]!.headline[1]).toBe(
      "Under roundrobin s3 was busy 97% of the time and its requests waited 80 ms inside it; under leastconn 71%.",
    );
  });

  it("lists the expectations judged on the means when there are, else each run's and the cross-strategy ones", () => {
    const ran = { ...rr[0]!, checks: [{ name: "p99 < 1s", pass: true, actual: 20, limit: 1000 }] };
    const comparison = {
      ...comparisonOf([ran], [lc[0]!], []),
      checks: [{ name: "leastconn.p99 < roundrobin.p99", pass: false, actual: 30, limit: 20 }],
    };
    expect(compareView({ comparison }, "t").sections[0]!.checks).toEqual([
      { name: "p99 < 1s", pass: true, actual: 20, limit: 1000, variant: "roundrobin" },
      { name: "leastconn.p99 < roundrobin.p99", pass: false, actual: 30, limit: 20 },
    ]);
    const meanChecks = {
      runs: [{ strategy: "leastconn", checks: [{ name: "p99 < 1s", pass: true, actual: 21, limit: 1000 }] }],
      checks: [{ name: "detected(s9)", pass: false, actual: null, note: "never DOWN" }],
    };
    expect(compareView({ comparison: { ...comparison, meanChecks } }, "t").sections[0]!.checks).toEqual([
      { name: "p99 < 1s", pass: true, actual: 21, limit: 1000, variant: "leastconn" },
      { name: "detected(s9)", pass: false, actual: null, note: "never DOWN" },
    ]);
  });

  it("round-trips through JSON: no NaN or Infinity", () => {
    expect(nonFinite(view)).toEqual([]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
