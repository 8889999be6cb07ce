// One simulation with its `--trace` and `--log` files, in a worker thread (or in process when there is none).

import { isAbsolute, relative, resolve } from "node:path";
import { InputError, type InputIssue } from "../errors/index.js";
import type { Scenario } from "../scenarios/index.js";
import type { Decision, Results, RunOptions, TraceRow } from "../sim/index.js";
import type { Strategy, StrategyFactory } from "../strategies/index.js";
import { loadUserStrategy, type ModuleImporter } from "../strategies/node.js";
import type { SimulationControl, SimulationJob, SimulationOutcome, StrategyFile } from "./context.js";
import { keepDecision, openExplainFile } from "./explain-trace.js";
import { openHttpLog } from "./httplog.js";
import { type RecordFileWriter, TraceCsvWriter } from "./output.js";
import { simulateWarmupAuto } from "./warmup-auto.js";

/** The entry points of sim/, strategies/ and scenarios/ a simulation needs. */
export interface SimulationModules {
  readonly run: (scenario: Scenario, options: RunOptions) => Results;
  readonly resolveStrategy: (balance: string) => StrategyFactory | undefined;
  readonly readTraceFile: (path: string) => Iterable<TraceRow>;
  /** Loads a user's strategy file (default: strategies/node.ts's `loadUserStrategy`). */
  readonly loadUserStrategy?: (path: string, importModule?: ModuleImporter) => Promise<StrategyFactory>;
}

/**
 * True when a `balance` or `--strategy` value names a file of the user's rather than an algorithm:
 * it starts with `./`, `../` or `/`, or ends in `.js`, `.mjs`, `.cjs`, `.ts`, `.mts` or `.cts`.
 * No balance keyword of HAProxy's or lbsim's looks like that.
 */
export function isStrategyFile(value: string): boolean {
  const text = value.trim();
  return /^\.{0,2}\//.test(text) || /\.[mc]?[jt]s$/.test(text);
}

/**
 * The file a strategy value names, resolved against `baseDir` (the scenario's folder for
 * `backend.balance`, the current folder for `--strategy`); undefined when the value is an algorithm.
 */
export function strategyFileOf(
  value: string,
  baseDir: string,
  cwd: string,
  scenarioFile?: string,
): StrategyFile | undefined {
  if (!isStrategyFile(value)) return undefined;
  const path = resolve(baseDir, value.trim());
  const rel = relative(cwd, path);
  const shown = rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return { name: value, path, shown, ...(scenarioFile === undefined ? {} : { scenarioFile }) };
}

const TYPESCRIPT_URL = /\.[mc]?tsx?$/i;

/**
 * Imports a module as this Node process itself would, also under vitest (whose loader would compile
 * a TypeScript file that Node refuses): a `.ts` file is imported only when Node strips types.
 */
export const importAsNode: ModuleImporter = (url) => {
  if (TYPESCRIPT_URL.test(url) && !nodeStripsTypes()) {
    const error: NodeJS.ErrnoException = new TypeError(`Unknown file extension ".ts" for ${url}`);
    error.code = "ERR_UNKNOWN_FILE_EXTENSION";
    return Promise.reject(error);
  }
  return import(url);
};

function nodeStripsTypes(): boolean {
  const feature = (process.features as { readonly typescript?: unknown }).typescript;
  if (typeof feature === "string") return true;
  return process.execArgv.some((arg) => arg === "--experimental-strip-types");
}

/** The job's fields for these strategy files (each once): none, `strategyFile`, or `strategyFiles`. */
export function jobStrategyFiles(
  files: ReadonlyArray<StrategyFile>,
): Pick<SimulationJob, "strategyFile" | "strategyFiles"> {
  const [first] = files;
  if (first === undefined) return {};
  return files.length === 1 ? { strategyFile: first } : { strategyFiles: files };
}

/** Every strategy file a job names, whichever field holds it. */
function strategyFilesOf(job: SimulationJob): StrategyFile[] {
  return [...(job.strategyFile === undefined ? [] : [job.strategyFile]), ...(job.strategyFiles ?? [])];
}

/**
 * Runs the job. The user's strategy files are loaded first (each file once, however many names
 * lead to it), so a bad one is reported before anything runs or is written. The trace CSV is
 * renamed into place only when the run returns (stopped early or not), and so is the `--log` file;
 * on any error they are removed, so no half-written file is left.
 */
export async function simulateInProcess(
  job: SimulationJob,
  control: SimulationControl,
  modules: SimulationModules,
): Promise<SimulationOutcome> {
  if (job.scenario.warmupAuto === true) return simulateWarmupAuto(job, control, modules, simulateOnce);
  return simulateOnce(job, control, modules);
}

async function simulateOnce(
  job: SimulationJob,
  control: SimulationControl,
  modules: SimulationModules,
): Promise<SimulationOutcome> {
  const files = strategyFilesOf(job);
  const userFactories = await loadStrategyFiles(files, modules);
  // A client's `timeout` can leave a request to HAProxy after its client gave up: a gaveUpMs column.
  const gaveUp = job.scenario.clients.some((c) => Number.isFinite(c.timeoutMs));
  const writer =
    job.trace === undefined ? undefined : TraceCsvWriter.open(job.trace.path, job.trace.tempPath, gaveUp);
  let log: RecordFileWriter | undefined;
  let explain: RecordFileWriter<Decision> | undefined;
  let stopped = false;
  let reachedMs = 0;
  try {
    const { frontend, backend } = job.scenario;
    log =
      job.log === undefined
        ? undefined
        : openHttpLog(job.log.path, job.log.tempPath, { frontend: frontend.name, backend: backend.name });
    const logWriter = log;
    explain = job.explain === undefined ? undefined : openExplainFile(job.explain.path, job.explain.tempPath);
    const explainWriter = explain;
    const filter = job.explain?.filter;
    const results = modules.run(job.scenario, {
      resolveStrategy: (balance) => {
        const factory = userFactories.get(balance) ?? modules.resolveStrategy(balance);
        if (factory === undefined) {
          throw InputError.one({
            code: "unknown-strategy",
            file: "",
            line: 0,
            column: 0,
            path: "",
            message: `unknown strategy "${balance}"`,
          });
        }
        return factory;
      },
      strategy: job.strategy,
      seed: job.seed,
      deterministic: job.deterministic,
      readTrace: (traceFile) => modules.readTraceFile(resolve(job.scenarioDir, traceFile)),
      onRequest:
        writer === undefined && logWriter === undefined
          ? undefined
          : (record) => {
              writer?.write(record);
              logWriter?.write(record);
            },
      ...(explainWriter === undefined
        ? {}
        : {
            onDecision:
              filter === undefined
                ? (decision: Decision) => explainWriter.write(decision)
                : (decision: Decision) => {
                    if (keepDecision(filter, decision)) explainWriter.write(decision);
                  },
          }),
      onProgress: (simulatedMs) => {
        reachedMs = simulatedMs;
        control.onProgress?.(simulatedMs);
      },
      shouldStop: () => {
        if (!stopped && Atomics.load(control.stop, 0) === 1) stopped = true;
        return stopped;
      },
    });
    writer?.close();
    log?.close();
    explain?.close();
    const logLines = log === undefined ? {} : { logLines: log.rows };
    const explainLines = explain === undefined ? {} : { explainLines: explain.rows };
    return { results, stopped, reachedMs, traceRows: writer?.rows ?? 0, ...logLines, ...explainLines };
  } catch (error) {
    writer?.abort();
    log?.abort();
    explain?.abort();
    throw files.reduce(naming, error);
  }
}

/** Each file's factory by the name it was given as: a file named two ways is imported once. */
async function loadStrategyFiles(
  files: ReadonlyArray<StrategyFile>,
  modules: SimulationModules,
): Promise<Map<string, StrategyFactory>> {
  const load = modules.loadUserStrategy ?? loadUserStrategy;
  const byPath = new Map<string, StrategyFactory>();
  const byName = new Map<string, StrategyFactory>();
  for (const file of files) {
    let factory = byPath.get(file.path);
    if (factory === undefined) {
      try {
        factory = guarded(await load(file.path, importAsNode), file);
      } catch (error) {
        throw naming(error, file);
      }
      byPath.set(file.path, factory);
    }
    byName.set(file.name, factory);
  }
  return byName;
}

/** The user's file named as the user sees it, with a hint about where a missing one was looked for. */
function naming(error: unknown, file: StrategyFile): unknown {
  if (!(error instanceof InputError)) return error;
  const issues = error.issues.map((issue): InputIssue => {
    if (issue.file !== file.path) return issue;
    const renamed = { ...issue, file: file.shown };
    if (issue.code !== "file-not-found") return renamed;
    const hint =
      file.scenarioFile === undefined
        ? `--strategy "${file.name}" is relative to the current folder`
        : `${file.at ?? "backend.balance"} "${file.name}" in ${file.scenarioFile} is relative to the scenario's folder`;
    return { ...renamed, hint };
  });
  return new InputError(issues);
}

/**
 * A user's strategy whose every callback reports an exception as bad input naming the file and the
 * callback (exit 2), rather than as an internal error of lbsim with a stack trace.
 */
function guarded(factory: StrategyFactory, file: StrategyFile): StrategyFactory {
  const failed = (callback: string, error: unknown): InputError => {
    if (error instanceof InputError) return error;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return InputError.one({
      code: "bad-value",
      file: file.path,
      line: 0,
      column: 0,
      path: "",
      message:
        callback === "factory"
          ? `the strategy factory threw ${message}`
          : `the strategy's ${callback}() threw ${message}`,
    });
  };
  return (servers, context) => {
    let strategy: Strategy;
    try {
      strategy = factory(servers, context);
    } catch (error) {
      throw failed("factory", error);
    }
    const guard =
      <A extends unknown[], R>(callback: string, body: (...args: A) => R) =>
      (...args: A): R => {
        try {
          return body(...args);
        } catch (error) {
          throw failed(callback, error);
        }
      };
    const observed = strategy.observed;
    const wrapped: { -readonly [K in keyof Strategy]: Strategy[K] } = {
      name: strategy.name,
      queueWhenBacklogged: strategy.queueWhenBacklogged,
      ignoresFullness: strategy.ignoresFullness,
      ...(strategy.dynamic === undefined ? {} : { dynamic: strategy.dynamic }),
      serverUp: guard("serverUp", (server) => strategy.serverUp(server)),
      serverDown: guard("serverDown", (server) => strategy.serverDown(server)),
      weightChanged: guard("weightChanged", (server) => strategy.weightChanged(server)),
      taken: guard("taken", (server) => strategy.taken(server)),
      released: guard("released", (server) => strategy.released(server)),
      pick: guard("pick", (request, avoid) => strategy.pick(request, avoid)),
    };
    // `--explain` asks a strategy of the user's for its state too, when it has a way to say it.
    const explainState = strategy.explainState;
    if (explainState !== undefined)
      wrapped.explainState = guard("explainState", (request, avoid) =>
        explainState.call(strategy, request, avoid),
      );
    return observed === undefined
      ? wrapped
      : {
          ...wrapped,
          observed: guard("observed", (server, responseMs) => observed.call(strategy, server, responseMs)),
        };
  };
}
