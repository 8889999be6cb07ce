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
    readonly replications: number;
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
      const done: Replication[] = [];
      const seeds: number[] = [];
      for (let r = 0; r < replications && !stopped; r++) {
        const replicationStartedAt = io.now();
        const runSeed = plan.baseSeed + r;
        let own: Results | undefined;
        const runs = new Map<string, Results>();
        for (const [index, { name, job }] of plan.jobs.entries()) {
          if (runner.stopRequested()) {
            stopped = true;
            break;
          }
          const what = replications > 1 ? ` · replication ${r + 1}/${replications}` : "";
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
          const which = replications > 1 ? `: replication ${r + 1}/${replications}` : "";
          io.err(
            `lbsim check: [${planIndex + 1}/${plans.length}] ${plan.scenario.name}${which} done in ${formatElapsed(t - replicationStartedAt)} (seed ${runSeed}; ${formatElapsed(t - checkStartedAt)} elapsed)\n`,
          );
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
        ...(done.length < replications ? { partial: true as const } : {}),
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
