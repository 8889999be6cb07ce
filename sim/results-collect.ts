// Turns what a model measured into Results: closes its last bucket and counts what is still open at
// `endMs` (which changes the model: it is done once, when the model stops), then assembles Results.
import { checkExpectations } from "./expectations.js";
import { queueLengths } from "./model/build.js";
import type { ModelContext } from "./model/context.js";
import { offeredLoad } from "./offered-load.js";
import type { Results } from "./results.js";
import {
  backendResults,
  latencyDistribution,
  latencyResults,
  lowerBoundResults,
  serverEndResults,
  serverResults,
  statusCounts,
  waitResults,
} from "./results-build.js";
import { balancerResults, serversOverInstances } from "./results-instances.js";
import { round3, round6 } from "./rounding.js";

export interface CollectOptions {
  /** Where the run stopped: the scenario's duration, or earlier for a partial run. */
  readonly endMs: number;
  readonly partial: boolean;
  /** The `balance` Results name as the strategy (the override, or the scenario's own). */
  readonly strategy: string;
  readonly wallMs: number;
}

export function collectResults(ctx: ModelContext, options: CollectOptions): Results {
  const { scenario, servers, metrics, engine, windows, several } = ctx;
  const { frontends: frontendSpecs, perInstance } = ctx.topology;
  // With several balancer instances, instance 0's backends and servers stand for all of them.
  const manyInstances = ctx.topology.instances > 1;
  const backends = manyInstances ? ctx.topology.backends.slice(0, perInstance) : ctx.topology.backends;
  const stations = manyInstances ? servers.filter((s) => s.station === s) : servers;
  const { endMs, partial, strategy: balance } = options;
  const frontends = ctx.frontends;
  const service = ctx.service;
  const states = ctx.states.changes;
  // The last bucket ends with the run: closed here, after every event at endMs (a no-op when empty).
  metrics.closeBucket(endMs, servers, queueLengths(ctx));
  for (const server of servers) server.accumulate(endMs);

  const steadyMs = Math.max(0, endMs - scenario.warmupMs);
  metrics.countOpen(ctx.requests, endMs);
  const unfinished = metrics.unfinished;
  const load = offeredLoad({
    backends,
    servers: stations,
    instances: ctx.topology.instances,
    arrivals: metrics.arrivalsByBackend(),
    steadyMs,
    demandSumMs: service.demandSumMs,
    demandCount: service.demandCount,
    tracedDemands: service.tracedDemands,
  });
  const warnings = [...load.warnings, ...ctx.timeline.warnings];
  // A client's `timeout` is what makes a request one its client gave up on.
  const mayGiveUp = scenario.clients.some((c) => Number.isFinite(c.timeoutMs));
  const servedBy = new Float64Array(backends.length);
  for (const server of servers) servedBy[server.backend]! += server.requests;

  const results: Results = {
    scenario: scenario.name,
    seed: ctx.seed,
    strategy: balance,
    durationMs: scenario.durationMs,
    warmupMs: scenario.warmupMs,
    partial: partial ? true : undefined,
    endedAtMs: partial ? endMs : undefined,
    requests: {
      total: metrics.total,
      ok: metrics.ok,
      failed: metrics.failed,
      unfinished,
      warmup: metrics.warmup,
      byStatus: statusCounts(metrics.byStatus),
      byTermination: metrics.byTermination(),
      retried: metrics.retried,
      redispatched: metrics.redispatched,
      ...(mayGiveUp ? { gaveUpServed: metrics.gaveUpServed } : {}),
    },
    latency: latencyResults(metrics.latency),
    ...lowerBoundResults(metrics.latencyLowerBound, unfinished),
    latencyDistribution: latencyDistribution(metrics.latency),
    offeredLoad: load.load,
    queue: {
      meanMs: round3(metrics.queue.meanMs),
      p99Ms: round3(metrics.queue.percentileMs(99)),
      maxBackendQueue: metrics.maxBackendQueue,
    },
    wait: waitResults(metrics.serverWait),
    servers: manyInstances
      ? serversOverInstances(ctx, endMs, mayGiveUp, (s) => serverResults(s, steadyMs, states[s.index]!))
      : servers.map((server) => {
          const own = serverResults(server, steadyMs, states[server.index]!);
          const served = servedBy[server.backend]!;
          return {
            ...own,
            ...(several ? { backend: server.backendName } : {}),
            share: served === 0 ? 0 : round6(server.requests / served),
            ...serverEndResults(server, states[server.index]!, endMs),
            ...(mayGiveUp ? { gaveUpServed: server.gaveUpServed } : {}),
          };
        }),
    ...(several
      ? {
          frontends: frontendSpecs.map((f, index) => ({
            name: f.name,
            requests: frontends.arrived[index]!,
            maxConnections: manyInstances ? frontends.maxAllActive[index]! : frontends.maxActive[index]!,
            backlogged: frontends.backlogged[index]!,
          })),
          backends: backendResults(backends, ctx.states.groups, stations, metrics, mayGiveUp),
        }
      : {}),
    ...(ctx.scenario.balancers === undefined ? {} : { balancers: balancerResults(ctx) }),
    series: metrics.series(servers),
    checks: [],
    timeline: ctx.timeline.applied,
    ...(windows === null
      ? {}
      : {
          windows: windows.results(servers.map((s) => s.name)),
        }),
    warnings: warnings.length > 0 ? warnings : undefined,
    engine: {
      events: engine.events,
      wallMs: options.wallMs,
    },
  };
  return {
    ...results,
    checks: checkExpectations(ctx.expectations, new Map([[balance, results]]), results),
  };
}
