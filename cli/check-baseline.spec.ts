// Spec of `lbsim check --baseline/--update-baseline/--tolerance` through the command (cli/check-baseline.ts, cli/baseline*.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckJson } from "./check-report.js";
import { checkSandbox, checkToolkit } from "./check-test-support.js";

const sandbox = checkSandbox();
const { cli } = sandbox;

/** p99 of 50 ms, ±1 ms from seed to seed (seeds 7, 8, 9 → 49, 50, 51), times `factor`. */
const p99 = (factor: number) => (_strategy: string, seed: number) => (50 + (seed - 8)) * factor;

const around = (center: number, half: number) => ({
  low: expect.closeTo(center - half, 9),
  high: expect.closeTo(center + half, 9),
});

/** Writes base.json from three replications of demo.yaml. */
const UPDATE_BASELINE = [
  "check",
  "demo.yaml",
  "--replications",
  "3",
  "--baseline",
  "base.json",
  "--update-baseline",
];

const read = (name: string): string => readFileSync(join(sandbox.dir, name), "utf8");

describe("lbsim check --update-baseline", () => {
  it("writes the check JSON with each run's figures to the --baseline file, byte for byte the same each time", async () => {
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] }, p99(1));
    expect(await cli(UPDATE_BASELINE, toolkit)).toBe(0);
    const first = read("base.json");
    expect(sandbox.io.stderr()).toContain("lbsim: wrote the baseline (1 scenario) to base.json; commit it\n");
    const written = JSON.parse(first) as CheckJson;
    expect(written.baseline).toBeUndefined();
    const figures = written.scenarios[0]?.figures?.roundrobin;
    expect(Object.keys(figures ?? {})).toEqual([
      "p50",
      "p90",
      "p99",
      "p999",
      "mean",
      "max",
      "queue.mean",
      "errors",
      "unfinished",
    ]);
    // 49, 50, 51: mean 50, 50 ± t(2) · s/√3 with t(2) = 4.303 and s = 1.
    expect(figures?.p99).toEqual({ mean: 50, ci95: around(50, 4.303 / Math.sqrt(3)), values: [49, 50, 51] });
    // sampleResults: 2 unfinished of 16,500 + 2 steady-state arrivals.
    expect(figures?.unfinished?.mean).toBeCloseTo(2 / 16_502, 12);
    expect(first).toMatch(/^\{\n {2}"replications": 3,\n/);
    expect(await cli(UPDATE_BASELINE, toolkit)).toBe(0);
    expect(read("base.json")).toBe(first);
    // --json writes the same document: a check JSON serves as a baseline.
    expect(await cli(["check", "demo.yaml", "--replications", "3", "--json", "c.json"], toolkit)).toBe(0);
    expect(read("c.json")).toBe(first);
  });

  it("still lets the expectations decide the exit code, and needs --baseline FILE", async () => {
    const toolkit = checkToolkit({ expect: ["p99 < 10ms"] }, p99(1));
    expect(await cli(["check", "demo.yaml", "--baseline", "b.json", "--update-baseline"], toolkit)).toBe(1);
    expect(JSON.parse(read("b.json")).passed).toBe(false);
    expect(await cli(["check", "demo.yaml", "--update-baseline"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain("--update-baseline needs --baseline FILE: the file to write");
  });
});

describe("lbsim check --baseline", () => {
  async function baseline(overrides: Parameters<typeof checkToolkit>[0] = { expect: ["p99 < 1s"] }) {
    expect(await cli(UPDATE_BASELINE, checkToolkit(overrides, p99(1)))).toBe(0);
  }

  it("fails (exit 1) when p99 got 30% worse on every seed, naming it with before, after and the intervals", async () => {
    await baseline();
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] }, p99(1.3));
    const args = ["check", "demo.yaml", "--replications", "3", "--baseline", "base.json"];
    expect(await cli([...args, "--json", "c.json", "--junit", "j.xml"], toolkit)).toBe(1);
    const report = JSON.parse(read("c.json")) as CheckJson;
    expect(report.passed).toBe(false);
    expect(report.baseline).toMatchObject({ file: "base.json", passed: false, compared: 9 });
    expect(report.baseline?.regressions).toEqual([
      {
        scenario: "failover-demo",
        file: "demo.yaml",
        run: "roundrobin",
        figure: "p99",
        before: { mean: 50, ci95: around(50, 4.303 / Math.sqrt(3)) },
        // 63.7, 65, 66.3 (s = 1.3) and differences 14.7, 15, 15.3 (s = 0.3), paired by seed.
        after: { mean: 65, ci95: around(65, (4.303 * 1.3) / Math.sqrt(3)) },
        tolerance: 0.1,
        allowed: 55,
        judged: "paired",
        difference: { mean: 15, ci95: around(15, (4.303 * 0.3) / Math.sqrt(3)) },
      },
    ]);
    const junit = read("j.xml");
    expect(junit).toContain('<testcase name="baseline: roundrobin.p99" classname="failover-demo"');
    expect(junit).toContain(
      '<failure message="roundrobin.p99 got worse than the baseline base.json" type="baseline">',
    );
    expect(junit).toContain('tests="2" failures="1"');

    expect(await cli(args, toolkit)).toBe(1);
    expect(sandbox.io.stdout()).toContain(
      "Baseline base.json: 1 regression in 9 figures\n" +
        "  WORSE  failover-demo · roundrobin.p99: before 50 ms (95% CI 47.5 ms..52.5 ms)  after 65 ms (95% CI 61.8 ms..68.2 ms)\n" +
        "         allowed up to 55 ms (tolerance 10%)  paired by seed: +15 ms (95% CI +14.3 ms..+15.7 ms)\n",
    );
  });

  it("passes a worsening within the tolerance: 5% by default, 30% with --tolerance 40% or the scenario's baseline:", async () => {
    await baseline();
    const args = ["check", "demo.yaml", "--replications", "3", "--baseline", "base.json"];
    expect(await cli(args, checkToolkit({ expect: ["p99 < 1s"] }, p99(1.05)))).toBe(0);
    expect(sandbox.io.stdout()).toContain("Baseline base.json: no regression in 9 figures\n");
    expect(await cli([...args, "--tolerance", "40%"], checkToolkit({ expect: ["p99 < 1s"] }, p99(1.3)))).toBe(
      0,
    );
    const lenient = checkToolkit({ expect: ["p99 < 1s"], baseline: { p99: 0.4 } }, p99(1.3));
    expect(await cli(args, lenient)).toBe(0);
    expect(await cli([...args, "--tolerance", "40"], lenient)).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      '--tolerance expects a percentage such as 10%, got "40" (hint: did you mean 40%?)',
    );
  });

  it("does not fail on scenarios on one side only, or on other seeds; it says so", async () => {
    await baseline();
    writeFileSync(join(sandbox.dir, "other.yaml"), "name: other\n");
    const toolkit = checkToolkit((path) => ({
      name: path.includes("other") ? "other" : "failover-demo",
      expect: ["p99 < 1s"],
    }));
    const code = await cli(
      ["check", "other.yaml", "demo.yaml", "--seed", "20", "--baseline", "base.json"],
      toolkit,
    );
    expect(code).toBe(0);
    const out = sandbox.io.stdout();
    expect(out).toContain("  new  other (other.yaml): not in the baseline, not compared\n");
    expect(out).toContain(
      "  note: failover-demo: seed 20 now, seeds 7..9 in the baseline: compared interval against interval, not seed by seed\n",
    );
    expect(out).toContain(
      "  note: failover-demo: one run on a side, so no interval there: the value stands for it (--replications N on both sides judges beyond noise)\n",
    );
  });

  it("runs scenarios without expectations for their figures", async () => {
    await baseline({});
    const report = JSON.parse(read("base.json")) as CheckJson;
    expect(report.scenarios[0]).toMatchObject({ status: "no expectations", seeds: [7, 8, 9] });
    expect(report.scenarios[0]?.figures?.roundrobin?.p99?.values).toEqual([49, 50, 51]);
    expect(sandbox.io.stdout()).toContain("no expectations (run for the baseline's figures only)");
    expect(
      await cli(["check", "demo.yaml", "--baseline", "base.json", "--junit", "j.xml"], checkToolkit({})),
    ).toBe(0);
    expect(read("j.xml")).toContain(
      "<system-out>no expectations: run for the baseline's figures only</system-out>",
    );
  });

  it("refuses a missing or foreign baseline before running anything (exit 2)", async () => {
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] });
    expect(await cli(["check", "demo.yaml", "--baseline", "none.json"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      "none.json: baseline file not found (hint: write it first with --update-baseline, then commit it)",
    );
    writeFileSync(join(sandbox.dir, "r.json"), JSON.stringify({ requests: {}, latency: {} }));
    expect(await cli(["check", "demo.yaml", "--baseline", "r.json"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain("r.json: is not a check JSON");
    expect(toolkit.jobs).toEqual([]);
  });
});

describe("lbsim check --baseline without the summary", () => {
  it("says on stderr which figures got worse, before → after, with --quiet and with --json -", async () => {
    const update = ["check", "demo.yaml", "--baseline", "b.json", "--update-baseline"];
    expect(await cli(update, checkToolkit({ expect: ["p99 < 1s"] }))).toBe(0);
    const worse = checkToolkit({ expect: ["p99 < 1s"] }, () => 80);
    const shown = sandbox.io.stdout().length;
    expect(await cli(["check", "demo.yaml", "--baseline", "b.json", "--json", "-"], worse)).toBe(1);
    expect(sandbox.io.stderr()).toContain(
      "lbsim: 1 figure got worse than the baseline b.json: failover-demo: roundrobin.p99 50 ms → 80 ms\n",
    );
    expect((JSON.parse(sandbox.io.stdout().slice(shown)) as CheckJson).baseline?.regressions).toHaveLength(1);
  });
});
