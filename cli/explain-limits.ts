// `lbsim explain`: a backend's queue and timeout limits — the most requests in flight, and what
// HAProxy does above them (haproxy-semantics.md §1 "Queueing", §2).

import { type BackendSpec, type CfgImport, tryParseDuration } from "../scenarios/index.js";

export interface FrontendLimit {
  readonly name: string;
  /** The frontend's `maxconn` (or `global maxconn`); null when neither is set. */
  readonly maxconn: number | null;
  readonly clientTimeoutMs: number | null;
}

export interface LimitsExplained {
  readonly servers: ReadonlyArray<{
    readonly name: string;
    readonly maxconn: number;
    readonly maxqueue: number;
  }>;
  /** Σ maxconn of the active servers: the most requests at the servers at once; null when one has none (unlimited). */
  readonly sumMaxconn: number | null;
  /** Σ maxqueue of the active servers; null when one is unlimited (0), as the backend queue always is. */
  readonly sumMaxqueue: number | null;
  /** The frontends that send requests here, with their limits. */
  readonly frontends: ReadonlyArray<FrontendLimit>;
  readonly globalMaxconn: number | null;
  readonly timeouts: {
    readonly connectMs: number | null;
    readonly serverMs: number | null;
    readonly queueMs: number | null;
    /** True when `timeout queue` is unset and `timeout connect` stands in for it (§1). */
    readonly queueFromConnect: boolean;
  };
  /** Σ maxconn / the mean service time: the most requests per second the servers can finish (null: unlimited). */
  readonly throughputPerSecond: number | null;
  /** What happens above each limit, in words. */
  readonly above: ReadonlyArray<string>;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** The frontends whose requests reach `backend` (its default_backend, a use_backend, or the only one). */
/** The imported frontends (scenario values) whose requests reach `backend`. */
export function feedingFrontends(imported: CfgImport, backend: string): Array<Record<string, unknown>> {
  const { frontend, frontends, backends } = imported.value;
  const all = (frontends ?? (frontend === undefined ? [] : [frontend])) as ReadonlyArray<
    Record<string, unknown>
  >;
  // One backend: every frontend sends it everything (the import names no default_backend then).
  if (backends === undefined) return [...all];
  return all.filter((f) => {
    const uses = (f.use_backend as ReadonlyArray<string> | undefined) ?? [];
    return f.default_backend === backend || uses.some((u) => u.split(/\s+/)[0] === backend);
  });
}

export function frontendsOf(imported: CfgImport, backend: string): FrontendLimit[] {
  return feedingFrontends(imported, backend).map((f) => ({
    name: String(f.name ?? ""),
    maxconn: typeof f.maxconn === "number" && f.maxconn > 0 ? f.maxconn : null,
    clientTimeoutMs: clientTimeout(f.timeout),
  }));
}

export function explainLimits(
  imported: CfgImport,
  backend: BackendSpec,
  queueSetInCfg: boolean,
  serviceMeanMs: number,
): LimitsExplained {
  const actives = backend.servers.filter((s) => !s.backup && !s.disabled);
  const limited = actives.length > 0 && actives.every((s) => s.maxconn > 0);
  const sumMaxconn = limited ? actives.reduce((a, s) => a + s.maxconn, 0) : null;
  const sumMaxqueue =
    actives.length > 0 && actives.every((s) => s.maxqueue > 0)
      ? actives.reduce((a, s) => a + s.maxqueue, 0)
      : null;
  const { connectMs, serverMs, queueMs } = backend.timeout;
  const frontends = frontendsOf(imported, backend.name);
  const globalMaxconn = imported.value.global?.maxconn ?? null;
  const queue = queueSetInCfg
    ? `timeout queue (${text(queueMs)})`
    : `timeout queue, unset: timeout connect (${text(queueMs)})`;
  const above = [
    sumMaxconn === null
      ? "not every active server has a maxconn: HAProxy passes every request on to the servers at once, and their own capacity is the limit (the model's slots)"
      : `above Σ maxconn = ${sumMaxconn} requests at the servers, a request waits: in the backend queue (roundrobin, leastconn… when every server is full), or in its server's own queue (a hash, or maxqueue); it gets 503 sQ-- once it waited ${queue}`,
    actives.some((s) => s.maxconn > 0 && s.maxqueue > 0)
      ? `a server's own queue holds maxqueue requests; beyond it: 503 SQ--, or another server with option redispatch${backend.redispatch === null ? " (not set here)" : ""}`
      : "no maxqueue: a server's own queue is unbounded, kept short only by the queue timeout",
    `connect: ${text(connectMs)} to connect (then a retry, ${backend.retries} at most); server: ${text(serverMs)} for the response headers (then 504 sH--, never retried)`,
  ];
  return {
    servers: actives.map((s) => ({ name: s.name, maxconn: s.maxconn, maxqueue: s.maxqueue })),
    sumMaxconn,
    sumMaxqueue,
    frontends,
    globalMaxconn,
    timeouts: {
      connectMs: finite(connectMs),
      serverMs: finite(serverMs),
      queueMs: finite(queueMs),
      queueFromConnect: !queueSetInCfg,
    },
    throughputPerSecond:
      sumMaxconn === null || serviceMeanMs <= 0 ? null : (sumMaxconn * 1000) / serviceMeanMs,
    above,
  };
}

function text(valueMs: number): string {
  if (!Number.isFinite(valueMs)) return "infinite (unset)";
  return valueMs >= 1000 ? `${valueMs / 1000}s` : `${valueMs}ms`;
}

function clientTimeout(timeout: unknown): number | null {
  const client = (timeout as { client?: unknown } | undefined)?.client;
  if (client === undefined) return null;
  const parsed = tryParseDuration(client);
  return parsed.ok ? parsed.value : null;
}
