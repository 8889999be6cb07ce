// check-test-support: helpers the `lbsim check` specs share (expectations, results, a fake toolkit, a temporary folder).
import type { Scenario } from "../scenarios/index.js";
import { type Expectation, parseExpectation } from "../scenarios/index.js";
import type { Results } from "../sim/index.js";
import { ownStrategy } from "../sim/own-strategy.js";
import type { Replication } from "./check-judge.js";
import type { SimulationJob } from "./context.js";
import { cliSandbox, fakeToolkit, sampleResults, sampleScenario } from "./test-support.js";

export function expectation(text: string): Expectation {
  const parsed = parseExpectation(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

/** sampleResults with another p99, strategy and seed. */
export function results(p99Ms: number, strategy = "roundrobin", seed = 7): Results {
  const base = sampleResults();
  return { ...base, strategy, seed, checks: [], latency: { ...base.latency, p99Ms } };
}

export function replication(own: Results, ...others: Results[]): Replication {
  return { own, runs: new Map([own, ...others].map((r) => [r.strategy, r])) };
}

/** A temporary folder (with demo.yaml and scenarios/library/) made before each test and removed after; `cli` runs lbsim in it. */
export function checkSandbox(): ReturnType<typeof cliSandbox> {
  return cliSandbox("lbsim-check-");
}

/**
 * A fake toolkit whose scenario is `overrides` (per file name when a function), and whose runs
 * answer sampleResults under the job's strategy and seed, with p99 = p99(strategy, seed).
 */
export function checkToolkit(
  overrides: Partial<Scenario> | ((path: string) => Partial<Scenario>),
  p99: (strategy: string, seed: number) => number = () => 50,
  options: { readonly interruptible?: boolean } = {},
) {
  const toolkit = fakeToolkit({
    body: (job: SimulationJob) => {
      const strategy = job.strategy ?? ownStrategy(job.scenario);
      const seed = job.seed ?? job.scenario.seed;
      return Promise.resolve({
        results: results(p99(strategy, seed), strategy, seed),
        stopped: false,
        reachedMs: 60_000,
        traceRows: 0,
      });
    },
    ...options,
  });
  return {
    ...toolkit,
    loadScenarioFile: (path: string) =>
      sampleScenario(typeof overrides === "function" ? overrides(path) : overrides),
  };
}

export const runsOf = (toolkit: { jobs: SimulationJob[] }) =>
  toolkit.jobs.map((j) => [j.strategy ?? "(own)", j.seed]);
