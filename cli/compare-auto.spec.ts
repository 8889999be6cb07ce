// Spec of `lbsim compare --replications auto` (cli/compare-run.ts with cli/replications-auto.ts): replications until every ranked row settles.
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { checkToolkit, runsOf } from "./check-test-support.js";
import type { ComparisonJson } from "./compare-json.js";
import { cliSandbox } from "./test-support.js";

const sandbox = cliSandbox("lbsim-compare-auto-");
const { cli } = sandbox;

/** p99 by seed: 100 ms (leastconn 80 ms) ± a spread of `sdMs`; every other figure is the same in every run. */
function p99BySeed(sdMs: number) {
  return (strategy: string, seed: number) => {
    const random = seedrandom(`p99-${strategy}-${seed}`);
    const u = 1 - random();
    const base = strategy === "leastconn" ? 80 : 100;
    return base + sdMs * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

async function compareJson(args: string[], sdMs: number): Promise<{ code: number; json: ComparisonJson }> {
  sandbox.freshIo();
  const toolkit = checkToolkit({ seed: 1, compare: ["roundrobin", "leastconn"] }, p99BySeed(sdMs));
  const code = await cli(["compare", "demo.yaml", ...args, "--deterministic", "--json", "-"], toolkit);
  return { code, json: JSON.parse(sandbox.io.stdout()) as ComparisonJson };
}

describe("lbsim compare --replications auto", () => {
  it("adds replications until the ranked rows settle, and says how many in the JSON", async () => {
    const { json } = await compareJson(["--replications", "auto"], 10);
    const auto = json.replicationsAuto;
    const used = auto?.used ?? 0;
    expect(used).toBeGreaterThan(5);
    expect(used).toBeLessThan(50);
    expect(auto).toEqual({ precision: 0.05, min: 5, max: 50, used, settled: true });
    expect(json.replications).toBe(used);
    expect(json.seeds).toEqual(Array.from({ length: used }, (_, r) => 1 + r));
  });

  it("gives the comparison of --replications N when it stops at N, byte for byte", async () => {
    const auto = await compareJson(["--replications", "auto"], 10);
    const used = auto.json.replicationsAuto?.used ?? 0;
    const fixed = await compareJson(["--replications", String(used)], 10);
    const { replicationsAuto: _, ...rest } = auto.json;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(fixed.json));
  });

  it("stops at --max with a warning naming the row that did not settle; the table says so", async () => {
    sandbox.freshIo();
    const toolkit = checkToolkit({ seed: 1, compare: ["roundrobin", "leastconn"] }, p99BySeed(60));
    expect(await cli(["compare", "demo.yaml", "--replications", "auto", "--max", "7"], toolkit)).toBe(0);
    // 5 first, then a batch of 2: 7 seeds × 2 strategies.
    expect(runsOf(toolkit)).toHaveLength(14);
    expect(sandbox.io.stderr()).toMatch(
      /lbsim compare: warning: failover-demo: latency\.p99 \(roundrobin\) did not settle in 7 replications \(--max\)/,
    );
    expect(sandbox.io.stdout()).toContain(
      "Replications: auto, --max 7 reached: latency.p99 (roundrobin) not within 5%.",
    );
  });

  it("refuses auto with --max below the minimum, and --precision without auto (exit 2)", async () => {
    sandbox.freshIo();
    const toolkit = checkToolkit({ seed: 1, compare: ["roundrobin", "leastconn"] });
    expect(await cli(["compare", "demo.yaml", "--replications", "auto", "--max", "3"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toMatch(/--max 3 is below the 5 replications/);
    expect(await cli(["compare", "demo.yaml", "--precision", "5%"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toMatch(/--precision goes with --replications auto/);
    expect(runsOf(toolkit)).toEqual([]);
  });
});
