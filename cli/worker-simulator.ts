// Runs a simulation in a worker thread, so the main thread stays free to see Ctrl-C while `run` computes.
//
// `run` is synchronous: in the main thread it would block the event loop, and a SIGINT handler
// could only run after the simulation had finished. In a worker, the main thread receives the
// signal and flips a flag in shared memory that the worker's `shouldStop` reads.
import { Worker } from "node:worker_threads";
import { InputError, type InputIssue } from "../errors/index.js";
import { AbortedError, type SimulationJob, type SimulationOutcome, type Simulator } from "./context.js";

export interface WorkerInput {
  readonly job: SimulationJob;
  /** Backed by a SharedArrayBuffer: both threads see the same cell. */
  readonly stop: Int32Array;
}

/** How a thread reports a failure: as an answer, since InputError's issues would not survive a throw across threads. */
export type ThreadFailure =
  | { readonly type: "input-error"; readonly issues: ReadonlyArray<InputIssue> }
  /** `code` and `path` survive for file-system errors (a trace file that cannot be written). */
  | {
      readonly type: "error";
      readonly message: string;
      readonly stack?: string;
      readonly code?: string;
      readonly path?: string;
    };

export type WorkerMessage =
  | { readonly type: "progress"; readonly simulatedMs: number }
  | { readonly type: "done"; readonly outcome: SimulationOutcome }
  | ThreadFailure;

export function createWorkerSimulator(workerUrl: URL): Simulator {
  return (job, control) =>
    new Promise<SimulationOutcome>((resolve, reject) => {
      const input: WorkerInput = { job, stop: control.stop };
      const worker = new Worker(workerUrl, { workerData: input });
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        control.abort?.removeEventListener("abort", onAbort);
        finish();
      };
      const onAbort = () => {
        void worker.terminate();
        settle(() => reject(new AbortedError()));
      };
      if (control.abort?.aborted === true) {
        onAbort();
        return;
      }
      control.abort?.addEventListener("abort", onAbort, { once: true });
      worker.on("message", (message: WorkerMessage) => {
        switch (message.type) {
          case "progress":
            control.onProgress?.(message.simulatedMs);
            return;
          case "done":
            settle(() => resolve(message.outcome));
            return;
          case "input-error":
            settle(() => reject(new InputError(message.issues)));
            return;
          case "error": {
            const error: NodeJS.ErrnoException = new Error(message.message);
            if (message.stack !== undefined) error.stack = message.stack;
            if (message.code !== undefined) error.code = message.code;
            if (message.path !== undefined) error.path = message.path;
            settle(() => reject(error));
            return;
          }
          default:
            assertNever(message);
        }
      });
      worker.on("error", (error) => settle(() => reject(error)));
      worker.on("exit", (code) =>
        settle(() =>
          reject(new Error(`the simulation worker stopped without an answer (exit code ${code})`)),
        ),
      );
    });
}

function assertNever(value: never): never {
  throw new Error(`unexpected worker message ${JSON.stringify(value)}`);
}
