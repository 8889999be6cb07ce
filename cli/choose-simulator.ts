// Which thread runs a simulation: small ones in process (no worker to start), the rest in a worker that Ctrl-C can stop.
import { estimateEvents } from "../scenarios/index.js";
import type { SimulationJob, Simulator } from "./context.js";

/**
 * Runs estimated at up to this many events (scenarios/limits.ts: requests, retries, checks, series
 * buckets, timeline) run in process. lbsim simulates about 1 M requests a second (docs/performance.md),
 * so such a run takes about 0.1 s, a few times less on a slow machine: about what starting the worker
 * thread costs (it loads the simulator's modules again, 0.1–0.4 s), and too short for a Ctrl-C to matter.
 */
export const IN_PROCESS_MAX_EVENTS = 100_000;

/**
 * True when the job is small enough to run in process: its estimate is at most IN_PROCESS_MAX_EVENTS,
 * every client's count is known (a trace file's length is not: the estimate counts it 0), and no
 * strategy is the user's own code (whose speed lbsim cannot know).
 */
export function runsInProcess(job: SimulationJob): boolean {
  if (job.strategyFile !== undefined || (job.strategyFiles?.length ?? 0) > 0) return false;
  if (job.scenario.clients.some((client) => client.arrivals.kind === "trace")) return false;
  return estimateEvents(job.scenario).total <= IN_PROCESS_MAX_EVENTS;
}

/** A simulator that hands small jobs to `inProcess` and the others to `worker`. */
export function chooseSimulator(worker: Simulator, inProcess: Simulator): Simulator {
  return (job, control) => (runsInProcess(job) ? inProcess(job, control) : worker(job, control));
}
