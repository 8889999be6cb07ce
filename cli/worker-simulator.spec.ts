// Spec of cli/worker-simulator.ts: the worker protocol against a fake worker (fixtures/fake-worker.mjs),
// and the real worker (cli/run-worker.ts, bundled) loading a user's strategy file itself.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { client } from "../sim/test-support.js";
import { AbortedError, type SimulationControl, type SimulationJob, type Simulator } from "./context.js";
import { strategyFileOf } from "./simulate.js";
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

describe("the real worker (cli/run-worker.ts) with a user's strategy file", () => {
  let dir: string;
  let real: Simulator;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lbsim-worker-"));
    // Plain Node runs the bundle, as it runs dist/cli/run-worker.js: no vitest loader in the worker.
    const outfile = join(dir, "run-worker.mjs");
    await build({
      entryPoints: [fileURLToPath(new URL("./run-worker.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      // seedrandom is CommonJS: an ES bundle needs a `require` for it.
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      },
      logLevel: "silent",
    });
    real = createWorkerSimulator(pathToFileURL(outfile));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fileJob(balance: string): SimulationJob {
    const scenario = sampleScenario({
      durationMs: 1_000,
      warmupMs: 0,
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
    });
    const strategyFile = strategyFileOf(balance, dir, dir);
    return {
      scenario: { ...scenario, backend: { ...scenario.backend, balance } },
      scenarioDir: dir,
      deterministic: true,
      ...(strategyFile === undefined ? {} : { strategyFile }),
    };
  }

  it("imports the file in the worker and runs it, the name as written", async () => {
    writeFileSync(
      join(dir, "last.mjs"),
      `export function createStrategy(servers) {
  return { serverUp() {}, serverDown() {}, weightChanged() {}, taken() {}, released() {},
    pick: () => servers[servers.length - 1] };
}
`,
    );
    const { results } = await real(fileJob("./last.mjs"), control());
    expect(results.strategy).toBe("./last.mjs");
    expect(results.servers.map((s) => s.requests)).toEqual([0, results.requests.total]);
    expect(results.requests.total).toBeGreaterThan(50);
  });

  it("reports a bad file as an InputError naming it", async () => {
    writeFileSync(join(dir, "none.mjs"), "export const x = 1;\n");
    const error = await real(fileJob("./none.mjs"), control()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      // Named relative to the current folder (here the job's), as the user wrote it.
      "none.mjs: exports no strategy factory (found: x) " +
        "(hint: export a function (servers, context) => strategy as `default` or as `createStrategy`)",
    );
  });

  it("refuses a TypeScript file as Node itself does", async () => {
    writeFileSync(join(dir, "typed.ts"), "export default (servers: unknown[]) => servers;\n");
    const error = await real(fileJob("./typed.ts"), control()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("typed.ts: Node cannot import a TypeScript file");
  });
});
