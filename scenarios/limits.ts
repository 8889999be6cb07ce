// The size guard of DESIGN.md "Limits": refuse scenarios expected to simulate more than 10^10
// requests, or more than 10^10 events of every kind together (requests, checks, buckets, timeline).
import { meanMs } from "./distribution.js";
import type { Arrivals, Scenario, TimelineEvent } from "./types.js";

export const MAX_REQUESTS = 1e10;
/**
 * The same bound on all the work a run does: lbsim handles 1–2 M events a second, so 10^10 is
 * hours of wall time (and the guard is there to stop a typo, such as `inter: 1` for 1 ms, from
 * starting a run that would never end).
 */
export const MAX_EVENTS = 1e10;

/** The estimate of the work a run does, by kind; `total` is their sum. */
export interface EventEstimate {
  /** First attempts (estimateRequests). */
  readonly requests: number;
  /** Extra attempts of clients with `retry`, if every attempt failed (an upper bound). */
  readonly clientRetries: number;
  /** Health checks: per server with `check`, duration / inter. */
  readonly checks: number;
  /** Closing a series bucket touches every server: buckets × (servers + 1). */
  readonly series: number;
  readonly buckets: number;
  /** Timeline actions; a rolling upgrade counts 3 steps per server. */
  readonly timeline: number;
  readonly total: number;
}

export function estimateEvents(scenario: Scenario): EventEstimate {
  const durationMs = scenario.durationMs;
  const requests = estimateRequests(scenario);
  const clientRetries = scenario.clients.reduce(
    (sum, client) =>
      client.retry === null
        ? sum
        : sum + estimateRequests({ ...scenario, clients: [client] }) * client.retry.count,
    0,
  );
  const servers = (scenario.backends ?? [scenario.backend]).flatMap((backend) => backend.servers);
  const checks = servers.reduce(
    (sum, server) => (server.check === null ? sum : sum + durationMs / server.check.interMs),
    0,
  );
  const buckets = Math.ceil(durationMs / scenario.bucketMs);
  const series = buckets * (servers.length + 1);
  const timeline = scenario.events.reduce(
    (sum, event) => sum + (event.kind === "upgrade" ? 3 * event.servers.length : 1),
    0,
  );
  return {
    requests,
    clientRetries,
    checks,
    series,
    buckets,
    timeline,
    total: requests + clientRetries + checks + series + timeline,
  };
}

/** `requests 3.6e+3, health checks 3.6e+13, …`: the estimate broken down, for the refusal message. */
export function describeEstimate(estimate: EventEstimate): string {
  const n = (x: number): string => (x < 1e6 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3));
  return [
    `requests ${n(estimate.requests)}`,
    `client retries (at most) ${n(estimate.clientRetries)}`,
    `health checks ${n(estimate.checks)}`,
    `series ${n(estimate.series)} (${n(estimate.buckets)} buckets × (servers + 1))`,
    `timeline ${n(estimate.timeline)}`,
  ].join(", ");
}

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
