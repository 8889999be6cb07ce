// Spec of `lbsim sweep` on real worker threads, through bin/lbsim.js (the built CLI): same bytes for any --workers, and Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliBuilt, LBSIM_BIN, twoServerScenario } from "./built-cli-test-support.js";
import type { SweepJson } from "./sweep-output.js";

const bin = LBSIM_BIN;
const built = cliBuilt();

/** 30 s at up to 200 requests a second on two servers: some 30 ms a run. */
const MID = twoServerScenario("mid", 3, "30s", 200, 2);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-sweep-pool-"));
  writeFileSync(join(dir, "mid.yaml"), MID);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sweep(args: string[]): { status: number | null; stderr: string } {
  const child = spawnSync(process.execPath, [bin, "sweep", "mid.yaml", ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: child.status, stderr: child.stderr };
}

describe.skipIf(!built)("lbsim sweep on the thread pool (the built CLI; npm run build)", () => {
  it("writes byte-identical JSON and CSV with 1 and 3 workers", () => {
    const grid = [
      "--set",
      "clients.load.arrivals.poisson=100/s..200/s:50/s",
      "--strategies",
      "roundrobin,leastconn",
    ];
    for (const workers of ["1", "3"]) {
      const run = sweep([
        ...grid,
        "--replications",
        "4",
        "--workers",
        workers,
        "--json",
        `w${workers}.json`,
        "--csv",
        `w${workers}.csv`,
        "-q",
      ]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    }
    const read = (name: string) => readFileSync(join(dir, name), "utf8");
    expect(read("w3.json")).toBe(read("w1.json"));
    expect(read("w3.csv")).toBe(read("w1.csv"));
    const json = JSON.parse(read("w1.json")) as SweepJson;
    expect(json.runs).toEqual({ total: 24, done: 24, missing: 0 });
    // Each row's figures came back from a thread: a latency, not a placeholder.
    expect(json.rows.every((r) => (r.metrics.p99Ms?.mean ?? 0) > 10)).toBe(true);
  }, 120_000);

  it("answers a bad value with exit 2 and the parser's message, no stack, no thread started", () => {
    const run = sweep(["--set", "backend.servers.web01.slots=2,zero"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("grid point 2 of 2: backend.servers.web01.slots=zero");
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("reports a strategy file that throws in a pool thread as bad input naming the file (exit 2)", () => {
    // The InputError is made in the thread: its issues must cross back, not become an internal error.
    writeFileSync(
      join(dir, "bad.mjs"),
      'export default () => ({ name: "bad", serverUp() {}, serverDown() {}, weightChanged() {}, taken() {}, released() {}, pick() { throw new Error("boom"); } });\n',
    );
    const run = sweep(["--set", "backend.servers.web01.slots=1,2", "--strategies", "./bad.mjs", "-q"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("bad.mjs: the strategy's pick() threw Error: boom\n");
  });

  it("on Ctrl-C, stops, writes the rows that finished with the missing runs counted, and exits 130", async () => {
    // 1,010 runs of 300 s of simulated time (some 100 ms each) on one worker: far from done when the
    // first progress line shows (after 5 s), however fast the machine.
    writeFileSync(join(dir, "long.yaml"), MID.replace("duration: 30s", "duration: 300s"));
    const child: ChildProcess = spawn(
      process.execPath,
      [
        bin,
        "sweep",
        "long.yaml",
        "--set",
        "clients.load.arrivals.poisson=100/s..200/s:1/s",
        "--replications",
        "10",
        "--workers",
        "1",
        "--json",
        "out.json",
      ],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let stderr = "";
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress line in 60 s: ${stderr}`)), 60_000);
        child.on("exit", (code) =>
          reject(new Error(`the sweep ended (${code}) before a progress line: ${stderr}`)),
        );
        child.stderr?.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/runs \(\d+%\)/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill("SIGINT");
      const code = await Promise.race([
        exited,
        new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), 30_000)),
      ]);
      expect(code).toBe(130);
      expect(stderr).toMatch(/lbsim sweep: stopped by Ctrl-C; [\d,]+ of 1,010 runs missing/);
      const json = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as SweepJson;
      expect(json.complete).toBe(false);
      expect(json.runs.done).toBeGreaterThan(0);
      expect(json.runs.done + json.runs.missing).toBe(1010);
      expect(json.rows[0]?.complete).toBe(true);
      expect(json.rows.at(-1)?.complete).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 120_000);
});

describe.skipIf(!built)("compare and check on the pool thread (the built CLI)", () => {
  it("write the same bytes as in process (LBSIM_WORKER=0) for runs long enough to go to the pool", () => {
    // 1,000 s at 150/s: about 150,000 events, above what cli/choose-simulator.ts keeps in process.
    writeFileSync(
      join(dir, "cmp.yaml"),
      `name: cmp
seed: 2
duration: 1000s
backend:
  service: { exponential: 10ms }
  servers: [{ name: web01, slots: 2 }, { name: web02, slots: 2 }]
clients:
  - { name: load, arrivals: { poisson: 150/s } }
compare: [leastconn]
expect: ["p99 < 1s"]
`,
    );
    const outputs = (env: NodeJS.ProcessEnv) =>
      [
        [
          "compare",
          "cmp.yaml",
          "--strategies",
          "roundrobin,leastconn",
          "--replications",
          "2",
          "--deterministic",
        ],
        ["check", "cmp.yaml", "--replications", "2"],
      ].map((args) => {
        const child = spawnSync(process.execPath, [bin, ...args, "--json", "-", "-q"], {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, ...env },
          timeout: 120_000,
        });
        expect(child.stderr).toBe("");
        expect(child.status).toBe(0);
        // check's JSON has wall times (wallMs per scenario): the figures are what must agree.
        return child.stdout.replace(/"wallMs": \d+/g, '"wallMs": 0');
      });
    expect(outputs({})).toEqual(outputs({ LBSIM_WORKER: "0" }));
  }, 120_000);
});
