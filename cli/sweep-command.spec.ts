// Spec of `lbsim sweep` in process: bad paths and values found before running, the grid's size, the rows, placement by task index, and agreement with compare and theory.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ComparisonJson } from "./compare-json.js";
import type { SimulationPool, Toolkit } from "./context.js";
import { toolkitPool } from "./pool.js";
import { realToolkit, SMALL, sweepHelpers } from "./sweep-test-support.js";
import { cliSandbox } from "./test-support.js";

const sandbox = cliSandbox("lbsim-sweep-");
const { write, sweepJson } = sweepHelpers(sandbox);

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
    const lines = readFileSync(join(sandbox.dir, "out.csv"), "utf8").split("\r\n");
    expect(lines[0]).toMatch(
      /^point,backend\.timeout\.server,strategy,replications,complete,meanMs,meanMs_low,meanMs_high,p50Ms,/,
    );
    expect(lines[1]).toMatch(/^1,1s,roundrobin,2,true,[\d.]+,[\d.]+,[\d.]+,/);
    expect(lines).toHaveLength(4); // header, 2 rows, and the empty string after the last CRLF
  });

  it("writes the CSV to stdout with --csv - (the same bytes as the file, no table), and refuses two outputs on stdout", async () => {
    write("small.yaml", SMALL);
    const argv = ["sweep", "small.yaml", "--set", "backend.timeout.server=1s,5s", "--replications", "2"];
    sandbox.freshIo();
    expect(await sandbox.cli([...argv, "--csv", "file.csv", "--quiet"], realToolkit())).toBe(0);
    sandbox.freshIo();
    expect(await sandbox.cli([...argv, "--csv", "-"], realToolkit())).toBe(0);
    expect(sandbox.io.stdout()).toBe(readFileSync(join(sandbox.dir, "file.csv"), "utf8"));
    expect(existsSync(join(sandbox.dir, "-"))).toBe(false);
    sandbox.freshIo();
    expect(await sandbox.cli([...argv, "--csv", "-", "--json", "-"], realToolkit())).toBe(2);
    expect(sandbox.io.stderr()).toContain("--json - and --csv - would both write to stdout");
    expect(sandbox.io.stdout()).toBe("");
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
