// HAProxy runtime-API commands (haproxy-semantics.md §5), as written in `events: [{runtime: "..."}]`.
import { didYouMean, nearest } from "./hint.js";
import { fail, ok, type Result } from "./problem.js";
import type { RuntimeCommand, Scenario, TimelineAction } from "./types.js";

const FORMS = [
  "disable server <backend>/<server>",
  "enable server <backend>/<server>",
  "set server <backend>/<server> state ready|drain|maint",
  "set server <backend>/<server> weight <weight>[%]",
  "set server <backend>/<server> health up|down|stopping",
  "set weight <backend>/<server> <weight>[%]",
  "add server <backend>/<server> [<address>]",
  "del server <backend>/<server>",
];
const VERBS = ["disable server", "enable server", "set server", "set weight", "add server", "del server"];
const STATES = ["ready", "drain", "maint"] as const;
const HEALTHS = ["up", "down", "stopping"] as const;
const SET_SERVER_FIELDS = ["state", "weight", "health"];

/** HAProxy's limit for an absolute weight (`Absolute weight can only be between 0 and 256 inclusive`). */
const MAX_WEIGHT = 256;

const bad = (message: string, hint?: string): Result<RuntimeCommand> =>
  fail("bad-runtime-command", message, hint);

/** A backend's name and its servers' names; `ids` (parallel to `servers`) lets `<backend>/#<id>` name a server. */
export interface BackendNames {
  readonly name: string;
  readonly servers: ReadonlyArray<string>;
  readonly ids?: ReadonlyArray<number>;
}

/**
 * Parses one command against the topology: `backend` is the backend's name and `servers` the names
 * of its servers, or `backend` lists every backend. With several backends the command's server is
 * named `<backend>/<server>` (as the model names servers then); with one, by its name alone.
 */
export function parseRuntimeCommand(
  text: string,
  backend: string | ReadonlyArray<BackendNames>,
  servers: ReadonlyArray<string> = [],
  ids?: ReadonlyArray<number>,
): Result<RuntimeCommand> {
  const backends: ReadonlyArray<BackendNames> =
    typeof backend === "string"
      ? [{ name: backend, servers, ...(ids === undefined ? {} : { ids }) }]
      : backend;
  const first = backends[0] ?? { name: "backend", servers: [] };
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const verb = words.slice(0, 2).join(" ");
  if (!VERBS.includes(verb)) {
    const close = nearest(verb, VERBS);
    return bad(
      `found "${text}", expected one of: ${FORMS.join("; ")}`,
      close === undefined ? undefined : `did you mean "${close} ..."?`,
    );
  }
  const target = words[2];
  if (target === undefined)
    return bad(
      `"${verb}" needs <backend>/<server>`,
      `e.g. "${verb} ${first.name}/${first.servers[0] ?? "web01"}"`,
    );
  const server = resolveServer(target, backends);
  if (!server.ok) return server;
  const name = server.value;
  const rest = words.slice(3);
  const extra = (n: number) => bad(`unexpected "${rest.slice(n).join(" ")}" at the end of "${text}"`);
  if (verb === "add server" || verb === "del server") return addOrDelete(verb, name, rest, text);
  if (verb === "disable server" || verb === "enable server") {
    if (rest.length > 0) return extra(0);
    return ok({ op: "state", server: name, state: verb === "disable server" ? "maint" : "ready" });
  }
  if (verb === "set weight") {
    if (rest.length > 1) return extra(1);
    return parseWeight(rest[0], name);
  }
  const field = rest[0];
  const value = rest[1];
  if (rest.length > 2) return extra(2);
  switch (field) {
    case "state":
      return pick(STATES, value, "state", (state) => ({ op: "state", server: name, state }));
    case "health":
      return pick(HEALTHS, value, "health", (health) => ({ op: "health", server: name, health }));
    case "weight":
      return parseWeight(value, name);
    default:
      return bad(
        `found "set server ${target} ${field ?? ""}", expected "state", "weight" or "health" after the server`,
        field === undefined ? undefined : didYouMean(field, SET_SERVER_FIELDS),
      );
  }
}

/**
 * `<address>[:<port>]` as HAProxy's `add server` takes it: dotted (`10.0.0.4`, `web04.lan`), with a
 * port (`web04:80`), or `[IPv6]`. A bare word is not one, so a keyword (`check`) is not taken for it.
 */
const ADDRESS = /^(?:(?:[\w-]+(?:\.[\w-]+)+|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?|[\w.-]+:\d{1,5})$/;

/**
 * `add server <b>/<s> [<address>]` and `del server <b>/<s>` (HAProxy 2.6 dynamic servers). The
 * server's settings are its declaration in `backend.servers` (with `added: false`), so `add server`
 * takes no keyword; an address, which HAProxy requires, is accepted and has no effect.
 */
function addOrDelete(
  verb: "add server" | "del server",
  server: string,
  rest: ReadonlyArray<string>,
  text: string,
): Result<RuntimeCommand> {
  const op = verb === "add server" ? "add" : "del";
  const allowed = op === "add" && rest[0] !== undefined && ADDRESS.test(rest[0]) ? 1 : 0;
  if (rest.length > allowed)
    return bad(
      `unexpected "${rest.slice(allowed).join(" ")}" at the end of "${text}"`,
      op === "add"
        ? "the server's settings come from its entry in backend.servers, declared with added: false"
        : undefined,
    );
  return ok({ op, server });
}

function pick<W extends string>(
  words: ReadonlyArray<W>,
  value: string | undefined,
  what: string,
  build: (word: W) => RuntimeCommand,
): Result<RuntimeCommand> {
  const found = words.find((w) => w === value);
  if (found !== undefined) return ok(build(found));
  return bad(
    `found ${value === undefined ? "nothing" : `"${value}"`} after "${what}", expected ${words.join(", ")}`,
    value === undefined ? undefined : didYouMean(value, words),
  );
}

function parseWeight(value: string | undefined, server: string): Result<RuntimeCommand> {
  const match = value === undefined ? null : /^(\d+)(%?)$/.exec(value);
  if (match === null) {
    return bad(
      `found ${value === undefined ? "nothing" : `"${value}"`}, expected a weight 0..256 or a percentage such as 50%`,
    );
  }
  const weight = Number(match[1]);
  const percent = match[2] === "%";
  if (!percent && weight > MAX_WEIGHT) return bad(`found weight ${weight}, expected 0..${MAX_WEIGHT}`);
  return ok({ op: "weight", server, weight, percent });
}

function resolveServer(target: string, backends: ReadonlyArray<BackendNames>): Result<string> {
  const first = backends[0] ?? { name: "backend", servers: [] };
  const slash = target.indexOf("/");
  if (slash < 0) {
    const owner = backends.find((b) => b.servers.includes(target)) ?? first;
    return fail(
      "bad-runtime-command",
      `found "${target}", expected <backend>/<server>`,
      `write "${owner.name}/${target}"`,
    );
  }
  const backendName = target.slice(0, slash);
  const serverName = target.slice(slash + 1);
  const backend = backends.find((b) => b.name === backendName);
  if (backend === undefined) {
    const names = backends.map((b) => b.name);
    const owner = backends.find((b) => b.servers.includes(serverName));
    const close = owner?.name ?? nearest(backendName, names);
    return fail(
      "unknown-server",
      backends.length === 1
        ? `no backend "${backendName}"; this scenario's backend is "${first.name}"`
        : `no backend "${backendName}"; backends are ${names.join(", ")}`,
      close === undefined ? undefined : `did you mean "${close}/${serverName}"?`,
    );
  }
  const qualify = (name: string): string => (backends.length > 1 ? `${backend.name}/${name}` : name);
  const { servers, ids } = backend;
  if (serverName.startsWith("#") && ids !== undefined) {
    const id = Number(serverName.slice(1));
    const index = ids.indexOf(id);
    const byId = index < 0 ? undefined : servers[index];
    if (byId !== undefined) return ok(qualify(byId));
    return fail(
      "unknown-server",
      `no server with id ${serverName.slice(1)} in backend "${backend.name}"; ids are ${ids.join(", ")}`,
    );
  }
  if (serverName !== "" && servers.includes(serverName)) return ok(qualify(serverName));
  const known = [...new Set(servers.filter((s) => s !== ""))];
  const close = nearest(serverName, known);
  return fail(
    "unknown-server",
    `no server "${serverName}" in backend "${backend.name}"; servers are ${known.join(", ")}`,
    close === undefined ? undefined : `did you mean "${backend.name}/${close}"?`,
  );
}

/**
 * A runtime-API command written as a scenario writes it (`set server be/s1 state drain`), as the
 * timeline action a model applies (the stepping API's `apply`): parsed against the scenario's
 * backends and servers. Throws an Error saying what is wrong (an unknown server, a bad command).
 */
export function runtimeAction(text: string, scenario: Scenario): TimelineAction {
  const backends = scenario.backends ?? [scenario.backend];
  const parsed = parseRuntimeCommand(
    text,
    backends.map((b) => ({
      name: b.name,
      servers: b.servers.map((s) => s.name),
      ids: b.servers.map((s) => s.id),
    })),
  );
  if (!parsed.ok) {
    const problem = parsed.problems[0];
    const hint = problem?.hint === undefined ? "" : ` (${problem.hint})`;
    throw new Error(`runtime command "${text}": ${problem?.message ?? "not understood"}${hint}`);
  }
  return { kind: "runtime", text, command: parsed.value };
}
