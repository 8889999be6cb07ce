// hdr: a request header's value as the key, like HAProxy's `balance hdr(<name>) [use_domain_only]` (§3.9).
//
// The first comma-separated element of the header's first occurrence, trimmed, raw bytes and port
// included (`a.example` and `a.example:8443` differ), hashed with the hash-type's function. Absent or
// empty → round-robin fallback (§3.0). `use_domain_only` keeps the label before the last dot
// (`haproxy.1wt.eu` → `1wt`, `example.com:8443` → `example`; no dot → the whole value); where
// that label would be empty the measured HAProxy 2.6.12 keeps more (see hostHash).
// lbsim's requests carry only the Host header: `hdr(host)` (any case) works, and any other header
// is absent until requests carry headers, so it always falls back to round-robin.

import { type ByteHash, hashRange } from "./shared/hash.js";
import { createHashed } from "./shared/hashed.js";
import type { RequestView, ServerView, Strategy, StrategyContext } from "./types.js";

export interface HdrOptions {
  /** The header name as written (matched case-insensitively). */
  readonly name: string;
  readonly domainOnly: boolean;
}

/** An HTTP field name (RFC 9110 token). */
const HDR = /^hdr\(([!#$%&'*+.^_`|~0-9A-Za-z-]+)\)$/;
const SPACE = 0x20;
const TAB = 0x09;
const DOT = ".";

/** The words of `hdr(<name>) [use_domain_only]`; undefined when malformed. */
export function parseHdr(words: ReadonlyArray<string>): HdrOptions | undefined {
  const match = HDR.exec(words[0] ?? "");
  if (match === null || words.length > 2) return undefined;
  if (words.length === 2 && words[1] !== "use_domain_only") return undefined;
  return { name: match[1]!, domainOnly: words.length === 2 };
}

export function createHdr(
  servers: ReadonlyArray<ServerView>,
  context: StrategyContext,
  options: HdrOptions,
): Strategy {
  const isHost = options.name.toLowerCase() === "host";
  const name = `hdr(${options.name})${options.domainOnly ? " use_domain_only" : ""}`;
  return createHashed(servers, context, name, (request, hash) =>
    isHost ? hostHash(request, hash, options.domainOnly) : -1,
  );
}

const isBlank = (c: number) => c === SPACE || c === TAB;

/** The hash of the Host value's key, or -1 when it is absent or empty. */
export function hostHash(request: RequestView, hash: ByteHash, domainOnly: boolean): number {
  const value = request.host;
  let start = 0;
  let end = value.indexOf(",");
  if (end < 0) end = value.length;
  while (start < end && isBlank(value.charCodeAt(start))) start++;
  while (end > start && isBlank(value.charCodeAt(end - 1))) end--;
  if (start === end) return -1;
  if (domainOnly) {
    // HAProxy scans back from the end: the last dot after the first character ends the label, and
    // the label starts after the dot before it, which must leave the label non-empty (`x..y` → `x.`).
    // No such last dot: the whole value (`.example` too).
    const lastDot = value.lastIndexOf(DOT, end - 1);
    if (lastDot > start) {
      const before = lastDot - 2 >= start ? value.lastIndexOf(DOT, lastDot - 2) : -1;
      if (before >= start) start = before + 1;
      end = lastDot;
    }
  }
  return hashRange(hash, value, start, end);
}
