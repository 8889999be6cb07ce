// Spec of cli/warmup-mser.ts: MSER-5 on series of known transient, on stationary noise, on a series too short, and on real runs.
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { realToolkit } from "./sweep-test-support.js";
import { findWarmup, mser5 } from "./warmup-mser.js";

function noise(n: number, seed: string, sd = 1): number[] {
  const random = seedrandom(seed);
  return Array.from({ length: n }, () => sd * (random() + random() + random() - 1.5) * 2);
}

describe("mser5", () => {
  it("truncates a transient of known length near its end", () => {
    // 400 buckets of 100 ms: a decaying transient over the first 80 (8 s), then noise around 0.
    for (const seed of ["a", "b", "c"]) {
      const values = noise(400, seed).map((v, i) => v + (i < 80 ? 10 * (1 - i / 80) : 0));
      const { warmupMs } = mser5(values, 100);
      expect(warmupMs).toBeGreaterThanOrEqual(5_000);
      expect(warmupMs).toBeLessThanOrEqual(9_500);
    }
  });

  it("finds little or no warm-up in stationary noise", () => {
    for (const seed of ["d", "e", "f"]) {
      const { warmupMs } = mser5(noise(400, seed), 100);
      // Stationary: at most a few batches (10% of the 40 s) by chance.
      expect(warmupMs).toBeLessThanOrEqual(4_000);
    }
  });

  it("never truncates past the first half of the run, even for a trend that lasts the whole run", () => {
    const trend = Array.from({ length: 400 }, (_, i) => i);
    // Fooled (a known limit): a steady trend looks like a transient up to the end of the search.
    expect(mser5(trend, 100).warmupMs).toBeLessThanOrEqual(20_000);
  });

  it("refuses a series of fewer than 20 batches of 5 with a clear message", () => {
    expect(() => mser5(noise(99, "g"), 100, "p99's series")).toThrow(InputError);
    expect(() => mser5(noise(99, "g"), 100, "p99's series")).toThrow(
      /auto needs at least 100 buckets of p99's series \(MSER-5 judges batches of 5\), but the run has 99/,
    );
    expect(() => mser5(noise(100, "g"), 100)).not.toThrow();
  });
});

const SCENARIO = (service: string, rate: string) => `name: warm
seed: 5
duration: 200s
backend:
  name: web
  timeout: { connect: 1s, server: 60s }
  service: ${service}
  servers:
    - { name: web01 }
clients:
  - name: load
    arrivals: { poisson: ${rate} }
`;

async function run(text: string) {
  const toolkit = realToolkit();
  const scenario = toolkit.loadScenarioFile("warm.yaml", { text });
  const outcome = await toolkit.simulate(
    { scenario, scenarioDir: ".", deterministic: true, seed: scenario.seed },
    { stop: new Int32Array(new SharedArrayBuffer(4)) },
  );
  return outcome.results;
}

describe("findWarmup on real runs", () => {
  it("puts the truncation near the end of a transient inserted in the first 20% (a slowed server, then restored)", async () => {
    // ρ = 0.9 for the first 40 s of 200 (service ×3), then ρ = 0.3: the queue built up drains in seconds.
    const slowed = `${SCENARIO("{ exponential: 10ms }", "30/s")}events:
  - { at: 0s, slow: { server: web01, factor: 3 } }
  - { at: 40s, restore: web01 }
`;
    const results = await run(slowed);
    const { warmupMs } = findWarmup(results, ["inflight", "queue", "p99"]);
    expect(warmupMs).toBeGreaterThanOrEqual(30_000);
    expect(warmupMs).toBeLessThanOrEqual(60_000);
  });

  it("finds a warm-up near 0 for constant service at low load", async () => {
    const results = await run(SCENARIO("{ constant: 10ms }", "10/s"));
    expect(findWarmup(results, ["inflight", "queue"]).warmupMs).toBeLessThanOrEqual(results.durationMs / 10);
  });
});
