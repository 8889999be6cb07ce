// The CLI's seams: what commands read from outside (streams, modules, the simulator), so tests can fake them.
import type { Scenario } from "../scenarios/index.js";
import type { Results } from "../sim/index.js";
import type { StrategyFactory } from "../strategies/index.js";
import type { ExplainFilter } from "./explain-trace.js";

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Calls `handler` on each Ctrl-C (SIGINT) until the returned function is called. */
  readonly onInterrupt: (handler: () => void) => () => void;
  /** Wall-clock milliseconds (Date.now), for telling a second Ctrl-C from a repeated signal. */
  readonly now: () => number;
  /** All of standard input as text (a scenario given as `-`). */
  readonly readStdin: () => string;
}

/** The package lbsim runs from: its version, and the folder of ready scenarios. */
export interface PackageInfo {
  readonly root: string;
  readonly version: string;
  readonly libraryDir: string;
}

/**
 * A user's own strategy, named by a `balance` (or `--strategy`) value that is a file path. The
 * thread that simulates imports it itself: a worker cannot receive a function, only this.
 */
export interface StrategyFile {
  /** The value as written (`./mine.mjs`): what `Results.strategy` shows. */
  readonly name: string;
  /** Absolute path of the file. */
  readonly path: string;
  /** The file as messages name it: relative to the current folder when inside it. */
  readonly shown: string;
  /** The scenario file whose `backend.balance` names it; absent when `--strategy` does. */
  readonly scenarioFile?: string;
  /** Where in the scenario file, when not `backend.balance` (several backends: `backends[1].balance`). */
  readonly at?: string;
}

/** One simulation as the CLI hands it to a simulator (in process or in a worker thread). */
export interface SimulationJob {
  readonly scenario: Scenario;
  /** Folder of the scenario file: trace files named in it are relative to it. */
  readonly scenarioDir: string;
  readonly strategy?: string;
  /**
   * The user's strategy files among the strategies in effect (`strategy`, else each backend's
   * `balance`), each once: `strategyFile` when there is one, `strategyFiles` when several backends
   * name different ones. A simulator loads every one before running and maps each name to its file.
   */
  readonly strategyFile?: StrategyFile;
  readonly strategyFiles?: ReadonlyArray<StrategyFile>;
  readonly seed?: number;
  readonly deterministic: boolean;
  /** `--trace`: the file, and the temp file it is streamed to before the rename. */
  readonly trace?: { readonly path: string; readonly tempPath: string };
  /** `--log`: HAProxy httplog lines (cli/httplog.ts), streamed to the temp file like the trace. */
  readonly log?: { readonly path: string; readonly tempPath: string };
  /** `--explain`: the decision trace's JSON lines (cli/explain-trace.ts), kept by `filter`. */
  readonly explain?: { readonly path: string; readonly tempPath: string; readonly filter?: ExplainFilter };
}

export interface SimulationControl {
  /** `stop[0] = 1` asks the run to stop early (first Ctrl-C). Shared memory when in a worker. */
  readonly stop: Int32Array;
  readonly onProgress?: (simulatedMs: number) => void;
  /** Aborted on a second Ctrl-C: give up at once, without Results. */
  readonly abort?: AbortSignal;
}

export interface SimulationOutcome {
  readonly results: Results;
  /** True when the run was stopped early: the Results cover only part of the scenario. */
  readonly stopped: boolean;
  /** The last simulated time reported as progress (where a stopped run got to, roughly). */
  readonly reachedMs: number;
  readonly traceRows: number;
  /** Lines written to the `--log` file (absent when there is none). */
  readonly logLines?: number;
  /** Lines written to the `--explain` file (absent when there is none). */
  readonly explainLines?: number;
}

/** Runs a job. Rejects with InputError for bad input found while running (a bad trace row). */
export type Simulator = (job: SimulationJob, control: SimulationControl) => Promise<SimulationOutcome>;

/** The other folders' entry points the CLI composes (scenarios/, strategies/, sim/). */
export interface Toolkit {
  /** `warn` is told each warning about a haproxy.cfg the scenario imports (`file.cfg:12: …`). */
  readonly loadScenarioFile: (
    path: string,
    /** `text`: the scenario's text when it is not read from `path` (standard input, `<stdin>`). */
    options?: { force?: boolean; warn?: (message: string) => void; text?: string },
  ) => Scenario;
  readonly resolveStrategy: (balance: string) => StrategyFactory | undefined;
  readonly strategyNames: () => string[];
  /** One line about a strategy, for `lbsim list`; undefined when there is none. */
  readonly describeStrategy?: (balance: string) => string | undefined;
  readonly simulate: Simulator;
  /**
   * True when `simulate` leaves the main thread's event loop free (a worker thread), so a Ctrl-C
   * handler can run during the simulation. When false, Ctrl-C keeps its default: quit at once.
   */
  readonly interruptible: boolean;
  /**
   * A pool of `workers` simulating threads, reused run after run (cli/pool.ts); absent (tests, no
   * compiled worker, LBSIM_WORKER=0): the commands run `simulate` one job at a time instead.
   */
  readonly createPool?: (workers: number) => Promise<SimulationPool>;
}

/** A run of a sweep reduced to its figures (cli/sweep-metrics.ts): what crosses back from a worker. */
export interface RunSummary {
  /** True when Ctrl-C stopped the run early: its figures cover part of the scenario only. */
  readonly stopped: boolean;
  readonly figures: ReadonlyArray<number>;
}

/** Threads kept across runs: a job goes to the first free one. */
export interface SimulationPool {
  readonly workers: number;
  readonly simulate: (job: SimulationJob, control: SimulationControl) => Promise<SimulationOutcome>;
  /** As `simulate`, answering only the run's figures (a Results is large, and a sweep has thousands). */
  readonly summarize: (job: SimulationJob, control: SimulationControl) => Promise<RunSummary>;
  /** Ends the threads; a run still going is abandoned. */
  readonly close: () => Promise<void>;
}

/** Thrown by a simulator when the run was abandoned (second Ctrl-C). */
export class AbortedError extends Error {
  constructor() {
    super("the run was abandoned");
    this.name = "AbortedError";
  }
}
