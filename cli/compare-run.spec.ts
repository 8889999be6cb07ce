// Spec of cli/compare-run.ts through `lbsim compare --replications`: seeds, means, paired intervals, verdicts, Ctrl-C.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ComparisonJson } from "./compare-command.js";
import type { SimulationJob } from "./context.js";
import { cliSandbox, fakeToolkit, runMain, sampleResults, sampleScenario } from "./test-support.js";

const sandbox = cliSandbox("lbsim-compare-");
const { cli } = sandbox;

/** A fake toolkit whose p50 and p99 depend on the strategy and the seed, as `figures` says. */
function seededToolkit(
  figures: (strategy: string, seed: number) => { p50Ms: number; p99Ms: number },
  options: { expect?: string[]; stopAt?: { seed: number; strategy: string } } = {},
) {
  return fakeToolkit({
    scenario: sampleScenario({ expect: options.expect ?? [] }),
    body: (job: SimulationJob, control) => {
      const results = sampleResults();
      const strategy = job.strategy ?? "";
      const seed = job.seed ?? 7;
      if (options.stopAt?.seed === seed && options.stopAt.strategy === strategy) sandbox.io.interrupt();
      return Promise.resolve({
        results: {
          ...results,
          seed,
          strategy,
          checks: [],
          latency: { ...results.latency, ...figures(strategy, seed) },
        },
        stopped: Atomics.load(control.stop, 0) === 1,
        reachedMs: 30_000,
        traceRows: 0,
      });
    },
  });
}

describe("lbsim compare --replications", () => {
  it("takes 1 to 10,000, with the message of lbsim check --replications (exit 2)", async () => {
    for (const bad of ["0", "10001", "2.5", "x"]) {
      sandbox.freshIo();
      expect(await cli(["compare", "demo.yaml", "--strategies", "roundrobin", "--replications", bad])).toBe(
        2,
      );
      expect(sandbox.io.stderr()).toBe(
        `lbsim compare: --replications expects a whole number from 1 to 10,000, got "${bad}"\n` +
          'Run "lbsim compare --help" for usage.\n',
      );
    }
  });

  it("runs every strategy on seeds seed..seed+N-1, one replication after the other", async () => {
    const toolkit = seededToolkit(() => ({ p50Ms: 18, p99Ms: 90 }));
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--seed", "40", "--quiet"], toolkit)).toBe(0);
    expect(toolkit.jobs.map((j) => `${j.strategy}@${j.seed}`)).toEqual([
      "roundrobin@40",
      "leastconn@40",
      "roundrobin@41",
      "leastconn@41",
      "roundrobin@42",
      "leastconn@42",
    ]);
  });

  it("refuses replications whose last seed goes past the largest safe integer", async () => {
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin", "--replications", "3"];
    expect(await cli([...argv, "--seed", String(Number.MAX_SAFE_INTEGER - 1)])).toBe(2);
    expect(sandbox.io.stderr()).toContain("with 3 replications goes past 9007199254740991");
  });

  it("writes per row each strategy's values and mean, the paired differences and the verdict", async () => {
    // leastconn's p99 is 30 ms lower on every seed, ±1: a winner. The p50s differ by +1, -1, +0.5
    // ms: the interval contains 0.
    const p50 = { roundrobin: [18, 19, 17.5], leastconn: [19, 18, 18] };
    const p99 = { roundrobin: [100, 101, 99], leastconn: [70, 70, 70] };
    const toolkit = seededToolkit((strategy, seed) => {
      const s = strategy as keyof typeof p50;
      return { p50Ms: p50[s][seed - 7] ?? 0, p99Ms: p99[s][seed - 7] ?? 0 };
    });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--json", "-"], toolkit)).toBe(0);
    const comparison = JSON.parse(sandbox.io.stdout()) as ComparisonJson;
    expect(comparison.replications).toBe(3);
    expect(comparison.seeds).toEqual([7, 8, 9]);
    expect(comparison.strategies).toEqual(["roundrobin", "leastconn"]);
    expect(comparison.runs.map((r) => [r.strategy, r.seed])).toEqual([
      ["roundrobin", 7],
      ["leastconn", 7],
    ]);
    const row = (key: string) => comparison.rows.find((r) => r.key === key);
    // Differences 30, 31, 29: mean 30, s = 1, t(2) = 4.303: 30 ± 4.303/√3 = 30 ± 2.484.
    expect(row("latency.p99")).toMatchObject({
      better: "lower",
      unit: "ms",
      strategies: [
        { strategy: "roundrobin", values: [100, 101, 99], mean: 100 },
        { strategy: "leastconn", values: [70, 70, 70], mean: 70 },
      ],
      verdict: "winner",
      best: "leastconn",
      winner: "leastconn",
      // 12 significant digits, as every mean of lbsim check.
      differences: [{ strategy: "roundrobin", mean: 30, percent: 42.8571428571 }],
    });
    const ci = row("latency.p99")?.differences?.[0]?.ci95;
    expect(ci?.low).toBeCloseTo(30 - 4.303 / Math.sqrt(3), 9);
    expect(ci?.high).toBeCloseTo(30 + 4.303 / Math.sqrt(3), 9);
    expect(row("latency.p50")).toMatchObject({
      verdict: "indistinguishable",
      best: "roundrobin",
      indistinguishable: ["roundrobin", "leastconn"],
    });
    expect(row("latency.p50")?.winner).toBeUndefined();
    expect(row("latency.p90")?.verdict).toBe("same");
    expect(row("requests.total")?.verdict).toBe("unranked");
  });

  it("judges the expectations on the means over the seeds, as lbsim check does", async () => {
    // roundrobin's p99 is 90, 110, 95: one seed over 100 ms, a mean of 98.3 under it.
    const p99 = { roundrobin: [90, 110, 95], leastconn: [60, 65, 70] };
    const toolkit = seededToolkit(
      (strategy, seed) => ({ p50Ms: 18, p99Ms: p99[strategy as keyof typeof p99][seed - 7] ?? 0 }),
      { expect: ["p99 < 100ms", "leastconn.p99 < roundrobin.p99"] },
    );
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--json", "-"], toolkit)).toBe(0);
    const comparison = JSON.parse(sandbox.io.stdout()) as ComparisonJson;
    const means = comparison.meanChecks;
    expect(means?.runs.map((r) => [r.strategy, r.checks.map((c) => [c.name, c.pass, c.actual])])).toEqual([
      ["roundrobin", [["p99 < 100ms", true, 98.3333333333]]],
      ["leastconn", [["p99 < 100ms", true, 65]]],
    ]);
    expect(means?.checks.map((c) => [c.name, c.pass, c.limit])).toEqual([
      ["leastconn.p99 < roundrobin.p99", true, 98.3333333333],
    ]);
  });

  it("keeps the complete replications when Ctrl-C stops a later one (exit 130)", async () => {
    const toolkit = seededToolkit(() => ({ p50Ms: 18, p99Ms: 90 }), {
      stopAt: { seed: 8, strategy: "leastconn" },
    });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--json", join(sandbox.dir, "c.json")], toolkit)).toBe(130);
    const comparison = JSON.parse(readFileSync(join(sandbox.dir, "c.json"), "utf8")) as ComparisonJson;
    expect(comparison.partial).toBe(true);
    expect(comparison.seeds).toEqual([7]);
    expect(comparison.runs.map((r) => [r.strategy, r.seed, r.partial])).toEqual([
      ["roundrobin", 7, undefined],
      ["leastconn", 7, undefined],
    ]);
    expect(sandbox.io.stdout()).toContain(
      "PARTIAL: stopped by Ctrl-C; after 1 of 3 replications (the figures cover those)",
    );
  });
});

describe("lbsim compare --replications (end to end)", () => {
  it("gives replication r the figures of a comparison with --seed seed+r: paired by seed", async () => {
    const path = join(sandbox.dir, "cmp.yaml");
    writeFileSync(
      path,
      `name: e2e-replications
seed: 3
duration: 5s
warmup: 0s
backend:
  balance: roundrobin
  servers:
    - {name: web01, slots: 2, service: {exponential: 10ms}}
    - {name: web02, slots: 2, speed: 0.4, service: {exponential: 10ms}}
clients:
  - {name: browsers, arrivals: {poisson: 120/s}}
`,
    );
    const argv = ["compare", path, "--strategies", "roundrobin,leastconn", "--deterministic", "--json", "-"];
    const replicated = await runMain([...argv, "--replications", "3"]);
    expect(replicated.code).toBe(0);
    const comparison = JSON.parse(replicated.stdout) as ComparisonJson;
    expect(comparison.seeds).toEqual([3, 4, 5]);
    const p99 = comparison.rows.find((r) => r.key === "latency.p99");
    for (const seed of [3, 4, 5]) {
      const single = JSON.parse((await runMain([...argv, "--seed", String(seed)])).stdout) as ComparisonJson;
      expect(p99?.strategies.map((s) => s.values?.[seed - 3])).toEqual(
        single.runs.map((r) => r.latency.p99Ms),
      );
    }
    // Every strategy answered the same arrivals on each seed (common random numbers).
    const arrivals = (key: string) =>
      comparison.rows.find((r) => r.key === key)?.strategies.map((s) => s.values);
    const [totals, unfinished] = [arrivals("requests.total"), arrivals("requests.unfinished")];
    const sums = totals?.map((values, s) => values?.map((v, r) => v + (unfinished?.[s]?.[r] ?? 0)));
    expect(sums?.[0]).toEqual(sums?.[1]);
  });
});

describe("lbsim compare --replications: Ctrl-C in the first replication", () => {
  it("shows the runs so far, as without --replications, and says which replication it was", async () => {
    const toolkit = seededToolkit(() => ({ p50Ms: 18, p99Ms: 90 }), {
      stopAt: { seed: 7, strategy: "roundrobin" },
    });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli(argv, toolkit)).toBe(130);
    expect(sandbox.io.stdout()).toContain(
      "PARTIAL: stopped by Ctrl-C; during the first of 3 replications; roundrobin after about 30s of " +
        "simulated time (its figures cover only that part); not run: leastconn",
    );
  });
});
