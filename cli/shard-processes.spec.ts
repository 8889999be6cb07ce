// Spec of sharding end to end: separate lbsim processes (the built CLI) stand in for the nodes; merged = one machine, byte for byte.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliBuilt, LBSIM_BIN, twoServerScenario } from "./built-cli-test-support.js";

const bin = LBSIM_BIN;
const built = cliBuilt();
/** A node that takes longer than this is stuck: killed, and the test fails. */
const NODE_TIMEOUT_MS = 60_000;

/** 10 s at up to 150 requests a second on two servers: a few ms a run. */
const SCENARIO = twoServerScenario("nodes", 11, "10s", 150, 2);
const GRID = [
  "--set",
  "clients.load.arrivals.poisson=50/s..150/s:50/s",
  "--strategies",
  "roundrobin,leastconn",
  "--replications",
  "4",
];
/** Variables of an outer sharded CI run must not leak into these processes. */
const CLEAN_ENV = {
  LBSIM_SHARD_INDEX: "",
  JOB_COMPLETION_INDEX: "",
  SLURM_ARRAY_TASK_ID: "",
  SLURM_ARRAY_TASK_MIN: "",
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-shard-nodes-"));
  writeFileSync(join(dir, "nodes.yaml"), SCENARIO);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function lbsim(args: string[], env: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: NODE_TIMEOUT_MS,
    env: { ...process.env, ...CLEAN_ENV, ...env },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const read = (name: string) => readFileSync(join(dir, name), "utf8");

/** Runs the shards as processes at the same time, as nodes would; each is killed if still running at the end. */
async function nodes(
  runs: ReadonlyArray<{ args: string[]; env?: Record<string, string> }>,
): Promise<number[]> {
  const children: ChildProcess[] = [];
  try {
    const exits = runs.map(({ args, env }) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: dir,
        env: { ...process.env, ...CLEAN_ENV, ...env },
        stdio: ["ignore", "ignore", "pipe"],
      });
      children.push(child);
      let stderr = "";
      child.stderr?.on("data", (chunk) => {
        stderr += chunk;
      });
      return new Promise<number>((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`node ${args.join(" ")} still running`)),
          NODE_TIMEOUT_MS,
        );
        child.on("exit", (code) => {
          clearTimeout(timer);
          if (code !== 0) fail(new Error(`node exited ${code}: ${stderr}`));
          else done(code);
        });
      });
    });
    return await Promise.all(exits);
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }
}

describe.skipIf(!built)("shard → merge across processes (the built CLI; npm run build)", () => {
  it("3 shards run by 3 processes at once merge into the unsharded sweep's JSON, CSV and table", async () => {
    const whole = lbsim(["sweep", "nodes.yaml", ...GRID, "--json", "whole.json", "--csv", "whole.csv"]);
    expect(whole.status, whole.stderr).toBe(0);
    await nodes(
      [1, 2, 3].map((i) => ({
        args: [
          "sweep",
          "nodes.yaml",
          ...GRID,
          "--shard",
          `${i}/3`,
          "--json",
          `shard-${i}.json`,
          "--workers",
          "1",
        ],
      })),
    );
    const merged = lbsim([
      "merge",
      "shard-2.json",
      "shard-3.json",
      "shard-1.json",
      "--json",
      "m.json",
      "--csv",
      "m.csv",
    ]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(read("m.json")).toBe(read("whole.json"));
    expect(read("m.csv")).toBe(read("whole.csv"));
    expect(merged.stdout).toBe(whole.stdout);
    expect(JSON.parse(read("m.json")).runs).toEqual({ total: 24, done: 24, missing: 0 });
  });

  it.each([
    ["LBSIM_SHARD_INDEX", (k: number) => ({ LBSIM_SHARD_INDEX: String(k) })],
    ["JOB_COMPLETION_INDEX", (k: number) => ({ JOB_COMPLETION_INDEX: String(k) })],
    // A Slurm array --array=5-7: ids 5, 6, 7, minimum 5.
    [
      "SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN",
      (k: number) => ({ SLURM_ARRAY_TASK_ID: String(5 + k), SLURM_ARRAY_TASK_MIN: "5" }),
    ],
  ])("--shard auto/3 with %s: index 0..2 are shards 1..3, and they merge", async (_, envOf) => {
    await nodes(
      [0, 1, 2].map((k) => ({
        args: [
          "sweep",
          "nodes.yaml",
          ...GRID,
          "--shard",
          "auto/3",
          "--json",
          `auto-${k}.json`,
          "--workers",
          "1",
        ],
        env: envOf(k),
      })),
    );
    for (const k of [0, 1, 2])
      expect(JSON.parse(read(`auto-${k}.json`)).shard).toEqual({ index: k + 1, count: 3 });
    const merged = lbsim(["merge", "auto-0.json", "auto-1.json", "auto-2.json", "--json", "-"]);
    expect(merged.status, merged.stderr).toBe(0);
    const whole = lbsim(["sweep", "nodes.yaml", ...GRID, "--json", "-", "-q"]);
    expect(merged.stdout).toBe(whole.stdout);
  });

  it("--shard auto/3 with no index, or one out of range, is bad input naming the variables (exit 2)", () => {
    const none = lbsim(["sweep", "nodes.yaml", ...GRID, "--shard", "auto/3", "--json", "x.json"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(
      "LBSIM_SHARD_INDEX, JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN",
    );
    const out = lbsim(["sweep", "nodes.yaml", ...GRID, "--shard", "auto/3", "--json", "x.json"], {
      JOB_COMPLETION_INDEX: "3",
    });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('JOB_COMPLETION_INDEX="3" gives index 3');
    expect(existsSync(join(dir, "x.json"))).toBe(false);
  });

  it("merge refuses another sweep's shard, names a missing one and refuses a doubled one (exit 2)", async () => {
    await nodes(
      [1, 2, 3].map((i) => ({
        args: ["sweep", "nodes.yaml", ...GRID, "--shard", `${i}/3`, "--json", `s${i}.json`],
      })),
    );
    const other = lbsim([
      "sweep",
      "nodes.yaml",
      ...GRID,
      "--set",
      "backend.servers.web02.speed=2",
      "--shard",
      "3/3",
      "--json",
      "o3.json",
    ]);
    expect(other.status, other.stderr).toBe(0);
    const different = lbsim(["merge", "s1.json", "s2.json", "o3.json"]);
    expect(different.status).toBe(2);
    expect(different.stderr).toContain(
      "shards of different sweeps: s1.json (1/3) and o3.json (3/3) differ in --set values",
    );
    const missing = lbsim(["merge", "s1.json", "s3.json"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("shard 2/3 missing");
    const doubled = lbsim(["merge", "s1.json", "s2.json", "s2.json", "s3.json"]);
    expect(doubled.status).toBe(2);
    expect(doubled.stderr).toContain("shard 2/3 given twice");
  });
});
