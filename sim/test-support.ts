// Test support for sim/: typed scenarios built in code (no YAML), and runs with the real strategies.
import { parseExpectations } from "../scenarios/expectation-grammar.js";
import type { CheckParams, Scenario } from "../scenarios/types.js";
import { resolveStrategy } from "../strategies/index.js";
import type { Results } from "./results.js";
import { run } from "./run.js";
import type { RequestRecord, RunOptions } from "./run-types.js";
import { scenario as buildScenario, type ScenarioParts } from "./scenario-builders.js";

export { client, type ScenarioParts, server } from "./scenario-builders.js";

/**
 * A scenario built in code; its `expect:` lines written as text (`expect: ["p99 < 1s"]`) are
 * parsed here, as the loader parses a file's, unless typed `expectations` are given.
 */
export function scenario(parts: ScenarioParts = {}): Scenario {
  const built = buildScenario(parts);
  return parts.expectations === undefined && built.expect.length > 0
    ? { ...built, expectations: parseExpectations(built.expect) }
    : built;
}

/** What a test's run or model takes: the real strategies, and deterministic Results. */
export const RUN_OPTIONS = {
  resolveStrategy: (name: string) => {
    const factory = resolveStrategy(name);
    if (factory === undefined) throw new Error(`unknown strategy ${name}`);
    return factory;
  },
  deterministic: true,
} as const;

/** TCP checks every second, rise 2, fall 3: DOWN three failed checks after a crash. */
export const TCP_CHECK: CheckParams = {
  type: "tcp",
  interMs: 1000,
  fastinterMs: 1000,
  downinterMs: 1000,
  rise: 2,
  fall: 3,
  timeoutMs: null,
};

export function simulate(s: Scenario, options: Partial<RunOptions> = {}): Results {
  return run(s, { ...RUN_OPTIONS, ...options });
}

/** Runs and keeps every per-request record (small runs only). */
export function simulateWithRecords(
  s: Scenario,
  options: Partial<RunOptions> = {},
): { results: Results; records: RequestRecord[] } {
  const records: RequestRecord[] = [];
  const results = simulate(s, { ...options, onRequest: (r) => records.push(r) });
  return { results, records };
}

/** A byStatus/byTermination tally without its zero entries (Results always lists DESIGN.md's keys). */
export function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/**
 * The scenario with `option abortonclose` on every backend: a client that gives up ends its request
 * in HAProxy too, so each request has one end and one record (the invariants that pair records
 * with Results need that; sim/run-give-up.spec.ts checks the default, where HAProxy goes on).
 */
export function withAbortOnClose(s: Scenario): Scenario {
  const backends = s.backends?.map((b) => ({ ...b, abortonclose: true }));
  return {
    ...s,
    backend: backends?.find((b) => b.name === s.backend.name) ?? { ...s.backend, abortonclose: true },
    ...(backends === undefined ? {} : { backends }),
  };
}
