// The comparison JSON of `lbsim compare --json`: the runs, and per row the means, differences and verdict.
import type { CheckResult, Results } from "../sim/index.js";
import type { CheckedExpectation } from "./check-judge.js";
import { type Interval, mean } from "./check-stats.js";
import { type Better, buildRows, type RowUnit } from "./compare-rows.js";
import { judgeRow, type Verdict } from "./compare-stats.js";

/** One ranked figure of the comparison, over every replication (docs/results.md "Comparison JSON"). */
export interface ComparisonRow {
  /** `latency.p99`, `requests.unfinished`, `status.200`, `ended.--`, `backend.api.errors`, `share.web01`… */
  readonly key: string;
  readonly section: string;
  readonly name: string;
  readonly better: Better;
  /** `ms`, `count` (requests), or `ratio` (a fraction: shares). */
  readonly unit: RowUnit;
  /** Per strategy, in the order compared: its value in each replication (seed order) and their mean; null: no figure. */
  readonly strategies: ReadonlyArray<{
    readonly strategy: string;
    readonly values: ReadonlyArray<number> | null;
    readonly mean: number | null;
  }>;
  readonly verdict: Verdict;
  /** The strategy with the best mean (ranked rows with a difference). */
  readonly best?: string;
  /** Present when `verdict` is "winner": the best, told apart from every other strategy. */
  readonly winner?: string;
  /** Present when `verdict` is "indistinguishable": the best and the strategies it cannot be told from. */
  readonly indistinguishable?: ReadonlyArray<string>;
  /** Each other strategy's mean minus the best's, with the paired 95% interval (two replications or more). */
  readonly differences?: ReadonlyArray<{
    readonly strategy: string;
    readonly mean: number;
    readonly ci95?: Interval;
    readonly percent?: number;
  }>;
}

/** `lbsim compare --json`: the comparison as one JSON document (docs/results.md "Comparison JSON"). */
export interface ComparisonJson {
  readonly scenario: string;
  readonly seed: number;
  /** Present (true) only when Ctrl-C stopped the comparison. */
  readonly partial?: true;
  /** One Results per strategy, in the order given (the first seed's); `checks` holds the per-run expectations. */
  readonly runs: ReadonlyArray<Results>;
  /** Expectations that name strategies only (`leastconn.p99 < roundrobin.p99`), checked once. */
  readonly checks: ReadonlyArray<CheckResult>;
  /** `--replications` (1 without it); with `auto`, the number used. */
  readonly replications: number;
  /**
   * With `--replications auto`: its precision (0.05 for 5%), minimum and --max, the replications
   * used, whether every ranked row settled, and else the first that did not with its half-width.
   */
  readonly replicationsAuto?: {
    readonly precision: number;
    readonly min: number;
    readonly max: number;
    readonly used: number;
    readonly settled: boolean;
    readonly unsettled?: { readonly metric: string; readonly mean: number; readonly halfWidth: number };
  };
  /** The seeds of the complete replications every mean is taken over. */
  readonly seeds: ReadonlyArray<number>;
  /** The strategies as compared (`--strategies` or `compare:`), in order. */
  readonly strategies: ReadonlyArray<string>;
  /** `--backend`: the one backend the strategies balance. */
  readonly backend?: string;
  readonly rows: ReadonlyArray<ComparisonRow>;
  /** With replications: the expectations judged on the means, per strategy and across strategies, as `lbsim check` does. */
  readonly meanChecks?: {
    readonly runs: ReadonlyArray<{
      readonly strategy: string;
      readonly checks: ReadonlyArray<CheckedExpectation>;
    }>;
    readonly checks: ReadonlyArray<CheckedExpectation>;
  };
}

/** Every row of the comparison of `replicated[strategy][replication]`, judged as the table judges it. */
export function comparisonRows(
  replicated: ReadonlyArray<ReadonlyArray<Results>>,
  strategies: ReadonlyArray<string>,
): ComparisonRow[] {
  return buildRows(replicated).map((row) => {
    const verdict = judgeRow(row);
    const name = (i: number) => strategies[i] ?? "";
    const differences = verdict.differences.flatMap((d, i) =>
      d === undefined
        ? []
        : [
            {
              strategy: name(i),
              mean: d.mean,
              ...(d.ci95 === undefined ? {} : { ci95: d.ci95 }),
              ...(d.percent === undefined ? {} : { percent: d.percent }),
            },
          ],
    );
    return {
      key: row.key,
      section: row.section,
      name: row.name,
      better: row.better,
      unit: row.unit,
      strategies: row.values.map((values, i) => ({
        strategy: name(i),
        values: values === undefined ? null : values,
        mean: values === undefined || values.length === 0 ? null : mean(values),
      })),
      verdict: verdict.verdict,
      ...(verdict.best === undefined ? {} : { best: name(verdict.best) }),
      ...(verdict.verdict === "winner" && verdict.best !== undefined ? { winner: name(verdict.best) } : {}),
      ...(verdict.verdict === "indistinguishable"
        ? { indistinguishable: [verdict.best ?? 0, ...verdict.indistinguishable].map(name) }
        : {}),
      ...(differences.length === 0 ? {} : { differences }),
    };
  });
}
