// `warmup: auto`: a first run finds the warm-up (MSER-5 on its series), the same seed runs again with it; the Results say what was found.
import type { SimulationControl, SimulationJob, SimulationOutcome } from "./context.js";
import { findWarmup } from "./warmup-mser.js";

/** The series MSER-5 judges: requests in flight, the balancer's queues, and the p99 of each bucket. */
export const WARMUP_AUTO_METRICS = ["inflight", "queue", "p99"] as const;

/** What Results gains with `warmup: auto` (an added field; `warmupMs` holds the warm-up applied). */
export interface WarmupAuto {
  readonly method: "MSER-5";
  /** The warm-up found and applied, in ms (a multiple of 5 buckets). */
  readonly ms: number;
  /** The series whose truncation point was the latest: the one that set it. */
  readonly metric: string;
}

/**
 * Runs the job once with no warm-up, finds the truncation point, and runs the same seed again
 * with it: the same seed gives the same run, so the second Results equal those of a scenario with
 * `warmup: <found>`, exactly. Cost: two runs per replication.
 */
export async function simulateWarmupAuto<Modules>(
  job: SimulationJob,
  control: SimulationControl,
  modules: Modules,
  once: (job: SimulationJob, control: SimulationControl, modules: Modules) => Promise<SimulationOutcome>,
): Promise<SimulationOutcome> {
  const { warmupAuto: _, ...scenario } = job.scenario;
  // The finding run writes no trace and no log: only the run with the warm-up found is the user's.
  const { trace: _trace, log: _log, explain: _explain, ...quiet } = job;
  const first = await once({ ...quiet, scenario: { ...scenario, warmupMs: 0 } }, control, modules);
  if (first.stopped) return first;
  const found = findWarmup(first.results, WARMUP_AUTO_METRICS);
  const outcome = await once(
    { ...job, scenario: { ...scenario, warmupMs: found.warmupMs } },
    control,
    modules,
  );
  const warmupAuto: WarmupAuto = { method: "MSER-5", ms: found.warmupMs, metric: found.metric };
  return { ...outcome, results: { ...outcome.results, warmupAuto } };
}
