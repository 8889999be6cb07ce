// What the builders read besides Results: the comparison and check documents (docs/results.md), as structural types.
import type { CheckResult, Results, ServerResults } from "../sim/index.js";

/**
 * The fields of `lbsim compare --json` the report reads (cli/compare-json.ts ComparisonJson):
 * declared here because viz/ does not import cli/. A full comparison document fits.
 */
export interface ComparisonInput {
  readonly scenario: string;
  readonly seed: number;
  readonly partial?: boolean;
  readonly runs: ReadonlyArray<Results>;
  readonly checks: ReadonlyArray<CheckResult>;
  readonly replications: number;
  readonly seeds: ReadonlyArray<number>;
  readonly strategies: ReadonlyArray<string>;
  readonly backend?: string;
  readonly rows: ReadonlyArray<ComparisonRowInput>;
  readonly meanChecks?: {
    readonly runs: ReadonlyArray<{ readonly strategy: string; readonly checks: ReadonlyArray<CheckedInput> }>;
    readonly checks: ReadonlyArray<CheckedInput>;
  };
}

/** One row of the comparison (`latency.p99`…): per strategy its values and mean, and the verdict. */
export interface ComparisonRowInput {
  readonly key: string;
  readonly better: string;
  readonly unit: string;
  readonly strategies: ReadonlyArray<{
    readonly strategy: string;
    readonly values: ReadonlyArray<number> | null;
    readonly mean: number | null;
  }>;
  readonly verdict: string;
  readonly best?: string;
  readonly winner?: string;
  readonly indistinguishable?: ReadonlyArray<string>;
  readonly differences?: ReadonlyArray<{
    readonly strategy: string;
    readonly mean: number;
    readonly ci95?: { readonly low: number; readonly high: number };
    readonly percent?: number;
  }>;
}

/** An expectation judged over replications (check JSON `scenarios[].checks[]`, compare `meanChecks`). */
export interface CheckedInput {
  readonly name: string;
  readonly pass: boolean;
  readonly actual: number | null;
  readonly limit?: number;
  readonly note?: string;
  readonly uncertain?: boolean;
}

/** The fields of `lbsim check --json` the report reads (cli/check-report.ts CheckJson). */
export interface CheckInput {
  readonly replications: number;
  readonly partial?: boolean;
  readonly passed: boolean;
  readonly scenarios: ReadonlyArray<{
    readonly file: string;
    readonly scenario: string;
    readonly strategy: string;
    readonly compared: ReadonlyArray<string>;
    readonly seeds: ReadonlyArray<number>;
    /** `pass`, `fail`, `no expectations` or `interrupted`. */
    readonly status: string;
    readonly partial?: boolean;
    readonly warnings?: ReadonlyArray<string>;
    readonly checks: ReadonlyArray<CheckedInput>;
  }>;
}

/** A server of Results. */
export type ServerIn = ServerResults;

/** Where a run's time ends: when Ctrl-C stopped it, else its duration. */
export function endOf(results: Results): number {
  return results.partial === true && results.endedAtMs !== undefined ? results.endedAtMs : results.durationMs;
}

const byName = new WeakMap<Results, Map<string, ServerIn>>();

/** The server of a run by name (indexed once per Results: a run may have 1000 servers). */
export function serverNamed(results: Results, name: string): ServerIn | undefined {
  let index = byName.get(results);
  if (index === undefined) {
    index = new Map(results.servers.map((s) => [s.name, s as ServerIn]));
    byName.set(results, index);
  }
  return index.get(name);
}
