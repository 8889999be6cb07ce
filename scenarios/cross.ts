// Checks across fields (names, ids, references, times, service models), run on the raw value so that
// they are reported together with every other problem, even when other fields are malformed.
import { PREDEFINED_ACLS, parseAcl, parseUseBackend, unknownAclNames } from "./acl.js";
import { METRIC_NAMES, parseExpectation } from "./expectation-grammar.js";
import { backendsOf as backendsNamed, serversOf, timeWindowsOf } from "./expectation-refs.js";
import { nearest } from "./hint.js";
import { formatPath, isRecord, nest, type Path, type Problem } from "./problem.js";
import { arrivalsKind, checkEvents, get, list, text, unique } from "./references.js";
import type { BackendNames } from "./runtime-command.js";
import {
  backendName,
  backendsOf,
  checkExclusive,
  frontendsOf,
  type Placed,
  type ServerNaming,
  serverNaming,
} from "./topology.js";
import type { Expectation, RuntimeCommand, TimeWindow } from "./types.js";
import { tryParseDuration } from "./units.js";

/** What a loader that reads files says about a trace file: its resolved path, or why it is unusable. */
export type TraceResolution =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly message: string };

export interface CrossFacts {
  /** Server ids by backend (in the order written) and by position in its `servers`. */
  readonly serverIds: ReadonlyArray<ReadonlyArray<number>>;
  /** Parsed runtime commands by event position. */
  readonly runtime: ReadonlyMap<number, RuntimeCommand>;
  /** Resolved trace paths by client position. */
  readonly traces: ReadonlyMap<number, string>;
  /** Parsed `expect:` lines by position (the one parse of them: the Scenario carries these). */
  readonly expectations: ReadonlyMap<number, Expectation>;
}

const duration = (value: unknown): number | undefined => {
  const ms = value === undefined ? undefined : tryParseDuration(value);
  return ms?.ok === true ? ms.value : undefined;
};

export function crossCheck(
  raw: unknown,
  /** Resolves the trace file `file`, named at `path` (which tells the scenario file it is written in). */
  resolveTrace?: (file: string, path: Path) => TraceResolution,
): { problems: Problem[]; facts: CrossFacts } {
  const problems: Problem[] = [];
  checkExclusive(raw, problems);
  const backends = backendsOf(raw);
  if (backends.length === 0 && get(raw, "haproxy") === undefined && isRecord(raw)) {
    problems.push({
      code: "missing-key",
      path: ["backend"],
      message: `missing key "backend"; expected the backend and its servers`,
    });
  }
  const durationMs = duration(get(raw, "duration"));
  const warmupMs = duration(get(raw, "warmup"));
  if (durationMs !== undefined && warmupMs !== undefined && warmupMs >= durationMs) {
    problems.push({
      code: "bad-value",
      path: ["warmup"],
      message: `found a warmup of ${warmupMs}ms, expected less than the duration (${durationMs}ms)`,
    });
  }
  const names = backends.map((b) => backendName(b.value));
  if (backends.length > 1) unique(names, ["backends"], "name", "backend", problems);
  const topology: BackendNames[] = backends.map((backend, index) => {
    const servers = list(get(backend.value, "servers")) ?? [];
    const serverNames = servers.map((s) => text(get(s, "name")) ?? "");
    const at = [...backend.path, "servers"];
    unique(serverNames, at, "name", "server", problems);
    const ids = assignIds(servers, at, problems);
    checkServiceModels(raw, backend, servers, serverNames, problems);
    return { name: names[index]!, servers: serverNames, ids };
  });
  const naming = serverNaming(topology);
  const clients = list(get(raw, "clients")) ?? [];
  unique(
    clients.map((c) => text(get(c, "name")) ?? ""),
    ["clients"],
    "name",
    "client",
    problems,
  );
  const unrouted = checkRouting(raw, names, clients, problems);
  const traces = new Map<number, string>();
  clients.forEach((client, index) => {
    const file = text(get(get(client, "arrivals"), "trace"));
    if (file === undefined || file === "" || resolveTrace === undefined) return;
    const resolved = resolveTrace(file, ["clients", index, "arrivals", "trace"]);
    if (resolved.ok) traces.set(index, resolved.path);
    else
      problems.push({
        code: "file-not-found",
        path: ["clients", index, "arrivals", "trace"],
        message: resolved.message,
      });
  });
  const runtime = checkEvents(list(get(raw, "events")) ?? [], {
    backends: topology,
    naming,
    clients: clients.map((c) => ({ name: text(get(c, "name")) ?? "", arrivals: arrivalsKind(c) })),
    durationMs,
    problems,
  });
  // A frontend without default_backend answers what no rule routes itself: a backend in Results.
  const expectations = checkExpectations(raw, naming, [...names, ...unrouted], durationMs, problems);
  return {
    problems,
    facts: { serverIds: topology.map((b) => b.ids ?? []), runtime, traces, expectations },
  };
}

/**
 * Frontends: unique names; their ACLs and `use_backend` rules parse and name ACLs and backends that
 * exist; a frontend routes somewhere; a client's `frontend` exists.
 */
function checkRouting(
  raw: unknown,
  backends: ReadonlyArray<string>,
  clients: ReadonlyArray<unknown>,
  problems: Problem[],
): string[] {
  const frontends = frontendsOf(raw);
  const unrouted: string[] = [];
  const names = frontends.map((f) => text(get(f.value, "name")) || "frontend");
  if (frontends.length > 1) unique(names, ["frontends"], "name", "frontend", problems);
  const checkBackend = (name: string | undefined, path: Path): void => {
    if (name === undefined || name === "" || backends.length === 0 || backends.includes(name)) return;
    const close = nearest(name, backends);
    problems.push({
      code: "bad-value",
      path,
      message: `no backend "${name}"; backends are ${backends.join(", ")}`,
      ...(close === undefined ? {} : { hint: `did you mean "${close}"?` }),
    });
  };
  frontends.forEach((frontend, index) => {
    const defaultBackend = text(get(frontend.value, "default_backend"));
    checkBackend(defaultBackend, [...frontend.path, "default_backend"]);
    const declared = new Set<string>();
    (list(get(frontend.value, "acl")) ?? []).forEach((line, i) => {
      if (typeof line !== "string") return;
      const parsed = parseAcl(line);
      if (parsed.ok) declared.add(parsed.value.name);
      else {
        problems.push(...nest(parsed.problems, [...frontend.path, "acl", i]));
        // Its name still counts: one wrong criterion is one message, not one more per rule using it.
        const name = line.trim().split(/\s+/)[0];
        if (name !== undefined && name !== "") declared.add(name);
      }
    });
    const rules = list(get(frontend.value, "use_backend")) ?? [];
    rules.forEach((line, i) => {
      if (typeof line !== "string") return;
      const at = [...frontend.path, "use_backend", i];
      const parsed = parseUseBackend(line);
      if (!parsed.ok) {
        problems.push(...nest(parsed.problems, at));
        return;
      }
      checkBackend(parsed.value.backend, at);
      const condition = parsed.value.condition;
      for (const acl of condition === null ? [] : unknownAclNames(condition, declared)) {
        const close = nearest(acl, [...declared, ...PREDEFINED_ACLS]);
        problems.push({
          code: "bad-value",
          path: at,
          message: `no ACL named "${acl}" in frontend ${names[index]}; its ACLs are ${declared.size === 0 ? "none" : [...declared].join(", ")}`,
          hint:
            close === undefined
              ? `define it under acl:, e.g. "${acl} path_beg /api/"`
              : `did you mean "${close}"?`,
        });
      }
    });
    if (defaultBackend === undefined && rules.length > 0) unrouted.push(names[index]!);
    if (backends.length > 1 && defaultBackend === undefined && rules.length === 0) {
      problems.push({
        code: "missing-key",
        path: frontend.path,
        message: `frontend ${names[index]} routes nowhere: with several backends, expected default_backend or use_backend`,
        hint: `add default_backend: ${backends[0]}`,
      });
    }
  });
  clients.forEach((client, index) => {
    const name = text(get(client, "frontend"));
    if (name === undefined || name === "" || names.includes(name)) return;
    const close = nearest(name, names);
    problems.push({
      code: "bad-value",
      path: ["clients", index, "frontend"],
      message: `no frontend "${name}"; frontends are ${names.join(", ")}`,
      ...(close === undefined ? {} : { hint: `did you mean "${close}"?` }),
    });
  });
  return unrouted;
}

/** Each window an expectation names must lie within the run: an empty one would pass anything. */
function checkWindows(
  windows: ReadonlyArray<TimeWindow>,
  durationMs: number,
  index: number,
  problems: Problem[],
): void {
  for (const window of windows) {
    const toMs = window.toMs ?? durationMs;
    if (window.fromMs < durationMs && toMs <= durationMs) continue;
    problems.push({
      code: "bad-value",
      path: ["expect", index],
      message:
        window.toMs === null
          ? `the window "after ${window.fromMs / 1000}s" starts at or after the end of the run (${durationMs / 1000}s)`
          : `the window ${window.fromMs / 1000}s..${window.toMs / 1000}s ends after the run (${durationMs / 1000}s)`,
      hint: `expected a window within 0s..${durationMs / 1000}s`,
    });
  }
}

/**
 * `expect:` lines must parse (scenarios/expectation-grammar.ts) and name servers that exist; returns
 * each line that parses, by position.
 */
function checkExpectations(
  raw: unknown,
  naming: ServerNaming,
  backends: ReadonlyArray<string>,
  durationMs: number | undefined,
  problems: Problem[],
): Map<number, Expectation> {
  const parsedLines = new Map<number, Expectation>();
  (list(get(raw, "expect")) ?? []).forEach((line, index) => {
    const written = text(line);
    if (written === undefined) return;
    const parsed = parseExpectation(written);
    if ("error" in parsed) {
      const name = /^\s*(?:[\w()-]+\.)?([a-z][a-z0-9.]*)/.exec(written)?.[1];
      const close = name === undefined ? undefined : nearest(name, METRIC_NAMES);
      const hint =
        parsed.hint ?? (close === undefined || close === name ? undefined : `did you mean "${close}"?`);
      problems.push({
        code: "bad-value",
        path: ["expect", index],
        message: parsed.error,
        ...(hint === undefined ? {} : { hint }),
      });
      return;
    }
    // A window is simulated time: it must lie within the run (an empty one would pass anything).
    if (durationMs !== undefined) checkWindows(timeWindowsOf(parsed), durationMs, index, problems);
    for (const backend of backendsNamed(parsed)) {
      if (backends.length === 0 || backends.includes(backend)) continue;
      const close = nearest(backend, backends);
      problems.push({
        code: "bad-value",
        path: ["expect", index],
        message: `no backend "${backend}"; backends are ${backends.join(", ")}`,
        ...(close === undefined ? {} : { hint: `did you mean "${close}"?` }),
      });
    }
    for (const server of serversOf(parsed)) {
      if (naming.known.includes(server)) continue;
      const canonical = naming.canonical(server);
      const close = nearest(server, naming.known);
      problems.push({
        code: "unknown-server",
        path: ["expect", index],
        message: `no server "${server}" in the ${naming.known.some((n) => n.includes("/")) ? "backends" : "backend"}; servers are ${naming.known.join(", ")}`,
        ...(canonical !== server && naming.known.includes(canonical)
          ? { hint: `with several backends, Results name servers <backend>/<server>: write "${canonical}"` }
          : close === undefined
            ? {}
            : { hint: `did you mean "${close}"?` }),
      });
    }
    parsedLines.set(index, parsed);
  });
  return parsedLines;
}

/**
 * HAProxy's automatic ids: each server without `id` takes the first unused id from a counter that
 * advances with every server (cfgparse.c), which is the 1-based position when no `id` is given.
 */
function assignIds(servers: ReadonlyArray<unknown>, at: Path, problems: Problem[]): number[] {
  const used = new Map<number, number>();
  servers.forEach((server, index) => {
    const id = get(server, "id");
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) return;
    const earlier = used.get(id);
    if (earlier === undefined) used.set(id, index);
    else {
      problems.push({
        code: "bad-value",
        path: [...at, index, "id"],
        message: `found id ${id} a second time, expected unique ids (first at ${formatPath([...at, earlier])})`,
      });
    }
  });
  let next = 1;
  return servers.map((server) => {
    const id = get(server, "id");
    if (typeof id === "number" && Number.isInteger(id) && id >= 1) {
      next++;
      return id;
    }
    while (used.has(next)) next++;
    used.set(next, -1);
    return next++;
  });
}

/** A server needs a service model unless every request brings its own demand (all clients replay traces). */
function checkServiceModels(
  raw: unknown,
  backend: Placed,
  servers: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  problems: Problem[],
): void {
  const clients = list(get(raw, "clients"));
  if (clients === undefined || clients.length === 0) return;
  if (clients.every((c) => get(get(c, "arrivals"), "trace") !== undefined)) return;
  const value = backend.value;
  if (get(value, "service") !== undefined || get(get(value, "default-server"), "service") !== undefined)
    return;
  const imported = get(raw, "haproxy") !== undefined;
  const at = formatPath(backend.path);
  servers.forEach((server, index) => {
    if (get(server, "service") !== undefined) return;
    const name = names[index] === "" ? `#${index + 1}` : names[index];
    problems.push({
      code: "missing-key",
      path: [...backend.path, "servers", index],
      message: imported
        ? `server ${name} (imported from the haproxy.cfg) has no service model`
        : `server ${name} has no service model`,
      hint: imported
        ? `add ${at}.service (e.g. service: {exponential: 20ms}) to this scenario for every server, or ${at}.servers: [{name: ${name}, service: …}]`
        : `give it service: {exponential: 20ms} or set ${at}.service for every server`,
    });
  });
}
