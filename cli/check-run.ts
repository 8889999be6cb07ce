// `lbsim check` running: replications of each planned scenario, judged on the complete ones, with Ctrl-C handling.
import type { Results } from "../sim/index.js";
import { ownStrategy } from "../sim/own-strategy.js";
import { figuresOf } from "./check-figures.js";
import { judge, type Replication } from "./check-judge.js";
import type { Plan } from "./check-plan.js";
import { runFigures, type ScenarioCheck } from "./check-report.js";
import type { Io, Toolkit } from "./context.js";
import { interruptibly } from "./interruptible.js";
import { formatElapsed } from "./progress.js";
import { type AutoReplications, decide, type Unsettled } from "./replications-auto.js";
import { checkSeries } from "./replications-auto-check.js";

/** Replications `check --replications auto` runs ahead of each decision (its runs are one at a time). */
const CHECK_AUTO_BATCH = 2;

/** The scenarios' verdicts so far, how long each took, and whether Ctrl-C stopped the check. */
export interface CheckRun {
  readonly reports: ScenarioCheck[];
  readonly wallMs: number[];
  readonly stopped: boolean;
  /**
   * With `keepRuns`: per report, in the same order, each strategy's Results of every complete
   * replication (in seed order), for the HTML report; empty for a scenario that did not run.
   */
  readonly runs: Readonly<Record<string, ReadonlyArray<Results>>>[];
}

/** Runs the plans in order; undefined when a second Ctrl-C aborted the check (nothing is to be written). */
export async function runChecks(
  plans: ReadonlyArray<Plan>,
  options: {
    /** Fixed count; with `auto`, the most that may run (`auto.max`). */
    readonly replications: number;
    /** `--replications auto`: replications added until the expectations' metrics settle. */
    readonly auto?: AutoReplications;
    readonly quiet: boolean;
    /** Run scenarios without expectations too, for their figures (a baseline compares them). */
    readonly figuresWanted?: boolean;
    /** Keep every run's Results (the report draws them); otherwise they are dropped once judged. */
    readonly keepRuns?: boolean;
  },
  toolkit: Toolkit,
  io: Io,
): Promise<CheckRun | undefined> {
  const { replications, quiet } = options;
  const reports: ScenarioCheck[] = [];
  const wallMs: number[] = [];
  const kept: Record<string, Results[]>[] = [];
  // Not on a terminal (CI), a plain line per replication done, so that the log shows the check moving.
  const plainLines = !quiet && !io.stderrIsTTY;
  const checkStartedAt = io.now();
  let stopped = false;
  return interruptibly(toolkit, io, options, async (runner) => {
    for (const [planIndex, plan] of plans.entries()) {
      const base = {
        file: plan.file,
        scenario: plan.scenario.name,
        strategy: ownStrategy(plan.scenario),
        compared: [...plan.scenario.compare],
      };
      const startedAt = io.now();
      if (plan.expectations.length === 0 && options.figuresWanted !== true) {
        reports.push({ ...base, seeds: [], status: "no expectations", checks: [] });
        wallMs.push(0);
        kept.push({});
        continue;
      }
      let done: Replication[] = [];
      let seeds: number[] = [];
      const auto = options.auto;
      // With auto: run up to `target`, then decide whether more are needed (cli/replications-auto.ts).
      let target = auto === undefined ? replications : auto.min;
      let settled: { used: number; unsettled?: Unsettled } | undefined;
      const of = auto === undefined ? `/${replications}` : ` (auto, at most ${auto.max})`;
      for (let r = 0; r < target && !stopped; r++) {
        const replicationStartedAt = io.now();
        const runSeed = plan.baseSeed + r;
        let own: Results | undefined;
        const runs = new Map<string, Results>();
        for (const [index, { name, job }] of plan.jobs.entries()) {
          if (runner.stopRequested()) {
            stopped = true;
            break;
          }
          const what = replications > 1 ? ` · replication ${r + 1}${of}` : "";
          const which = plan.jobs.length > 1 ? ` (${index + 1}/${plan.jobs.length})` : "";
          const outcome = await runner.simulate(
            { ...job, seed: runSeed },
            `lbsim check: ${plan.scenario.name} · ${name}${which}${what}`,
            plan.scenario.durationMs,
          );
          if (outcome.stopped) {
            stopped = true;
            break;
          }
          if (index === 0) own = outcome.results;
          runs.set(name, outcome.results);
        }
        if (stopped || own === undefined) break;
        done.push({ own, runs });
        seeds.push(runSeed);
        if (plainLines) {
          const t = io.now();
          const which = replications > 1 ? `: replication ${r + 1}${of}` : "";
          io.err(
            `lbsim check: [${planIndex + 1}/${plans.length}] ${plan.scenario.name}${which} done in ${formatElapsed(t - replicationStartedAt)} (seed ${runSeed}; ${formatElapsed(t - checkStartedAt)} elapsed)\n`,
          );
        }
        if (auto !== undefined && done.length === target) {
          const decision = decide(auto, checkSeries(plan.expectations, done), done.length, CHECK_AUTO_BATCH);
          if (decision.kind === "more") {
            target = decision.target;
          } else {
            // Runs past the stop are dropped: the figures are those of `--replications <used>`.
            settled = decision;
            done = done.slice(0, decision.used);
            seeds = seeds.slice(0, decision.used);
          }
        }
      }
      wallMs.push(io.now() - startedAt);
      kept.push(options.keepRuns === true ? runsByStrategy(done) : {});
      if (done.length === 0) {
        reports.push({ ...base, seeds: [], status: "interrupted", partial: true, checks: [] });
        break;
      }
      const checks = plan.expectations.map((e) => judge(e, done));
      reports.push({
        ...base,
        seeds,
        status: checks.length === 0 ? "no expectations" : checks.every((c) => c.pass) ? "pass" : "fail",
        ...(auto === undefined
          ? done.length < replications
            ? { partial: true as const }
            : {}
          : settled === undefined
            ? { partial: true as const }
            : {
                replicationsAuto: {
                  used: settled.used,
                  settled: settled.unsettled === undefined,
                  ...(settled.unsettled === undefined ? {} : { unsettled: settled.unsettled }),
                },
              }),
        ...runFigures(done.map((d) => d.own)),
        checks,
        figures: figuresOf(done),
      });
      if (stopped) break;
    }
    return { reports, wallMs, stopped, runs: kept };
  });
}

function runsByStrategy(done: ReadonlyArray<Replication>): Record<string, Results[]> {
  const runs: Record<string, Results[]> = {};
  for (const replication of done) {
    for (const [name, results] of replication.runs) runs[name] = [...(runs[name] ?? []), results];
  }
  return runs;
}
