// The start-up case of `npm run bench`: a tiny scenario through `lbsim run` end to end, against `node -e 0`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** This file is dist/bench/startup.js when run: the executable is two folders up. */
const LBSIM = fileURLToPath(new URL("../../bin/lbsim.js", import.meta.url));

/** One second of 100 requests a second on two servers: the run itself takes a few milliseconds. */
export const TINY_SCENARIO = `name: tiny
seed: 1
duration: 1s
backend:
  balance: roundrobin
  service: { exponential: 5ms }
  servers: [{ name: a }, { name: b }]
clients:
  - { name: c, arrivals: { poisson: 100/s } }
`;

export interface StartupFigures {
  /** Wall milliseconds of each run, sorted. */
  readonly nodeMs: ReadonlyArray<number>;
  readonly lbsimMs: ReadonlyArray<number>;
}

/** Wall milliseconds of one process from spawn to exit; throws when it fails. */
function timed(args: ReadonlyArray<string>, input?: string): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { input, encoding: "utf8", stdio: "pipe" });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return wallMs;
}

/**
 * `runs` of each, alternating (`node -e 0`, then lbsim), so that a busy moment of the machine
 * falls on both alike, after one unmeasured pair (files into the page cache). The scenario comes
 * on standard input (`lbsim run -`): no file to clean up.
 */
export function measureStartup(runs: number): StartupFigures {
  const nodeMs: number[] = [];
  const lbsimMs: number[] = [];
  timed(["-e", "0"]);
  timed([LBSIM, "run", "-", "-q"], TINY_SCENARIO);
  for (let i = 0; i < runs; i++) {
    nodeMs.push(timed(["-e", "0"]));
    lbsimMs.push(timed([LBSIM, "run", "-", "-q"], TINY_SCENARIO));
  }
  const byValue = (a: number, b: number) => a - b;
  return { nodeMs: nodeMs.sort(byValue), lbsimMs: lbsimMs.sort(byValue) };
}

/** The middle value of sorted figures (the mean of the two middle ones for an even count). */
export function median(sorted: ReadonlyArray<number>): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
