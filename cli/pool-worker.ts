// Worker-thread entry of the simulation pool (cli/pool.ts): one job per task, the thread kept for the next.
import type { MessagePort } from "node:worker_threads";
import { InputError } from "../errors/index.js";
import { readTraceFile } from "../scenarios/node.js";
import { run } from "../sim/index.js";
import { loadUserStrategy, resolveStrategy } from "../strategies/node.js";
import type { PoolAnswer, PoolTask } from "./pool.js";
import { simulateInProcess } from "./simulate.js";
import { summarize } from "./sweep-metrics.js";

/** Progress messages at most this often: the main thread only redraws a line. */
const PROGRESS_INTERVAL_MS = 100;

export default async function simulateTask(task: PoolTask): Promise<PoolAnswer> {
  const port: MessagePort | undefined = task.progress;
  let lastProgress = 0;
  try {
    const outcome = await simulateInProcess(
      task.job,
      {
        stop: task.stop,
        onProgress:
          port === undefined
            ? undefined
            : (simulatedMs) => {
                const now = Date.now();
                if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
                lastProgress = now;
                port.postMessage(simulatedMs);
              },
      },
      { run, resolveStrategy, readTraceFile, loadUserStrategy },
    );
    if (task.kind === "summary") {
      return { type: "summary", summary: { stopped: outcome.stopped, figures: summarize(outcome.results) } };
    }
    return { type: "done", outcome };
  } catch (error) {
    if (error instanceof InputError) return { type: "input-error", issues: error.issues };
    if (error instanceof Error) {
      const { code, path } = error as NodeJS.ErrnoException;
      return { type: "error", message: error.message, stack: error.stack, code, path };
    }
    return { type: "error", message: String(error) };
  } finally {
    port?.close();
  }
}
