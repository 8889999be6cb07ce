// Worker-thread entry of `lbsim run`: runs one simulation and posts progress and the outcome back.
import { parentPort, workerData } from "node:worker_threads";
import { InputError } from "../errors/index.js";
import { readTraceFile } from "../scenarios/node.js";
import { run } from "../sim/index.js";
import { loadUserStrategy, resolveStrategy } from "../strategies/node.js";
import { simulateInProcess } from "./simulate.js";
import type { WorkerInput, WorkerMessage } from "./worker-simulator.js";

/** Progress messages at most this often: the main thread only redraws a line. */
const PROGRESS_INTERVAL_MS = 100;

const port = parentPort;
if (port === null) throw new Error("run-worker.js must be started as a worker thread");
const post = (message: WorkerMessage) => port.postMessage(message);
const input = workerData as WorkerInput;

let lastProgress = 0;
try {
  // A user's strategy file is loaded here, in the thread that runs the simulation.
  const outcome = await simulateInProcess(
    input.job,
    {
      stop: input.stop,
      onProgress: (simulatedMs) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        post({ type: "progress", simulatedMs });
      },
    },
    { run, resolveStrategy, readTraceFile, loadUserStrategy },
  );
  post({ type: "done", outcome });
} catch (error) {
  if (error instanceof InputError) {
    post({ type: "input-error", issues: error.issues });
  } else if (error instanceof Error) {
    const { code, path } = error as NodeJS.ErrnoException;
    post({ type: "error", message: error.message, stack: error.stack, code, path });
  } else {
    post({ type: "error", message: String(error) });
  }
}
