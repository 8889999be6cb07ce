// `lbsim sweep --replications auto`: each row (point × strategy) adds replications until its metrics settle, decided after each whole round.
import { AbortedError, type Io, type SimulationPool } from "./context.js";
import { createProgress } from "./progress.js";
import { type AutoReplications, decide, type JudgedSeries, type Unsettled } from "./replications-auto.js";
import { watchInterrupts } from "./run-command.js";
import { SWEEP_METRICS } from "./sweep-metrics.js";
import type { SweepJson, SweepRow } from "./sweep-output.js";
import type { SweepPlan } from "./sweep-plan.js";
import { describeProgress, type SweepRun } from "./sweep-run.js";

/** Not on a terminal, a progress line at most this often (as sweep-run.ts). */
const PLAIN_PROGRESS_INTERVAL_MS = 5_000;

/** A row's end: the replications it keeps and, when --max stopped it, the metric that did not settle. */
export interface RowSettled {
  readonly used: number;
  readonly unsettled?: Unsettled;
}

/** A SweepRun laid out as `--replications <max>` (task index as taskOf), with what each row kept. */
export interface AutoSweepRun extends SweepRun {
  /** Per row (point-major, then strategy); undefined for a row Ctrl-C left undecided. */
  readonly settled: ReadonlyArray<RowSettled | undefined>;
  /** Per row, the replications it was to have when the sweep ended (its `used` once settled). */
  readonly targets: ReadonlyArray<number>;
}

/** Every metric of the row is judged; errorRate is a share, maxQueued and unfinished counts (their absolute floors). */
function rowSeries(figures: ReadonlyArray<ReadonlyArray<number>>): JudgedSeries[] {
  return SWEEP_METRICS.map((m, i) => ({
    metric: m.key,
    values: figures.map((f) => f[i] as number),
    ...(m.unit === "ratio" || m.unit === "count" ? { unit: m.unit } : {}),
  }));
}

/**
 * Rounds: every undecided row's next replications go to the pool together (so all workers are
 * busy), and a row is decided only once its whole batch is in, on its figures in seed order. The
 * stop is the first N that settles (cli/replications-auto.ts `decide`), the runs past it dropped:
 * the output is the same for any --workers, although more workers may run a few more runs.
 * `plan.replications` is the --max.
 */
export async function runSweepAuto(
  plan: SweepPlan,
  auto: AutoReplications,
  pool: SimulationPool,
  options: { readonly quiet: boolean; readonly interruptible: boolean },
  io: Io,
): Promise<AutoSweepRun | undefined> {
  const max = plan.replications;
  const strategies = plan.strategies.length;
  const rows = plan.points.length * strategies;
  const batch = Math.max(2, pool.workers);
  const figures: Array<ReadonlyArray<number> | undefined> = new Array(rows * max).fill(undefined);
  const done = new Array<number>(rows).fill(0);
  const target = new Array<number>(rows).fill(auto.min);
  const settled: Array<RowSettled | undefined> = new Array(rows).fill(undefined);
  const startedAt = io.now();
  let ran = 0;
  // The total grows as rows ask for more: the progress shows the runs planned so far.
  const planned = () =>
    target.reduce((sum, t, row) => sum + (settled[row] === undefined ? t : (done[row] ?? 0)), 0);
  const progress = createProgress({
    enabled: !options.quiet,
    plain: !io.stderrIsTTY,
    now: io.now,
    label: "lbsim sweep",
    durationMs: rows * max,
    plainIntervalMs: PLAIN_PROGRESS_INTERVAL_MS,
    write: io.err,
    describe: (runs) => `${describeProgress(runs, planned(), io.now() - startedAt)} · auto`,
  });
  const interrupts = watchInterrupts(options.interruptible, progress, io);
  const stopRequested = () => Atomics.load(interrupts.stop, 0) === 1;
  let stopped = false;
  try {
    while (!stopped && settled.some((s) => s === undefined)) {
      const tasks: Array<{ row: number; replication: number }> = [];
      for (let row = 0; row < rows; row++) {
        if (settled[row] !== undefined) continue;
        for (let r = done[row] ?? 0; r < (target[row] ?? 0); r++) tasks.push({ row, replication: r });
      }
      let next = 0;
      let failed = false;
      const lane = async () => {
        while (!failed && !stopRequested()) {
          const task = tasks[next++];
          if (task === undefined) return;
          const at = plan.points[Math.floor(task.row / strategies)];
          const job = at?.jobs[task.row % strategies];
          if (at === undefined || job === undefined)
            throw new Error(`sweep row ${task.row} is outside the plan`);
          try {
            const summary = await pool.summarize(
              { ...job, seed: at.baseSeed + task.replication },
              { stop: interrupts.stop, abort: interrupts.abort },
            );
            if (summary.stopped) continue;
            figures[task.row * max + task.replication] = summary.figures;
            ran++;
            progress.update(ran);
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(pool.workers, tasks.length) }, lane));
      if (stopRequested()) {
        stopped = true;
        break;
      }
      // The whole round is in: each row decided on its own figures, in row order.
      for (let row = 0; row < rows; row++) {
        if (settled[row] !== undefined) continue;
        done[row] = target[row] ?? 0;
        const own = figures.slice(row * max, row * max + (done[row] ?? 0)) as ReadonlyArray<number>[];
        const decision = decide(auto, rowSeries(own), done[row] ?? 0, batch);
        if (decision.kind === "more") {
          target[row] = decision.target;
        } else {
          settled[row] = decision;
          // Runs past the stop are dropped: the row is that of `--replications <used>`.
          for (let r = decision.used; r < max; r++) figures[row * max + r] = undefined;
        }
      }
    }
    const kept = figures.filter((f) => f !== undefined).length;
    return { figures, done: kept, stopped, settled, targets: [...target] };
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    io.err("lbsim: interrupted; nothing was written\n");
    return undefined;
  } finally {
    interrupts.unsubscribe();
    progress.clear();
  }
}

/**
 * The sweep JSON of an auto run: each row with the replications it used (`replicationsAuto`), and
 * `runs` counting the runs kept (those past a row's stop are not figures of the sweep, and their
 * number depends on --workers). `replications`: the most any row used.
 */
export function autoSweepJson(json: SweepJson, auto: AutoReplications, run: AutoSweepRun): SweepJson {
  const rows: SweepRow[] = json.rows.map((row, i) => {
    const s = run.settled[i];
    if (s === undefined) return { ...row, complete: false };
    return {
      ...row,
      complete: row.seeds.length === s.used,
      replicationsAuto: {
        used: s.used,
        settled: s.unsettled === undefined,
        ...(s.unsettled === undefined ? {} : { unsettled: s.unsettled }),
      },
    };
  });
  const total = run.settled.reduce((sum, s, i) => sum + (s?.used ?? run.targets[i] ?? 0), 0);
  const complete = !run.stopped && rows.every((r) => r.complete);
  return {
    ...json,
    replications: Math.max(0, ...rows.map((r) => r.seeds.length)),
    runs: { total, done: run.done, missing: total - run.done },
    complete,
    replicationsAuto: { precision: auto.precision, min: auto.min, max: auto.max },
    rows,
  };
}
