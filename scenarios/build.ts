// Raw (validated) scenario → the typed Scenario: HAProxy's defaults filled in, durations in ms.

import { parseAcl, parseUseBackend } from "./acl.js";
import { autoBucketMs, checkBucket } from "./buckets.js";
import type { CrossFacts } from "./cross.js";
import { expandEvents } from "./macros.js";
import { nest, type Path, type Problem } from "./problem.js";
import type { RawArrivals, RawCheck, RawScenario, RawServer } from "./schema.js";
import { serverNaming } from "./topology.js";
import type {
  AclMatch,
  Arrivals,
  BackendSpec,
  CheckParams,
  ClientSpec,
  Distribution,
  FrontendSpec,
  ObserveParams,
  Population,
  Scenario,
  ServerSpec,
  UseBackendRule,
} from "./types.js";

type RawBackend = NonNullable<RawScenario["backend"]>;
type RawClient = RawScenario["clients"][number];

/** HAProxy: a timeout of 0 is no timeout (TICK_ETERNITY), as is an unset one (haproxy-semantics.md §1). */
const timeout = (ms: number | undefined): number =>
  ms === undefined || ms === 0 ? Number.POSITIVE_INFINITY : ms;

/**
 * `max-backoff` when not given: 10 × `backoff`, about three doublings, so that a client backs off
 * from a failing service without waiting minutes between attempts.
 */
const MAX_BACKOFF_FACTOR = 10;

export function buildScenario(
  raw: RawScenario,
  facts: CrossFacts,
  file: string,
  problems: Problem[],
): Scenario {
  const durationMs = raw.duration;
  const seed = raw.seed ?? 1;
  const rawBackends: ReadonlyArray<RawBackend> =
    raw.backends ?? (raw.backend === undefined ? [] : [raw.backend]);
  const backends = rawBackends.map((backend, index) => buildBackend(backend, facts.serverIds[index] ?? []));
  const naming = serverNaming(backends.map((b) => ({ name: b.name, servers: b.servers.map((s) => s.name) })));
  const frontends = buildFrontends(raw, backends, problems);
  const frontend = frontends[0]!;
  const serverCount = backends.reduce((n, b) => n + b.servers.length, 0);
  if (raw.bucket !== undefined) {
    const tooMany = checkBucket(raw.bucket, durationMs);
    if (tooMany !== undefined) problems.push(tooMany);
  }
  return {
    name: raw.name ?? baseName(file),
    description: raw.description ?? "",
    seed,
    durationMs,
    warmupMs: raw.warmup === "auto" || raw.warmup === undefined ? 0 : raw.warmup,
    ...(raw.warmup === "auto" ? { warmupAuto: true as const } : {}),
    bucketMs: raw.bucket ?? autoBucketMs(durationMs, serverCount),
    ...(raw.global?.maxconn === undefined || raw.global.maxconn === 0
      ? {}
      : { globalMaxconn: raw.global.maxconn }),
    ...(raw.balancers === undefined
      ? {}
      : { balancers: { count: raw.balancers.count, spread: raw.balancers.spread ?? "roundrobin" } }),
    frontend,
    backend: backends[0]!,
    frontends,
    backends,
    clients: raw.clients.map((client, index) =>
      buildClient(client, index, durationMs, frontend.name, facts, problems),
    ),
    events: expandEvents(raw.events ?? [], backends, naming.canonical, seed, durationMs, facts, problems),
    compare: raw.compare ?? [],
    expect: raw.expect ?? [],
    // Parsed once by crossCheck; a line that did not parse was reported there, so none is missing here.
    expectations: (raw.expect ?? []).flatMap((_, index) => {
      const parsed = facts.expectations.get(index);
      return parsed === undefined ? [] : [parsed];
    }),
    ...(raw.baseline === undefined ? {} : { baseline: definedOnly(raw.baseline) }),
  };
}

/** `baseline:` without the keys zod leaves undefined, so that the Scenario holds only what was written. */
function definedOnly(tolerances: Readonly<Record<string, unknown>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(tolerances).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}

/** `scenarios/library/tutorial.yaml` → `tutorial` (without node:path: this runs in browsers too). */
export function baseName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const name = dot > 0 ? base.slice(0, dot) : base;
  return name === "" ? "scenario" : name;
}

type RawFrontend = NonNullable<RawScenario["frontend"]>;

function buildFrontends(
  raw: RawScenario,
  backends: ReadonlyArray<BackendSpec>,
  problems: Problem[],
): FrontendSpec[] {
  const written: ReadonlyArray<{ value: RawFrontend; path: Path }> = raw.frontends?.map((value, index) => ({
    value,
    path: ["frontends", index],
  })) ?? [{ value: raw.frontend ?? {}, path: ["frontend"] }];
  return written.map(({ value, path }) => buildFrontend(value, path, backends, problems));
}

function buildFrontend(
  raw: RawFrontend,
  path: Path,
  backends: ReadonlyArray<BackendSpec>,
  problems: Problem[],
): FrontendSpec {
  const name = raw.name ?? "frontend";
  const acls: { name: string; matches: AclMatch[] }[] = [];
  (raw.acl ?? []).forEach((line, index) => {
    const parsed = parseAcl(line);
    if (!parsed.ok) {
      problems.push(...nest(parsed.problems, [...path, "acl", index]));
      return;
    }
    const { name: aclName, match } = parsed.value;
    const same = acls.find((a) => a.name === aclName);
    // Lines with the same name are ORed (HAProxy).
    if (same === undefined) acls.push({ name: aclName, matches: [match] });
    else same.matches.push(match);
  });
  // The cross-check has reported unknown ACLs and backends, and a frontend that routes nowhere.
  const useBackends: UseBackendRule[] = [];
  (raw.use_backend ?? []).forEach((line, index) => {
    const parsed = parseUseBackend(line);
    if (parsed.ok) useBackends.push(parsed.value);
    else problems.push(...nest(parsed.problems, [...path, "use_backend", index]));
  });
  // One backend and no routing at all: the frontend sends everything to it (lbsim's plain scenario).
  const defaultBackend =
    raw.default_backend ?? (useBackends.length === 0 && backends.length === 1 ? backends[0]!.name : null);
  return {
    name,
    maxconn: raw.maxconn ?? 0,
    clientTimeoutMs: timeout(raw.timeout?.client),
    acls,
    useBackends,
    defaultBackend,
  };
}

function buildBackend(raw: RawBackend, serverIds: ReadonlyArray<number>): BackendSpec {
  const connectMs = timeout(raw.timeout?.connect);
  const queue = raw.timeout?.queue;
  return {
    name: raw.name ?? "backend",
    balance: raw.balance ?? "roundrobin",
    hashType: raw["hash-type"]?.hashType ?? "map-based",
    ...(raw["hash-type"]?.hashFunction === undefined ? {} : { hashFunction: raw["hash-type"].hashFunction }),
    ...(raw["hash-type"]?.hashAvalanche === undefined
      ? {}
      : { hashAvalanche: raw["hash-type"].hashAvalanche }),
    // An unset (or 0) `timeout queue` takes `timeout connect` (haproxy-semantics.md §1).
    timeout: {
      connectMs,
      serverMs: timeout(raw.timeout?.server),
      queueMs: queue === undefined || queue === 0 ? connectMs : queue,
    },
    retries: raw.retries ?? 3,
    redispatch: redispatch(raw.redispatch),
    allbackups: raw.allbackups ?? false,
    ...(raw.abortonclose === true ? { abortonclose: true } : {}),
    servers: raw.servers.map((server, index) =>
      buildServer(server, raw["default-server"] ?? {}, raw, serverIds[index] ?? index + 1),
    ),
  };
}

/** `true` = `option redispatch` (interval −1: on the last retry); P = `option redispatch P`; 0 disables. */
function redispatch(raw: boolean | number | undefined): BackendSpec["redispatch"] {
  if (raw === undefined || raw === false || raw === 0) return null;
  return { interval: raw === true ? -1 : raw };
}

function buildServer(
  raw: RawServer & { readonly name: string },
  defaults: RawServer,
  backend: RawBackend,
  id: number,
): ServerSpec {
  return {
    name: raw.name,
    id,
    weight: raw.weight ?? defaults.weight ?? 1,
    maxconn: raw.maxconn ?? defaults.maxconn ?? 0,
    maxqueue: raw.maxqueue ?? defaults.maxqueue ?? 0,
    slots: raw.slots ?? defaults.slots ?? 1,
    discipline: raw.discipline ?? defaults.discipline ?? "fifo",
    speed: raw.speed ?? defaults.speed ?? 1,
    service: raw.service ?? defaults.service ?? backend.service ?? null,
    backup: raw.backup ?? defaults.backup ?? false,
    check: buildCheck([backend.check, defaults.check, raw.check]),
    slowstartMs: raw.slowstart ?? defaults.slowstart ?? 0,
    observe: buildObserve([raw, defaults, backend]),
    disabled: raw.disabled ?? defaults.disabled ?? false,
    ...(raw.added === false ? { added: false } : {}),
    ...networkOf(raw, defaults),
  };
}

/**
 * Check settings accumulate from the backend, `default-server` and the server (later wins);
 * whether checks run at all is said by the most specific layer that mentions `check`.
 */
function buildCheck(layers: ReadonlyArray<boolean | RawCheck | undefined>): CheckParams | null {
  let enabled = false;
  let merged: RawCheck = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    enabled = layer !== false;
    if (typeof layer === "object") merged = { ...merged, ...layer };
  }
  if (!enabled) return null;
  const interMs = merged.inter ?? 2000;
  return {
    type: merged.type ?? "tcp",
    interMs,
    fastinterMs: merged.fastinter ?? interMs,
    downinterMs: merged.downinter ?? interMs,
    rise: merged.rise ?? 2,
    fall: merged.fall ?? 3,
    // `timeout check 0` is no timeout, like every HAProxy timeout.
    timeoutMs: merged.timeout === undefined || merged.timeout === 0 ? null : merged.timeout,
    ...(merged.phase === "random" ? { phase: "random" as const } : {}),
  };
}

type ObserveLayer = Pick<RawServer, "observe" | "error-limit" | "on-error">;

/** `observe` turns passive checks on; `error-limit` and `on-error` alone do nothing, as in HAProxy. */
function buildObserve(layers: ReadonlyArray<ObserveLayer>): ObserveParams | null {
  const first = <K extends keyof ObserveLayer>(key: K): ObserveLayer[K] =>
    layers.find((l) => l[key] !== undefined)?.[key];
  const mode = first("observe");
  if (mode === undefined) return null;
  return { mode, errorLimit: first("error-limit") ?? 10, onError: first("on-error") ?? "fastinter" };
}

function buildClient(
  raw: RawClient,
  index: number,
  durationMs: number,
  frontend: string,
  facts: CrossFacts,
  problems: Problem[],
): ClientSpec {
  const retry = raw.retry;
  const backoffMs = retry?.backoff ?? 0;
  const maxBackoffMs = retry?.["max-backoff"] ?? backoffMs * MAX_BACKOFF_FACTOR;
  if (retry !== undefined && maxBackoffMs < backoffMs) {
    problems.push({
      code: "bad-value",
      path: ["clients", index, "retry", "max-backoff"],
      message: `found ${maxBackoffMs}ms, expected at least the backoff (${backoffMs}ms)`,
    });
  }
  return {
    name: raw.name,
    arrivals: buildArrivals(raw.arrivals, index, durationMs, facts, problems),
    sources: population(raw.sources),
    paths: population(raw.paths),
    pathPrefix: raw.paths?.prefix ?? "/item/",
    host: raw.host ?? "",
    frontend: raw.frontend ?? frontend,
    timeoutMs: timeout(raw.timeout),
    retry:
      retry === undefined ? null : { count: retry.count, backoffMs, maxBackoffMs, jitter: retry.jitter ?? 1 },
  };
}

function population(raw: { readonly count?: number; readonly zipf?: number } | undefined): Population {
  return { count: raw?.count ?? 1, zipf: raw?.zipf ?? null };
}

function buildArrivals(
  raw: RawArrivals,
  index: number,
  durationMs: number,
  facts: CrossFacts,
  problems: Problem[],
): Arrivals {
  switch (raw.kind) {
    case "poisson":
    case "constant":
      return { kind: raw.kind, ratePerSecond: raw.value };
    case "ramp":
      if (raw.value.from === 0 && raw.value.to === 0) {
        problems.push({
          code: "bad-rate",
          path: ["clients", index, "arrivals", "ramp"],
          message: "found a ramp from 0 to 0, expected a rate > 0 at one end",
        });
      }
      return {
        kind: "ramp",
        fromPerSecond: raw.value.from,
        toPerSecond: raw.value.to,
        overMs: raw.value.over ?? durationMs,
      };
    case "users":
      return { kind: "users", count: raw.value.count, think: raw.value.think };
    case "trace":
      return { kind: "trace", file: facts.traces.get(index) ?? raw.value };
  }
}

/** `rtt` and `loss`, present in the spec only when written (a scenario without them is unchanged). */
function networkOf(raw: RawServer, defaults: RawServer): { rtt?: Distribution; loss?: number } {
  const rtt = raw.rtt ?? defaults.rtt;
  const loss = raw.loss ?? defaults.loss;
  return { ...(rtt === undefined ? {} : { rtt }), ...(loss === undefined || loss === 0 ? {} : { loss }) };
}
