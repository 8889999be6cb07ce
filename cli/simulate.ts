// One simulation with its `--trace` CSV, as run in a worker thread (or in process when there is none).
import { resolve } from "node:path";
import { InputError, type Scenario } from "../scenarios/index.js";
import type { Results, RunOptions, TraceRow } from "../sim/index.js";
import type { StrategyFactory } from "../strategies/index.js";
import type { SimulationControl, SimulationJob, SimulationOutcome } from "./context.js";
import { TraceCsvWriter } from "./output.js";

/** The entry points of sim/, strategies/ and scenarios/ a simulation needs. */
export interface SimulationModules {
  readonly run: (scenario: Scenario, options: RunOptions) => Results;
  readonly resolveStrategy: (balance: string) => StrategyFactory | undefined;
  readonly readTraceFile: (path: string) => Iterable<TraceRow>;
}

/**
 * Runs the job synchronously. The trace CSV is renamed into place only when the run returns
 * (stopped early or not); on any error it is removed, so no half-written file is left.
 */
export function simulateInProcess(
  job: SimulationJob,
  control: SimulationControl,
  modules: SimulationModules,
): SimulationOutcome {
  const writer =
    job.trace === undefined ? undefined : TraceCsvWriter.open(job.trace.path, job.trace.tempPath);
  let stopped = false;
  let reachedMs = 0;
  try {
    const results = modules.run(job.scenario, {
      resolveStrategy: (balance) => {
        const factory = modules.resolveStrategy(balance);
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
      readTrace: (file) => modules.readTraceFile(resolve(job.scenarioDir, file)),
      onRequest: writer === undefined ? undefined : (record) => writer.write(record),
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
    return { results, stopped, reachedMs, traceRows: writer?.rows ?? 0 };
  } catch (error) {
    writer?.abort();
    throw error;
  }
}
