// Builds the model of a Scenario on its context, in a fixed order, and registers the events no
// single component owns (a job done, a bucket closed, the end of warm-up). Nothing runs yet.
import type { Scenario } from "../../scenarios/types.js";
import { windowsOf } from "../expectations.js";
import type { RunOptions } from "../run-types.js";
import { Balancer } from "./balancer.js";
import { HealthChecker } from "./checks.js";
import { Clients } from "./clients.js";
import { ModelContext } from "./context.js";
import { DecisionTracer } from "./decision-trace.js";
import { Frontends } from "./frontends.js";
import { Kind } from "./kinds.js";
import { Metrics } from "./metrics.js";
import { ServerNetwork } from "./network.js";
import { I } from "./requests.js";
import { Server, ServerDoubles } from "./server.js";
import { ServerStates } from "./server-states.js";
import { Service } from "./service.js";
import { Timeline } from "./timeline.js";
import { modelTopology } from "./topology.js";
import { WindowTallies } from "./windows.js";

/** The model, built and started at simulated time 0 (its first events scheduled, none run). */
export function buildModel(scenario: Scenario, options: RunOptions, recentCount = 0): ModelContext {
  const seed = options.seed ?? scenario.seed;
  const topology = modelTopology(scenario);
  const { backends, qualified, perInstance } = topology;
  let nextIndex = 0;
  // Instance by instance, as the backends are: instance 0's servers are the stations, which the
  // other instances' copies of the same server (same position) share.
  const perInstanceServers = backends
    .slice(0, perInstance)
    .reduce((n, backend) => n + backend.spec.servers.length, 0);
  const servers: Server[] = [];
  const doubles = new ServerDoubles(backends.reduce((n, backend) => n + backend.spec.servers.length, 0));
  backends.forEach((backend, b) => {
    const i = backend.instance;
    for (const spec of backend.spec.servers) {
      const station = i === 0 ? undefined : servers[nextIndex - i * perInstanceServers];
      servers.push(new Server(nextIndex++, spec, b, backend.spec.name, qualified, station, i, doubles));
    }
  });
  if (topology.instances > 1) for (const server of servers) server.shared = true;
  // The path to a server is the server's: every instance's copy draws its RTT and SYN losses from
  // the station's streams (one sequence, whichever instance connects).
  for (const server of servers)
    server.network =
      server.station === server
        ? new ServerNetwork(seed, server.name, server.spec.rtt)
        : server.station.network;
  const expectations = scenario.expectations;
  const spans = windowsOf(expectations, scenario.durationMs);
  const windows = spans.length === 0 ? null : new WindowTallies(spans, servers.length);
  const metrics = new Metrics(
    scenario.warmupMs,
    scenario.bucketMs,
    servers.length,
    perInstance,
    windows,
    recentCount,
    scenario.balancers?.count ?? 0,
    // As ModelContext's `several`: Results then have backends[] even for one backend.
    perInstance > 1 || topology.frontends.length > 1,
  );
  const ctx = new ModelContext({
    scenario,
    seed,
    topology,
    servers,
    expectations,
    windows,
    metrics,
    onRequest: options.onRequest,
    readTrace: options.readTrace,
  });
  if (options.onDecision !== undefined) ctx.tracer = new DecisionTracer(ctx, options.onDecision);
  const states = new ServerStates(ctx, options.resolveStrategy, options.strategy);
  ctx.states = states;
  ctx.service = new Service(ctx);
  ctx.frontends = new Frontends(ctx);
  for (let b = 0; b < backends.length; b++) ctx.balancers.push(new Balancer(ctx, b, states.groups[b]!));
  Balancer.wire(ctx.engine, ctx.requests, ctx.balancers);
  ctx.checker = new HealthChecker(ctx);
  registerModelEvents(ctx);
  // Clients before the timeline: its rate and spike events call into them (neither schedules anything here).
  ctx.clients = new Clients(ctx);
  ctx.timeline = new Timeline(ctx);

  states.start();
  const engine = ctx.engine;
  if (scenario.warmupMs > 0) engine.schedule(scenario.warmupMs, Kind.Warmup, 0);
  // Buckets ending before the run; the last one is closed after the run, after every event at its end.
  if (scenario.bucketMs < scenario.durationMs) engine.schedule(scenario.bucketMs, Kind.Bucket, 0);
  ctx.checker.start();
  ctx.clients.start();
  return ctx;
}

/** Each backend's queue length now, by backend index. */
export function queueLengths(ctx: ModelContext): number[] {
  return ctx.balancers.map((b) => b.backendQueue.length);
}

function registerModelEvents(ctx: ModelContext): void {
  const { engine, servers, requests, service, balancers, metrics, scenario } = ctx;
  engine.on(Kind.FifoDone, (slot) => {
    const server = servers[requests.ints[slot + I.server]!]!;
    service.finishFifo(server, slot);
    balancers[server.backend]!.jobDone(server, slot);
  });
  engine.on(Kind.PsDone, (index) => {
    const station = servers[index]!;
    const slot = service.finishPs(station);
    // With several instances, the job is the request's instance's: its copy of the server delivers it.
    const copy = servers[requests.ints[slot + I.server]!];
    const server = copy !== undefined && copy.station === station ? copy : station;
    balancers[server.backend]!.jobDone(server, slot);
  });
  engine.on(Kind.Bucket, () => {
    metrics.closeBucket(engine.nowMs, servers, queueLengths(ctx));
    const next = engine.nowMs + scenario.bucketMs;
    if (next < scenario.durationMs) engine.schedule(next, Kind.Bucket, 0);
  });
  engine.on(Kind.Warmup, () => {
    for (const server of servers) {
      server.accumulate(engine.nowMs);
      server.busyArea = 0;
    }
  });
}
