// url_param: a query-string parameter's value as the key, like HAProxy's `balance url_param <name>` (§3.8).
//
// After the first `?` the parameters are split on `&`; the first one named exactly <name> and
// followed by `=` gives the key: its raw value up to the next `&` or the end, hashed with the
// hash-type's function. No query, or no such parameter → round-robin fallback (§3.0); a present but
// empty value hashes the empty key (0 with sdbm, unverified). HAProxy's `check_post` (look in a POST
// body) is not supported: lbsim's requests carry no body.

import { type ByteHash, hashRange } from "./shared/hash.js";
import { createHashed } from "./shared/hashed.js";
import type { RequestView, ServerView, Strategy, StrategyContext } from "./types.js";

const EQUALS = 0x3d;

/** The words after `url_param`: exactly one parameter name. */
export function parseUrlParam(words: ReadonlyArray<string>): string | undefined {
  return words.length === 1 && words[0] !== "" ? words[0] : undefined;
}

export function createUrlParam(
  servers: ReadonlyArray<ServerView>,
  context: StrategyContext,
  param: string,
): Strategy {
  if (param === "") throw new Error("url_param needs a parameter name");
  // HAProxy looks for the parameter before it counts usable servers: a request without it walks
  // the round-robin even when one server is left (measured on 2.6.12).
  return createHashed(
    servers,
    context,
    `url_param ${param}`,
    (request, hash) => urlParamHash(request, hash, param),
    false,
  );
}

/** The hash of the parameter's value, or -1 when the request has no such parameter. */
export function urlParamHash(request: RequestView, hash: ByteHash, param: string): number {
  const target = request.path;
  const query = target.indexOf("?");
  if (query < 0) return -1;
  let at = query + 1;
  for (;;) {
    if (target.startsWith(param, at) && target.charCodeAt(at + param.length) === EQUALS) {
      const start = at + param.length + 1;
      const next = target.indexOf("&", start);
      return hashRange(hash, target, start, next < 0 ? target.length : next);
    }
    const next = target.indexOf("&", at);
    if (next < 0) return -1;
    at = next + 1;
  }
}
