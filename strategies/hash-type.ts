// hash-type: reads `hash-type <method> [<function> [avalanche]]` into StrategyContext's hash fields (§1, §3.1).
//
// For the scenario loader and the haproxy.cfg importer: `consistent` alone leaves function and
// modifier unset, which the strategies read as HAProxy's default `consistent sdbm avalanche`; a
// named function without `avalanche` means no avalanche (measured against HAProxy 2.6.12).

import type { HashFunctionName, StrategyContext } from "./types.js";

export type HashTypeSettings = Pick<StrategyContext, "hashType" | "hashFunction" | "hashAvalanche">;

export type ParsedHashType =
  | { readonly kind: "ok"; readonly settings: HashTypeSettings }
  | { readonly kind: "error"; readonly message: string; readonly hint?: string };

const METHODS = ["map-based", "consistent"] as const;
const FUNCTIONS: ReadonlyArray<HashFunctionName> = ["sdbm", "djb2", "wt6", "crc32"];

const error = (message: string, hint?: string): ParsedHashType =>
  hint === undefined ? { kind: "error", message } : { kind: "error", message, hint };

/** `map-based`, `consistent`, `consistent djb2`, `map-based crc32 avalanche`… as haproxy.cfg writes them. */
export function parseHashType(text: string): ParsedHashType {
  const words = text.trim().split(/\s+/);
  const [method, name, modifier, extra] = words;
  const hashType = METHODS.find((m) => m === method);
  if (hashType === undefined) {
    return error(`unknown hash-type method "${method ?? ""}", expected "map-based" or "consistent"`);
  }
  if (name === undefined) return { kind: "ok", settings: { hashType } };
  if (name === "avalanche") {
    return error(
      '"avalanche" must follow a hash function',
      `write "${hashType} sdbm avalanche"${hashType === "consistent" ? ` (or just "consistent", which means it)` : ""}`,
    );
  }
  const hashFunction = FUNCTIONS.find((f) => f === name);
  if (hashFunction === undefined) {
    return error(`unknown hash function "${name}"`, `expected one of ${FUNCTIONS.join(", ")}`);
  }
  if (modifier !== undefined && modifier !== "avalanche") {
    return error(`unknown hash-type modifier "${modifier}"`, 'the only modifier is "avalanche"');
  }
  if (extra !== undefined) return error(`unexpected "${extra}" after the hash-type modifier`);
  return { kind: "ok", settings: { hashType, hashFunction, hashAvalanche: modifier === "avalanche" } };
}
