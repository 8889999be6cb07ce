// Simulations run one after another behind one progress line, for `lbsim compare` and `lbsim check`: Ctrl-C once stops, twice aborts.

import { runsInProcess } from "./choose-simulator.js";
import {
  AbortedError,
  type Io,
  type SimulationJob,
  type SimulationOutcome,
  type SimulationPool,
  type Toolkit,
} from "./context.js";
import { createProgress, type Progress } from "./progress.js";
import { watchInterrupts } from "./run-command.js";

export interface Runner {
  /** Whether a first Ctrl-C asked to stop: the caller keeps what is complete and runs nothing more. */
  readonly stopRequested: () => boolean;
  /** Runs one job with its own progress line (`label`, over `durationMs` of simulated time). */
  readonly simulate: (job: SimulationJob, label: string, durationMs: number) => Promise<SimulationOutcome>;
}

/**
 * Calls `body` with a Runner; undefined when a second Ctrl-C aborted a run, after saying that
 * nothing was written. The Ctrl-C message clears whichever progress line is showing.
 */
export async function interruptibly<T>(
  toolkit: Toolkit,
  io: Io,
  options: { readonly quiet: boolean },
  body: (runner: Runner) => Promise<T>,
): Promise<T | undefined> {
  let progress: Progress = createProgress({ enabled: false, label: "", durationMs: 0, write: io.err });
  const shownProgress: Progress = { update: (ms) => progress.update(ms), clear: () => progress.clear() };
  const interrupts = watchInterrupts(toolkit.interruptible, shownProgress, io);
  // Long runs go to one pool thread, started at the first of them and kept for every other (no
  // thread started per run); small ones stay in process as before (cli/choose-simulator.ts), so a
  // check of small scenarios starts no thread at all. Runs stay one at a time, in order.
  let pool: Promise<SimulationPool> | undefined;
  const createPool = toolkit.createPool;
  const simulate: Toolkit["simulate"] =
    createPool === undefined
      ? toolkit.simulate
      : async (job, control) => {
          if (runsInProcess(job)) return toolkit.simulate(job, control);
          pool ??= createPool(1);
          return (await pool).simulate(job, control);
        };
  const runner: Runner = {
    stopRequested: () => Atomics.load(interrupts.stop, 0) === 1,
    simulate: async (job, label, durationMs) => {
      progress = createProgress({
        enabled: !options.quiet,
        plain: !io.stderrIsTTY,
        now: io.now,
        label,
        durationMs,
        write: io.err,
      });
      const outcome = await simulate(job, {
        stop: interrupts.stop,
        onProgress: shownProgress.update,
        abort: interrupts.abort,
      });
      progress.clear();
      return outcome;
    },
  };
  try {
    return await body(runner);
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    io.err("lbsim: interrupted; nothing was written\n");
    return undefined;
  } finally {
    interrupts.unsubscribe();
    shownProgress.clear();
    if (pool !== undefined) await (await pool).close();
  }
}
