// The latency figures the table and the check summary name, and which of them the unfinished requests raise.
import type { Results } from "../sim/index.js";

/** The latency figures in the order the table shows them: the name on screen, and the field of `Results.latency`. */
export const LATENCY_FIGURES = [
  ["mean", "meanMs"],
  ["p50", "p50Ms"],
  ["p90", "p90Ms"],
  ["p99", "p99Ms"],
  ["p99.9", "p999Ms"],
  ["max", "maxMs"],
] as const;

export interface RaisedFigure {
  readonly name: (typeof LATENCY_FIGURES)[number][0];
  /** The answered requests' own figure. */
  readonly answeredMs: number;
  /** The figure with the unfinished requests counted at their age (`Results.latencyLowerBound`). */
  readonly boundMs: number;
}

/**
 * The latency figures the unfinished requests, counted at their age, raise above the answered
 * requests' own; `raises` decides how much higher counts (each caller has its own margin). None
 * when no request was unfinished.
 */
export function raisedFigures(
  results: Results,
  raises: (boundMs: number, answeredMs: number) => boolean,
): ReadonlyArray<RaisedFigure> {
  const bound = results.latencyLowerBound;
  if (bound === undefined) return [];
  return LATENCY_FIGURES.map(([name, field]) => ({
    name,
    answeredMs: results.latency[field],
    boundMs: bound[field],
  })).filter((f) => raises(f.boundMs, f.answeredMs));
}
