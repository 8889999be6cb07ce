// The size guard of DESIGN.md "Limits": refuse scenarios expected to simulate more than 10^10 requests.
import { meanMs } from "./distribution.js";
import type { Arrivals, Scenario, TimelineEvent } from "./types.js";

export const MAX_REQUESTS = 1e10;

/** A closed-loop user waits at least this long between requests in the estimate (think times of 0). */
const MIN_CYCLE_MS = 1;

/**
 * The expected number of requests (first attempts), an upper-ish estimate: a user is counted as if
 * answers were instant. Trace clients count 0 (their length is known only by reading the file).
 */
export function estimateRequests(scenario: Scenario): number {
  return scenario.clients.reduce((total, client) => {
    const changes = scenario.events.filter(
      (e): e is TrafficChange => (e.kind === "rate" || e.kind === "spike") && e.client === client.name,
    );
    return (
      total +
      (changes.length === 0
        ? estimateArrivals(client.arrivals, scenario.durationMs)
        : estimateChanged(client.arrivals, changes, scenario.durationMs))
    );
  }, 0);
}

type TrafficChange = Extract<TimelineEvent, { kind: "rate" | "spike" }>;

/**
 * An open-loop client whose rate changes: the rate is linear between two changes (a ramp's or a
 * constant one, times the spikes running), so the trapezoid rule on each piece is exact.
 */
function estimateChanged(
  arrivals: Arrivals,
  changes: ReadonlyArray<TrafficChange>,
  durationMs: number,
): number {
  const cuts = new Set([0, durationMs]);
  if (arrivals.kind === "ramp") cuts.add(Math.min(arrivals.overMs, durationMs));
  for (const change of changes) {
    cuts.add(change.atMs);
    if (change.kind === "spike") cuts.add(Math.min(change.atMs + change.forMs, durationMs));
  }
  const times = [...cuts].filter((t) => t <= durationMs).sort((a, b) => a - b);
  let total = 0;
  for (let i = 1; i < times.length; i++) {
    const from = times[i - 1]!;
    const to = times[i]!;
    const mid = (from + to) / 2;
    const rate = (t: number) => rateAt(arrivals, changes, mid, t);
    total += ((rate(from) + rate(to)) / 2) * ((to - from) / 1000);
  }
  return total;
}

/** The rate at `t` with the changes in force at `state` (a time inside the same piece). */
function rateAt(arrivals: Arrivals, changes: ReadonlyArray<TrafficChange>, state: number, t: number): number {
  let base: number | undefined;
  let factor = 1;
  for (const change of changes) {
    if (change.kind === "rate" && change.atMs <= state) base = change.ratePerSecond;
    if (change.kind === "spike" && change.atMs <= state && state < change.atMs + change.forMs)
      factor *= change.factor;
  }
  return factor * (base ?? baseRate(arrivals, t));
}

function baseRate(arrivals: Arrivals, t: number): number {
  switch (arrivals.kind) {
    case "poisson":
    case "constant":
      return arrivals.ratePerSecond;
    case "ramp":
      return t >= arrivals.overMs
        ? arrivals.toPerSecond
        : arrivals.fromPerSecond + ((arrivals.toPerSecond - arrivals.fromPerSecond) * t) / arrivals.overMs;
    default:
      return 0;
  }
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
