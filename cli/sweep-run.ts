// `lbsim sweep` running: every (point, strategy, replication) on the pool, placed by its index, with progress and Ctrl-C.
import { AbortedError, type Io, type SimulationPool } from "./context.js";
import { createProgress, formatElapsed } from "./progress.js";
import { watchInterrupts } from "./run-command.js";
import type { SweepPlan } from "./sweep-plan.js";

/** Not on a terminal, a progress line at most this often: a log shows the sweep moving, not every run. */
const PLAIN_PROGRESS_INTERVAL_MS = 5_000;

export interface SweepRun {
  /** Per task index (see `taskOf`), the run's figures; undefined for a run that did not finish. */
  readonly figures: ReadonlyArray<ReadonlyArray<number> | undefined>;
  readonly done: number;
  readonly stopped: boolean;
}

/** Task t of the plan: points outermost, then strategies, then replications (seed baseSeed + r). */
export function taskOf(plan: SweepPlan, t: number): { point: number; strategy: number; replication: number } {
  const r = plan.replications;
  const s = plan.strategies.length;
  return { point: Math.floor(t / (r * s)), strategy: Math.floor(t / r) % s, replication: t % r };
}

/**
 * Runs the plan's tasks, at most `pool.workers` at once. Results are stored at their task index,
 * whatever order the threads finish in, so the output does not depend on the number of workers.
 * A first Ctrl-C stops scheduling and asks the running tasks to stop (their partial runs are
 * dropped); a second gives up at once: undefined, nothing is written.
 */
export async function runSweep(
  plan: SweepPlan,
  pool: SimulationPool,
  options: {
    readonly quiet: boolean;
    readonly interruptible: boolean;
    /** The task indices to run (a shard's slice, cli/sweep-shard.ts); default every one. */
    readonly tasks?: ReadonlyArray<number>;
  },
  io: Io,
): Promise<SweepRun | undefined> {
  const figures: Array<ReadonlyArray<number> | undefined> = new Array(plan.totalRuns).fill(undefined);
  const tasks = options.tasks;
  const total = tasks === undefined ? plan.totalRuns : tasks.length;
  const startedAt = io.now();
  let done = 0;
  const progress = createProgress({
    enabled: !options.quiet,
    plain: !io.stderrIsTTY,
    now: io.now,
    label: "lbsim sweep",
    durationMs: total,
    plainIntervalMs: PLAIN_PROGRESS_INTERVAL_MS,
    write: io.err,
    describe: (runs) => describeProgress(runs, total, io.now() - startedAt),
  });
  const interrupts = watchInterrupts(options.interruptible, progress, io);
  const stopRequested = () => Atomics.load(interrupts.stop, 0) === 1;
  let next = 0;
  let failed = false;
  let stopped = false;
  const lane = async () => {
    while (!failed && !stopRequested()) {
      const k = next++;
      if (k >= total) return;
      const t = tasks === undefined ? k : (tasks[k] as number);
      const { point, strategy, replication } = taskOf(plan, t);
      const at = plan.points[point];
      const job = at?.jobs[strategy];
      if (at === undefined || job === undefined) throw new Error(`sweep task ${t} is outside the plan`);
      try {
        const summary = await pool.summarize(
          { ...job, seed: at.baseSeed + replication },
          { stop: interrupts.stop, abort: interrupts.abort },
        );
        // A run Ctrl-C cut short covers part of the scenario: it is missing, not a figure.
        if (summary.stopped) continue;
        figures[t] = summary.figures;
        done++;
        progress.update(done);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  try {
    const lanes = Array.from({ length: Math.min(pool.workers, total) }, lane);
    await Promise.all(lanes);
    stopped = stopRequested() && done < total;
    return { figures, done, stopped };
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    io.err("lbsim: interrupted; nothing was written\n");
    return undefined;
  } finally {
    interrupts.unsubscribe();
    progress.clear();
  }
}

/** `lbsim sweep: 120/400 runs (30%) · 12.0s elapsed · about 28.0s left` */
export function describeProgress(done: number, total: number, elapsedMs: number): string {
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  const left =
    done > 0 && done < total ? ` · about ${formatElapsed((elapsedMs / done) * (total - done))} left` : "";
  return `lbsim sweep: ${done}/${total} runs (${percent}%) · ${formatElapsed(elapsedMs)} elapsed${left}`;
}
