// Spec of the pool as `lbsim check` and `lbsim compare --replications` use it: one pool for every long run, closed at the end; small runs stay in process.
import { describe, expect, it } from "vitest";
import { loadScenarioFile, type Scenario } from "../scenarios/node.js";
import { runsInProcess } from "./choose-simulator.js";
import type { SimulationJob, SimulationPool, Toolkit } from "./context.js";
import { cliSandbox, fakeToolkit, sampleResults } from "./test-support.js";

const sandbox = cliSandbox("lbsim-pool-");

/** An hour at 1,000 requests a second: millions of events, never run in process. */
function longScenario(expect: string[] = []): Scenario {
  return loadScenarioFile("long.yaml", {
    text: `name: long
duration: 1h
backend:
  service: { exponential: 10ms }
  servers: [{ name: web01 }, { name: web02 }]
clients:
  - { name: load, arrivals: { poisson: 1000/s } }
compare: [leastconn]
${expect.length === 0 ? "" : `expect: [${expect.map((e) => JSON.stringify(e)).join(", ")}]`}
`,
  });
}

/** A fake toolkit whose pool records what it ran; `simulate` (a thread per run, or in process) counts too. */
function pooledToolkit(scenario: Scenario) {
  const opened: number[] = [];
  const pooled: SimulationJob[] = [];
  let closed = 0;
  const base = fakeToolkit({ scenario });
  const toolkit: Toolkit = {
    ...base,
    createPool: async (workers): Promise<SimulationPool> => {
      opened.push(workers);
      const answer = async (job: SimulationJob) => {
        pooled.push(job);
        return { results: sampleResults(), stopped: false, reachedMs: scenario.durationMs, traceRows: 0 };
      };
      return {
        workers,
        simulate: answer,
        summarize: async () => ({ stopped: false, figures: [] }),
        close: async () => {
          closed++;
        },
      };
    },
  };
  return { toolkit, opened, pooled, closed: () => closed, direct: base.jobs };
}

describe("the pool under check and compare", () => {
  it("runs every long run of compare --replications on one pool thread, started once and closed", async () => {
    const scenario = longScenario();
    expect(runsInProcess({ scenario, scenarioDir: ".", deterministic: true })).toBe(false);
    const { toolkit, opened, pooled, closed, direct } = pooledToolkit(scenario);
    const code = await sandbox.cli(
      ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3", "--json", "-"],
      toolkit,
    );
    expect(code).toBe(0);
    expect(opened).toEqual([1]);
    expect(pooled.map((j) => [j.strategy, j.seed])).toEqual([
      ["roundrobin", 1],
      ["leastconn", 1],
      ["roundrobin", 2],
      ["leastconn", 2],
      ["roundrobin", 3],
      ["leastconn", 3],
    ]);
    expect(direct).toEqual([]);
    expect(closed()).toBe(1);
  });

  it("runs check's replications on the same pool thread", async () => {
    const { toolkit, opened, pooled, closed, direct } = pooledToolkit(longScenario(["p99 < 1s"]));
    await sandbox.cli(["check", "demo.yaml", "--replications", "2"], toolkit);
    expect(opened).toEqual([1]);
    // The own run (balance) and the compared leastconn, each on two seeds.
    expect(pooled).toHaveLength(4);
    expect(direct).toEqual([]);
    expect(closed()).toBe(1);
  });

  it("keeps a small run in process and starts no pool for it", async () => {
    const { toolkit, opened, direct } = pooledToolkit(
      loadScenarioFile("small.yaml", {
        text: "name: small\nduration: 1s\nbackend:\n  service: { constant: 1ms }\n  servers: [{ name: web01 }]\nclients:\n  - { name: load, arrivals: { poisson: 10/s } }\n",
      }),
    );
    expect(await sandbox.cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn"], toolkit)).toBe(
      0,
    );
    expect(opened).toEqual([]);
    expect(direct).toHaveLength(2);
  });
});
