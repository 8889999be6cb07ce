// run: builds the model of a Scenario on an Engine, runs it, and turns what it measured into Results.
import type { Scenario } from "../scenarios/types.js";
import {
  isFull,
  type ServerView,
  type Strategy,
  type StrategyContext,
  type StrategyFactory,
} from "../strategies/types.js";
import { compileDistribution } from "./distributions.js";
import { Engine } from "./engine.js";
import { checkExpectations, type Expectation, parseExpectation, windowsOf } from "./expectations.js";
import { Balancer } from "./model/balancer.js";
import { HealthChecker } from "./model/checks.js";
import { Clients } from "./model/clients.js";
import { Frontends } from "./model/frontends.js";
import { Kind } from "./model/kinds.js";
import { Metrics, round3, round6 } from "./model/metrics.js";
import { RequestCursor } from "./model/request-cursor.js";
import { RequestTable } from "./model/requests.js";
import { Server, WEIGHT_SCALE } from "./model/server.js";
import { Service } from "./model/service.js";
import { Timeline } from "./model/timeline.js";
import { modelTopology } from "./model/topology.js";
import { WindowTallies } from "./model/windows.js";
import { offeredLoad } from "./offered-load.js";
import { ownStrategy } from "./own-strategy.js";
import { createStream, DemandRandom } from "./random.js";
import type { Results, StateChange } from "./results.js";
import {
  backendResults,
  latencyDistribution,
  latencyResults,
  lowerBoundResults,
  serverEndResults,
  statusCounts,
  waitResults,
} from "./results-build.js";
import type { RunOptions } from "./run-types.js";

/** Simulated time between two looks at `shouldStop` / `onProgress`. */
const SLICE_MS = 1000;

export function run(scenario: Scenario, options: RunOptions): Results {
  const startedAt = performance.now();
  const seed = options.seed ?? scenario.seed;
  const balance = options.strategy ?? ownStrategy(scenario);
  const engine = new Engine();
  const requests = new RequestTable();
  const cursor = new RequestCursor(requests);
  const topology = modelTopology(scenario);
  const { backends, frontends: frontendSpecs, qualified } = topology;
  /** Several frontends or backends: Results say per frontend and backend, servers say their backend. */
  const several = backends.length > 1 || frontendSpecs.length > 1;
  let nextIndex = 0;
  const servers = backends.flatMap((backend, b) =>
    backend.spec.servers.map((spec) => new Server(nextIndex++, spec, b, backend.spec.name, qualified)),
  );
  const expectations = parseExpectations(scenario.expect);
  const spans = windowsOf(expectations, scenario.durationMs);
  const windows = spans.length === 0 ? null : new WindowTallies(spans, servers.length);
  const metrics = new Metrics(scenario.warmupMs, scenario.bucketMs, servers.length, backends.length, windows);
  const states: StateChange[][] = servers.map(() => []);

  const factories = new Map<string, StrategyFactory>();
  const groups = backends.map((backend, b): { active: Strategy; backup: Strategy; balance: string } => {
    const own = servers.filter((s) => s.backend === b);
    const backups = own.filter((s) => s.spec.backup).map((s) => s.view);
    if (backend.unrouted)
      return { active: firstUsableBackup([], false), backup: firstUsableBackup([], false), balance: "" };
    const spec = backend.spec;
    const chosen = options.strategy ?? spec.balance;
    let factory = factories.get(chosen);
    if (factory === undefined) {
      factory = options.resolveStrategy(chosen);
      factories.set(chosen, factory);
    }
    const { hashType, hashFunction, hashAvalanche } = spec;
    // One backend keeps the stream names it always had, so its results do not change.
    const prefix = qualified ? `strategy:${spec.name}:` : "strategy:";
    const context = (group: string): StrategyContext => ({
      hashType,
      ...(hashFunction === undefined ? {} : { hashFunction }),
      ...(hashAvalanche === undefined ? {} : { hashAvalanche }),
      random: createStream(seed, `${prefix}${group}`).next,
    });
    const active = factory(
      own.filter((s) => !s.spec.backup).map((s) => s.view),
      context("active"),
    );
    return {
      active,
      // The backend's algorithm decides whether a new request joins a non-empty backend queue,
      // whichever group picks (HAProxy's assign_server tests the backend's `balance`; measured).
      backup: spec.allbackups
        ? factory(backups, context("backup"))
        : firstUsableBackup(backups, active.queueWhenBacklogged),
      balance: chosen,
    };
  });
  const groupOf = (server: Server): Strategy => {
    const group = groups[server.backend]!;
    return server.spec.backup ? group.backup : group.active;
  };

  const samplers = servers.map((s) => (s.spec.service === null ? null : compileDistribution(s.spec.service)));
  const service = new Service(
    engine,
    requests,
    samplers,
    new DemandRandom(),
    Kind.FifoDone,
    Kind.PsDone,
    metrics,
  );
  const errorStreams = servers.map((s) => createStream(seed, `server:${s.name}:errors`));
  const frontends = new Frontends(
    requests,
    cursor,
    frontendSpecs.map((f, index) => ({ name: f.name, maxconn: f.maxconn, route: topology.routes[index]! })),
    scenario.warmupMs,
    scenario.globalMaxconn ?? 0,
  );
  const balancers = backends.map(
    (backend, b) =>
      new Balancer(
        engine,
        requests,
        servers,
        groups[b]!,
        service,
        metrics,
        backend.spec,
        b,
        frontends,
        errorStreams,
        cursor,
      ),
  );
  frontends.balancers = balancers;
  frontends.onRequest = options.onRequest;
  Balancer.wire(engine, requests, balancers);
  const checker = new HealthChecker(
    engine,
    servers,
    servers.map((s) => createStream(seed, `server:${s.name}:checks`)),
  );
  for (const server of servers)
    checker.setConnectTimeout(backends[server.backend]!.spec.timeout.connectMs, server);

  let started = false;
  /** Running as far as health and MAINT go (HAProxy's operational state, drain and weight aside). */
  const running = servers.map(() => false);
  /** Re-derives usability, effective weight and status after any state change (§4.2, §5). */
  const refresh = (server: Server): void => {
    const nowUsable = server.shouldBeUsable;
    const view = server.view;
    const balancer = balancers[server.backend]!;
    // Slowstart follows a return from DOWN or MAINT only, not the end of a drain or weight 0 (§1).
    const nowRunning = !server.maint && server.healthUp;
    if (nowRunning && !running[server.index]! && started) checker.startSlowstart(server);
    running[server.index] = nowRunning;
    // Static algorithms take no slowstart ramp: their map holds whole weights (§1 table).
    const dynamic = groupOf(server).dynamic !== false;
    const ratio = dynamic ? checker.rampRatio(server) : 1;
    const steps = dynamic ? checker.rampSteps(server) : WEIGHT_SCALE;
    const effective = nowUsable ? Math.max(1, view.weight * steps) : 0;
    const maxconn = server.spec.maxconn === 0 ? 0 : Math.max(1, Math.ceil(server.spec.maxconn * ratio));
    const moreRoom = maxconn > view.maxconn;
    view.maxconn = maxconn;
    if (nowUsable !== server.usable) {
      view.effectiveWeight = effective;
      balancer.usabilityChanged(server, nowUsable);
    } else if (nowUsable && effective !== view.effectiveWeight) {
      view.effectiveWeight = effective;
      balancer.weightChanged(server);
    } else if (moreRoom) {
      // The slowstart ramp raised the dynamic maxconn: take queued requests (HAProxy's warmup task).
      balancer.serverFreed(server);
    }
    const status = server.computeStatus();
    if (status !== server.status) {
      server.status = status;
      states[server.index]!.push({ atMs: round3(engine.nowMs), state: status });
    }
  };
  checker.onStateChange = refresh;
  checker.onCheckFailed = (server) => metrics.checkFailed(server.index, engine.nowMs);
  for (const balancer of balancers) balancer.onObserve = (server, error) => checker.observe(server, error);

  engine.on(Kind.FifoDone, (slot) => {
    const server = servers[requests.server[slot]!]!;
    service.finishFifo(server, slot);
    balancers[server.backend]!.jobDone(server, slot);
  });
  engine.on(Kind.PsDone, (index) => {
    const server = servers[index]!;
    const slot = service.finishPs(server);
    balancers[server.backend]!.jobDone(server, slot);
  });
  const queueLengths = (): number[] => balancers.map((b) => b.backendQueue.length);
  engine.on(Kind.Bucket, () => {
    metrics.closeBucket(engine.nowMs, servers, queueLengths());
    const next = engine.nowMs + scenario.bucketMs;
    if (next < scenario.durationMs) engine.schedule(next, Kind.Bucket, 0);
  });
  engine.on(Kind.Warmup, () => {
    for (const server of servers) {
      server.accumulate(engine.nowMs);
      server.busyArea = 0;
    }
  });

  // Clients first: the timeline's rate and spike events call into them (neither schedules anything here).
  const clients = new Clients(
    scenario,
    seed,
    engine,
    requests,
    frontends,
    metrics,
    cursor,
    options.readTrace,
  );
  const timeline = new Timeline(
    engine,
    scenario.events,
    servers,
    balancers,
    service,
    checker,
    refresh,
    (server) => groupOf(server).dynamic !== false,
    clients,
  );

  for (const server of servers) refresh(server);
  started = true;
  if (scenario.warmupMs > 0) engine.schedule(scenario.warmupMs, Kind.Warmup, 0);
  // Buckets ending before the run; the last one is closed after the run, after every event at its end.
  if (scenario.bucketMs < scenario.durationMs) engine.schedule(scenario.bucketMs, Kind.Bucket, 0);
  checker.start();
  clients.start();

  let partial = false;
  let endMs = 0;
  // A slice per bucket at least: a sparse run of 2·10^9 s would otherwise spend minutes in 2·10^9 slices.
  const sliceMs = Math.max(SLICE_MS, scenario.bucketMs);
  while (endMs < scenario.durationMs) {
    endMs = Math.min(scenario.durationMs, endMs + sliceMs);
    engine.runUntil(endMs);
    options.onProgress?.(endMs);
    if (endMs < scenario.durationMs && options.shouldStop?.() === true) {
      partial = true;
      break;
    }
  }
  // The last bucket ends with the run: closed here, after every event at endMs (a no-op when empty).
  metrics.closeBucket(endMs, servers, queueLengths());
  for (const server of servers) server.accumulate(endMs);

  const steadyMs = Math.max(0, endMs - scenario.warmupMs);
  metrics.countOpen(requests, endMs);
  const unfinished = metrics.unfinished;
  const load = offeredLoad({
    backends,
    servers,
    arrivals: metrics.arrivalsByBackend(),
    steadyMs,
    demandSumMs: service.demandSumMs,
    demandCount: service.demandCount,
    tracedDemands: service.tracedDemands,
  });
  const warnings = [...load.warnings, ...timeline.warnings];
  const servedBy = new Float64Array(backends.length);
  for (const server of servers) servedBy[server.backend]! += server.requests;

  const results: Results = {
    scenario: scenario.name,
    seed,
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
    servers: servers.map((server) => {
      const own = metrics.serverResults(server, steadyMs, states[server.index]!);
      const served = servedBy[server.backend]!;
      return {
        ...own,
        ...(several ? { backend: server.backendName } : {}),
        share: served === 0 ? 0 : round6(server.requests / served),
        ...serverEndResults(server, states[server.index]!, endMs),
      };
    }),
    ...(several
      ? {
          frontends: frontendSpecs.map((f, index) => ({
            name: f.name,
            requests: frontends.arrived[index]!,
            maxConnections: frontends.maxActive[index]!,
            backlogged: frontends.backlogged[index]!,
          })),
          backends: backendResults(backends, groups, servers, metrics),
        }
      : {}),
    series: metrics.series(servers),
    checks: [],
    timeline: timeline.applied,
    ...(windows === null
      ? {}
      : {
          windows: windows.results(servers.map((s) => s.name)),
        }),
    warnings: warnings.length > 0 ? warnings : undefined,
    engine: {
      events: engine.events,
      wallMs: options.deterministic === true ? 0 : Math.round(performance.now() - startedAt),
    },
  };
  return { ...results, checks: checkExpectations(expectations, new Map([[balance, results]]), results) };
}

/** The scenario's expectations, validated when it was loaded: a line that does not parse is a bug. */
function parseExpectations(lines: ReadonlyArray<string>): Expectation[] {
  return lines.map((text) => {
    const parsed = parseExpectation(text);
    if ("error" in parsed) throw new Error(`expectation "${text}" was not validated: ${parsed.error}`);
    return parsed;
  });
}

/**
 * Without `option allbackups`, the first usable backup in declaration order takes everything
 * (§3.12); `queueWhenBacklogged` is the backend's algorithm's.
 */
function firstUsableBackup(backups: ReadonlyArray<ServerView>, queueWhenBacklogged: boolean): Strategy {
  const usable = new Set<number>();
  return {
    name: "first-backup",
    queueWhenBacklogged,
    ignoresFullness: false,
    serverUp: (s) => void usable.add(s.index),
    serverDown: (s) => void usable.delete(s.index),
    weightChanged: () => {},
    taken: () => {},
    released: () => {},
    // HAProxy's `fbck` is returned even to a redispatch that avoids it (fwrr/fwlc `goto out`).
    pick: () => {
      for (const s of backups) if (usable.has(s.index)) return isFull(s) ? undefined : s;
      return undefined;
    },
  };
}
