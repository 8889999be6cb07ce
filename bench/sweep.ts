// `node dist/bench/sweep.js`: lbsim sweep on 2 workers against 1 (same bytes), and the pool's cost per run against in process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TINY_SCENARIO } from "./startup.js";

/** This file is dist/bench/sweep.js when run: the executable is two folders up. */
const LBSIM = fileURLToPath(new URL("../../bin/lbsim.js", import.meta.url));

/** Each measure is the best of this many (the least disturbed on a shared host). */
const RUNS = 3;

/**
 * 300 s at 90% load on 4 servers of 2 slots: some 200,000 requests, about 0.2 s a run, so that
 * the sweep's fixed costs (start-up, the threads' own) weigh little beside the runs.
 */
const MEDIUM_SCENARIO = `name: medium
seed: 1
duration: 300s
backend:
  balance: roundrobin
  service: { exponential: 10ms }
  servers: [{ name: a, slots: 2 }, { name: b, slots: 2 }, { name: c, slots: 2 }, { name: d, slots: 2 }]
clients:
  - { name: load, arrivals: { poisson: 720/s } }
`;

function timedSweep(dir: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, [LBSIM, "sweep", ...args, "-q"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    const wallMs = performance.now() - started;
    if (child.status !== 0)
      throw new Error(`lbsim sweep ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
    best = Math.min(best, wallMs);
  }
  return best;
}

const dir = mkdtempSync(join(tmpdir(), "lbsim-bench-sweep-"));
try {
  writeFileSync(join(dir, "medium.yaml"), MEDIUM_SCENARIO);
  writeFileSync(join(dir, "tiny.yaml"), TINY_SCENARIO);
  process.stdout.write(`cores: ${availableParallelism()}; each figure the best of ${RUNS} runs\n`);

  // 40 runs of ~40 ms: the work dominates, so 2 workers should take about half the time of 1.
  const grid = [
    "medium.yaml",
    "--set",
    "clients.load.arrivals.poisson=500/s..720/s:20/s",
    "--replications",
    "4",
  ];
  const oneMs = timedSweep(dir, [...grid, "--workers", "1", "--json", "w1.json"]);
  const twoMs = timedSweep(dir, [...grid, "--workers", "2", "--json", "w2.json"]);
  const same = readFileSync(join(dir, "w1.json"), "utf8") === readFileSync(join(dir, "w2.json"), "utf8");
  const speedup = oneMs / twoMs;
  process.stdout.write(`sweep-1-worker   ${(oneMs / 1000).toFixed(2)} s (24 runs)\n`);
  process.stdout.write(
    `sweep-2-workers  ${(twoMs / 1000).toFixed(2)} s, ${speedup.toFixed(2)}× faster, output ${same ? "identical" : "DIFFERENT"}\n`,
  );

  // 400 tiny runs (a few ms each) on one pool thread against the same in process: the difference,
  // less one pool start, over the runs is what a run costs to cross to a thread and back.
  const tiny = ["tiny.yaml", "--set", "clients.c.arrivals.poisson=10/s..400/s:10/s", "--replications", "10"];
  const pooledMs = timedSweep(dir, [...tiny, "--workers", "1"]);
  const inProcessMs = timedSweep(dir, tiny, { LBSIM_WORKER: "0" });
  const perRunMs = (pooledMs - inProcessMs) / 400;
  process.stdout.write(
    `pool overhead    ${perRunMs.toFixed(2)} ms a run (400 tiny runs: ${(pooledMs / 1000).toFixed(2)} s on 1 pool thread, ${(inProcessMs / 1000).toFixed(2)} s in process; includes the pool's start)\n`,
  );
  process.stdout.write("\n");
  process.stdout.write(
    `${speedup >= 1.8 && same ? "PASS" : "FAIL"}  2 workers ≥ 1.8× faster than 1, same output   ${speedup.toFixed(2)}×\n`,
  );
  process.stdout.write(
    `${perRunMs < 5 ? "PASS" : "FAIL"}  pool overhead per run under 5 ms               ${perRunMs.toFixed(2)} ms\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
