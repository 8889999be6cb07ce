// The size guard of DESIGN.md "Limits": refuse scenarios expected to simulate more than 10^10 requests.
import { meanMs } from "./distribution.js";
import type { Arrivals, Scenario } from "./types.js";

export const MAX_REQUESTS = 1e10;

/** A closed-loop user waits at least this long between requests in the estimate (think times of 0). */
const MIN_CYCLE_MS = 1;

/**
 * The expected number of requests (first attempts), an upper-ish estimate: a user is counted as if
 * answers were instant. Trace clients count 0 (their length is known only by reading the file).
 */
export function estimateRequests(scenario: Scenario): number {
  return scenario.clients.reduce(
    (total, client) => total + estimateArrivals(client.arrivals, scenario.durationMs),
    0,
  );
}

function estimateArrivals(arrivals: Arrivals, durationMs: number): number {
  const seconds = durationMs / 1000;
  switch (arrivals.kind) {
    case "poisson":
    case "constant":
      return arrivals.ratePerSecond * seconds;
    case "ramp": {
      const rampMs = Math.min(arrivals.overMs, durationMs);
      const reached =
        arrivals.fromPerSecond + ((arrivals.toPerSecond - arrivals.fromPerSecond) * rampMs) / arrivals.overMs;
      const during = ((arrivals.fromPerSecond + reached) / 2) * (rampMs / 1000);
      return during + arrivals.toPerSecond * ((durationMs - rampMs) / 1000);
    }
    case "users":
      return (arrivals.count * durationMs) / Math.max(meanMs(arrivals.think), MIN_CYCLE_MS);
    case "trace":
      return 0;
  }
}
