// `lbsim sweep --shard i/n|auto/n`: which runs a shard owns, where `auto` finds its index, and the shard file it writes.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { UsageError } from "./args.js";
import type { Io } from "./context.js";
import { writeFileAtomic } from "./output.js";
import { EXIT_INTERRUPTED } from "./run-command.js";
import { SWEEP_METRICS } from "./sweep-metrics.js";
import type { SweepOutline } from "./sweep-output.js";
import type { SweepPlan } from "./sweep-plan.js";
import type { SweepRun } from "./sweep-run.js";

/** The shard file's `format`: raised when a field changes meaning (fields are only ever added). */
export const SHARD_FORMAT_VERSION = 1;
/** What the shard file's `kind` says, so that merge tells a shard from a sweep's own JSON. */
export const SHARD_KIND = "lbsim-sweep-shard";
/** More shards than this is a typo: a sweep is refused above 10,000 runs without --force anyway. */
export const MAX_SHARDS = 100_000;

export interface Shard {
  /** 1-based: shard `index` of `count`. */
  readonly index: number;
  readonly count: number;
}

/**
 * Where `--shard auto/n` reads its 0-based index, in this order: the explicit variable first (a CI
 * matrix inside a Kubernetes runner still means its own index), then Kubernetes Indexed Jobs, then
 * a Slurm array (whose ids need not start at 0: ID − MIN).
 */
export const SHARD_INDEX_VARIABLES = [
  "LBSIM_SHARD_INDEX",
  "JOB_COMPLETION_INDEX",
  "SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN",
] as const;

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `--shard 2/4` or `--shard auto/4` (index from the environment); bad forms are usage errors (exit 2). */
export function parseShard(text: string, env: Readonly<Record<string, string | undefined>>): Shard {
  const match = /^(auto|\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`--shard expects i/n (1 ≤ i ≤ n, e.g. 2/4) or auto/n, got "${text}"`, "sweep");
  }
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new UsageError(`--shard ${text}: n must be a whole number from 1 to ${MAX_SHARDS}`, "sweep");
  }
  const index = match[1] === "auto" ? autoIndex(env, count) + 1 : Number(match[1]);
  if (!Number.isSafeInteger(index) || index < 1 || index > count) {
    throw new UsageError(`--shard ${text}: i must be from 1 to ${count}`, "sweep");
  }
  return { index, count };
}

/** The 0-based index of `auto/n`: the first variable set (SHARD_INDEX_VARIABLES), checked against n. */
function autoIndex(env: Readonly<Record<string, string | undefined>>, count: number): number {
  const looked = `looked at ${SHARD_INDEX_VARIABLES.join(", ")}`;
  const inRange = (index: number | undefined, said: string): number => {
    if (index === undefined) {
      throw new UsageError(`--shard auto/${count}: ${said} is not a whole number ≥ 0 (${looked})`, "sweep");
    }
    if (index >= count) {
      throw new UsageError(
        `--shard auto/${count}: ${said} gives index ${index}, but the indices of ${count} shards are 0 to ${count - 1}`,
        "sweep",
      );
    }
    return index;
  };
  const own = env.LBSIM_SHARD_INDEX;
  if (own !== undefined && own !== "") return inRange(wholeNumber(own), `LBSIM_SHARD_INDEX="${own}"`);
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== "") return inRange(wholeNumber(k8s), `JOB_COMPLETION_INDEX="${k8s}"`);
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== "") {
    const min = env.SLURM_ARRAY_TASK_MIN;
    const said = `SLURM_ARRAY_TASK_ID="${slurmId}" - SLURM_ARRAY_TASK_MIN="${min ?? ""}"`;
    const id = wholeNumber(slurmId);
    const first = wholeNumber(min);
    return inRange(id === undefined || first === undefined || id < first ? undefined : id - first, said);
  }
  throw new UsageError(
    `--shard auto/${count}: no shard index in the environment (${looked}); set one, or give --shard i/${count}`,
    "sweep",
  );
}

/**
 * The task indices shard i of n runs: round-robin (t ≡ i−1 mod n). The cost of a run grows with the
 * swept value (a higher load is more events), and tasks are ordered by point: contiguous blocks
 * would give the last shard the heaviest points, round-robin gives every shard a share of each.
 */
export function shardTasks(totalRuns: number, shard: Shard): number[] {
  const tasks: number[] = [];
  for (let t = shard.index - 1; t < totalRuns; t += shard.count) tasks.push(t);
  return tasks;
}

/** What identifies a sweep: two shards merge only when all of it is the same. */
export interface SweepGrid {
  readonly scenarioSha256: string;
  /**
   * sha256 of every point's parsed scenario: also covers what the text only names (an `extends:`
   * parent, a `haproxy:` cfg), which may differ from node to node while the text does not.
   */
  readonly pointsSha256: string;
  readonly file: string;
  readonly sets: ReadonlyArray<string>;
  readonly strategies: ReadonlyArray<string>;
  readonly replications: number;
  /** `--seed`, else the scenario's: the first seed of the replications. */
  readonly seed: number;
  readonly backend: string | null;
  readonly metrics: ReadonlyArray<string>;
}

export interface ShardFile {
  readonly kind: typeof SHARD_KIND;
  readonly format: number;
  readonly lbsim: string;
  readonly shard: Shard;
  /** sha256 of `grid` as JSON: equal fingerprints, the same sweep. */
  readonly fingerprint: string;
  readonly grid: SweepGrid;
  /** What the merged output is built from, as the one-machine sweep builds it from its plan. */
  readonly outline: SweepOutline & { readonly scenario: string; readonly file: string };
  /** The runs of this shard's slice, by task index, with their figures in `grid.metrics` order. */
  readonly runs: ReadonlyArray<{ readonly task: number; readonly figures: ReadonlyArray<number> }>;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON keeps Infinity (a timeout that never fires) apart from null. */
function finiteJson(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

export function fingerprintOf(grid: SweepGrid): string {
  return sha256(JSON.stringify(grid));
}

export function sweepGrid(
  request: {
    readonly text: string;
    readonly scenarioArg: string;
    readonly sets: ReadonlyArray<string>;
    readonly backend: string | undefined;
    readonly seed: number | undefined;
  },
  plan: SweepPlan,
): SweepGrid {
  return {
    scenarioSha256: sha256(request.text),
    pointsSha256: sha256(
      JSON.stringify(
        plan.points.map((p) => p.scenario),
        finiteJson,
      ),
    ),
    file: request.scenarioArg,
    sets: request.sets,
    strategies: plan.strategies,
    replications: plan.replications,
    // The file's own seed is in its text (hashed); the first point's first seed says it plainly.
    seed: request.seed ?? plan.points[0]?.baseSeed ?? 0,
    backend: request.backend ?? null,
    metrics: SWEEP_METRICS.map((m) => m.key),
  };
}

/** The shard file of a finished slice (a slice Ctrl-C stopped is not written: merge could not use it). */
export function shardFile(
  plan: SweepPlan,
  run: SweepRun,
  tasks: ReadonlyArray<number>,
  about: {
    readonly shard: Shard;
    readonly grid: SweepGrid;
    readonly scenario: string;
    readonly version: string;
  },
): ShardFile {
  return {
    kind: SHARD_KIND,
    format: SHARD_FORMAT_VERSION,
    lbsim: about.version,
    shard: about.shard,
    fingerprint: fingerprintOf(about.grid),
    grid: about.grid,
    outline: {
      scenario: about.scenario,
      file: about.grid.file,
      axes: plan.axes.map((a) => ({ path: a.path, values: a.values })),
      strategies: plan.strategies,
      replications: plan.replications,
      totalRuns: plan.totalRuns,
      points: plan.points.map((p) => ({ values: p.values, baseSeed: p.baseSeed })),
    },
    runs: tasks.map((task) => ({ task, figures: run.figures[task] ?? [] })),
  };
}

/** `--shard` checked with the outputs it needs, before anything runs: a shard is only useful as a file. */
export function shardOption(
  text: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  outputs: {
    readonly json: string | undefined;
    readonly csv: string | undefined;
    readonly replications: string | undefined;
  },
): Shard | undefined {
  if (text === undefined) return undefined;
  const shard = parseShard(text, env);
  if (outputs.replications?.trim() === "auto") {
    // auto adds replications to each row until its figures settle: which runs exist is known only
    // at the end, so no shard can own a fixed slice of them.
    throw new UsageError(
      "--shard needs a fixed --replications N: with auto, the runs are decided while the sweep runs",
      "sweep",
    );
  }
  if (outputs.json === undefined) {
    throw new UsageError(
      `--shard ${text} writes a shard file for lbsim merge: give --json FILE (or --json - for stdout)`,
      "sweep",
    );
  }
  if (outputs.csv !== undefined) {
    throw new UsageError(
      "--csv with --shard: a shard holds runs, not rows; lbsim merge --csv writes the CSV",
      "sweep",
    );
  }
  return shard;
}

/** `shard 2/3: 14 of 40 runs` as the sweep says it before running. */
export function describeShard(shard: Shard, tasks: ReadonlyArray<number>, totalRuns: number): string {
  return `shard ${shard.index}/${shard.count}: ${tasks.length} of ${totalRuns} runs`;
}

/** Writes the shard file of a finished slice (to stdout with `-`); a slice Ctrl-C stopped writes nothing: 130. */
export function writeShard(
  about: {
    readonly plan: SweepPlan;
    readonly run: SweepRun;
    readonly shard: Shard;
    readonly tasks: ReadonlyArray<number>;
    readonly request: Parameters<typeof sweepGrid>[0];
    readonly json: string;
    readonly quiet: boolean;
    readonly version: string;
  },
  io: Io,
): number {
  const { plan, run, shard, json } = about;
  if (run.stopped) {
    io.err("lbsim sweep: stopped by Ctrl-C; a shard is written only whole, so nothing was written\n");
    return EXIT_INTERRUPTED;
  }
  const grid = sweepGrid(about.request, plan);
  const scenario = plan.points[0]?.scenario.name ?? "";
  const file = shardFile(plan, run, about.tasks, { shard, grid, scenario, version: about.version });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  if (json === "-") io.out(text);
  else writeFileAtomic(resolve(io.cwd, json), text);
  if (!about.quiet && json !== "-") io.err(`lbsim: wrote shard ${shard.index}/${shard.count} to ${json}\n`);
  return 0;
}
