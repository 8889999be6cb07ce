// One timeline event (`{at: 20s, crash: web01}`, `{at: 40s, runtime: "..."}`, a traffic change or a
// macro such as `rolling-upgrade`) read into a raw event; macros are expanded against the topology later.
import * as z from "zod";
import { duration, positiveDuration, rate, share } from "./leaves.js";
import { fail, listWords, nest, type Problem, type Result, readMap } from "./problem.js";
import {
  isSwitchEvent,
  parseSwitchEvent,
  SWITCH_ACTIONS,
  type SwitchRawEvent,
  switchJsonSchemas,
} from "./switch-events.js";
import { tryParseDuration } from "./units.js";
import { inputJsonSchema, integer, strict, subParse } from "./zod-glue.js";

const SERVER_ACTIONS = ["crash", "hang", "restore", "partition", "heal", "reset"] as const;
/** Every action an event can take, as written after `at`. */
export const EVENT_ACTIONS = [
  ...SERVER_ACTIONS,
  "slow",
  "errors",
  "loss",
  "refuse-first",
  "runtime",
  "flap",
  "rate",
  "spike",
  "rolling-upgrade",
  "kill-random",
  ...SWITCH_ACTIONS,
] as const;
type ServerAction = (typeof SERVER_ACTIONS)[number];

/**
 * `rolling-upgrade` defaults: MAINT as soon as the drained server is idle, after 10 s at the
 * longest (the limit for requests that never end), 30 s in MAINT, no pause between two servers.
 */
export const ROLLING_UPGRADE_DEFAULTS = { drainMs: 10_000, downtimeMs: 30_000, gapMs: 0 } as const;

/** An event before its names and runtime command are checked against the topology and macros expanded. */
export type RawEvent =
  | SwitchRawEvent
  | { readonly atMs: number; readonly kind: ServerAction; readonly server: string }
  | { readonly atMs: number; readonly kind: "slow"; readonly server: string; readonly factor: number }
  | { readonly atMs: number; readonly kind: "errors"; readonly server: string; readonly rate: number }
  | { readonly atMs: number; readonly kind: "loss"; readonly server: string; readonly rate: number }
  | { readonly atMs: number; readonly kind: "refuse-first"; readonly server: string; readonly count: number }
  | { readonly atMs: number; readonly kind: "runtime"; readonly text: string }
  | {
      readonly atMs: number;
      readonly kind: "flap";
      readonly server: string;
      readonly periodMs: number;
      /** `null`: until the end of the run. */
      readonly forMs: number | null;
    }
  | { readonly atMs: number; readonly kind: "rate"; readonly client: string; readonly ratePerSecond: number }
  | {
      readonly atMs: number;
      readonly kind: "spike";
      readonly client: string;
      readonly factor: number;
      readonly forMs: number;
    }
  | {
      readonly atMs: number;
      readonly kind: "rolling-upgrade";
      /** `null`: every non-backup server that does not start disabled, in declaration order. */
      readonly servers: ReadonlyArray<string> | null;
      readonly drainMs: number;
      readonly downtimeMs: number;
      readonly gapMs: number;
    }
  | {
      readonly atMs: number;
      readonly kind: "kill-random";
      readonly count: number;
      /** `null`: the servers stay down. */
      readonly restoreAfterMs: number | null;
      /** The servers to choose from; `null`: every non-backup server. */
      readonly servers: ReadonlyArray<string> | null;
    };

const serverName = z.string().trim().min(1);
const clientName = z.string().trim().min(1);
const serverList = z.array(serverName).min(1);
const slow = strict({ server: serverName, factor: z.number().positive() });
const errors = strict({ server: serverName, rate: z.number().min(0).max(1) });
const loss = strict({ server: serverName, rate: share });
const refuseFirst = strict({ server: serverName, count: integer().min(1) });
const flap = strict({ server: serverName, period: positiveDuration, for: positiveDuration.optional() });
const rateChange = strict({ client: clientName, to: rate });
const spike = strict({ client: clientName, factor: z.number().min(0), for: positiveDuration });
const rollingUpgrade = strict({
  servers: serverList.optional(),
  drain: duration.optional(),
  downtime: duration.optional(),
  gap: duration.optional(),
});
const killRandom = strict({
  count: integer().min(1).optional(),
  "restore-after": positiveDuration.optional(),
  servers: serverList.optional(),
});

const isServerAction = (key: string): key is ServerAction =>
  (SERVER_ACTIONS as ReadonlyArray<string>).includes(key);

/**
 * A server action's parameter may also be written beside it, as the issue that named them writes
 * them: `{at: 10s, loss: web02, rate: 30%}` is `{at: 10s, loss: {server: web02, rate: 30%}}`.
 */
const FLAT_PARAMETERS: Readonly<Record<string, string>> = {
  loss: "rate",
  "refuse-first": "count",
  slow: "factor",
  errors: "rate",
};

/** The nested form of a flat event (see FLAT_PARAMETERS); any other value as it is. */
function unflatten(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.length !== 3 || !keys.includes("at")) return value;
  for (const [action, parameter] of Object.entries(FLAT_PARAMETERS)) {
    if (typeof map[action] !== "string" || !(parameter in map)) continue;
    if (!keys.every((key) => key === "at" || key === action || key === parameter)) continue;
    return { at: map.at, [action]: { server: map[action], [parameter]: map[parameter] } };
  }
  return value;
}

export function parseEvent(written: unknown): Result<RawEvent> {
  // `balance` and `redispatch` take keys beside them (`backend`, `hash-type`): switch-events.ts.
  if (isSwitchEvent(written)) return parseSwitchEvent(written);
  const value = unflatten(written);
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

/** `rolling-upgrade:` and `kill-random:` written with nothing after them take every default. */
const orEmpty = (value: unknown): unknown => (value === null ? {} : value);

function parseAction(kind: string, value: unknown): Result<Action> {
  if (isServerAction(kind)) {
    const server = subParse(serverName, value);
    return server.ok ? { ok: true, value: { kind, server: server.value } } : server;
  }
  switch (kind) {
    case "slow":
      return mapResult(subParse(slow, value), (v) => ({ kind, server: v.server, factor: v.factor }));
    case "errors":
      return mapResult(subParse(errors, value), (v) => ({ kind, server: v.server, rate: v.rate }));
    case "loss":
      return mapResult(subParse(loss, value), (v) => ({ kind, server: v.server, rate: v.rate }));
    case "refuse-first":
      return mapResult(subParse(refuseFirst, value), (v) => ({ kind, server: v.server, count: v.count }));
    case "runtime":
      return mapResult(subParse(z.string().trim().min(1), value), (text) => ({ kind, text }));
    case "flap":
      return mapResult(subParse(flap, value), (v) => ({
        kind,
        server: v.server,
        periodMs: v.period,
        forMs: v.for ?? null,
      }));
    case "rate":
      return mapResult(subParse(rateChange, value), (v) => ({ kind, client: v.client, ratePerSecond: v.to }));
    case "spike":
      return mapResult(subParse(spike, value), (v) => ({
        kind,
        client: v.client,
        factor: v.factor,
        forMs: v.for,
      }));
    case "rolling-upgrade":
      return mapResult(subParse(rollingUpgrade, orEmpty(value)), (v) => ({
        kind,
        servers: v.servers ?? null,
        drainMs: v.drain ?? ROLLING_UPGRADE_DEFAULTS.drainMs,
        downtimeMs: v.downtime ?? ROLLING_UPGRADE_DEFAULTS.downtimeMs,
        gapMs: v.gap ?? ROLLING_UPGRADE_DEFAULTS.gapMs,
      }));
    case "kill-random":
      return mapResult(subParse(killRandom, orEmpty(value)), (v) => ({
        kind,
        count: v.count ?? 1,
        restoreAfterMs: v["restore-after"] ?? null,
        servers: v.servers ?? null,
      }));
    default:
      return fail("bad-value", `unknown action "${kind}"`);
  }
}

function mapResult<T, U>(result: Result<T>, f: (value: T) => U): Result<U> {
  return result.ok ? { ok: true, value: f(result.value) } : result;
}

/** What editors are told about an event: `at` and exactly one action, each with its own fields. */
function eventJsonSchema(): Record<string, unknown> {
  const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);
  const server = (what: string) => serverName.optional().meta({ description: `the server ${what}` });
  const shape = strict({
    at: duration,
    crash: server("refuses connections; requests in flight are cut; checks fail"),
    hang: server("accepts connections but never answers; checks time out"),
    restore: server("is back to normal"),
    partition: server("cannot be reached: connects time out"),
    heal: server("can be reached again"),
    reset: server("accepts connections and resets them before any response (502 SH); HTTP checks fail"),
    slow: slow.optional().meta({ description: "service times multiplied by factor" }),
    errors: errors.optional().meta({ description: "that share of responses (and HTTP checks) are 500" }),
    loss: loss.optional().meta({
      description:
        "each SYN to the server is lost with that probability (30%) and re-sent after 1 s, 3 s, 7 s, until restore",
    }),
    "refuse-first": refuseFirst.optional().meta({
      description:
        "the next `count` connection attempts (requests' and checks') are refused, then it answers",
    }),
    runtime: z.string().optional().meta({
      description:
        'an HAProxy runtime-API command: "set server <backend>/<server> state drain", "add server <backend>/<server>", "del server <backend>/<server>"',
    }),
    flap: flap.optional().meta({
      description:
        "the server crashes for the first half of each period and is restored for the second, for `for` (default: to the end)",
    }),
    rate: rateChange.optional().meta({ description: "an open-loop client's rate becomes `to`" }),
    spike: spike
      .optional()
      .meta({ description: "an open-loop client's rate times factor for `for`, then back" }),
    "rolling-upgrade": orNull(rollingUpgrade).optional().meta({
      description:
        "each server in turn (default: every non-backup server): state drain, maint once idle or `drain` later (10s) at most, `downtime` later (30s) ready, then `gap` (0)",
    }),
    "kill-random": orNull(killRandom).optional().meta({
      description:
        "crashes `count` (1) distinct servers chosen by the seed, restored after `restore-after` if given",
    }),
  });
  const { $schema: _, ...json } = inputJsonSchema(shape);
  // The flat forms of FLAT_PARAMETERS: `{at, loss: web02, rate: 30%}`.
  const flat = (action: string, parameter: string, schema: z.ZodType, what: string) => {
    const { $schema: _s, ...one } = inputJsonSchema(
      strict({
        at: duration,
        [action]: serverName.meta({ description: `the server ${what}` }),
        [parameter]: schema,
      }),
    );
    return one;
  };
  return {
    anyOf: [
      { ...json, minProperties: 2, maxProperties: 2 },
      flat("loss", "rate", share, "whose SYNs are lost with probability `rate`"),
      flat("refuse-first", "count", integer().min(1), "refusing its next `count` connection attempts"),
      flat("slow", "factor", z.number().positive(), "whose service times are multiplied by `factor`"),
      flat("errors", "rate", z.number().min(0).max(1), "answering that share of responses with 500"),
      ...switchJsonSchemas(),
    ],
  };
}

let eventJson: Readonly<Record<string, unknown>> | undefined;

/**
 * The events' JSON Schema, built on first use: only scenarioJsonSchema() needs it, and building it
 * when the module loaded was a tenth of a small `lbsim run`'s start-up (docs/performance.md).
 */
export function eventJsonSchemaOnce(): Readonly<Record<string, unknown>> {
  eventJson ??= eventJsonSchema();
  return eventJson;
}
