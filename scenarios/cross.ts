// Checks across fields (names, ids, references, times, service models), run on the raw value so that
// they are reported together with every other problem, even when other fields are malformed.
import { METRIC_NAMES, parseExpectation, serversOf } from "../sim/expectations.js";
import { nearest } from "./hint.js";
import { isRecord, type Path, type Problem } from "./problem.js";
import { arrivalsKind, checkEvents, get, list, text, unique } from "./references.js";
import type { RuntimeCommand } from "./types.js";
import { tryParseDuration } from "./units.js";

/** What a loader that reads files says about a trace file: its resolved path, or why it is unusable. */
export type TraceResolution =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly message: string };

export interface CrossFacts {
  /** Server ids by position in `backend.servers`. */
  readonly serverIds: ReadonlyArray<number>;
  /** Parsed runtime commands by event position. */
  readonly runtime: ReadonlyMap<number, RuntimeCommand>;
  /** Resolved trace paths by client position. */
  readonly traces: ReadonlyMap<number, string>;
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
  const backend = get(raw, "backend");
  if (backend === undefined && get(raw, "haproxy") === undefined && isRecord(raw)) {
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
  const servers = list(get(backend, "servers")) ?? [];
  const names = servers.map((s) => text(get(s, "name")) ?? "");
  const known = [...new Set(names.filter((n) => n !== ""))];
  unique(names, ["backend", "servers"], "name", "server", problems);
  const serverIds = assignIds(servers, problems);
  checkServiceModels(raw, backend, servers, names, problems);
  const clients = list(get(raw, "clients")) ?? [];
  unique(
    clients.map((c) => text(get(c, "name")) ?? ""),
    ["clients"],
    "name",
    "client",
    problems,
  );
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
    backend: text(get(backend, "name")) ?? "backend",
    servers: names,
    serverIds,
    known,
    clients: clients.map((c) => ({ name: text(get(c, "name")) ?? "", arrivals: arrivalsKind(c) })),
    durationMs,
    problems,
  });
  checkExpectations(raw, known, problems);
  return { problems, facts: { serverIds, runtime, traces } };
}

/** `expect:` lines must parse and name servers that exist (sim/expectations.ts holds the grammar). */
function checkExpectations(raw: unknown, servers: ReadonlyArray<string>, problems: Problem[]): void {
  (list(get(raw, "expect")) ?? []).forEach((line, index) => {
    const written = text(line);
    if (written === undefined) return;
    const parsed = parseExpectation(written);
    if ("error" in parsed) {
      const name = /^\s*(?:[\w()-]+\.)?([a-z][a-z0-9.]*)/.exec(written)?.[1];
      const close = name === undefined ? undefined : nearest(name, METRIC_NAMES);
      problems.push({
        code: "bad-value",
        path: ["expect", index],
        message: parsed.error,
        ...(close === undefined || close === name ? {} : { hint: `did you mean "${close}"?` }),
      });
      return;
    }
    for (const server of serversOf(parsed)) {
      if (servers.includes(server)) continue;
      const close = nearest(server, servers);
      problems.push({
        code: "unknown-server",
        path: ["expect", index],
        message: `no server "${server}" in the backend; servers are ${servers.join(", ")}`,
        ...(close === undefined ? {} : { hint: `did you mean "${close}"?` }),
      });
    }
  });
}

/**
 * HAProxy's automatic ids: each server without `id` takes the first unused id from a counter that
 * advances with every server (cfgparse.c), which is the 1-based position when no `id` is given.
 */
function assignIds(servers: ReadonlyArray<unknown>, problems: Problem[]): number[] {
  const used = new Map<number, number>();
  servers.forEach((server, index) => {
    const id = get(server, "id");
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) return;
    const earlier = used.get(id);
    if (earlier === undefined) used.set(id, index);
    else {
      problems.push({
        code: "bad-value",
        path: ["backend", "servers", index, "id"],
        message: `found id ${id} a second time, expected unique ids (first at backend.servers[${earlier}])`,
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
  backend: unknown,
  servers: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  problems: Problem[],
): void {
  const clients = list(get(raw, "clients"));
  if (clients === undefined || clients.length === 0) return;
  if (clients.every((c) => get(get(c, "arrivals"), "trace") !== undefined)) return;
  if (get(backend, "service") !== undefined || get(get(backend, "default-server"), "service") !== undefined)
    return;
  const imported = get(raw, "haproxy") !== undefined;
  servers.forEach((server, index) => {
    if (get(server, "service") !== undefined) return;
    const name = names[index] === "" ? `#${index + 1}` : names[index];
    problems.push({
      code: "missing-key",
      path: ["backend", "servers", index],
      message: imported
        ? `server ${name} (imported from the haproxy.cfg) has no service model`
        : `server ${name} has no service model`,
      hint: imported
        ? `add backend.service (e.g. service: {exponential: 20ms}) to this scenario for every server, or backend.servers: [{name: ${name}, service: …}]`
        : "give it service: {exponential: 20ms} or set backend.service for every server",
    });
  });
}
