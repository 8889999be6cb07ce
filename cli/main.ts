// lbsim's command line: wires scenarios/, strategies/ and sim/ into the commands (bin/lbsim.js calls `main`).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors/index.js";
import { decodeText, loadScenarioFile, readTraceFile } from "../scenarios/node.js";
import { run } from "../sim/index.js";
import { describeStrategy, resolveStrategy, strategyNames } from "../strategies/index.js";
import { runCli } from "./app.js";
import { chooseSimulator } from "./choose-simulator.js";
import type { Io, PackageInfo, Simulator, Toolkit } from "./context.js";
import { createThreadPool } from "./pool.js";
import { simulateInProcess } from "./simulate.js";
import { STDIN_NAME } from "./stdin.js";
import { createWorkerSimulator } from "./worker-simulator.js";

let stdoutGuarded = false;

export async function main(argv: string[]): Promise<number> {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      // `lbsim run x --json - | head`: a closed pipe is the reader's choice, not an error to report.
      if (error.code !== "EPIPE") process.stderr.write(`lbsim: cannot write to stdout: ${error.message}\n`);
      process.exit(error.code === "EPIPE" ? undefined : 2);
    });
  }
  const io: Io = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt: (handler) => {
      process.on("SIGINT", handler);
      return () => void process.off("SIGINT", handler);
    },
    now: Date.now,
    // File descriptor 0: standard input, read whole (a scenario is small), checked as any file is.
    readStdin: () => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(0);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw InputError.one({
          code: "unreadable",
          file: STDIN_NAME,
          line: 0,
          column: 0,
          path: "",
          message: `standard input could not be read (${why})`,
        });
      }
      return decodeText(bytes, STDIN_NAME, "a scenario file");
    },
  };
  let pkg: PackageInfo;
  try {
    pkg = findPackage();
  } catch (error) {
    io.err(`lbsim: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  }
  return runCli(argv, createToolkit(process.env), pkg, io);
}

/**
 * A long simulation runs in a worker thread when the compiled worker exists (dist/cli/run-worker.js),
 * so that Ctrl-C can stop it; a small one (cli/choose-simulator.ts) in process, sparing the worker's
 * start-up; from sources (vitest), or with LBSIM_WORKER=0 (profiling), every one in process.
 */
export function createToolkit(env: Readonly<Record<string, string | undefined>>): Toolkit {
  const workerUrl = new URL("./run-worker.js", import.meta.url);
  const poolWorkerUrl = new URL("./pool-worker.js", import.meta.url);
  const useWorker = env.LBSIM_WORKER !== "0" && existsSync(fileURLToPath(workerUrl));
  const usePool = env.LBSIM_WORKER !== "0" && existsSync(fileURLToPath(poolWorkerUrl));
  const inProcess: Simulator = async (job, control) =>
    simulateInProcess(job, control, { run, resolveStrategy, readTraceFile });
  return {
    loadScenarioFile,
    resolveStrategy,
    strategyNames,
    describeStrategy,
    simulate: useWorker ? chooseSimulator(createWorkerSimulator(workerUrl), inProcess) : inProcess,
    interruptible: useWorker,
    ...(usePool ? { createPool: (workers: number) => createThreadPool(poolWorkerUrl, workers) } : {}),
  };
}

/**
 * The package root: the nearest folder above this file with lbsim's package.json. This file is
 * cli/main.ts under vitest and dist/cli/main.js when built, so the depth differs.
 */
export function findPackage(): PackageInfo {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) {
      const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
      if (isLbsimManifest(parsed)) {
        return { root: folder, version: parsed.version, libraryDir: join(folder, "scenarios", "library") };
      }
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error("cannot find lbsim's package.json above the CLI");
    folder = parent;
  }
}

function isLbsimManifest(value: unknown): value is { name: string; version: string } {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.name === "lbsim" && typeof record.version === "string";
}
