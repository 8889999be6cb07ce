// Helpers of the `lbsim sweep` specs: a small scenario, the real toolkit in process (counting its runs), and sweep-to-JSON.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Toolkit } from "./context.js";
import { createToolkit } from "./main.js";
import { toolkitPool } from "./pool.js";
import type { SweepJson } from "./sweep-output.js";
import type { cliSandbox } from "./test-support.js";

/** Two servers, one client: 2 s of 50 requests a second, fast enough to run many times. */
export const SMALL = `name: small
seed: 7
duration: 2s
backend:
  name: web
  balance: roundrobin
  timeout: { connect: 1s, server: 10s }
  service: { exponential: 10ms }
  servers:
    - { name: web01 }
    - { name: web02 }
clients:
  - name: load
    arrivals: { poisson: 50/s }
`;

export function realToolkit(): Toolkit & { readonly runs: () => number } {
  const toolkit = createToolkit({ LBSIM_WORKER: "0" });
  let runs = 0;
  return {
    ...toolkit,
    simulate: (job, control) => {
      runs++;
      return toolkit.simulate(job, control);
    },
    runs: () => runs,
  };
}

/** `write(name, text)` in the sandbox's folder, and `sweepJson(argv)`: the sweep's JSON (exit 0 expected). */
/**
 * The real toolkit, whose pool's `atRun`th run is where the user presses Ctrl-C (`interrupt`): that
 * run and the ones in flight stop early, as a real interrupted run does.
 */
export function interruptingToolkit(
  atRun: number,
  interrupt: () => void,
): Toolkit & { readonly started: () => number } {
  const real = realToolkit();
  let started = 0;
  return {
    ...real,
    started: () => started,
    createPool: async () => ({
      ...toolkitPool(real),
      summarize: async (job, control) => {
        if (++started === atRun) interrupt();
        const summary = await toolkitPool(real).summarize(job, control);
        return { ...summary, stopped: Atomics.load(control.stop, 0) === 1 };
      },
    }),
  };
}

export function sweepHelpers(sandbox: ReturnType<typeof cliSandbox>) {
  const write = (name: string, text: string): void => {
    writeFileSync(join(sandbox.dir, name), text);
  };
  const sweepJson = async (argv: string[], toolkit: Toolkit = realToolkit()): Promise<SweepJson> => {
    sandbox.freshIo();
    expect(await sandbox.cli(["sweep", ...argv, "--json", "-", "--quiet"], toolkit)).toBe(0);
    return JSON.parse(sandbox.io.stdout()) as SweepJson;
  };
  return { write, sweepJson };
}
