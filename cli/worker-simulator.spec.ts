// Spec of cli/worker-simulator.ts: the worker protocol against a fake worker (fixtures/fake-worker.mjs).
import { describe, expect, it } from "vitest";
import { InputError } from "../scenarios/index.js";
import { AbortedError, type SimulationControl } from "./context.js";
import { sampleScenario } from "./test-support.js";
import { createWorkerSimulator } from "./worker-simulator.js";

const simulate = createWorkerSimulator(new URL("./fixtures/fake-worker.mjs", import.meta.url));

function job(name: string) {
  return { scenario: sampleScenario({ name }), scenarioDir: ".", seed: 5, deterministic: true };
}

function control(overrides: Partial<SimulationControl> = {}): SimulationControl {
  return { stop: new Int32Array(new SharedArrayBuffer(4)), ...overrides };
}

describe("createWorkerSimulator", () => {
  it("passes the job to the worker and resolves with its outcome, relaying progress", async () => {
    const progress: number[] = [];
    const outcome = await simulate(job("done"), control({ onProgress: (ms) => progress.push(ms) }));
    expect(outcome).toEqual({
      results: { scenario: "done", seed: 5 },
      stopped: false,
      reachedMs: 1234,
      traceRows: 0,
    });
    expect(progress).toEqual([500]);
  });

  it("lets the main thread stop a worker that is busy computing, through shared memory", async () => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const running = simulate(
      job("wait-for-stop"),
      control({ stop, onProgress: () => Atomics.store(stop, 0, 1) }),
    );
    expect((await running).stopped).toBe(true);
  });

  it("rebuilds an InputError with its issues", async () => {
    const error = await simulate(job("input-error"), control()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.message).toBe("atMs is not a number");
  });

  it("keeps the code and path of a file-system error", async () => {
    const error = (await simulate(job("fs-error"), control()).catch(
      (e: unknown) => e,
    )) as NodeJS.ErrnoException;
    expect(error.code).toBe("EACCES");
    expect(error.path).toBe("/x/t.csv");
  });

  it("rejects with the worker's uncaught error", async () => {
    await expect(simulate(job("throw"), control())).rejects.toThrow("boom in the worker");
  });

  it("rejects when the worker ends without an answer", async () => {
    await expect(simulate(job("exit"), control())).rejects.toThrow(
      /stopped without an answer \(exit code 5\)/,
    );
  });

  it("terminates a worker that never returns when aborted", async () => {
    const abort = new AbortController();
    const running = simulate(job("spin"), control({ abort: abort.signal }));
    setTimeout(() => abort.abort(), 50);
    await expect(running).rejects.toBeInstanceOf(AbortedError);
  });
});
