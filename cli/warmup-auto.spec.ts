// Spec of cli/warmup-auto.ts: `warmup: auto` finds the warm-up on a first run and gives the Results of `warmup: <found>`.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { realToolkit } from "./sweep-test-support.js";
import { renderTable } from "./table.js";

/** 30/s on one server, slowed ×3 (ρ = 0.9) for the first 40 s of 200, then ρ = 0.3. */
const scenario = (warmup: string, duration = "200s") => `name: warm
seed: 5
duration: ${duration}
warmup: ${warmup}
backend:
  name: web
  timeout: { connect: 1s, server: 60s }
  service: { exponential: 10ms }
  servers:
    - { name: web01 }
clients:
  - name: load
    arrivals: { poisson: 30/s }
events:
  - { at: 0s, slow: { server: web01, factor: 3 } }
  - { at: 40s, restore: web01 }
`;

async function run(text: string) {
  const toolkit = realToolkit();
  const loaded = toolkit.loadScenarioFile("warm.yaml", { text });
  const outcome = await toolkit.simulate(
    { scenario: loaded, scenarioDir: ".", deterministic: true, seed: loaded.seed },
    { stop: new Int32Array(new SharedArrayBuffer(4)) },
  );
  return { results: outcome.results, runs: toolkit.runs() };
}

describe("warmup: auto", () => {
  it("applies the warm-up MSER-5 finds: the Results of warmup: <found>, plus warmupAuto", async () => {
    const auto = await run(scenario("auto"));
    const found = auto.results.warmupAuto;
    expect(found?.method).toBe("MSER-5");
    // Near the end of the inserted transient (40 s), well inside the first half.
    expect(found?.ms).toBeGreaterThanOrEqual(30_000);
    expect(found?.ms).toBeLessThanOrEqual(60_000);
    expect(auto.results.warmupMs).toBe(found?.ms);
    // The steady-state figures leave the slow start out: the same as the scenario with that warm-up written.
    const fixed = await run(scenario(`${found?.ms}ms`));
    const { warmupAuto: _, ...rest } = auto.results;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(fixed.results));
    expect(renderTable(auto.results, { color: false })).toMatch(
      /warm-up \S+ found by MSER-5 on (inflight|queue|p99)\)/,
    );
    const none = await run(scenario("0s"));
    expect(auto.results.latency.p99Ms).toBeLessThan(none.results.latency.p99Ms);
  });

  it("refuses a run too short for 20 batches of 5 buckets, with a clear message", async () => {
    // 2 s: too few buckets for MSER-5 to judge.
    const short = scenario("auto", "2s").replace(/events:[\s\S]*$/, "");
    await expect(run(short)).rejects.toThrow(InputError);
    await expect(run(short)).rejects.toThrow(/auto needs at least 100 buckets of inflight.s series/);
  });
});
