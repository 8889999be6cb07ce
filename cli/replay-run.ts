// `lbsim replay`'s work for one backend: estimate demands and speeds from the log, then run the
// scenario once per strategy with the log's requests as arrivals (streamed again for each run).
import type { CompiledLogFormat, Scenario } from "../scenarios/index.js";
import {
  latencyResults,
  type Results,
  type RunOptions,
  round3,
  type TraceRow,
  type WindowResults,
} from "../sim/index.js";
import {
  estimateDemands,
  estimateSpeeds,
  noDemand,
  type ServerDemand,
  type SpeedEstimate,
} from "./replay-demand.js";
import { infersOutages, type Outage, OutageFinder } from "./replay-outages.js";
import { type BackendSurvey, type LateLine, type LogSurvey, orderedEntries } from "./replay-read.js";
import { type ReplayServer, replayScenario, type ServerFacts } from "./replay-scenario.js";

/** The log's own figures for one backend, in the Results shape where a Results field exists. */
export interface LoggedResults {
  readonly backend: string;
  readonly strategy: string;
  readonly durationMs: number;
  /** As a time window's (a log line is a finished request: nothing unfinished to count). */
  readonly requests: Omit<WindowResults["requests"], "unfinished">;
  readonly latency: Results["latency"];
  /** Tw (time in the balancer's queues) of the requests that left them, as a time window's queue. */
  readonly queue: WindowResults["queue"];
  readonly servers: ReadonlyArray<{
    readonly name: string;
    readonly requests: number;
    readonly share: number;
  }>;
}

export interface DemandReport {
  /** True when `--scenario` gave this backend's servers' workers; false: no wait inside servers. */
  readonly slotsGiven: boolean;
  readonly servers: ReadonlyArray<
    ServerDemand & { readonly slots?: number; readonly maxLoggedConnections?: number }
  >;
  readonly speeds: ReadonlyArray<SpeedEstimate & { readonly given: boolean }>;
  /** Mean demand at speed 1: what a request with no time at a server (refused, queued out) is given. */
  readonly meanDemandMs: number;
  /** Requests with no time at a server, replayed with `meanDemandMs`. */
  readonly withoutDemand: number;
  /** Mean TR + Tc of requests that reached a server: time the replay does not model. */
  readonly notReplayedMeanMs: number;
}

export interface BackendReplay {
  readonly backend: string;
  readonly logged: LoggedResults;
  readonly demand: DemandReport;
  /** One per strategy: the logged one first, then `--strategy` when it differs. */
  readonly runs: ReadonlyArray<{ readonly strategy: string; readonly results: Results }>;
  /** Log servers the cfg's backend does not have (their requests still replay). */
  readonly serversNotInCfg: ReadonlyArray<string>;
  /** Outages found in the log (replayed as MAINT unless `keepServersUp`); undefined when the balance chooses by key. */
  readonly outages?: ReadonlyArray<Outage>;
  /** True when the outages found were not replayed (`--keep-servers-up`). */
  readonly outagesKeptUp: boolean;
  readonly late: { readonly count: number; readonly shown: ReadonlyArray<LateLine> };
}

export interface ReplayInputs {
  readonly path: string;
  readonly shown: string;
  readonly format: CompiledLogFormat;
  readonly survey: LogSurvey;
  readonly run: (scenario: Scenario, options: RunOptions) => Results;
  readonly resolveStrategy: RunOptions["resolveStrategy"];
  readonly seed: number;
}

export function loggedResults(
  b: BackendSurvey,
  strategy: string,
  durationMs: number,
  servers: ReadonlyArray<string>,
): LoggedResults {
  const served = [...b.servers.values()].reduce((a, n) => a + n, 0);
  const statuses = [...b.byStatus.keys()].sort((x, y) => x - y);
  const terminations = [...b.byTermination.keys()].sort();
  return {
    backend: b.name,
    strategy,
    durationMs,
    requests: {
      total: b.requests,
      ok: b.ok,
      failed: b.failed,
      byStatus: Object.fromEntries(statuses.map((s) => [String(s), b.byStatus.get(s)!])),
      byTermination: Object.fromEntries(terminations.map((t) => [t, b.byTermination.get(t)!])),
      retried: b.retried,
      redispatched: b.redispatched,
    },
    latency: latencyResults(b.latency),
    queue: { meanMs: round3(b.queue.meanMs), p99Ms: round3(b.queue.percentileMs(99)) },
    servers: servers.map((name) => {
      const requests = b.servers.get(name) ?? 0;
      return { name, requests, share: served === 0 ? 0 : round3(requests / served) };
    }),
  };
}

/** Replays one backend: estimates, then one run per strategy. */
export function replayBackend(
  inputs: ReplayInputs,
  b: BackendSurvey,
  options: {
    readonly cfgBackend?: Record<string, unknown>;
    readonly facts?: ReadonlyMap<string, ServerFacts>;
    readonly strategies: ReadonlyArray<string>;
    /** Replay servers UP through the outages the log shows. */
    readonly keepServersUp?: boolean;
  },
): BackendReplay {
  const { survey, path, shown, format } = inputs;
  const facts = options.facts ?? new Map<string, ServerFacts>();
  const slots = new Map<string, number>();
  for (const [name, f] of facts) if (f.slots !== undefined) slots.set(name, f.slots);
  const cfgServers = ((options.cfgBackend?.servers as Array<{ name: unknown }> | undefined) ?? []).map((s) =>
    String(s.name),
  );

  // Pass 1 of this backend: each request's demand at its server, in arrival order.
  const stats = new Map<string, ServerDemand>();
  const late: LateLine[] = [];
  let lateCount = 0;
  const onLate = (l: LateLine) => {
    lateCount++;
    if (late.length < 5) late.push(l);
  };
  let withoutDemand = 0;
  const t0 = survey.firstAcceptMs;
  const served = [...b.servers.values()].reduce((a, n) => a + n, 0);
  const finder = new OutageFinder(new Map([...b.servers].map(([name, n]) => [name, n / served])));
  const ordered = orderedEntries(path, shown, format, survey.reorderBoundMs, b.name, onLate);
  // The log's servers in the order of their first request (where a roundrobin without cfg starts).
  const firstSeen = new Set<string>();
  for (const d of estimateDemands(ordered, slots, stats)) {
    if (d.demandMs < 0) withoutDemand++;
    finder.see(d.ordered.entry.server, d.ordered.arrivalMs - t0);
    if (d.ordered.entry.server !== "") firstSeen.add(d.ordered.entry.server);
  }
  const logServers = [...firstSeen];
  // The servers in the cfg's order, then those only the log names.
  const serversNotInCfg =
    options.cfgBackend === undefined ? [] : logServers.filter((s) => !cfgServers.includes(s));
  const servers = options.cfgBackend === undefined ? logServers : [...cfgServers, ...serversNotInCfg];
  const outages = infersOutages(options.strategies[0]!)
    ? silentServers(finder.finish(), options.cfgBackend, b)
    : undefined;
  const estimate = estimateSpeeds(servers, stats);
  const speeds = estimate.speeds.map((s) => {
    const given = facts.get(s.server)?.speed;
    return given === undefined ? { ...s, given: false } : { ...s, speed: given, given: true };
  });
  const speedOf = new Map(speeds.map((s) => [s.server, s.speed]));

  // Long enough for the slowest logged request to end after the last arrival, several times over.
  const durationMs = survey.lastAcceptMs - t0 + Math.max(10_000, 4 * survey.maxTaMs);
  const replayServers: ReplayServer[] = servers.map((name) => {
    const f = facts.get(name);
    return {
      name,
      speed: speedOf.get(name) ?? 1,
      ...(f?.slots === undefined ? {} : { slots: f.slots }),
      ...(f?.discipline === undefined ? {} : { discipline: f.discipline }),
    };
  });
  const scenario = replayScenario({
    name: `replay of ${shown}: ${b.name}`,
    backend: b.name,
    ...(options.cfgBackend === undefined ? {} : { cfgBackend: options.cfgBackend }),
    servers: replayServers.filter((s) => !serversNotInCfg.includes(s.name)),
    durationMs,
    events:
      options.keepServersUp === true
        ? []
        : outageEvents(outages ?? [], b.name, new Set(servers.filter((s) => !serversNotInCfg.includes(s)))),
  });
  const rows = (): Iterable<TraceRow> => ({
    *[Symbol.iterator]() {
      const ignore = () => {};
      for (const d of estimateDemands(
        orderedEntries(path, shown, format, survey.reorderBoundMs, b.name, ignore),
        slots,
        new Map(),
      )) {
        const e = d.ordered.entry;
        yield {
          atMs: d.ordered.arrivalMs - t0,
          sourceIp: e.clientIp,
          path: e.path,
          demandMs: d.demandMs < 0 ? estimate.meanDemandMs : d.demandMs * (speedOf.get(e.server) ?? 1),
        };
      }
    },
  });
  const runs = options.strategies.map((strategy) => ({
    strategy,
    results: inputs.run(scenario, {
      resolveStrategy: inputs.resolveStrategy,
      strategy,
      seed: inputs.seed,
      readTrace: rows,
      deterministic: true,
    }),
  }));
  return {
    backend: b.name,
    logged: loggedResults(b, options.strategies[0]!, survey.lastAcceptMs - t0, servers),
    demand: {
      slotsGiven: slots.size > 0,
      servers: servers.map((name) => {
        const s = stats.get(name) ?? noDemand(name);
        const maxLogged = b.maxServerConnections.get(name);
        return {
          ...s,
          ...(slots.has(name) ? { slots: slots.get(name)! } : {}),
          ...(maxLogged === undefined ? {} : { maxLoggedConnections: maxLogged }),
        };
      }),
      speeds,
      meanDemandMs: round3(estimate.meanDemandMs),
      withoutDemand,
      notReplayedMeanMs: b.notReplayedCount === 0 ? 0 : round3(b.notReplayedSumMs / b.notReplayedCount),
    },
    runs,
    serversNotInCfg,
    ...(outages === undefined ? {} : { outages }),
    outagesKeptUp: options.keepServersUp === true,
    late: { count: lateCount, shown: late },
  };
}

/**
 * The cfg's active servers that got no request at all, when the backend served enough that each
 * should have had some: out (DOWN, MAINT, disabled) for the whole log.
 */
function silentServers(
  found: Outage[],
  cfgBackend: Record<string, unknown> | undefined,
  b: BackendSurvey,
): Outage[] {
  const listed = (cfgBackend?.servers as Array<Record<string, unknown>> | undefined) ?? [];
  const active = listed.filter((s) => s.backup !== true);
  const silent = active
    .map((s) => String(s.name))
    .filter((name) => !b.servers.has(name) && b.requests >= 14 * active.length);
  return [...silent.map((server) => ({ server, fromMs: 0, requestsElsewhere: b.requests })), ...found];
}

/** Each outage as runtime commands: MAINT from its start, ready again at its end. */
function outageEvents(
  outages: ReadonlyArray<Outage>,
  backend: string,
  known: ReadonlySet<string>,
): Array<Record<string, unknown>> {
  return outages
    .filter((o) => known.has(o.server))
    .flatMap((o) => [
      { at: Math.max(0, o.fromMs), runtime: `set server ${backend}/${o.server} state maint` },
      ...(o.toMs === undefined || o.toMs <= o.fromMs
        ? []
        : [{ at: o.toMs, runtime: `set server ${backend}/${o.server} state ready` }]),
    ]);
}
