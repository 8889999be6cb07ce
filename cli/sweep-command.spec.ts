// Spec of `lbsim sweep` in process: bad paths and values found before running, the grid's size, placement by task index, Ctrl-C, and agreement with compare and theory.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { runCli } from "./app.js";
import type { ComparisonJson } from "./compare-json.js";
import { AbortedError, type SimulationPool, type Toolkit } from "./context.js";
import { createToolkit } from "./main.js";
import { toolkitPool } from "./pool.js";
import type { SweepJson } from "./sweep-output.js";
import { cliSandbox, fakePackage, recordingIo } from "./test-support.js";

const sandbox = cliSandbox("lbsim-sweep-");

/** Two servers, one client: 2 s of 50 requests a second, fast enough to run many times. */
const SMALL = `name: small
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

function realToolkit(): Toolkit & { readonly runs: () => number } {
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

function write(name: string, text: string): void {
  writeFileSync(join(sandbox.dir, name), text);
}

async function sweepJson(argv: string[], toolkit: Toolkit = realToolkit()): Promise<SweepJson> {
  sandbox.freshIo();
  expect(await sandbox.cli(["sweep", ...argv, "--json", "-", "--quiet"], toolkit)).toBe(0);
  return JSON.parse(sandbox.io.stdout()) as SweepJson;
}

describe("lbsim sweep: bad input, before anything runs", () => {
  it("names the nearest written path for a field the parser does not know", async () => {
    write("small.yaml", SMALL);
    const toolkit = realToolkit();
    expect(await sandbox.cli(["sweep", "small.yaml", "--set", "backend.timeout.sever=1s,2s"], toolkit)).toBe(
      2,
    );
    expect(sandbox.io.stderr()).toContain(
      "lbsim sweep: --set backend.timeout.sever: no such field in small.yaml; nearest: backend.timeout.server",
    );
    expect(toolkit.runs()).toBe(0);
  });

  it("names the nearest server for a server name that is not in the file", async () => {
    write("small.yaml", SMALL);
    expect(
      await sandbox.cli(
        ["sweep", "small.yaml", "--set", "backend.servers.web03.weight=1..3:1"],
        realToolkit(),
      ),
    ).toBe(2);
    expect(sandbox.io.stderr()).toContain("nearest: backend.servers.web01");
  });

  it("gives the parser's message for a value that does not validate, naming the grid point, and runs nothing", async () => {
    write("small.yaml", SMALL);
    const toolkit = realToolkit();
    const code = await sandbox.cli(
      [
        "sweep",
        "small.yaml",
        "--set",
        "backend.timeout.server=1s,2 parsecs",
        "--set",
        "clients.load.arrivals.poisson=10/s,20/s",
      ],
      toolkit,
    );
    expect(code).toBe(2);
    // The first bad point: the second value of the first --set with the first of the second.
    expect(sandbox.io.stderr()).toMatch(
      /backend\.timeout\.server: .*\(grid point 3 of 4: backend\.timeout\.server=2 parsecs, clients\.load\.arrivals\.poisson=10\/s\)/,
    );
    expect(sandbox.io.stderr()).not.toMatch(/\bat .*\.[jt]s:\d+/);
    expect(toolkit.runs()).toBe(0);
  });

  it("refuses more than 10,000 runs without --force, saying how many", async () => {
    write("small.yaml", SMALL);
    const toolkit = realToolkit();
    const code = await sandbox.cli(
      ["sweep", "small.yaml", "--set", "backend.servers.web01.weight=1..101:1", "--replications", "100"],
      toolkit,
    );
    expect(code).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      "101 points × 1 strategy × 100 replications = 10,100 runs, above 10,000; add --force",
    );
    expect(toolkit.runs()).toBe(0);
  });

  it("runs above the limit with --force", async () => {
    write("small.yaml", SMALL);
    // 10,002 runs of a stand-in simulator (the real one would take minutes): the limit is what is tested.
    const real = realToolkit();
    let runs = 0;
    const outcome = await real.simulate(
      {
        scenario: real.loadScenarioFile(join(sandbox.dir, "small.yaml")),
        scenarioDir: sandbox.dir,
        deterministic: true,
      },
      { stop: new Int32Array(1) },
    );
    const quick: Toolkit = {
      ...real,
      simulate: async () => {
        runs++;
        return outcome;
      },
    };
    const json = await sweepJson(
      ["small.yaml", "--set", "backend.servers.web01.weight=1,2", "--replications", "5001", "--force"],
      quick,
    );
    expect(runs).toBe(10_002);
    expect(json.runs).toEqual({ total: 10_002, done: 10_002, missing: 0 });
  }, 60_000);
});

describe("lbsim sweep: output", () => {
  it("has one row per point × strategy, the first --set varying slowest", async () => {
    write("small.yaml", SMALL);
    const json = await sweepJson([
      "small.yaml",
      "--set",
      "backend.servers.web01.weight=1,3",
      "--set",
      "clients.load.arrivals.poisson=20/s..40/s:20/s",
      "--strategies",
      "roundrobin,leastconn",
    ]);
    expect(json.rows.map((r) => [r.point, r.values, r.strategy])).toEqual([
      [1, { "backend.servers.web01.weight": "1", "clients.load.arrivals.poisson": "20/s" }, "roundrobin"],
      [1, { "backend.servers.web01.weight": "1", "clients.load.arrivals.poisson": "20/s" }, "leastconn"],
      [2, { "backend.servers.web01.weight": "1", "clients.load.arrivals.poisson": "40/s" }, "roundrobin"],
      [2, { "backend.servers.web01.weight": "1", "clients.load.arrivals.poisson": "40/s" }, "leastconn"],
      [3, { "backend.servers.web01.weight": "3", "clients.load.arrivals.poisson": "20/s" }, "roundrobin"],
      [3, { "backend.servers.web01.weight": "3", "clients.load.arrivals.poisson": "20/s" }, "leastconn"],
      [4, { "backend.servers.web01.weight": "3", "clients.load.arrivals.poisson": "40/s" }, "roundrobin"],
      [4, { "backend.servers.web01.weight": "3", "clients.load.arrivals.poisson": "40/s" }, "leastconn"],
    ]);
    // Twice the rate, about twice the throughput: the value reached the simulation.
    const throughput = (row: number) => json.rows[row]?.metrics.throughputPerS?.mean ?? 0;
    expect(throughput(2) / throughput(0)).toBeGreaterThan(1.6);
    expect(json.version).toBe(1);
    expect(json.complete).toBe(true);
  });

  it("gives a one-point sweep the figures of lbsim compare --replications (same seeds, same statistics)", async () => {
    write("small.yaml", SMALL);
    const sweep = await sweepJson([
      "small.yaml",
      "--set",
      "clients.load.arrivals.poisson=50/s",
      "--strategies",
      "roundrobin,leastconn",
      "--replications",
      "3",
    ]);
    sandbox.freshIo();
    const code = await sandbox.cli(
      // An absolute path: the loader reads relative to the process's folder, not the sandbox's.
      [
        "compare",
        join(sandbox.dir, "small.yaml"),
        "--strategies",
        "roundrobin,leastconn",
        "--replications",
        "3",
        "--json",
        "-",
        "--quiet",
      ],
      realToolkit(),
    );
    expect(sandbox.io.stderr()).toBe("");
    expect(code).toBe(0);
    const compare = JSON.parse(sandbox.io.stdout()) as ComparisonJson;
    const compared = (key: string, strategy: string) =>
      compare.rows.find((r) => r.key === key)?.strategies.find((s) => s.strategy === strategy)?.mean;
    for (const [s, strategy] of ["roundrobin", "leastconn"].entries()) {
      const row = sweep.rows[s];
      expect(row?.strategy).toBe(strategy);
      expect(row?.seeds).toEqual([7, 8, 9]);
      expect(compare.seeds).toEqual([7, 8, 9]);
      expect(row?.metrics.p50Ms?.mean).toBe(compared("latency.p50", strategy));
      expect(row?.metrics.p99Ms?.mean).toBe(compared("latency.p99", strategy));
      expect(row?.metrics.meanMs?.mean).toBe(compared("latency.mean", strategy));
      expect(row?.metrics.queueMeanMs?.mean).toBe(compared("queue.mean", strategy));
      expect(row?.metrics.unfinished?.mean).toBe(compared("requests.unfinished", strategy));
    }
  });

  it("writes the same bytes whatever the order the workers finish in", async () => {
    write("small.yaml", SMALL);
    const argv = [
      "small.yaml",
      "--set",
      "clients.load.arrivals.poisson=20/s..60/s:20/s",
      "--replications",
      "3",
    ];
    const one = await sweepJson([...argv, "--workers", "1"], scrambledToolkit());
    sandbox.freshIo();
    const three = await sweepJson([...argv, "--workers", "3"], scrambledToolkit());
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
    expect(one.rows).toHaveLength(3);
  });

  it("writes a CSV with a column per swept path and mean, low and high per metric", async () => {
    write("small.yaml", SMALL);
    sandbox.freshIo();
    const code = await sandbox.cli(
      [
        "sweep",
        "small.yaml",
        "--set",
        "backend.timeout.server=1s,5s",
        "--replications",
        "2",
        "--csv",
        "out.csv",
        "--quiet",
      ],
      realToolkit(),
    );
    expect(code).toBe(0);
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(join(sandbox.dir, "out.csv"), "utf8").split("\r\n");
    expect(lines[0]).toMatch(
      /^point,backend\.timeout\.server,strategy,replications,complete,meanMs,meanMs_low,meanMs_high,p50Ms,/,
    );
    expect(lines[1]).toMatch(/^1,1s,roundrobin,2,true,[\d.]+,[\d.]+,[\d.]+,/);
    expect(lines).toHaveLength(4); // header, 2 rows, and the empty string after the last CRLF
  });
});

/**
 * The in-process simulator behind a pool of `workers` whose runs finish in an order unrelated to
 * their index (a later task often first), as threads do.
 */
function scrambledToolkit(): Toolkit {
  const real = realToolkit();
  let started = 0;
  const pool = (workers: number): SimulationPool => {
    const inner = toolkitPool(real);
    return {
      ...inner,
      workers,
      summarize: async (job, control) => {
        const delayMs = [7, 1, 4, 0, 9, 2][started++ % 6] ?? 0;
        const summary = await inner.summarize(job, control);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return summary;
      },
    };
  };
  return { ...real, createPool: async (workers) => pool(workers) };
}

describe("lbsim sweep: Ctrl-C", () => {
  it("keeps the rows that finished, marks the others incomplete, says how many runs are missing, exits 130", async () => {
    write("small.yaml", SMALL);
    const real = realToolkit();
    let started = 0;
    const toolkit: Toolkit = {
      ...real,
      createPool: async () => ({
        ...toolkitPool(real),
        summarize: async (job, control) => {
          // The fourth run is where the user presses Ctrl-C: it stops early, as a real one does.
          if (++started === 4) sandbox.io.interrupt();
          const summary = await toolkitPool(real).summarize(job, control);
          return { ...summary, stopped: Atomics.load(control.stop, 0) === 1 };
        },
      }),
    };
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
    expect(started).toBe(4);
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

describe("lbsim sweep: agreement with queueing theory", () => {
  it("gives M/M/1 latency rising with the arrival rate, each mean's 95% interval holding W = 1/(μ − λ)", async () => {
    // One server, one worker, exponential 10 ms service (μ = 100/s), FIFO: M/M/1, W = 1/(μ − λ).
    write(
      "mm1.yaml",
      `name: mm1
seed: 1
duration: 300s
warmup: 20s
backend:
  name: web
  service: { exponential: 10ms }
  servers:
    - { name: web01, slots: 1 }
clients:
  - name: load
    arrivals: { poisson: 30/s }
`,
    );
    const json = await sweepJson([
      "mm1.yaml",
      "--set",
      "clients.load.arrivals.poisson=30/s..70/s:20/s",
      "--replications",
      "5",
    ]);
    const means = json.rows.map((r) => r.metrics.meanMs);
    expect(json.rows.map((r) => r.values["clients.load.arrivals.poisson"])).toEqual(["30/s", "50/s", "70/s"]);
    const theoryMs = [30, 50, 70].map((lambda) => 1000 / (100 - lambda)); // 14.3, 20, 33.3 ms
    for (const [i, figure] of means.entries()) {
      expect(figure?.low).toBeLessThanOrEqual(theoryMs[i] as number);
      expect(figure?.high).toBeGreaterThanOrEqual(theoryMs[i] as number);
    }
    expect(means[0]?.mean).toBeLessThan(means[1]?.mean ?? 0);
    expect(means[1]?.mean).toBeLessThan(means[2]?.mean ?? 0);
  }, 60_000);
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
