// `lbsim sweep` planning: the grid of `--set` values, each point the user's file with those fields replaced and parsed as `run` parses it.
import { dirname } from "node:path";
import { type Document, parseDocument } from "yaml";
import { InputError, type InputIssue } from "../errors/index.js";
import type { Scenario } from "../scenarios/index.js";
import { ownStrategy } from "../sim/own-strategy.js";
import { UsageError } from "./args.js";
import { checkBackend } from "./compare-backend.js";
import { planJobs } from "./compare-plan.js";
import type { Io, SimulationJob, Toolkit } from "./context.js";
import { formatCount } from "./format.js";
import { checkBalances } from "./run-command.js";
import { jobStrategyFiles } from "./simulate.js";
import { type ResolvedPath, resolvePath, unknownPath, yamlValue } from "./sweep-paths.js";
import { parseValues, splitSet } from "./sweep-values.js";

/** Runs a sweep starts without `--force`: beyond, most likely a range typed one digit too long. */
export const MAX_RUNS_WITHOUT_FORCE = 10_000;

export interface SweepAxis {
  readonly path: string;
  readonly values: ReadonlyArray<string>;
  readonly at: ResolvedPath;
}

export interface SweepPoint {
  /** This point's value of each axis, in `--set` order, as written (`120/s`). */
  readonly values: ReadonlyArray<string>;
  readonly scenario: Scenario;
  /** One job per strategy, in `strategies` order (no seed: replication r runs seed baseSeed + r). */
  readonly jobs: ReadonlyArray<Omit<SimulationJob, "seed">>;
  readonly baseSeed: number;
}

export interface SweepPlan {
  readonly axes: ReadonlyArray<SweepAxis>;
  readonly strategies: ReadonlyArray<string>;
  readonly points: ReadonlyArray<SweepPoint>;
  readonly replications: number;
  readonly totalRuns: number;
}

export interface SweepRequest {
  readonly scenarioArg: string;
  readonly scenarioPath: string;
  readonly text: string;
  readonly sets: ReadonlyArray<string>;
  /** `--strategies`; undefined: the file's `compare:` list, else its own balance. */
  readonly strategies: ReadonlyArray<string> | undefined;
  readonly backend: string | undefined;
  readonly replications: number;
  readonly seed: number | undefined;
  readonly deterministic: boolean;
  readonly force: boolean;
}

/** The axes and their sizes only: cheap, so that the grid's size is refused before any point is parsed. */
export function planAxes(request: SweepRequest): { doc: Document; axes: SweepAxis[] } {
  const doc = parseDocument(request.text);
  if (request.sets.length === 0) {
    throw new UsageError(
      "nothing to sweep: give at least one --set path=values, e.g. --set clients.load.arrivals.poisson=100/s..250/s:50/s",
      "sweep",
    );
  }
  const axes: SweepAxis[] = [];
  for (const text of request.sets) {
    const { path, values } = splitSet(text);
    if (axes.some((a) => a.path === path)) throw new UsageError(`--set ${path} is given twice`, "sweep");
    const at = resolvePath(doc, path, request.scenarioArg);
    axes.push({ path, at, values: parseValues(values, path) });
  }
  return { doc, axes };
}

/** Every point parsed and every strategy checked, before anything runs; bad input throws (exit 2). */
export function planSweep(request: SweepRequest, toolkit: Toolkit, io: Io): SweepPlan {
  const warned = new Set<string>();
  // Each point's parse says the same warnings about an imported haproxy.cfg: said once.
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    io.err(`${message}\n`);
  };
  const load = (text: string) =>
    toolkit.loadScenarioFile(request.scenarioArg, { force: request.force, warn, text });
  const base = load(request.text);
  if (request.backend !== undefined) checkBackend(request.backend, base, request.scenarioArg);
  const { doc, axes } = planAxes(request);
  const strategies =
    request.strategies ?? (base.compare.length > 0 ? [...base.compare] : [ownStrategy(base)]);
  const pointCount = axes.reduce((n, a) => n * a.values.length, 1);
  const totalRuns = pointCount * strategies.length * request.replications;
  if (totalRuns > MAX_RUNS_WITHOUT_FORCE && !request.force) {
    throw new UsageError(
      `${describeGrid({ points: { length: pointCount }, strategies, replications: request.replications, totalRuns })}, above ${formatCount(MAX_RUNS_WITHOUT_FORCE)}; add --force to run them all`,
      "sweep",
    );
  }
  const points: SweepPoint[] = [];
  for (let index = 0; index < pointCount; index++) {
    const values = valuesOf(index, axes);
    const variant = doc.clone();
    for (const [a, axis] of axes.entries()) variant.setIn(axis.at.yamlPath, yamlValue(values[a] as string));
    let scenario: Scenario;
    try {
      scenario = load(String(variant));
    } catch (error) {
      throw pointError(error, { doc, axes, values, index, pointCount, file: request.scenarioArg });
    }
    const baseSeed = request.seed ?? scenario.seed;
    if (baseSeed > Number.MAX_SAFE_INTEGER - (request.replications - 1)) {
      throw new UsageError(
        `seed ${baseSeed} with ${request.replications} replications goes past ${Number.MAX_SAFE_INTEGER}`,
        "sweep",
      );
    }
    points.push({ values, scenario, baseSeed, jobs: jobsOf(scenario, strategies, request, toolkit, io) });
  }
  return { axes, strategies, points, replications: request.replications, totalRuns };
}

/** Point `index` of the cartesian grid, the first `--set` varying slowest (nested loops in the order given). */
export function valuesOf(index: number, axes: ReadonlyArray<SweepAxis>): string[] {
  const values: string[] = [];
  let rest = index;
  for (let a = axes.length - 1; a >= 0; a--) {
    const axis = axes[a] as SweepAxis;
    values.unshift(axis.values[rest % axis.values.length] as string);
    rest = Math.floor(rest / axis.values.length);
  }
  return values;
}

function jobsOf(
  scenario: Scenario,
  strategies: ReadonlyArray<string>,
  request: SweepRequest,
  toolkit: Toolkit,
  io: Io,
): Array<Omit<SimulationJob, "seed">> {
  if (request.strategies === undefined && scenario.compare.length === 0) {
    // No strategy named anywhere: the file's own balance, as `lbsim run` runs it.
    const own = checkBalances(scenario, request.scenarioArg, dirname(request.scenarioPath), io.cwd, toolkit);
    if (own.issues.length > 0) throw new InputError(own.issues);
    return [
      {
        scenario,
        scenarioDir: dirname(request.scenarioPath),
        deterministic: request.deterministic,
        ...jobStrategyFiles(own.files),
      },
    ];
  }
  return planJobs(
    strategies,
    request.strategies !== undefined,
    scenario,
    request.scenarioArg,
    request.scenarioPath,
    io,
    toolkit,
    { deterministic: request.deterministic, backend: request.backend },
  ).map(({ label: _, ...job }) => job);
}

/**
 * A point that does not validate: the parser's message, naming the point. A field the file did not
 * write that the parser does not know is an unknown path (nearest written path). Line numbers are
 * dropped: they would be those of the rewritten variant, not of the user's file.
 */
function pointError(
  error: unknown,
  where: {
    doc: Document;
    axes: ReadonlyArray<SweepAxis>;
    values: ReadonlyArray<string>;
    index: number;
    pointCount: number;
    file: string;
  },
): unknown {
  if (!(error instanceof InputError)) return error;
  const added = where.axes.filter((a) => a.at.added);
  if (added.length > 0 && error.issues.some((i) => i.code === "unknown-key")) {
    const issue = error.issues.find((i) => i.code === "unknown-key") as InputIssue;
    const last = issue.path.split(/[.[\]]/).filter((s) => s !== "");
    const axis = added.find((a) => a.path.split(".").at(-1) === last.at(-1)) ?? (added[0] as SweepAxis);
    return unknownPath(where.doc, axis.path, where.file);
  }
  const point = where.axes.map((a, i) => `${a.path}=${where.values[i]}`).join(", ");
  return new InputError(
    error.issues.map((issue) => ({
      ...issue,
      file: issue.file === "" ? "" : where.file,
      line: 0,
      column: 0,
      message: `${issue.message} (grid point ${where.index + 1} of ${where.pointCount}: ${point})`,
    })),
  );
}

/** `4 points × 2 strategies × 5 replications = 40 runs`, as the command says before running and the limit's refusal. */
export function describeGrid(plan: {
  readonly points: { readonly length: number };
  readonly strategies: { readonly length: number };
  readonly replications: number;
  readonly totalRuns: number;
}): string {
  return `${plural(plan.points.length, "point")} × ${plural(plan.strategies.length, "strategy", "strategies")} × ${plural(plan.replications, "replication")} = ${plural(plan.totalRuns, "run")}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
