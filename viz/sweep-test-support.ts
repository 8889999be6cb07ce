// Helpers of the sweep report specs: a small sweep JSON (2 rates × 2 strategies, p99 and errors).
import type { SweepInput } from "./build-sweep.js";

const RATE = "clients.load.arrivals.poisson";

/** A sweep JSON of 2 rates × `strategies`, p99 and errors per row. */
export function sampleSweep(over: Partial<SweepInput> = {}): SweepInput {
  const strategies = over.strategies ?? ["roundrobin", "leastconn"];
  const rates = ["100/s", "200/s"];
  return {
    scenario: "small",
    file: "small.yaml",
    lbsim: "1.2.3",
    parameters: [{ path: RATE, values: rates }],
    strategies,
    replications: 3,
    metrics: [
      { key: "p99Ms", unit: "ms" },
      { key: "errorRate", unit: "ratio" },
    ],
    runs: { total: 12, done: 12, missing: 0 },
    complete: true,
    rows: rates.flatMap((rate, r) =>
      strategies.map((strategy, s) => ({
        values: { [RATE]: rate },
        strategy,
        seeds: [7, 8, 9],
        metrics: {
          p99Ms: { mean: 20 + 10 * r + s, low: 18 + 10 * r + s, high: 22 + 10 * r + s },
          errorRate: { mean: 0.01 * r, low: 0, high: 0.02 * r },
        },
      })),
    ),
    ...over,
  };
}
