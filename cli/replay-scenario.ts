// The scenario a replay runs: a backend from the haproxy.cfg (or made from the log), each server's
// estimated speed and its workers from `--scenario FILE`, and one client whose arrivals are the log.
import { readFileSync } from "node:fs";
import { InputError, type InputIssue } from "../errors/index.js";
import { nearest } from "../scenarios/hint.js";
import { decodeText, importHaproxyCfg, parseScenario, type Scenario } from "../scenarios/index.js";
import { placeOf, readSource } from "../scenarios/source.js";
import { fileError } from "../scenarios/trace.js";

/** What `--scenario FILE` may say per server: its workers (and its speed, overriding the estimate). */
export interface ServerFacts {
  readonly slots?: number;
  readonly speed?: number;
  readonly discipline?: "fifo" | "ps";
}

/** Servers' facts by backend name, then server name. */
export type FactsByBackend = ReadonlyMap<string, ReadonlyMap<string, ServerFacts>>;

const BACKEND_KEYS = ["name", "servers"];
const SERVER_KEYS = ["name", "slots", "speed", "discipline"];

/**
 * Reads a partial scenario holding only servers' facts: `backend: {name, servers: [{name, slots}]}`
 * or `backends: [...]`. Anything else (clients, duration…) comes from the log: an error here.
 */
export function readServerFacts(path: string, shown: string): FactsByBackend {
  let text: string;
  try {
    text = decodeText(readFileSync(path), shown, "a scenario file");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileError(error, shown);
  }
  const source = readSource(text, shown);
  const issues: InputIssue[] = [];
  const fail = (at: ReadonlyArray<string | number>, message: string, hint?: string, atKey = false) => {
    const place = placeOf(source.provenance, at as (string | number)[], atKey);
    issues.push({
      code: "bad-value",
      ...place,
      path: at.join("."),
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };
  const out = new Map<string, Map<string, ServerFacts>>();
  const root = source.value;
  if (!isRecord(root)) {
    throw InputError.one({
      code: "bad-type",
      file: shown,
      line: 1,
      column: 1,
      path: "",
      message: "expected a mapping with backend: or backends:",
    });
  }
  for (const key of Object.keys(root)) {
    if (key !== "backend" && key !== "backends")
      fail(
        [key],
        `"${key}" is not read by lbsim replay`,
        "this file gives only the servers' slots (and speed): backend: {name, servers: [{name, slots}]}; the rest comes from the log and the cfg",
        true,
      );
  }
  const backends: Array<[unknown, (string | number)[]]> = [];
  if (root.backend !== undefined) backends.push([root.backend, ["backend"]]);
  if (Array.isArray(root.backends)) {
    for (const [i, b] of root.backends.entries()) backends.push([b, ["backends", i]]);
  } else if (root.backends !== undefined) fail(["backends"], "expected a list of backends");
  for (const [value, at] of backends) {
    if (!isRecord(value)) {
      fail(at, "expected a mapping {name, servers}");
      continue;
    }
    for (const key of Object.keys(value))
      if (!BACKEND_KEYS.includes(key))
        fail([...at, key], `"${key}" is not read by lbsim replay`, hintFor(key, BACKEND_KEYS), true);
    const name = typeof value.name === "string" ? value.name : undefined;
    if (name === undefined && backends.length > 1)
      fail(at, "a backend needs its name when there are several");
    const servers = new Map<string, ServerFacts>();
    out.set(name ?? "", servers);
    if (!Array.isArray(value.servers)) {
      fail([...at, "servers"], "expected a list of servers [{name, slots}]");
      continue;
    }
    value.servers.forEach((server, i) => {
      const here = [...at, "servers", i];
      if (!isRecord(server) || typeof server.name !== "string") {
        fail(here, "expected {name: <server>, slots: N}");
        return;
      }
      for (const key of Object.keys(server))
        if (!SERVER_KEYS.includes(key))
          fail([...here, key], `"${key}" is not read by lbsim replay`, hintFor(key, SERVER_KEYS), true);
      const facts: { slots?: number; speed?: number; discipline?: "fifo" | "ps" } = {};
      if (server.slots !== undefined) {
        if (typeof server.slots === "number" && Number.isInteger(server.slots) && server.slots >= 1)
          facts.slots = server.slots;
        else
          fail(
            [...here, "slots"],
            `slots: found ${JSON.stringify(server.slots)}, expected a whole number ≥ 1 (the server's workers)`,
          );
      }
      if (server.speed !== undefined) {
        if (typeof server.speed === "number" && server.speed > 0) facts.speed = server.speed;
        else fail([...here, "speed"], `speed: found ${JSON.stringify(server.speed)}, expected a number > 0`);
      }
      if (server.discipline !== undefined) {
        if (server.discipline === "fifo" || server.discipline === "ps") facts.discipline = server.discipline;
        else
          fail(
            [...here, "discipline"],
            `discipline: found ${JSON.stringify(server.discipline)}, expected fifo or ps`,
          );
      }
      if (servers.has(server.name)) fail([...here, "name"], `server "${server.name}" is listed twice`);
      servers.set(server.name, facts);
    });
  }
  if (backends.length === 0)
    fail([], "expected backend: {name, servers: [{name, slots}]} or backends: [...]");
  if (issues.length > 0) throw new InputError(issues);
  return out;
}

function hintFor(key: string, known: ReadonlyArray<string>): string {
  const close = nearest(key, known);
  return close === undefined ? `known here: ${known.join(", ")}` : `did you mean "${close}"?`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The cfg's backends as scenario values, by name (undefined without a cfg). */
export function readCfgBackends(
  path: string,
  shown: string,
  warn: (message: string) => void,
): Map<string, Record<string, unknown>> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fileError(error, shown);
  }
  const imported = importHaproxyCfg(decodeText(bytes, shown, "a haproxy.cfg"), shown);
  for (const w of imported.warnings) warn(`${shown}:${w.line}: warning: ${w.message}`);
  const list =
    imported.value.backends ?? (imported.value.backend === undefined ? [] : [imported.value.backend]);
  return new Map(list.map((b) => [String(b.name), b as Record<string, unknown>]));
}

export interface ReplayServer {
  readonly name: string;
  readonly speed: number;
  /** undefined: as many workers as it needs (no wait inside the server). */
  readonly slots?: number;
  readonly discipline?: "fifo" | "ps";
}

/** Workers standing for "as many as it needs": more than any log holds at once. */
export const UNBOUNDED_SLOTS = 1_000_000_000;

/** Name of the trace the replay's client reads (served by the replay's own trace reader). */
export const REPLAY_TRACE = "<replayed log>";

/** The scenario of one backend's replay: the cfg's backend (or a roundrobin one) with these servers. */
export function replayScenario(options: {
  readonly name: string;
  readonly backend: string;
  readonly cfgBackend?: Record<string, unknown>;
  readonly servers: ReadonlyArray<ReplayServer>;
  readonly durationMs: number;
  /** Timeline events (outages found in the log, as runtime commands). */
  readonly events?: ReadonlyArray<Record<string, unknown>>;
}): Scenario {
  const { cfgBackend, servers } = options;
  const byName = new Map(servers.map((s) => [s.name, s]));
  const serverValue = (s: ReplayServer, base: Record<string, unknown> = {}) => ({
    ...base,
    name: s.name,
    speed: s.speed,
    slots: s.slots ?? UNBOUNDED_SLOTS,
    ...(s.discipline === undefined ? {} : { discipline: s.discipline }),
  });
  let backend: Record<string, unknown>;
  if (cfgBackend === undefined) {
    backend = { name: options.backend, balance: "roundrobin", servers: servers.map((s) => serverValue(s)) };
  } else {
    const listed = (cfgBackend.servers as Array<Record<string, unknown>> | undefined) ?? [];
    const cfgServers = listed.map((base) => {
      const s = byName.get(String(base.name)) ?? { name: String(base.name), speed: 1 };
      return serverValue(s, base);
    });
    const { "default-server": _default, service: _service, ...rest } = cfgBackend;
    backend = { ...rest, name: options.backend, servers: cfgServers };
  }
  const raw = {
    name: options.name,
    duration: Math.max(1, Math.ceil(options.durationMs)),
    backend,
    clients: [{ name: "log", arrivals: { trace: REPLAY_TRACE } }],
    ...(options.events === undefined || options.events.length === 0 ? {} : { events: options.events }),
  };
  return parseScenario(JSON.stringify(raw), options.name, { force: true });
}
