// The summary rows of a section (k6/Gatling-style figures per variant), from the runs or the comparison's rows.
import type { Results } from "../sim/index.js";
import type { VariantRuns } from "./build-series.js";
import type { ComparisonRowInput } from "./inputs.js";
import { endOf } from "./inputs.js";
import { figureRound, interval95, meanOf } from "./stats.js";
import type { SummaryRow } from "./view.js";

interface RowSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: SummaryRow["unit"];
  readonly better: SummaryRow["better"];
  /** The comparison row with the same figure (docs/results.md "Comparison JSON" keys), when there is one. */
  readonly comparisonKey?: string;
  readonly value: (r: Results) => number;
  /**
   * A figure the comparison has no row for, derived per replication from rows it has (so that,
   * like the others, it covers every seed, not only the first run's).
   */
  readonly derive?: (
    row: (key: string) => ReadonlyArray<number> | undefined,
    first: Results | undefined,
  ) => number[] | undefined;
}

/** Per replication, a / b (0 where b is 0), when both have a value per replication. */
function ratios(
  a: ReadonlyArray<number> | undefined,
  b: ReadonlyArray<number> | undefined,
): number[] | undefined {
  if (a === undefined || b === undefined || a.length !== b.length) return undefined;
  return a.map((x, i) => ((b[i] ?? 0) === 0 ? 0 : x / (b[i] as number)));
}

/** Steady-state seconds: from the warm-up to the end (or to where Ctrl-C stopped the run). */
function steadySeconds(r: Results): number {
  return Math.max(0, endOf(r) - r.warmupMs) / 1000;
}

export const SUMMARY_ROWS: ReadonlyArray<RowSpec> = [
  {
    key: "requests",
    label: "requests",
    unit: "count",
    better: "none",
    comparisonKey: "requests.total",
    value: (r) => r.requests.total,
  },
  {
    key: "throughput",
    label: "throughput",
    unit: "per-second",
    better: "higher",
    value: (r) => (steadySeconds(r) === 0 ? 0 : r.requests.total / steadySeconds(r)),
    derive: (row, first) =>
      first === undefined
        ? undefined
        : row("requests.total")?.map((n) => (steadySeconds(first) === 0 ? 0 : n / steadySeconds(first))),
  },
  {
    key: "errors",
    label: "errors",
    unit: "ratio",
    better: "lower",
    value: (r) => (r.requests.total === 0 ? 0 : r.requests.failed / r.requests.total),
    derive: (row) => ratios(row("requests.errors"), row("requests.total")),
  },
  {
    key: "unfinished",
    label: "unfinished",
    unit: "count",
    better: "lower",
    comparisonKey: "requests.unfinished",
    value: (r) => r.requests.unfinished,
  },
  {
    key: "mean",
    label: "mean",
    unit: "ms",
    better: "lower",
    comparisonKey: "latency.mean",
    value: (r) => r.latency.meanMs,
  },
  {
    key: "p50",
    label: "p50",
    unit: "ms",
    better: "lower",
    comparisonKey: "latency.p50",
    value: (r) => r.latency.p50Ms,
  },
  {
    key: "p90",
    label: "p90",
    unit: "ms",
    better: "lower",
    comparisonKey: "latency.p90",
    value: (r) => r.latency.p90Ms,
  },
  {
    key: "p99",
    label: "p99",
    unit: "ms",
    better: "lower",
    comparisonKey: "latency.p99",
    value: (r) => r.latency.p99Ms,
  },
  {
    key: "p999",
    label: "p99.9",
    unit: "ms",
    better: "lower",
    comparisonKey: "latency.p999",
    value: (r) => r.latency.p999Ms,
  },
  {
    key: "max",
    label: "max",
    unit: "ms",
    better: "lower",
    comparisonKey: "latency.max",
    value: (r) => r.latency.maxMs,
  },
  {
    key: "queue",
    label: "queue mean",
    unit: "ms",
    better: "lower",
    comparisonKey: "queue.mean",
    value: (r) => r.queue.meanMs,
  },
  {
    key: "retried",
    label: "retried",
    unit: "count",
    better: "lower",
    comparisonKey: "requests.retried",
    value: (r) => r.requests.retried,
  },
  {
    key: "redispatched",
    label: "redispatched",
    unit: "count",
    better: "lower",
    comparisonKey: "requests.redispatched",
    value: (r) => r.requests.redispatched,
  },
];

function withInterval(values: ReadonlyArray<number>): {
  value: number | null;
  ci: { low: number; high: number } | null;
} {
  if (values.length === 0) return { value: null, ci: null };
  const ci = interval95(values);
  return {
    value: figureRound(meanOf(values)),
    ci: ci === undefined ? null : { low: figureRound(ci.low), high: figureRound(ci.high) },
  };
}

/**
 * One row per figure: per variant the mean over its replications, with the 95% interval when there
 * are two or more. With a comparison, a row it has (same key) takes its values (each strategy's
 * replications, every seed) and its verdict and winner; throughput and the errors' share are
 * derived per replication from its `requests.total` and `requests.errors` rows (no verdict: the
 * comparison judged counts, not these).
 */
export function summaryRows(
  variants: ReadonlyArray<VariantRuns>,
  comparison?: ReadonlyArray<ComparisonRowInput>,
): SummaryRow[] {
  return SUMMARY_ROWS.map((spec) => {
    const row =
      spec.comparisonKey === undefined ? undefined : comparison?.find((c) => c.key === spec.comparisonKey);
    const figures = variants.map(({ variant, runs }) => {
      const fromRow = row?.strategies.find((s) => s.strategy === variant.name);
      const rowValues = (key: string) =>
        comparison?.find((c) => c.key === key)?.strategies.find((s) => s.strategy === variant.name)?.values ??
        undefined;
      const derived = comparison === undefined ? undefined : spec.derive?.(rowValues, runs[0]);
      const values = fromRow !== undefined ? (fromRow.values ?? []) : (derived ?? runs.map(spec.value));
      return withInterval(values);
    });
    const banded = figures.some((f) => f.ci !== null);
    return {
      key: spec.key,
      label: spec.label,
      unit: spec.unit,
      better: spec.better,
      values: figures.map((f) => f.value),
      ...(banded ? { ci95: figures.map((f) => f.ci) } : {}),
      ...(row === undefined ? {} : { verdict: row.verdict }),
      ...(row?.winner === undefined ? {} : { winner: row.winner }),
    };
  });
}
