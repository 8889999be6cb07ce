// Spec of `lbsim sweep --replications auto` (cli/sweep-auto.ts): per-row counts, the same bytes for any --workers, --max, bad values.
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import type { SimulationPool, Toolkit } from "./context.js";
import { toolkitPool } from "./pool.js";
import { absoluteFloor } from "./replications-auto.js";
import { SWEEP_METRICS } from "./sweep-metrics.js";
import { realToolkit, SMALL, sweepHelpers } from "./sweep-test-support.js";
import { cliSandbox } from "./test-support.js";

const sandbox = cliSandbox("lbsim-sweep-auto-");
const { write, sweepJson } = sweepHelpers(sandbox);

/**
 * The real simulator behind a pool of `workers` lanes whose runs finish after a random delay:
 * runs complete out of order, as on threads, so the output must not depend on that order.
 */
function jitteredToolkit(workers: number): Toolkit & { readonly runs: () => number } {
  const toolkit = realToolkit();
  const random = seedrandom(`jitter-${workers}`);
  const pool = (): SimulationPool => {
    const inner = toolkitPool(toolkit);
    return {
      ...inner,
      workers,
      summarize: async (job, control) => {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 5)));
        return inner.summarize(job, control);
      },
    };
  };
  return { ...toolkit, createPool: async () => pool() };
}

const GRID = [
  "small.yaml",
  "--set",
  "clients.load.arrivals.poisson=30/s,60/s",
  "--strategies",
  "roundrobin,leastconn",
];

describe("lbsim sweep --replications auto", () => {
  it("gives each row its own count, at which every metric is within the precision (or its floor)", async () => {
    write("small.yaml", SMALL);
    const json = await sweepJson([...GRID, "--replications", "auto", "--precision", "20%"]);
    expect(json.replicationsAuto).toEqual({ precision: 0.2, min: 5, max: 50 });
    expect(json.rows).toHaveLength(4);
    for (const row of json.rows) {
      const used = row.replicationsAuto?.used ?? 0;
      expect(row.replicationsAuto?.settled).toBe(true);
      expect(used).toBeGreaterThanOrEqual(5);
      expect(row.seeds).toEqual(Array.from({ length: used }, (_, r) => 7 + r));
      expect(row.complete).toBe(true);
      for (const metric of SWEEP_METRICS) {
        const f = row.metrics[metric.key];
        const half = ((f?.high ?? 0) - (f?.low ?? 0)) / 2;
        const floor = absoluteFloor(
          metric.unit === "ratio" || metric.unit === "count" ? metric.unit : undefined,
        );
        expect(half <= 0.2 * Math.abs(f?.mean ?? 0) + 1e-9 || half <= floor).toBe(true);
      }
    }
    // Some row needed more than the first five (a 2 s run is noisy): the counts are the rows' own.
    expect(Math.max(...json.rows.map((r) => r.seeds.length))).toBeGreaterThan(5);
    expect(json.replications).toBe(Math.max(...json.rows.map((r) => r.seeds.length)));
    const used = json.rows.reduce((sum, r) => sum + r.seeds.length, 0);
    expect(json.runs).toEqual({ total: used, done: used, missing: 0 });
    expect(json.complete).toBe(true);
  });

  it("writes the same JSON and CSV with 1, 3 and 8 workers whose runs finish out of order", async () => {
    write("small.yaml", SMALL);
    const outputs: string[] = [];
    const ran: number[] = [];
    for (const workers of [1, 3, 8]) {
      sandbox.freshIo();
      const toolkit = jitteredToolkit(workers);
      const args = [...GRID, "--replications", "auto", "--precision", "20%", "--workers", String(workers)];
      expect(
        await sandbox.cli(["sweep", ...args, "--csv", "out.csv", "--json", "-", "--quiet"], toolkit),
      ).toBe(0);
      const { readFileSync } = await import("node:fs");
      outputs.push(sandbox.io.stdout() + readFileSync(`${sandbox.dir}/out.csv`, "utf8"));
      ran.push(toolkit.runs());
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    // Eight lanes run batches of 8 ahead: more runs made, the same ones kept.
    expect(ran[2]).toBeGreaterThan(ran[0] as number);
  });

  it("gives the CSV of --replications N for a row that stops at N, byte for byte", async () => {
    write("small.yaml", SMALL);
    const one = ["small.yaml", "--set", "clients.load.arrivals.poisson=60/s"];
    const auto = await sweepJson([
      ...one,
      "--replications",
      "auto",
      "--precision",
      "20%",
      "--csv",
      "auto.csv",
    ]);
    const used = auto.rows[0]?.seeds.length ?? 0;
    expect(used).toBeGreaterThan(5);
    await sweepJson([...one, "--replications", String(used), "--csv", "fixed.csv"]);
    const { readFileSync } = await import("node:fs");
    const read = (name: string) => readFileSync(`${sandbox.dir}/${name}`, "utf8");
    expect(read("auto.csv")).toBe(read("fixed.csv"));
  });

  it("stops a row at --max with a warning naming the metric, and marks it in the table", async () => {
    write("small.yaml", SMALL);
    sandbox.freshIo();
    const args = [
      "sweep",
      "small.yaml",
      "--set",
      "clients.load.arrivals.poisson=60/s",
      "--replications",
      "auto",
    ];
    expect(await sandbox.cli([...args, "--precision", "1%", "--max", "5"], realToolkit())).toBe(0);
    expect(sandbox.io.stderr()).toMatch(
      /lbsim sweep: warning: clients\.load\.arrivals\.poisson=60\/s roundrobin: \w+ did not settle in 5 replications \(--max\): its 95% half-width is /,
    );
    expect(sandbox.io.stderr()).toContain(
      "lbsim sweep: 1 point × 1 strategy × replications auto (5 to 5 per row, at most 5 runs) on 1 worker",
    );
    expect(sandbox.io.stdout()).toMatch(/ 5! /);
    expect(sandbox.io.stdout()).toContain("Rows marked ! reached --max before every metric settled");
  });

  it.each([
    [["--precision", "0%"], /--precision expects a percentage above 0% and below 100%/],
    [["--precision", "150%"], /got "150%"/],
    [["--max", "1"], /--max 1 is below the 5 replications/],
  ])("refuses --replications auto %j with exit 2 before running", async (flags, message) => {
    write("small.yaml", SMALL);
    sandbox.freshIo();
    const toolkit = realToolkit();
    expect(await sandbox.cli(["sweep", ...GRID, "--replications", "auto", ...flags], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toMatch(message);
    expect(toolkit.runs()).toBe(0);
  });
});
