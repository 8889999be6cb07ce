// Test support for the builders' specs: real runs from sim/ and checks on the view's JSON.
import type { Scenario } from "../scenarios/types.js";
import type { Results } from "../sim/index.js";
import { scenario, server, simulate } from "../sim/test-support.js";

const check = {
  type: "tcp" as const,
  interMs: 1000,
  fastinterMs: 1000,
  downinterMs: 1000,
  rise: 2,
  fall: 3,
  timeoutMs: null,
};

/** Three checked servers; s2 crashes at 5 s and is restored at 12 s (as scenarios/library/failover.yaml). */
export function failoverScenario(seed = 1, balance = "roundrobin"): Scenario {
  return scenario({
    seed,
    durationMs: 20_000,
    backend: {
      balance,
      servers: [server("s1", { check }), server("s2", { check }), server("s3", { check })],
    },
    events: [
      { atMs: 5000, kind: "crash", server: "s2" },
      { atMs: 12_000, kind: "restore", server: "s2" },
    ],
  });
}

export function failoverRuns(seeds: ReadonlyArray<number>, balance = "roundrobin"): Results[] {
  return seeds.map((seed) => simulate(failoverScenario(seed, balance)));
}

/** Every number reachable in a JSON-like value, with its path. */
export function numbersIn(value: unknown, path = "$"): Array<{ path: string; value: number }> {
  if (typeof value === "number") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  }
  return [];
}

/** The paths of the non-finite numbers (NaN, ±Infinity) that JSON.stringify would silently write as null. */
export function nonFinite(value: unknown): string[] {
  return numbersIn(value)
    .filter((n) => !Number.isFinite(n.value))
    .map((n) => n.path);
}
