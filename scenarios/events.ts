// One timeline event (`{at: 20s, crash: web01}`, `{at: 40s, runtime: "..."}`) read into a raw event.
import * as z from "zod";
import { fail, listWords, nest, type Problem, type Result, readMap } from "./problem.js";
import { tryParseDuration } from "./units.js";
import { strict, subParse } from "./zod-glue.js";

const SERVER_ACTIONS = ["crash", "hang", "restore", "partition", "heal"] as const;
export const EVENT_ACTIONS = [...SERVER_ACTIONS, "slow", "errors", "runtime"] as const;
type ServerAction = (typeof SERVER_ACTIONS)[number];

/** An event before its server names and runtime command are checked against the topology. */
export type RawEvent =
  | { readonly atMs: number; readonly kind: ServerAction; readonly server: string }
  | { readonly atMs: number; readonly kind: "slow"; readonly server: string; readonly factor: number }
  | { readonly atMs: number; readonly kind: "errors"; readonly server: string; readonly rate: number }
  | { readonly atMs: number; readonly kind: "runtime"; readonly text: string };

const serverName = z.string().trim().min(1);
const slow = strict({ server: serverName, factor: z.number().positive() });
const errors = strict({ server: serverName, rate: z.number().min(0).max(1) });

const isServerAction = (key: string): key is ServerAction =>
  (SERVER_ACTIONS as ReadonlyArray<string>).includes(key);

export function parseEvent(value: unknown): Result<RawEvent> {
  const map = readMap(value, ["at", ...EVENT_ACTIONS], ["at"], "an event such as {at: 20s, crash: web01}");
  if (!map.ok) return map;
  const problems: Problem[] = [];
  const at = tryParseDuration(map.value.at);
  if (!at.ok) problems.push(...nest(at.problems, ["at"]));
  const actions = Object.keys(map.value).filter((key) => key !== "at");
  const kind = actions[0];
  if (kind === undefined || actions.length > 1) {
    const found = kind === undefined ? "no action" : `${actions.length} actions (${actions.join(", ")})`;
    problems.push({
      code: "bad-value",
      path: [],
      message: `found ${found}, expected one of ${listWords(EVENT_ACTIONS)}`,
    });
    return { ok: false, problems };
  }
  const action = parseAction(kind, map.value[kind]);
  if (!action.ok) problems.push(...nest(action.problems, [kind]));
  if (!at.ok || !action.ok || problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { atMs: at.value, ...action.value } };
}

type Action = RawEvent extends infer E ? (E extends RawEvent ? Omit<E, "atMs"> : never) : never;

function parseAction(kind: string, value: unknown): Result<Action> {
  if (isServerAction(kind)) {
    const server = subParse(serverName, value);
    return server.ok ? { ok: true, value: { kind, server: server.value } } : server;
  }
  switch (kind) {
    case "slow": {
      const parsed = subParse(slow, value);
      return parsed.ok
        ? { ok: true, value: { kind, server: parsed.value.server, factor: parsed.value.factor } }
        : parsed;
    }
    case "errors": {
      const parsed = subParse(errors, value);
      return parsed.ok
        ? { ok: true, value: { kind, server: parsed.value.server, rate: parsed.value.rate } }
        : parsed;
    }
    case "runtime": {
      const text = subParse(z.string().trim().min(1), value);
      return text.ok ? { ok: true, value: { kind, text: text.value } } : text;
    }
    default:
      return fail("bad-value", `unknown action "${kind}"`);
  }
}
