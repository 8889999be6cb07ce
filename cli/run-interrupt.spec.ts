// Spec of cli/run-command.ts under Ctrl-C: the first press stops the run and writes what finished, a second quits.
import { readdirSync, rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./app.js";
import { AbortedError, type Toolkit } from "./context.js";
import {
  cliFolder,
  fakePackage,
  fakeToolkit,
  type RecordingIo,
  recordingIo,
  sampleResults,
} from "./test-support.js";

let dir: string;
let io: RecordingIo;
beforeEach(() => {
  ({ dir, io } = cliFolder("lbsim-run-ctrlc-", { tutorial: true }));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[], toolkit: Toolkit = fakeToolkit()): Promise<number> {
  return runCli(argv, toolkit, fakePackage(dir), io);
}

describe("lbsim run: Ctrl-C", () => {
  /** A simulator that delivers Ctrl-C mid-run and then stops, as the real one does when asked. */
  function interruptedToolkit(presses: (io: RecordingIo) => void): Toolkit {
    return fakeToolkit({
      body: (_job, control) =>
        new Promise((resolve, reject) => {
          control.abort?.addEventListener("abort", () => reject(new AbortedError()));
          presses(io);
          if (control.abort?.aborted !== true) {
            resolve({
              results: sampleResults(),
              stopped: Atomics.load(control.stop, 0) === 1,
              reachedMs: 12_000,
              traceRows: 0,
            });
          }
        }),
    });
  }

  it("stops the run, still writes the partial results marked partial, and exits 130", async () => {
    const code = await cli(
      ["run", "demo.yaml", "--json", "-"],
      interruptedToolkit((io) => io.interrupt()),
    );
    expect(code).toBe(130);
    expect(JSON.parse(io.stdout())).toEqual({ ...sampleResults(), partial: true });
    expect(io.stderr()).toContain("lbsim: stopping; the results so far will be written");
  });

  it("shows PARTIAL in the table of a stopped run", async () => {
    await cli(
      ["run", "demo.yaml"],
      interruptedToolkit((io) => io.interrupt()),
    );
    expect(io.stdout()).toContain("PARTIAL: stopped by Ctrl-C after about 12s of simulated time");
  });

  it("takes a signal repeated at once for the same Ctrl-C", async () => {
    const toolkit = interruptedToolkit((io) => {
      io.interrupt();
      io.advance(10);
      io.interrupt();
    });
    expect(await cli(["run", "demo.yaml", "--json", "-"], toolkit)).toBe(130);
    expect(JSON.parse(io.stdout())).toHaveProperty("partial", true);
  });

  it("gives up at once on a second Ctrl-C, writing nothing", async () => {
    const toolkit = interruptedToolkit((io) => {
      io.interrupt();
      io.advance(1_000);
      io.interrupt();
    });
    expect(await cli(["run", "demo.yaml", "--json", "r.json"], toolkit)).toBe(130);
    expect(io.stderr()).toContain("lbsim: interrupted; nothing was written");
    expect(readdirSync(dir)).not.toContain("r.json");
  });

  it("leaves Ctrl-C alone when the simulator cannot be interrupted", async () => {
    let subscribed = 0;
    io = recordingIo(dir, {
      onInterrupt: () => {
        subscribed++;
        return () => {};
      },
    });
    await cli(["run", "demo.yaml"], { ...fakeToolkit(), interruptible: false });
    expect(subscribed).toBe(0);
  });
});
