// Spec of `lbsim check --replications auto` (cli/check-run.ts with cli/replications-auto.ts): replications until the judged metrics settle.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import type { CheckJson } from "./check-report.js";
import { mean } from "./check-stats.js";
import { checkSandbox, checkToolkit, runsOf } from "./check-test-support.js";
import { halfWidth95 } from "./replications-auto.js";
import { realToolkit } from "./sweep-test-support.js";

const sandbox = checkSandbox();
const { cli } = sandbox;

/** p99 by seed: 100 ms ± a spread of `sdMs`, the same for a seed whichever run asks. */
function p99BySeed(sdMs: number) {
  return (_strategy: string, seed: number) => {
    const random = seedrandom(`p99-${seed}`);
    const u = 1 - random();
    return 100 + sdMs * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

async function checkJson(args: string[], sdMs: number, expect_ = ["p99 < 500ms"]): Promise<CheckJson> {
  sandbox.freshIo();
  const toolkit = checkToolkit({ seed: 1, expect: expect_ }, p99BySeed(sdMs));
  await cli(["check", "demo.yaml", ...args, "--json", "-"], toolkit);
  return JSON.parse(sandbox.io.stdout()) as CheckJson;
}

describe("lbsim check --replications auto", () => {
  it("adds replications until the expectations' metric settles, and reports the number used", async () => {
    const report = await checkJson(["--replications", "auto"], 12);
    const [scenario] = report.scenarios;
    const used = scenario?.replicationsAuto?.used ?? 0;
    // A 12% spread at 5% precision needs some 20 runs: more than the first 5, fewer than the 50 allowed.
    expect(used).toBeGreaterThan(5);
    expect(used).toBeLessThan(50);
    expect(scenario?.replicationsAuto).toEqual({ used, settled: true });
    expect(scenario?.seeds).toEqual(Array.from({ length: used }, (_, r) => 1 + r));
    expect(report.replications).toBe(used);
    expect(report.replicationsAuto).toEqual({ precision: 0.05, min: 5, max: 50 });
    const [check] = scenario?.checks ?? [];
    const half = ((check?.ci95?.high ?? 0) - (check?.ci95?.low ?? 0)) / 2;
    expect(half).toBeLessThanOrEqual(0.05 * (check?.actual ?? 0));
  });

  it("gives the figures of --replications N when it stops at N, byte for byte", async () => {
    const auto = await checkJson(["--replications", "auto"], 12);
    const used = auto.scenarios[0]?.replicationsAuto?.used ?? 0;
    const fixed = await checkJson(["--replications", String(used)], 12);
    const { replicationsAuto: _top, ...autoRest } = auto;
    const scenarios = autoRest.scenarios.map(({ replicationsAuto: _s, ...s }) => s);
    expect(JSON.stringify({ ...autoRest, scenarios })).toBe(JSON.stringify(fixed));
  });

  it("stops at --max with a warning naming the metric that did not settle", async () => {
    sandbox.freshIo();
    const toolkit = checkToolkit({ seed: 1, expect: ["p99 < 500ms"] }, p99BySeed(60));
    const code = await cli(
      ["check", "demo.yaml", "--replications", "auto", "--max", "6", "--json", "-"],
      toolkit,
    );
    expect(code).toBe(0);
    const report = JSON.parse(sandbox.io.stdout()) as CheckJson;
    const auto = report.scenarios[0]?.replicationsAuto;
    expect(auto?.used).toBe(6);
    expect(auto?.settled).toBe(false);
    expect(auto?.unsettled?.metric).toBe("p99");
    // Five runs, then a batch of two capped at --max 6: six runs of the own strategy, no more.
    expect(runsOf(toolkit)).toHaveLength(6);
    expect(sandbox.io.stderr()).toMatch(
      /lbsim check: warning: failover-demo: p99 did not settle in 6 replications \(--max\): its 95% half-width is \d/,
    );
  });

  it("shows the count and the settling in the summary", async () => {
    sandbox.freshIo();
    const toolkit = checkToolkit({ seed: 1, expect: ["p99 < 500ms"] }, p99BySeed(12));
    expect(await cli(["check", "demo.yaml", "--replications", "auto", "--precision", "10%"], toolkit)).toBe(
      0,
    );
    expect(sandbox.io.stdout()).toMatch(/seeds 1\.\.\d+ \(\d+ replications\) · auto: settled within 10%/);
  });

  it.each([
    [["--precision", "0%"], /--precision expects a percentage above 0% and below 100%/],
    [["--precision", "150%"], /--precision expects a percentage/],
    [["--max", "1"], /--max 1 is below the 5 replications/],
  ])("refuses --replications auto %j with exit 2", async (flags, message) => {
    sandbox.freshIo();
    const toolkit = checkToolkit({ seed: 1, expect: ["p99 < 500ms"] });
    expect(await cli(["check", "demo.yaml", "--replications", "auto", ...flags], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toMatch(message);
    expect(runsOf(toolkit)).toEqual([]);
  });
});

/** M/M/1 at ρ = 0.5: one server, exponential 10 ms service, 50 Poisson arrivals a second, 20 s. */
const MM1 = `name: mm1
seed: 1
duration: 20s
backend:
  name: web
  balance: roundrobin
  timeout: { connect: 1s, server: 10s }
  service: { exponential: 10ms }
  servers:
    - { name: web01 }
clients:
  - name: load
    arrivals: { poisson: 50/s }
expect:
  - mean < 1s
`;

describe("lbsim check --replications auto on a real M/M/1", () => {
  it("settles the mean latency near the N its spread predicts, and not one replication earlier", async () => {
    writeFileSync(join(sandbox.dir, "mm1.yaml"), MM1);
    const run = async (args: string[]): Promise<CheckJson> => {
      sandbox.freshIo();
      const code = await cli(
        ["check", join(sandbox.dir, "mm1.yaml"), ...args, "--json", "-", "--quiet"],
        realToolkit(),
      );
      expect(code).toBe(0);
      return JSON.parse(sandbox.io.stdout()) as CheckJson;
    };
    // A pilot of 40 runs gives the spread of a run's mean latency (the M/M/1 mean is 20 ms).
    const pilot = (await run(["--replications", "40"])).scenarios[0]?.checks[0]?.values ?? [];
    const m = pilot.reduce((a, b) => a + b, 0) / pilot.length;
    const sd = Math.sqrt(pilot.reduce((a, b) => a + (b - m) ** 2, 0) / (pilot.length - 1));
    expect(m).toBeGreaterThan(15);
    expect(m).toBeLessThan(25);
    // n ≈ (t · sd / (precision · mean))², t ≈ 2.05 near 30 runs.
    const predicted = ((2.05 * sd) / (0.05 * m)) ** 2;
    expect(predicted).toBeGreaterThan(6);
    expect(predicted).toBeLessThan(45);
    const auto = await run(["--replications", "auto"]);
    const used = auto.scenarios[0]?.replicationsAuto?.used ?? 0;
    expect(used).toBeGreaterThanOrEqual(predicted / 2);
    expect(used).toBeLessThanOrEqual(predicted * 2);
    // The same seeds: the auto run's values are the pilot's first `used`.
    const values = pilot.slice(0, used);
    expect(auto.scenarios[0]?.checks[0]?.values).toEqual(values);
    const relative = (n: number) => (halfWidth95(pilot.slice(0, n)) ?? 0) / Math.abs(mean(pilot.slice(0, n)));
    expect(relative(used)).toBeLessThanOrEqual(0.05);
    if (used > 5) expect(relative(used - 1)).toBeGreaterThan(0.05);
  });
});
