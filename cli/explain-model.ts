// `lbsim explain`: short model runs of one imported backend under synthetic clients — no fault (the
// shares the model gives), a crash and a hang of one server (DOWN/UP times, what clients see).

import type { CfgImport, Scenario } from "../scenarios/index.js";
import { parseScenario } from "../scenarios/index.js";
import { type RequestRecord, type Results, run } from "../sim/index.js";
import { resolveStrategy } from "../strategies/index.js";
import { type CheckTiming, checkTiming } from "./explain-checks.js";
import { feedingFrontends } from "./explain-limits.js";

/** The synthetic traffic every run of `lbsim explain` uses (the flags, and what they default to). */
export interface Traffic {
  readonly ratePerSecond: number;
  /** The service time as the scenario writes it (`{exponential: 20ms}`). */
  readonly service: unknown;
  readonly serviceText: string;
  readonly serviceMeanMs: number;
  readonly seed: number;
}

/** Distinct client addresses and paths of the synthetic clients (balance source / uri see them). */
export const CLIENT_POPULATION = 10_000;
/** The no-fault run's length: enough requests for shares to ±2% at 100/s. */
const BASELINE_MS = 20_000;
/** Margin after a formula's worst case, so the model's transition always falls inside the run. */
const MARGIN_MS = 2_000;
/** Where in a check interval the fault falls (a fraction of inter). */
const PHASE = 0.37;
/** Longest wait for requests stuck on a hung server (`timeout server`) the run covers. */
const MAX_HANG_WAIT_MS = 120_000;

/** Workers per server: enough that the servers are at most half busy at the rate (said in the output). */
export function slotsFor(traffic: Traffic, activeServers: number): number {
  const busy = (traffic.ratePerSecond * traffic.serviceMeanMs) / 1000 / Math.max(1, activeServers);
  return Math.max(1, Math.ceil(2 * busy));
}

function backendValueOf(imported: CfgImport, index: number): Record<string, unknown> {
  const { backend, backends } = imported.value;
  return (backends === undefined ? backend : backends[index]) as Record<string, unknown>;
}

/** The backend alone, its servers with `slots` workers, under Poisson clients at the rate. */
export function backendScenario(
  imported: CfgImport,
  index: number,
  traffic: Traffic,
  options: { readonly durationMs: number; readonly events: ReadonlyArray<Record<string, unknown>> },
): Scenario {
  const value = backendValueOf(imported, index);
  const servers = (value.servers as ReadonlyArray<Record<string, unknown>>) ?? [];
  const actives = servers.filter((s) => s.backup !== true).length;
  const slots = slotsFor(traffic, actives);
  const scenario = {
    name: `explain-${String(value.name)}`,
    seed: traffic.seed,
    duration: options.durationMs,
    warmup: 0,
    ...frontendFor(imported, String(value.name)),
    backend: { ...value, service: traffic.service, servers: servers.map((s) => ({ ...s, slots })) },
    clients: [
      {
        name: "synthetic",
        arrivals: { poisson: traffic.ratePerSecond },
        sources: { count: CLIENT_POPULATION },
        paths: { count: CLIENT_POPULATION },
      },
    ],
    events: options.events,
  };
  return parseScenario(JSON.stringify(scenario), `${imported.file} (backend ${String(value.name)})`);
}

/**
 * The first frontend that sends requests to the backend, its limits kept (`maxconn`, `timeout
 * client`) and its routing dropped: in the run it sends everything to this one backend.
 */
function frontendFor(imported: CfgImport, backend: string): { frontend?: Record<string, unknown> } {
  const feeding = feedingFrontends(imported, backend)[0];
  if (feeding === undefined) return {};
  const { acl: _acl, use_backend: _use, default_backend: _default, ...limits } = feeding;
  return { frontend: limits };
}

function runScenario(scenario: Scenario, onRequest?: (record: RequestRecord) => void): Results {
  return run(scenario, {
    resolveStrategy: (balance) => {
      const factory = resolveStrategy(balance);
      if (factory === undefined) throw new Error(`no strategy "${balance}"`);
      return factory;
    },
    deterministic: true,
    ...(onRequest === undefined ? {} : { onRequest }),
  });
}

export interface ModelShares {
  readonly durationMs: number;
  readonly requests: number;
  readonly servers: ReadonlyArray<{ readonly name: string; readonly share: number }>;
}

/** The shares of a run without faults (model). */
export function modelShares(imported: CfgImport, index: number, traffic: Traffic): ModelShares {
  const results = runScenario(
    backendScenario(imported, index, traffic, { durationMs: BASELINE_MS, events: [] }),
  );
  return {
    durationMs: BASELINE_MS,
    requests: results.requests.total,
    servers: results.servers.map((s) => ({ name: s.name, share: s.share })),
  };
}

export type FaultKind = "crash" | "hang";

export interface FailoverRun {
  readonly fault: FaultKind;
  readonly server: string;
  readonly faultAtMs: number;
  readonly restoreAtMs: number;
  readonly durationMs: number;
  /** When the model marked it DOWN, after the fault (ms); null: never within the run. */
  readonly downAfterMs: number | null;
  /** When the model marked it UP again, after the restore (ms); null: never within the run. */
  readonly upAfterRestoreMs: number | null;
  /** Requests that arrived between the fault and DOWN (or the restore, when never DOWN). */
  readonly window: {
    readonly lengthMs: number;
    readonly requests: number;
    readonly errors: number;
    readonly errorsPerSecond: number;
    /** Failed requests by status and HAProxy termination state (`503 SC--`). */
    readonly byStatus: Readonly<Record<string, number>>;
    /** Requests saved by a redispatch (`+` in the log). */
    readonly redispatched: number;
    /** Requests retried on the same server (no redispatch). */
    readonly retried: number;
    /** The longest a successful request of the window took. */
    readonly slowestOkMs: number;
  };
  /** Failures of the whole run (before the fault: none expected, after DOWN: stragglers). */
  readonly errorsInRun: number;
  /** Requests still unanswered at the end of the run (hung, with a long or no `timeout server`). */
  readonly unfinished: number;
}

function firstState(results: Results, server: string, state: string, fromMs: number): number | null {
  const states = results.servers.find((s) => s.name === server)?.states ?? [];
  const change = states.find((c) => c.atMs >= fromMs && c.state === state);
  return change === undefined ? null : change.atMs - fromMs;
}

/**
 * One server crashed (or hung) at `faultAtMs`, restored once the formulas' worst case for DOWN has
 * passed; the run goes on past the worst case for UP and, after a hang, past `timeout server`.
 */
export function failoverRun(
  imported: CfgImport,
  index: number,
  traffic: Traffic,
  fault: FaultKind,
  server: string,
  backend: Scenario["backend"],
): FailoverRun {
  const spec = backend.servers.find((s) => s.name === server)!;
  const timing: CheckTiming = checkTiming(spec);
  const longestInter = Math.max(0, ...backend.servers.map((s) => s.check?.interMs ?? 0));
  // Off the checks' start-up grid (multiples of inter/N): the fault falls inside an interval, as
  // a real one does, not on a check's start.
  const faultAtMs = Math.max(5_000, 2 * longestInter) + Math.round(PHASE * (spec.check?.interMs ?? 1000));
  const toDown = fault === "crash" ? timing.crashToDown : timing.hangToDown;
  // A request that met the crash just before DOWN keeps retrying the dead server (§4.4), one
  // turn-around per retry: the restore waits for it, so it ends as HAProxy would end it.
  const retryMs = backend.retries * Math.min(backend.timeout.connectMs, 1000);
  const restoreAtMs = faultAtMs + (toDown?.maxMs ?? 10_000) + (fault === "crash" ? retryMs : 0) + MARGIN_MS;
  const toUp = fault === "crash" ? timing.restoreToUp : timing.restoreAfterHangToUp;
  const tailMs = fault === "hang" ? Math.min(backend.timeout.serverMs, MAX_HANG_WAIT_MS) : retryMs;
  const durationMs = restoreAtMs + (toUp?.maxMs ?? 0) + tailMs + MARGIN_MS;
  const events = [
    { at: faultAtMs, [fault]: server },
    { at: restoreAtMs, restore: server },
  ];
  const records: RequestRecord[] = [];
  const results = runScenario(backendScenario(imported, index, traffic, { durationMs, events }), (record) => {
    if (record.atMs >= faultAtMs && record.atMs < restoreAtMs) records.push(record);
  });
  const downAfterMs = firstState(results, server, "DOWN", faultAtMs);
  const upAfterRestoreMs = firstState(results, server, "UP", restoreAtMs);
  const windowEndMs = downAfterMs === null ? restoreAtMs : faultAtMs + downAfterMs;
  const inWindow = records.filter((r) => r.atMs < windowEndMs);
  const failed = inWindow.filter(isError);
  const byStatus: Record<string, number> = {};
  for (const r of failed) {
    const key = `${r.status} ${r.termination}`;
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const lengthMs = windowEndMs - faultAtMs;
  const ok = inWindow.filter((r) => !isError(r));
  return {
    fault,
    server,
    faultAtMs,
    restoreAtMs,
    durationMs,
    downAfterMs,
    upAfterRestoreMs,
    window: {
      lengthMs,
      requests: inWindow.length,
      errors: failed.length,
      errorsPerSecond: lengthMs === 0 ? 0 : (failed.length * 1000) / lengthMs,
      byStatus: Object.fromEntries(Object.entries(byStatus).sort(([a], [b]) => a.localeCompare(b))),
      redispatched: inWindow.filter((r) => r.redispatched).length,
      retried: inWindow.filter((r) => r.retries > 0 && !r.redispatched).length,
      slowestOkMs: ok.reduce((a, r) => Math.max(a, r.totalMs), 0),
    },
    errorsInRun: results.requests.failed,
    unfinished: results.requests.unfinished ?? 0,
  };
}

/** A failure as Results counts it: anything but 1xx–3xx (HAProxy's own 5xx or the server's), or no answer. */
function isError(record: RequestRecord): boolean {
  return !(record.status >= 100 && record.status < 400);
}
