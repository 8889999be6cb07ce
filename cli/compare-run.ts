// `lbsim compare` running: replication after replication, every strategy on each seed, with Ctrl-C handling.
import type { Results } from "../sim/index.js";
import {
  AbortedError,
  type Io,
  type SimulationJob,
  type SimulationOutcome,
  type Toolkit,
} from "./context.js";
import { createProgress, type Progress } from "./progress.js";
import { watchInterrupts } from "./run-command.js";

export interface CompareRun {
  /** Per strategy, the Results of each complete replication, in seed order. */
  readonly complete: ReadonlyArray<ReadonlyArray<Results>>;
  /** The runs of the replication Ctrl-C cut short, in strategy order (the last one possibly stopped early). */
  readonly cut: ReadonlyArray<SimulationOutcome>;
  readonly stopped: boolean;
}

/**
 * Runs seeds `baseSeed`..`baseSeed + replications - 1`, each with every job in order (paired by
 * seed: one seed gives every strategy the same requests). Undefined when a second Ctrl-C aborted.
 */
export async function runComparison(
  jobs: ReadonlyArray<SimulationJob & { readonly label: string }>,
  options: {
    readonly baseSeed: number;
    readonly replications: number;
    readonly quiet: boolean;
    readonly scenario: string;
    readonly durationMs: number;
  },
  toolkit: Toolkit,
  io: Io,
): Promise<CompareRun | undefined> {
  const complete: Results[][] = jobs.map(() => []);
  let cut: SimulationOutcome[] = [];
  let stopped = false;
  let progress: Progress = createProgress({ enabled: false, label: "", durationMs: 0, write: io.err });
  const shownProgress: Progress = { update: (ms) => progress.update(ms), clear: () => progress.clear() };
  const interrupts = watchInterrupts(toolkit.interruptible, shownProgress, io);
  try {
    for (let r = 0; r < options.replications && !stopped; r++) {
      const outcomes: SimulationOutcome[] = [];
      for (const [index, job] of jobs.entries()) {
        if (Atomics.load(interrupts.stop, 0) === 1) {
          stopped = true;
          break;
        }
        const replication = options.replications > 1 ? ` · replication ${r + 1}/${options.replications}` : "";
        progress = createProgress({
          enabled: !options.quiet,
          plain: !io.stderrIsTTY,
          now: io.now,
          label: `lbsim: ${options.scenario} · ${job.label} (${index + 1}/${jobs.length})${replication}`,
          durationMs: options.durationMs,
          write: io.err,
        });
        const { label: _, ...simulation } = job;
        const outcome = await toolkit.simulate(
          { ...simulation, seed: options.baseSeed + r },
          { stop: interrupts.stop, onProgress: shownProgress.update, abort: interrupts.abort },
        );
        progress.clear();
        outcomes.push(outcome);
        if (outcome.stopped) {
          stopped = true;
          break;
        }
      }
      if (stopped) cut = outcomes;
      else for (const [s, o] of outcomes.entries()) complete[s]?.push(o.results);
    }
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    io.err("lbsim: interrupted; nothing was written\n");
    return undefined;
  } finally {
    interrupts.unsubscribe();
    shownProgress.clear();
  }
  return { complete, cut, stopped };
}
