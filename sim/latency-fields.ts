// The latency metrics (`mean`, `p99`…) and how an expectation reads one: its Results field, raised by the lower bound.
import type { Results } from "./results.js";

/** The latency metrics and the `latency` field each reads (the whole run's, a backend's or a window's). */
export const LATENCY_FIELDS: Readonly<Record<string, keyof Results["latency"]>> = {
  mean: "meanMs",
  p50: "p50Ms",
  p90: "p90Ms",
  p99: "p99Ms",
  p999: "p999Ms",
  max: "maxMs",
};

/**
 * A latency figure as expectations judge it: with requests left unanswered, the higher of the figure
 * over the answered ones and its lower bound (the unanswered counted at their age). The bound keeps a
 * percentile from looking good because the slow requests are still waiting; taking the higher of
 * the two keeps the young requests in flight at the end from pulling a figure below what the
 * answered requests alone already show, so counting them never lets pass what failed without them.
 */
export function judgedLatency(
  latency: Results["latency"],
  bound: Results["latency"] | undefined,
  field: keyof Results["latency"],
): number {
  return bound === undefined ? latency[field] : Math.max(latency[field], bound[field]);
}
