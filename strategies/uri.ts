// uri: the request-target as the key, like HAProxy's `balance uri [whole] [len N] [depth N] [path-only]` (§3.7).
//
// The key is the raw request-target (path and query, no decoding), cut at the first `?` unless
// `whole`, before the (N+1)-th `/` with `depth N`, after N bytes with `len N`; `path-only` first
// skips the `scheme://authority` of an absolute URI. The cuts are all prefixes, so their order does
// not matter. The bytes are hashed with the hash-type's function (sdbm by default), §3.1.

import { type ByteHash, hashRange } from "./shared/hash.js";
import { createHashed } from "./shared/hashed.js";
import type { RequestView, ServerView, Strategy, StrategyContext } from "./types.js";

export interface UriOptions {
  /** Keep the query string. */
  readonly whole: boolean;
  /** Bytes kept; 0 = all. */
  readonly len: number;
  /** `/`-separated levels kept; 0 = all. */
  readonly depth: number;
  /** Skip `scheme://authority` of an absolute URI. */
  readonly pathOnly: boolean;
}

export const DEFAULT_URI_OPTIONS: UriOptions = { whole: false, len: 0, depth: 0, pathOnly: false };

const SLASH = 0x2f;
const QUESTION = 0x3f;
/** Larger `len`/`depth` values are surely typos (HAProxy reads them into an int). */
const MAX_COUNT = 999_999_999;

/**
 * The words after `uri` (`["len", "10", "depth", "2"]`) in any order, as HAProxy reads them (a
 * repeated option: the last one wins); undefined when malformed. `len` and `depth` take a positive
 * integer, as in HAProxy's parser.
 */
export function parseUriOptions(words: ReadonlyArray<string>): UriOptions | undefined {
  let { whole, len, depth, pathOnly } = DEFAULT_URI_OPTIONS;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "whole") whole = true;
    else if (word === "path-only") pathOnly = true;
    else if (word === "len" || word === "depth") {
      const text = words[++i];
      if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
      const count = Number(text);
      if (count < 1 || count > MAX_COUNT) return undefined;
      if (word === "len") len = count;
      else depth = count;
    } else return undefined;
  }
  return { whole, len, depth, pathOnly };
}

/** `uri` with its options in a fixed order, for names and descriptions. */
export function uriBalance(options: UriOptions): string {
  let text = "uri";
  if (options.whole) text += " whole";
  if (options.len > 0) text += ` len ${options.len}`;
  if (options.depth > 0) text += ` depth ${options.depth}`;
  if (options.pathOnly) text += " path-only";
  return text;
}

export function createUri(
  servers: ReadonlyArray<ServerView>,
  context: StrategyContext,
  options: UriOptions = DEFAULT_URI_OPTIONS,
): Strategy {
  return createHashed(servers, context, uriBalance(options), (request, hash) =>
    uriHash(request, hash, options),
  );
}

/** Where the path starts: after `scheme://authority` for an absolute URI with `path-only`, else 0. */
function pathStart(target: string): number {
  if (target.charCodeAt(0) === SLASH) return 0;
  const scheme = target.indexOf("://");
  if (scheme < 0) return 0;
  for (let i = scheme + 3; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === SLASH || c === QUESTION) return i;
  }
  return target.length;
}

/** The §3.7 key of the request hashed with `hash`. Every request has one (possibly empty: hash of no bytes). */
export function uriHash(request: RequestView, hash: ByteHash, options: UriOptions): number {
  const target = request.path;
  const start = options.pathOnly ? pathStart(target) : 0;
  let end = target.length;
  let slashes = 0;
  for (let i = start; i < end; i++) {
    const c = target.charCodeAt(i);
    if (
      (c === SLASH && options.depth > 0 && ++slashes > options.depth) ||
      (c === QUESTION && !options.whole)
    ) {
      end = i;
      break;
    }
  }
  return hashRange(hash, target, start, end, options.len > 0 ? options.len : Number.POSITIVE_INFINITY);
}
