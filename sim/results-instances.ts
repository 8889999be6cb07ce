// Results of several balancer instances: every server's figures over all instances (Results.servers)
// and each instance's own (Results.balancers), from the copies each instance holds of each server.

import type { BackendTally } from "./model/backend-tally.js";
import type { ModelContext } from "./model/context.js";
import type { Server } from "./model/server.js";
import type { BalancerResults, ServerResults, StateChange } from "./results.js";
import {
  latencyResults,
  lowerBoundResults,
  serverEndResults,
  type serverResults,
  tallyRequests,
} from "./results-build.js";
import { round3, round6 } from "./rounding.js";

/** Steady-state requests each server copy finished, summed per backend of its instance (the shares' denominators). */
function servedByBackend(ctx: ModelContext): Float64Array {
  const served = new Float64Array(ctx.topology.backends.length);
  for (const server of ctx.servers) served[server.backend]! += server.requests;
  return served;
}

/**
 * `Results.servers` with several instances: one entry per server, its station's. Counts add up over
 * the instances; `maxInFlight`/`maxQueued` are the most connections (queued requests) of all
 * instances together at once; utilization and the wait are the server's own; `states`, `lastCheck`
 * and `downtimeMs` are instance 1's view (each instance's is in `Results.balancers`).
 */
export function serversOverInstances(
  ctx: ModelContext,
  endMs: number,
  mayGiveUp: boolean,
  own: (server: Server) => ReturnType<typeof serverResults>,
): ServerResults[] {
  const states = ctx.states.changes;
  const perInstance = ctx.topology.perInstance;
  const servedByReal = new Float64Array(perInstance);
  for (const server of ctx.servers)
    servedByReal[ctx.topology.backends[server.backend]!.real]! += server.requests;
  const stations = ctx.servers.filter((s) => s.station === s);
  return stations.map((station) => {
    const copies = station.replicas;
    const sum = (field: (s: Server) => number): number => copies.reduce((n, s) => n + field(s), 0);
    const requests = sum((s) => s.requests);
    const served = servedByReal[station.backend]!;
    const base = own(station);
    return {
      ...base,
      ...(ctx.several ? { backend: station.backendName } : {}),
      requests,
      share: served === 0 ? 0 : round6(requests / served),
      maxInFlight: station.maxAllServed,
      maxQueued: station.maxAllQueued,
      attempts: sum((s) => s.attempts),
      picks: sum((s) => s.picks),
      retries: sum((s) => s.retries),
      redispatches: sum((s) => s.redispatches),
      connectErrors: sum((s) => s.connectErrors),
      responseErrors: sum((s) => s.responseErrors),
      serverErrors: sum((s) => s.serverErrors),
      checksFailed: sum((s) => s.checksFailed),
      downs: sum((s) => s.downs),
      ...serverEndResults(station, states[station.index]!, endMs),
      inFlightAtEnd: sum((s) => s.view.served),
      queuedAtEnd: sum((s) => s.view.queued),
      ...(mayGiveUp ? { gaveUpServed: sum((s) => s.gaveUpServed) } : {}),
    };
  });
}

/** `Results.balancers`: each instance's requests, latency, queues, checks and view of each server. */
export function balancerResults(ctx: ModelContext): BalancerResults[] {
  const tallies = ctx.metrics.instances ?? [];
  const routed = tallies.reduce((n, t) => n + t.total, 0);
  const served = servedByBackend(ctx);
  const states = ctx.states.changes;
  return tallies.map((tally: BackendTally, i): BalancerResults => {
    const copies = ctx.servers.filter((s) => s.instance === i);
    return {
      index: i,
      name: `lb${i + 1}`,
      requests: tallyRequests(tally, routed),
      latency: latencyResults(tally.latency),
      ...lowerBoundResults(tally.latencyLowerBound, tally.unfinished),
      queue: {
        meanMs: round3(tally.queue.meanMs),
        p99Ms: round3(tally.queue.percentileMs(99)),
        maxBackendQueue: tally.maxQueue,
      },
      checks: copies.reduce((n, s) => n + s.checksRun, 0),
      servers: copies.map((s) => {
        const total = served[s.backend]!;
        const changes: ReadonlyArray<StateChange> = states[s.index]!;
        return {
          name: s.name,
          requests: s.requests,
          share: total === 0 ? 0 : round6(s.requests / total),
          maxInFlight: s.maxInFlight,
          maxQueued: s.queue.maxLength,
          checks: s.checksRun,
          checksFailed: s.checksFailed,
          downs: s.downs,
          connectErrors: s.connectErrors,
          responseErrors: s.responseErrors,
          serverErrors: s.serverErrors,
          states: changes,
        };
      }),
    };
  });
}
