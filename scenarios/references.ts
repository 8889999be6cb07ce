// Checks of the names the timeline uses (servers, clients, runtime commands) and of its times, run on
// the raw value so that they are reported with every other problem (see cross.ts).
import { EVENT_ACTIONS } from "./events.js";
import { nearest } from "./hint.js";
import { formatPath, isRecord, nest, type Path, type Problem } from "./problem.js";
import { type BackendNames, parseRuntimeCommand } from "./runtime-command.js";
import { checkSwitchBackend } from "./switch-events.js";
import type { ServerNaming } from "./topology.js";
import type { RuntimeCommand } from "./types.js";
import { tryParseDuration } from "./units.js";

export const get = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);
export const list = (value: unknown): ReadonlyArray<unknown> | undefined =>
  Array.isArray(value) ? value : undefined;
export const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value.trim() : undefined;

export interface References {
  /** Every backend's name, server names by position ("" where a name is missing) and ids. */
  readonly backends: ReadonlyArray<BackendNames>;
  /** How events and expectations name servers. */
  readonly naming: ServerNaming;
  readonly clients: ReadonlyArray<{ readonly name: string; readonly arrivals: string | undefined }>;
  readonly durationMs: number | undefined;
  readonly problems: Problem[];
}

/** The kind of a client's arrivals (`poisson`, `users`…), when it is written as a one-key map. */
export function arrivalsKind(client: unknown): string | undefined {
  const arrivals = get(client, "arrivals");
  return isRecord(arrivals) ? Object.keys(arrivals)[0] : undefined;
}

function checkServer(value: unknown, path: Path, references: References): void {
  const server = text(value);
  const naming = references.naming;
  if (server === undefined || server === "" || naming.accepted.includes(server)) return;
  const owners = naming.ambiguous(server);
  if (owners !== undefined) {
    references.problems.push({
      code: "unknown-server",
      path,
      message: `found "${server}", a server name in several backends (${owners.join(", ")}); expected <backend>/<server>`,
      hint: `write "${owners[0]}/${server}"`,
    });
    return;
  }
  const close = nearest(server, naming.accepted);
  references.problems.push({
    code: "unknown-server",
    path,
    message:
      references.backends.length > 1
        ? `no server "${server}" in the backends; servers are ${naming.known.join(", ")}`
        : `no server "${server}" in the backend; servers are ${naming.known.join(", ")}`,
    ...(close === undefined ? {} : { hint: `did you mean "${close}"?` }),
  });
}

function checkServerList(value: unknown, path: Path, references: References): void {
  const servers = list(value);
  if (servers === undefined) return;
  servers.forEach((server, index) => {
    checkServer(server, [...path, index], references);
  });
  unique(
    servers.map((server) => text(server) ?? ""),
    path,
    "",
    "server",
    references.problems,
  );
}

/** Traffic changes apply to open-loop clients: a closed loop or a trace sets its own pace. */
const OPEN_LOOP = ["poisson", "constant", "ramp"];

function checkClient(value: unknown, path: Path, action: string, references: References): void {
  const name = text(value);
  if (name === undefined || name === "") return;
  const client = references.clients.find((c) => c.name === name);
  if (client === undefined) {
    const known = references.clients.map((c) => c.name).filter((n) => n !== "");
    const close = nearest(name, known);
    references.problems.push({
      code: "unknown-client",
      path,
      message: `no client "${name}"; clients are ${known.join(", ")}`,
      ...(close === undefined ? {} : { hint: `did you mean "${close}"?` }),
    });
    return;
  }
  if (client.arrivals === undefined || OPEN_LOOP.includes(client.arrivals)) return;
  const closed = client.arrivals === "users";
  references.problems.push({
    code: "bad-value",
    path,
    message: `client "${name}" has ${closed ? "closed-loop users" : "trace"} arrivals; ${action} changes the rate of a client with poisson, constant or ramp arrivals`,
    hint: closed
      ? "a closed loop sets its own pace: more users or a shorter think time make more traffic"
      : "a trace replays its own times: edit the trace, or add a poisson client for the extra traffic",
  });
}

/** Events after the end and names that do not exist; returns the parsed runtime commands by event position. */
export function checkEvents(
  events: ReadonlyArray<unknown>,
  context: References,
): Map<number, RuntimeCommand> {
  const runtime = new Map<number, RuntimeCommand>();
  events.forEach((event, index) => {
    const written = get(event, "at");
    const parsed = written === undefined ? undefined : tryParseDuration(written);
    const at = parsed?.ok === true ? parsed.value : undefined;
    if (at !== undefined && context.durationMs !== undefined && at > context.durationMs) {
      context.problems.push({
        code: "bad-value",
        path: ["events", index, "at"],
        message: `found ${at}ms, after the end of the run (duration ${context.durationMs}ms)`,
      });
    }
    for (const action of EVENT_ACTIONS) {
      const value = get(event, action);
      if (value === undefined) continue;
      const path = ["events", index, action];
      switch (action) {
        case "runtime": {
          const command = text(value);
          if (command === undefined || command === "") break;
          const parsed = parseRuntimeCommand(command, context.backends);
          if (parsed.ok) runtime.set(index, parsed.value);
          else context.problems.push(...nest(parsed.problems, path));
          break;
        }
        case "slow":
        case "errors":
        case "loss":
        case "refuse-first":
        case "flap":
          checkServer(get(value, "server"), [...path, "server"], context);
          break;
        case "rate":
        case "spike":
          checkClient(get(value, "client"), [...path, "client"], action, context);
          break;
        case "rolling-upgrade":
        case "kill-random":
          checkServerList(get(value, "servers"), [...path, "servers"], context);
          break;
        case "balance":
        case "redispatch":
          checkSwitchBackend(
            event,
            index,
            context.backends.map((b) => b.name),
            context.problems,
          );
          break;
        default:
          checkServer(value, path, context);
      }
    }
  });
  return runtime;
}

export function unique(
  names: ReadonlyArray<string>,
  at: Path,
  /** The field holding the name in each item; "" when the items are the names. */
  key: string,
  what: string,
  problems: Problem[],
): void {
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === "") return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else {
      problems.push({
        code: "bad-value",
        path: key === "" ? [...at, index] : [...at, index, key],
        message: `found ${what} name "${name}" a second time, expected unique names (first at ${formatPath([...at, earlier])})`,
      });
    }
  });
}
