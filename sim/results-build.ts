// The parts of Results that several places assemble: per-backend figures, status counts, latency.
import type { LatencyHistogram } from "./histogram.js";
import type { BackendTally } from "./model/backend-tally.js";
import type { Metrics } from "./model/metrics.js";
import { DISTRIBUTION_PERCENTILES } from "./model/metrics.js";
import type { Server } from "./model/server.js";
import type { ModelBackend } from "./model/topology.js";
import type {
  BackendResults,
  LatencyDistribution,
  LatencyLowerBound,
  Results,
  ServerResults,
  StateChange,
} from "./results.js";
import { round3, round6 } from "./rounding.js";

/** Statuses every Results lists, even at 0 (DESIGN.md's Results example). */
const ALWAYS_STATUSES = [200, 502, 503, 504] as const;

export function backendResults(
  backends: ReadonlyArray<ModelBackend>,
  groups: ReadonlyArray<{ readonly balance: string }>,
  servers: ReadonlyArray<Server>,
  metrics: Metrics,
  mayGiveUp = false,
): BackendResults[] {
  const tallies = metrics.backends ?? [];
  const routed = tallies.reduce((n, t) => n + t.total, 0);
  return backends.map((backend, b) => {
    const tally = tallies[b]!;
    return {
      name: backend.spec.name,
      strategy: groups[b]!.balance,
      servers: servers.filter((s) => s.backend === b).map((s) => s.name),
      requests: {
        ...tallyRequests(tally, routed),
        ...(mayGiveUp ? { gaveUpServed: tally.gaveUpServed } : {}),
      },
      latency: latencyResults(tally.latency),
      ...lowerBoundResults(tally.latencyLowerBound, tally.unfinished),
      queue: {
        meanMs: round3(tally.queue.meanMs),
        p99Ms: round3(tally.queue.percentileMs(99)),
        maxBackendQueue: tally.maxQueue,
      },
    };
  });
}

/** DESIGN.md's status keys are always there (0 when none), so that a reader can index them directly. */
/** A backend's or an instance's request counts, its share of the `routed` requests among them. */
export function tallyRequests(tally: BackendTally, routed: number) {
  return {
    total: tally.total,
    ok: tally.ok,
    failed: tally.failed,
    share: routed === 0 ? 0 : round6(tally.total / routed),
    byStatus: statusCounts(tally.byStatus),
    unfinished: tally.unfinished,
  };
}

export function statusCounts(counts: ReadonlyMap<number, number>): Record<string, number> {
  const statuses = new Set([...ALWAYS_STATUSES, ...counts.keys()]);
  const out: Record<string, number> = {};
  for (const status of [...statuses].sort((a, b) => a - b)) out[String(status)] = counts.get(status) ?? 0;
  return out;
}

export function latencyResults(latency: LatencyHistogram): Results["latency"] {
  return {
    meanMs: round3(latency.meanMs),
    p50Ms: round3(latency.percentileMs(50)),
    p90Ms: round3(latency.percentileMs(90)),
    p99Ms: round3(latency.percentileMs(99)),
    p999Ms: round3(latency.percentileMs(99.9)),
    maxMs: round3(latency.maxMs),
  };
}

/** Results.latencyDistribution: `latency` at each of DISTRIBUTION_PERCENTILES, in one pass. */
export function latencyDistribution(latency: LatencyHistogram): LatencyDistribution {
  return {
    percentiles: DISTRIBUTION_PERCENTILES,
    valuesMs: latency.percentilesMs(DISTRIBUTION_PERCENTILES).map(round3),
  };
}

/** Results.wait: the wait inside servers, behind busy workers, of the steady-state jobs a worker took. */
export function waitResults(wait: LatencyHistogram): Results["wait"] {
  return { meanMs: round3(wait.meanMs), p99Ms: round3(wait.percentileMs(99)) };
}

/** `{latencyLowerBound}` to spread into Results (or a backend's), or nothing when no request was left open. */
export function lowerBoundResults(
  bound: LatencyHistogram | null,
  unfinished: number,
): { latencyLowerBound?: LatencyLowerBound } {
  if (bound === null || unfinished === 0) return {};
  return { latencyLowerBound: { ...latencyResults(bound), unfinished } };
}

/** The fields of `Results.servers[]` that say where the server stands at the end of the run (HAProxy's stats row). */
/** A server's own figures (its share, end state and downtime come from the caller and serverEndResults). */
export function serverResults(
  server: Server,
  steadyMs: number,
  states: ReadonlyArray<{ atMs: number; state: string }>,
): Omit<ServerResults, keyof ServerEndResults> {
  return {
    name: server.name,
    requests: server.requests,
    share: 0,
    utilization: steadyMs > 0 ? round6(server.busyArea / (server.spec.slots * steadyMs)) : 0,
    maxInFlight: server.maxInFlight,
    maxQueued: server.queue.maxLength,
    waitMeanMs: server.waitedJobs === 0 ? 0 : round3(server.waitedMs / server.waitedJobs),
    states,
    attempts: server.attempts,
    picks: server.picks,
    retries: server.retries,
    redispatches: server.redispatches,
    connectErrors: server.connectErrors,
    responseErrors: server.responseErrors,
    serverErrors: server.serverErrors,
    checksFailed: server.checksFailed,
    downs: server.downs,
  };
}

export type ServerEndResults = Pick<
  ServerResults,
  "weight" | "weightAtEnd" | "backup" | "inFlightAtEnd" | "queuedAtEnd" | "lastCheck" | "downtimeMs"
>;

export function serverEndResults(
  server: Server,
  states: ReadonlyArray<StateChange>,
  endMs: number,
): ServerEndResults {
  return {
    weight: server.spec.weight,
    weightAtEnd: server.view.weight,
    backup: server.spec.backup,
    inFlightAtEnd: server.view.served,
    queuedAtEnd: server.view.queued,
    ...(server.lastCheck === null ? {} : { lastCheck: server.lastCheck }),
    downtimeMs: downtimeMs(states, endMs),
  };
}

/**
 * HAProxy's `downtime`: time spent stopped, that is in a `DOWN`, `DOWN n/m` or `MAINT` status, from
 * the status timeline; a span still open at `endMs` counts up to it.
 */
export function downtimeMs(states: ReadonlyArray<StateChange>, endMs: number): number {
  let totalMs = 0;
  states.forEach((change, i) => {
    if (!stopped(change.state)) return;
    const untilMs = i + 1 < states.length ? states[i + 1]!.atMs : endMs;
    totalMs += Math.max(0, untilMs - change.atMs);
  });
  return round3(totalMs);
}

function stopped(state: string): boolean {
  return state === "MAINT" || state === "DOWN" || state.startsWith("DOWN ");
}
