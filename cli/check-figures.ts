// The figures `lbsim check` records per scenario and run (what a baseline stores): mean, 95% interval, per-replication values.
import { metricValue } from "../sim/expectations.js";
import type { Results } from "../sim/index.js";
import type { Replication } from "./check-judge.js";
import { confidenceInterval95, type Interval, mean } from "./check-stats.js";
import { formatLatency, formatPercent } from "./format.js";

/** `time`: milliseconds; `ratio`: a share 0..1. For every figure, higher is worse. */
export type FigureUnit = "time" | "ratio";

/**
 * The fixed set a baseline compares, in the order the JSON lists them. Latencies are those that
 * expectations judge (sim/expectations.ts), so a baseline and an `expect:` line see the same p99;
 * `unfinished` is a share of the steady-state arrivals (unfinished / (total + unfinished)), so that
 * runs of different lengths compare. Server shares are left out: a different share is not worse.
 */
export const FIGURES: ReadonlyArray<{ readonly name: string; readonly unit: FigureUnit }> = [
  { name: "p50", unit: "time" },
  { name: "p90", unit: "time" },
  { name: "p99", unit: "time" },
  { name: "p999", unit: "time" },
  { name: "mean", unit: "time" },
  { name: "max", unit: "time" },
  { name: "queue.mean", unit: "time" },
  { name: "errors", unit: "ratio" },
  { name: "unfinished", unit: "ratio" },
];

/** One figure over the replications. */
export interface Figure {
  readonly mean: number;
  /** Student's t interval of the mean; with two replications or more only. */
  readonly ci95?: Interval;
  /** Each replication's value, in seed order. */
  readonly values: ReadonlyArray<number>;
}

/** A run's figures by name (FIGURES' order). */
export type RunFigures = Readonly<Record<string, Figure>>;

export function unitOf(figure: string): FigureUnit | undefined {
  return FIGURES.find((f) => f.name === figure)?.unit;
}

export function formatFigure(figure: string, value: number): string {
  return unitOf(figure) === "ratio" ? formatPercent(value) : formatLatency(value);
}

function figureValue(results: Results, name: string): number | undefined {
  if (name === "unfinished") {
    const { total, unfinished } = results.requests;
    return total + unfinished === 0 ? 0 : unfinished / (total + unfinished);
  }
  return metricValue(results, name, null);
}

/**
 * Each run's figures (by run name, in the order the runs were made: the scenario's own first, then
 * the compared ones). A figure a run does not have is left out rather than given a made-up value.
 */
export function figuresOf(replications: ReadonlyArray<Replication>): Record<string, RunFigures> {
  const out: Record<string, RunFigures> = {};
  const first = replications[0];
  if (first === undefined) return out;
  for (const run of first.runs.keys()) {
    const figures: Record<string, Figure> = {};
    for (const { name } of FIGURES) {
      const values: number[] = [];
      for (const r of replications) {
        const results = r.runs.get(run);
        const value = results === undefined ? undefined : figureValue(results, name);
        if (value !== undefined && Number.isFinite(value)) values.push(value);
      }
      if (values.length !== replications.length) continue;
      const ci95 = confidenceInterval95(values);
      figures[name] = { mean: mean(values), ...(ci95 === undefined ? {} : { ci95 }), values };
    }
    out[run] = figures;
  }
  return out;
}
