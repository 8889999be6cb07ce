// Spec of cli/sweep-run.ts through `lbsim sweep`: Ctrl-C once and twice, a run that fails, progress lines, and the options' checks.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { runCli } from "./app.js";
import { AbortedError, type Toolkit } from "./context.js";
import { toolkitPool } from "./pool.js";
import type { SweepJson } from "./sweep-output.js";
import { interruptingToolkit, realToolkit, SMALL, sweepHelpers } from "./sweep-test-support.js";
import { cliSandbox, fakePackage, recordingIo } from "./test-support.js";

const sandbox = cliSandbox("lbsim-sweep-run-");
const { write } = sweepHelpers(sandbox);

describe("lbsim sweep: Ctrl-C", () => {
  it("keeps the rows that finished, marks the others incomplete, says how many runs are missing, exits 130", async () => {
    write("small.yaml", SMALL);
    // The fourth run is where the user presses Ctrl-C: it stops early, as a real one does.
    const toolkit = interruptingToolkit(4, () => sandbox.io.interrupt());
    sandbox.freshIo();
    const code = await sandbox.cli(
      [
        "sweep",
        "small.yaml",
        "--set",
        "clients.load.arrivals.poisson=20/s,40/s",
        "--replications",
        "3",
        "--json",
        "-",
      ],
      toolkit,
    );
    expect(code).toBe(130);
    const json = JSON.parse(sandbox.io.stdout()) as SweepJson;
    expect(json.complete).toBe(false);
    expect(json.runs).toEqual({ total: 6, done: 3, missing: 3 });
    expect(json.rows.map((r) => [r.complete, r.seeds])).toEqual([
      [true, [7, 8, 9]],
      [false, []],
    ]);
    expect(json.rows[1]?.metrics.p99Ms).toEqual({ mean: null, low: null, high: null });
    expect(toolkit.started()).toBe(4);
    expect(sandbox.io.stderr()).toContain("2 points × 1 strategy × 3 replications = 6 runs on 1 worker");
    expect(sandbox.io.stderr()).toContain("stopped by Ctrl-C; 3 of 6 runs missing");
  });

  it("writes nothing on a second Ctrl-C, and exits 130", async () => {
    write("small.yaml", SMALL);
    const real = realToolkit();
    let started = 0;
    let closed = 0;
    const toolkit: Toolkit = {
      ...real,
      createPool: async () => ({
        ...toolkitPool(real),
        summarize: async (job, control) => {
          if (++started === 2) {
            sandbox.io.interrupt();
            sandbox.io.advance(1_000);
            sandbox.io.interrupt();
          }
          if (control.abort?.aborted === true) throw new AbortedError();
          return toolkitPool(real).summarize(job, control);
        },
        close: async () => {
          closed++;
        },
      }),
    };
    sandbox.freshIo();
    const code = await sandbox.cli(
      ["sweep", "small.yaml", "--set", "clients.load.arrivals.poisson=20/s,40/s", "--json", "-"],
      toolkit,
    );
    expect(code).toBe(130);
    expect(sandbox.io.stdout()).toBe("");
    expect(sandbox.io.stderr()).toContain("lbsim: interrupted; nothing was written");
    expect(closed).toBe(1);
  });
});

describe("lbsim sweep: a run that fails", () => {
  it("stops scheduling, closes the pool and reports the run's bad input (exit 2)", async () => {
    write("small.yaml", SMALL);
    const real = realToolkit();
    let started = 0;
    let closed = 0;
    const toolkit: Toolkit = {
      ...real,
      createPool: async () => ({
        ...toolkitPool(real),
        workers: 2,
        summarize: async () => {
          started++;
          throw InputError.one({
            code: "bad-trace",
            file: "t.csv",
            line: 3,
            column: 1,
            path: "",
            message: "a trace row has no time",
          });
        },
        close: async () => {
          closed++;
        },
      }),
    };
    const code = await sandbox.cli(
      ["sweep", "small.yaml", "--set", "clients.load.arrivals.poisson=10/s..50/s:10/s", "--workers", "2"],
      toolkit,
    );
    expect(code).toBe(2);
    expect(sandbox.io.stderr()).toContain("t.csv:3:1: a trace row has no time");
    // Two lanes, each stopped at its first failure: 2 of the 5 runs started, not all of them.
    expect(started).toBe(2);
    expect(closed).toBe(1);
  });
});

describe("lbsim sweep: progress and options", () => {
  /** A pool whose every run "takes" `ms` of the fake wall clock. */
  function clockedToolkit(ms: number): Toolkit {
    const real = realToolkit();
    return {
      ...real,
      createPool: async () => ({
        ...toolkitPool(real),
        summarize: async (job, control) => {
          sandbox.io.advance(ms);
          return toolkitPool(real).summarize(job, control);
        },
      }),
    };
  }

  it("writes a plain progress line every 5 s off a terminal, not one per run", async () => {
    write("small.yaml", SMALL);
    sandbox.freshIo();
    // 10 runs of 3 s each: a line at 6 s, 12 s, 18 s, 24 s and 30 s.
    const code = await sandbox.cli(
      ["sweep", "small.yaml", "--set", "clients.load.arrivals.poisson=10/s..100/s:10/s"],
      clockedToolkit(3_000),
    );
    expect(code).toBe(0);
    const lines = sandbox.io
      .stderr()
      .split("\n")
      .filter((l) => l.includes("runs ("));
    expect(lines).toEqual([
      "lbsim sweep: 2/10 runs (20%) · 6.0s elapsed · about 24.0s left",
      "lbsim sweep: 4/10 runs (40%) · 12.0s elapsed · about 18.0s left",
      "lbsim sweep: 6/10 runs (60%) · 18.0s elapsed · about 12.0s left",
      "lbsim sweep: 8/10 runs (80%) · 24.0s elapsed · about 6.0s left",
      "lbsim sweep: 10/10 runs (100%) · 30.0s elapsed",
    ]);
  });

  it("redraws one progress line in place on a terminal, and erases it before the table", async () => {
    write("small.yaml", SMALL);
    const io = recordingIo(sandbox.dir, { stderrIsTTY: true });
    const real = realToolkit();
    const toolkit: Toolkit = {
      ...real,
      createPool: async () => ({
        ...toolkitPool(real),
        summarize: async (job, control) => {
          io.advance(200); // past the redraw interval: every run redraws
          return toolkitPool(real).summarize(job, control);
        },
      }),
    };
    const code = await runCli(
      ["sweep", "small.yaml", "--set", "clients.load.arrivals.poisson=10/s,20/s"],
      toolkit,
      fakePackage(sandbox.dir),
      io,
    );
    expect(code).toBe(0);
    expect(io.stderr()).toContain("\r\u001b[2Klbsim sweep: 1/2 runs (50%) · 0.2s elapsed · about 0.2s left");
    expect(io.stderr()).toContain("\r\u001b[2Klbsim sweep: 2/2 runs (100%) · 0.4s elapsed");
    expect(io.stderr().endsWith("\r\u001b[2K")).toBe(true);
  });

  it.each([
    [["--workers", "0"], '--workers expects a whole number from 1 to 1024, got "0"'],
    [["--replications", "0"], "--replications expects a whole number from 1 to 10,000"],
    [[], "nothing to sweep: give at least one --set path=values"],
    [["--set"], "--set needs a value"],
    [["--set", "backend.timeout.server=1s", "--backend", "api", "--strategies", "leastconn"], '"api"'],
  ])("refuses %j with exit 2", async (args, message) => {
    write("small.yaml", SMALL);
    expect(await sandbox.cli(["sweep", "small.yaml", ...args], realToolkit())).toBe(2);
    expect(sandbox.io.stderr()).toContain(message);
  });
});
