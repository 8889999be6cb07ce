// The simulation pool: `workers` threads (tinypool) started once and reused for every run of a sweep, a check or a comparison.
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { InputError } from "../errors/index.js";
import {
  AbortedError,
  type RunSummary,
  type SimulationControl,
  type SimulationJob,
  type SimulationOutcome,
  type SimulationPool,
  type Toolkit,
} from "./context.js";
import { summarize } from "./sweep-metrics.js";
import type { ThreadFailure } from "./worker-simulator.js";

/** What the main thread sends per run: the job, the shared stop cell, and a port for progress when wanted. */
export interface PoolTask {
  readonly kind: "summary" | "outcome";
  readonly job: SimulationJob;
  readonly stop: Int32Array;
  readonly progress?: MessagePort;
}

/** A worker answers rather than throws: InputError's issues would not survive the thread boundary. */
export type PoolAnswer =
  | { readonly type: "summary"; readonly summary: RunSummary }
  | { readonly type: "done"; readonly outcome: SimulationOutcome }
  | ThreadFailure;

/** `--workers` default: every core Node may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The pool over tinypool, its threads running cli/pool-worker.js (`workerUrl`). */
export async function createThreadPool(workerUrl: URL, workers: number): Promise<SimulationPool> {
  const { Tinypool } = await import("tinypool");
  const pool = new Tinypool({
    filename: workerUrl.href,
    minThreads: workers,
    maxThreads: workers,
    // Kept for the whole command: a thread's start-up (some 30 ms, its modules) is paid once per thread.
    idleTimeout: 60_000,
  });
  const submit = async (task: PoolTask, control: SimulationControl): Promise<PoolAnswer> => {
    const aborted = () => control.abort?.aborted === true;
    if (aborted()) throw new AbortedError();
    try {
      const transferList = task.progress === undefined ? undefined : [task.progress];
      return (await pool.run(task, {
        ...(control.abort === undefined ? {} : { signal: control.abort }),
        ...(transferList === undefined ? {} : { transferList }),
      })) as PoolAnswer;
    } catch (error) {
      // Tinypool rejects with its own AbortError: the commands know AbortedError.
      if (aborted()) throw new AbortedError();
      throw error;
    }
  };
  return {
    workers,
    simulate: async (job, control) => {
      const channel = control.onProgress === undefined ? undefined : new MessageChannel();
      channel?.port1.on("message", (simulatedMs: number) => control.onProgress?.(simulatedMs));
      try {
        const answer = await submit(
          {
            kind: "outcome",
            job,
            stop: control.stop,
            ...(channel === undefined ? {} : { progress: channel.port2 }),
          },
          control,
        );
        if (answer.type === "done") return answer.outcome;
        throw failure(answer);
      } finally {
        channel?.port1.close();
      }
    },
    summarize: async (job, control) => {
      const answer = await submit({ kind: "summary", job, stop: control.stop }, control);
      if (answer.type === "summary") return answer.summary;
      throw failure(answer);
    },
    close: () => pool.destroy(),
  };
}

function failure(answer: PoolAnswer): Error {
  switch (answer.type) {
    case "input-error":
      return new InputError(answer.issues);
    case "error": {
      const error: NodeJS.ErrnoException = new Error(answer.message);
      if (answer.stack !== undefined) error.stack = answer.stack;
      if (answer.code !== undefined) error.code = answer.code;
      if (answer.path !== undefined) error.path = answer.path;
      return error;
    }
    default:
      return new Error(`unexpected answer from a pool worker: ${answer.type}`);
  }
}

/**
 * Without a compiled worker (tests, LBSIM_WORKER=0): the toolkit's own simulator, one job after
 * another behind the same interface, so the commands have one code path.
 */
export function toolkitPool(toolkit: Toolkit): SimulationPool {
  return {
    workers: 1,
    simulate: (job, control) => toolkit.simulate(job, control),
    summarize: async (job, control) => {
      const outcome = await toolkit.simulate(job, control);
      return { stopped: outcome.stopped, figures: summarize(outcome.results) };
    },
    close: async () => {},
  };
}

/** The pool a command runs on: threads when the toolkit has them, else its simulator. */
export async function openPool(toolkit: Toolkit, workers: number): Promise<SimulationPool> {
  return toolkit.createPool === undefined ? toolkitPool(toolkit) : toolkit.createPool(workers);
}
