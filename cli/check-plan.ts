// `lbsim check` planning: --replications, the scenario files named, each scenario validated into its jobs before anything runs.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError, type InputIssue } from "../errors/index.js";
import { type Expectation, placeIssue, type Scenario, strategiesOf } from "../scenarios/index.js";
import { ownStrategy } from "../sim/own-strategy.js";
import { UsageError } from "./args.js";
import { outputKindOfFile } from "./check-outputs.js";
import type { Io, PackageInfo, SimulationJob, StrategyFile, Toolkit } from "./context.js";
import { formatCount } from "./format.js";
import { checkBalances, checkScenarioFile } from "./run-command.js";
import { jobStrategyFiles, strategyFileOf } from "./simulate.js";
import { STDIN_ARG, scenarioNamed } from "./stdin.js";
import { strategyHint } from "./suggest.js";

/** Most replications `--replications` takes: far more than a confidence interval needs. */
export const MAX_REPLICATIONS = 10_000;

/** Files a folder given to `lbsim check` contributes (not its sub-folders). */
const SCENARIO_FILE = /\.(ya?ml|json)$/i;

/** A scenario file to check: as named, its path, and its text when it is standard input. */
export interface ScenarioSource {
  readonly file: string;
  readonly path: string;
  readonly text?: string;
}

/** A scenario, loaded and checked, with what it will run. */
export interface Plan {
  readonly file: string;
  readonly path: string;
  readonly scenario: Scenario;
  readonly expectations: ReadonlyArray<Expectation>;
  /** The own run (strategy undefined) and one per compared strategy other than `balance`. */
  readonly jobs: ReadonlyArray<{ readonly name: string; readonly job: Omit<SimulationJob, "seed"> }>;
  readonly baseSeed: number;
}

export function parseReplications(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_REPLICATIONS) {
    throw new UsageError(
      `--replications expects a whole number from 1 to ${formatCount(MAX_REPLICATIONS)}, got "${text}"`,
      "check",
    );
  }
  return n;
}

export function issue(path: string, message: string, hint?: string, file = ""): InputIssue {
  return {
    code: "bad-value",
    file,
    line: 0,
    column: 0,
    path,
    message,
    ...(hint === undefined ? {} : { hint }),
  };
}

/** The scenario files named: files as given, folders as their *.yaml, *.yml and *.json files, sorted. */
export function scenarioFiles(
  args: ReadonlyArray<string>,
  pkg: PackageInfo,
  cwd: string,
  options: {
    /** Standard input's text, for `-` (read once however often `-` is given). */
    readonly readStdin?: () => string;
    /** Told each file of a folder that is skipped, in one line. */
    readonly note?: (line: string) => void;
  } = {},
): ScenarioSource[] {
  const found: ScenarioSource[] = [];
  const issues: InputIssue[] = [];
  for (const arg of args) {
    if (arg === STDIN_ARG) {
      const named = scenarioNamed(arg, cwd);
      if (!found.some((f) => f.path === named.path)) {
        found.push({ file: named.file, path: named.path, text: options.readStdin?.() ?? "" });
      }
      continue;
    }
    const path = resolve(cwd, arg);
    if (existsSync(path) && statSync(path).isDirectory()) {
      // lbsim's own outputs (a check JSON written beside the scenarios, a baseline) are not scenarios.
      const names = readdirSync(path)
        .filter((name) => SCENARIO_FILE.test(name) && statSync(join(path, name)).isFile())
        .filter((name) => {
          const kind = outputKindOfFile(join(path, name));
          if (kind !== undefined)
            options.note?.(
              `lbsim check: skipping ${join(arg, name)}: it is lbsim's ${kind}, not a scenario\n`,
            );
          return kind === undefined;
        })
        .sort();
      if (names.length === 0) {
        issues.push({
          ...issue("", "is a folder without scenario files (*.yaml, *.yml or *.json)"),
          code: "file-not-found",
          file: arg,
        });
      }
      for (const name of names) found.push({ file: join(arg, name), path: join(path, name) });
      continue;
    }
    try {
      checkScenarioFile(arg, path, pkg, cwd);
      found.push({ file: arg, path });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  // A file named twice (or by itself and by its folder) is checked once.
  return found.filter((f, i) => found.findIndex((g) => g.path === f.path) === i);
}

/**
 * Loads every scenario and checks its strategies and expectations before anything runs, so that a
 * bad file is reported at once (all of them, exit 2) rather than after minutes of simulation.
 */
export function planAll(
  files: ReadonlyArray<ScenarioSource>,
  toolkit: Toolkit,
  io: Io,
  seed: number | undefined,
  replications: number,
): Plan[] {
  const issues: InputIssue[] = [];
  const plans: Plan[] = [];
  for (const { file, path, text } of files) {
    let scenario: Scenario;
    try {
      // A haproxy.cfg's import warnings are printed as `lbsim run` prints them.
      scenario = toolkit.loadScenarioFile(file, {
        warn: (message) => io.err(`${message}\n`),
        ...(text === undefined ? {} : { text }),
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
      continue;
    }
    const problems: InputIssue[] = [];
    const at = (where: string, message: string, hint?: string): void =>
      void problems.push(
        placeIssue(scenario, { ...issue(where, message, hint, file), code: "unknown-strategy" }),
      );
    // Backends balancing differently make an own run of its own name (`roundrobin+leastconn`),
    // never one of compare:'s, each of which every backend runs with.
    const balance = ownStrategy(scenario);
    const folder = dirname(path);
    const strategyFile = (name: string): StrategyFile | undefined =>
      strategyFileOf(name, folder, io.cwd, file);
    // Each backend's own balance: a file of the user's, or an algorithm.
    const own = checkBalances(scenario, file, folder, io.cwd, toolkit);
    problems.push(...own.issues);
    const jobs: Array<{ name: string; job: Omit<SimulationJob, "seed"> }> = [
      {
        name: balance,
        job: {
          scenario,
          scenarioDir: folder,
          ...jobStrategyFiles(own.files),
          deterministic: false,
        },
      },
    ];
    scenario.compare.forEach((name, index) => {
      if (scenario.compare.indexOf(name) < index) {
        problems.push(
          issue(
            `compare[${index}]`,
            `"${name}" is given twice; each strategy is compared once`,
            undefined,
            file,
          ),
        );
        return;
      }
      // The scenario's own strategy is run anyway: its run serves both.
      if (name === balance) return;
      const compared = strategyFile(name);
      if (compared === undefined && toolkit.resolveStrategy(name) === undefined) {
        at(`compare[${index}]`, `unknown strategy "${name}"`, strategyHint(name, toolkit.strategyNames()));
      }
      jobs.push({
        name,
        job: {
          scenario,
          scenarioDir: folder,
          strategy: name,
          ...(compared === undefined ? {} : { strategyFile: compared }),
          deterministic: false,
        },
      });
    });
    const expectations: Expectation[] = [];
    const known = new Set([balance, ...scenario.compare]);
    // Parsed when the scenario was loaded: here only the strategies they name are checked.
    scenario.expectations.forEach((parsed, index) => {
      const missing = strategiesOf(parsed).filter((name) => !known.has(name));
      if (missing.length > 0) {
        const names = [...new Set(missing)].map((m) => `"${m}"`).join(", ");
        problems.push(
          issue(
            `expect[${index}]`,
            `"${parsed.text}" names ${names}, which is neither backend.balance ("${balance}") nor in compare:`,
            `add ${missing.length === 1 ? "it" : "them"} to compare: so that lbsim runs ${missing.length === 1 ? "it" : "them"}`,
            file,
          ),
        );
        return;
      }
      expectations.push(parsed);
    });
    const baseSeed = seed ?? scenario.seed;
    if (baseSeed > Number.MAX_SAFE_INTEGER - (replications - 1)) {
      problems.push(
        issue(
          "seed",
          `seed ${baseSeed} with ${replications} replications goes past ${Number.MAX_SAFE_INTEGER}`,
          undefined,
          file,
        ),
      );
    }
    issues.push(...problems);
    if (problems.length === 0) plans.push({ file, path, scenario, expectations, jobs, baseSeed });
  }
  if (issues.length > 0) throw new InputError(issues);
  return plans;
}

export function describePlan(plan: Plan): { readonly file: string; readonly scenario: string } {
  return { file: plan.file, scenario: plan.scenario.name };
}
