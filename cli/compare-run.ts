// `lbsim compare` running: replication after replication, every strategy on each seed, with Ctrl-C handling.
import type { Results } from "../sim/index.js";
import type { Io, SimulationJob, SimulationOutcome, Toolkit } from "./context.js";
import { interruptibly } from "./interruptible.js";
import { type AutoReplications, decide, type JudgedSeries, type Unsettled } from "./replications-auto.js";

/** Replications `compare --replications auto` runs ahead of each decision (its runs are one at a time). */
const COMPARE_AUTO_BATCH = 2;

export interface CompareRun {
  /** Per strategy, the Results of each complete replication, in seed order. */
  readonly complete: ReadonlyArray<ReadonlyArray<Results>>;
  /** The runs of the replication Ctrl-C cut short, in strategy order (the last one possibly stopped early). */
  readonly cut: ReadonlyArray<SimulationOutcome>;
  readonly stopped: boolean;
  /** With `auto`: the replications kept (`complete` has as many) and the metric --max left unsettled. */
  readonly settled?: { readonly used: number; readonly unsettled?: Unsettled };
}

/**
 * Runs seeds `baseSeed`..`baseSeed + replications - 1`, each with every job in order (paired by
 * seed: one seed gives every strategy the same requests). Undefined when a second Ctrl-C aborted.
 */
export async function runComparison(
  jobs: ReadonlyArray<SimulationJob & { readonly label: string }>,
  options: {
    readonly baseSeed: number;
    /** Fixed count; with `auto`, its --max. */
    readonly replications: number;
    /** `--replications auto`: replications added until every metric of `judged` settles. */
    readonly auto?: {
      readonly plan: AutoReplications;
      readonly judged: (complete: ReadonlyArray<ReadonlyArray<Results>>) => JudgedSeries[];
    };
    readonly quiet: boolean;
    readonly scenario: string;
    readonly durationMs: number;
  },
  toolkit: Toolkit,
  io: Io,
): Promise<CompareRun | undefined> {
  return interruptibly(toolkit, io, options, async (runner) => {
    let complete: Results[][] = jobs.map(() => []);
    let cut: SimulationOutcome[] = [];
    let stopped = false;
    let settled: CompareRun["settled"];
    const auto = options.auto;
    let target = auto === undefined ? options.replications : auto.plan.min;
    for (let r = 0; r < target && !stopped; r++) {
      const outcomes: SimulationOutcome[] = [];
      for (const [index, job] of jobs.entries()) {
        if (runner.stopRequested()) {
          stopped = true;
          break;
        }
        const of = auto === undefined ? `/${options.replications}` : ` (auto, at most ${auto.plan.max})`;
        const replication = options.replications > 1 ? ` · replication ${r + 1}${of}` : "";
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
      if (auto !== undefined && !stopped && r + 1 === target) {
        const decision = decide(auto.plan, auto.judged(complete), r + 1, COMPARE_AUTO_BATCH);
        if (decision.kind === "more") {
          target = decision.target;
        } else {
          // Runs past the stop are dropped: the figures are those of `--replications <used>`.
          settled = decision;
          complete = complete.map((list) => list.slice(0, decision.used));
        }
      }
    }
    return { complete, cut, stopped, ...(settled === undefined ? {} : { settled }) };
  });
}
