// Timeline events that change a backend's configuration from then on, as a reload with an edited
// haproxy.cfg would: `{at, balance: leastconn}` (with `hash-type`, `backend`) and
// `{at, redispatch: true | false | P}` (with `backend`). Parsed, checked and expanded here.
import * as z from "zod";
import { type HashTypeSettings, parseHashType } from "../strategies/hash-type.js";
import { resolveStrategy, strategyNames } from "../strategies/index.js";
import { didYouMean } from "./hint.js";
import { duration } from "./leaves.js";
import { describe, nest, ok, type Problem, type Result, readMap } from "./problem.js";
import type { BackendSpec, TimelineEvent } from "./types.js";
import { tryParseDuration } from "./units.js";
import { inputJsonSchema, integer, strict } from "./zod-glue.js";

/** The two actions, as written after `at`. */
export const SWITCH_ACTIONS = ["balance", "redispatch"] as const;

/** A switch event before its backend is resolved against the topology (`null`: the only backend). */
export type SwitchRawEvent =
  | {
      readonly atMs: number;
      readonly kind: "balance";
      readonly backend: string | null;
      readonly balance: string;
      readonly hashType: HashTypeSettings | null;
    }
  | {
      readonly atMs: number;
      readonly kind: "redispatch";
      readonly backend: string | null;
      readonly redispatch: boolean | number;
    };

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** True when `written` is a switch event (it has a `balance` or `redispatch` key). */
export function isSwitchEvent(written: unknown): boolean {
  return isMap(written) && SWITCH_ACTIONS.some((action) => action in written);
}

/** `{at: 30s, balance: leastconn, hash-type: consistent, backend: api}` or `{at: 30s, redispatch: true}`. */
export function parseSwitchEvent(written: unknown): Result<SwitchRawEvent> {
  const kind = isMap(written) && "balance" in written ? "balance" : "redispatch";
  const known =
    kind === "balance" ? ["at", "balance", "hash-type", "backend"] : ["at", "redispatch", "backend"];
  const example =
    kind === "balance"
      ? "a switch of algorithm such as {at: 30s, balance: leastconn}"
      : "a change of option redispatch such as {at: 30s, redispatch: true}";
  const map = readMap(written, known, ["at", kind], example);
  if (!map.ok) return map;
  const value = map.value;
  const problems: Problem[] = [];
  const at = tryParseDuration(value.at);
  if (!at.ok) problems.push(...nest(at.problems, ["at"]));
  const backend = value.backend;
  if (backend !== undefined && (typeof backend !== "string" || backend.trim() === ""))
    problems.push({
      code: "bad-type",
      path: ["backend"],
      message: `found ${describe(backend)}, expected a backend's name`,
    });
  const backendName = typeof backend === "string" ? backend.trim() : null;
  if (kind === "balance") {
    const balance = value.balance;
    if (typeof balance !== "string" || balance.trim() === "")
      problems.push({
        code: "bad-type",
        path: ["balance"],
        message: `found ${describe(balance)}, expected an algorithm as a backend's balance writes it (roundrobin, leastconn, random(2)…)`,
      });
    else if (resolveStrategy(balance.trim()) === undefined) {
      // One of HAProxy's algorithms as `balance` writes it (a user's strategy file is loaded for the
      // backends' own balance only): the same parser the backends' names go through.
      const keyword = balance.trim().split(/[\s(]/, 1)[0] ?? "";
      const close = didYouMean(keyword, strategyNames());
      problems.push({
        code: "unknown-strategy",
        path: ["balance"],
        message: `unknown algorithm "${balance.trim()}"`,
        hint: close ?? `a switch takes one of ${strategyNames().join(", ")}`,
      });
    }
    let hashType: HashTypeSettings | null = null;
    const written = value["hash-type"];
    if (written !== undefined) {
      const parsed = typeof written === "string" ? parseHashType(written) : undefined;
      if (parsed?.kind === "ok") hashType = parsed.settings;
      else
        problems.push({
          code: parsed === undefined ? "bad-type" : "bad-value",
          path: ["hash-type"],
          message:
            parsed === undefined
              ? `found ${describe(written)}, expected "map-based" or "consistent"`
              : parsed.message,
          ...(parsed?.hint === undefined ? {} : { hint: parsed.hint }),
        });
    }
    if (!at.ok || problems.length > 0) return { ok: false, problems };
    return ok({ atMs: at.value, kind, backend: backendName, balance: (balance as string).trim(), hashType });
  }
  const redispatch = value.redispatch;
  const valid =
    typeof redispatch === "boolean" || (typeof redispatch === "number" && Number.isInteger(redispatch));
  if (!valid)
    problems.push({
      code: "bad-type",
      path: ["redispatch"],
      message: `found ${describe(redispatch)}, expected true, false or an interval (as the backend's redispatch: 1, -1…)`,
    });
  if (!at.ok || problems.length > 0) return { ok: false, problems };
  return ok({ atMs: at.value, kind, backend: backendName, redispatch: redispatch as boolean | number });
}

/**
 * The event's backend checked against the topology: it must exist, and with several backends it
 * must be named (the event changes one backend). `backends` are the written backends' names.
 */
export function checkSwitchBackend(
  event: unknown,
  index: number,
  backends: ReadonlyArray<string>,
  problems: Problem[],
): void {
  if (!isMap(event)) return;
  const written = event.backend;
  if (written === undefined) {
    if (backends.length > 1)
      problems.push({
        code: "missing-key",
        path: ["events", index],
        message: `missing key "backend": with several backends, say which one changes (${backends.join(", ")})`,
      });
    return;
  }
  if (typeof written !== "string" || backends.includes(written.trim())) return;
  problems.push({
    code: "bad-value",
    path: ["events", index, "backend"],
    message: `found backend "${written}", expected one of ${backends.join(", ")}`,
  });
}

/** `true` = `option redispatch` (−1: on the last retry); P = `option redispatch P`; false or 0: off. */
function redispatchSpec(raw: boolean | number): BackendSpec["redispatch"] {
  if (raw === false || raw === 0) return null;
  return { interval: raw === true ? -1 : raw };
}

/** The event as the timeline runs it: its backend named (the only one when it named none). */
export function expandSwitch(event: SwitchRawEvent, backends: ReadonlyArray<BackendSpec>): TimelineEvent {
  const backend = event.backend ?? backends[0]?.name ?? "backend";
  if (event.kind === "redispatch")
    return { atMs: event.atMs, kind: "redispatch", backend, redispatch: redispatchSpec(event.redispatch) };
  const hash = event.hashType;
  return {
    atMs: event.atMs,
    kind: "balance",
    backend,
    balance: event.balance,
    ...(hash === null ? {} : { hashType: hash.hashType }),
    ...(hash?.hashFunction === undefined ? {} : { hashFunction: hash.hashFunction }),
    ...(hash?.hashAvalanche === undefined ? {} : { hashAvalanche: hash.hashAvalanche }),
  };
}

/** What editors are told about the two events (entries of the events' `anyOf`). */
export function switchJsonSchemas(): ReadonlyArray<Record<string, unknown>> {
  const backend = z
    .string()
    .min(1)
    .optional()
    .meta({ description: "the backend that changes; required with several backends" });
  const schema = (shape: z.ZodRawShape) => {
    const { $schema: _, ...json } = inputJsonSchema(strict(shape));
    return json;
  };
  return [
    schema({
      at: duration,
      balance: z.string().min(1).meta({
        description:
          "the backend's algorithm from then on, as its balance writes it (leastconn, random(2), source…): a reload with a new balance line",
      }),
      "hash-type": z
        .string()
        .regex(/^(map-based|consistent)( (sdbm|djb2|wt6|crc32)( avalanche)?)?$/)
        .optional()
        .meta({ description: "the hash-type from then on (default: the backend's own)" }),
      backend,
    }),
    schema({
      at: duration,
      redispatch: z.union([z.boolean(), integer()]).meta({
        description:
          "option redispatch from then on, as the backend's redispatch writes it: true, false, or the interval P",
      }),
      backend,
    }),
  ];
}
