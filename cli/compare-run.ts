// `lbsim compare` running: replication after replication, every strategy on each seed, with Ctrl-C handling.
import type { Results } from "../sim/index.js";
import type { Io, SimulationJob, SimulationOutcome, Toolkit } from "./context.js";
import { interruptibly } from "./interruptible.js";

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
  return interruptibly(toolkit, io, options, async (runner) => {
    const complete: Results[][] = jobs.map(() => []);
    let cut: SimulationOutcome[] = [];
    let stopped = false;
    for (let r = 0; r < options.replications && !stopped; r++) {
      const outcomes: SimulationOutcome[] = [];
      for (const [index, job] of jobs.entries()) {
        if (runner.stopRequested()) {
          stopped = true;
          break;
        }
        const replication = options.replications > 1 ? ` · replication ${r + 1}/${options.replications}` : "";
        const { label: _, ...simulation } = job;
        const outcome = await runner.simulate(
          { ...simulation, seed: options.baseSeed + r },
          `lbsim: ${options.scenario} · ${job.label} (${index + 1}/${jobs.length})${replication}`,
          options.durationMs,
        );
        outcomes.push(outcome);
        if (outcome.stopped) {
          stopped = true;
          break;
        }
      }
      if (stopped) cut = outcomes;
      else for (const [s, o] of outcomes.entries()) complete[s]?.push(o.results);
    }
    return { complete, cut, stopped };
  });
}
