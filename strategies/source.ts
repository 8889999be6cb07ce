// source: the client address as the key, no string hashing, like HAProxy's `balance source` (§3.6).
//
// IPv4 a.b.c.d is the integer a·2^24 + b·2^16 + c·2^8 + d; IPv6 is the XOR of its four 32-bit
// big-endian words. Then avalanche if the hash-type says so, and the map or the ring (§3.11). The
// hash function of `hash-type` plays no part. A request without a usable address falls back to
// round-robin, as HAProxy does for a client that is not IPv4/IPv6.

import { createHashed } from "./shared/hashed.js";
import type { RequestView, ServerView, Strategy, StrategyContext } from "./types.js";

const COLON = 0x3a;
const DOT = 0x2e;

export function createSource(servers: ReadonlyArray<ServerView>, context: StrategyContext): Strategy {
  return createHashed(servers, context, "source", sourceKey);
}

/**
 * The §3.6 key of the request's address, or -1 when it has none. `sourceKey` is the IPv4 integer;
 * the text is read only when that is 0 (the model gives 0 for IPv6 and unparsable addresses), so the
 * usual IPv4 pick makes no string.
 */
export function sourceKey(request: RequestView): number {
  const key = request.sourceKey;
  if (key !== 0) return key >>> 0;
  const text = request.sourceIp;
  return text.indexOf(":") >= 0 ? ipv6Key(text) : ipv4Key(text, 0, text.length);
}

/** Dotted IPv4 between `start` and `end` as an unsigned integer, or -1. */
export function ipv4Key(text: string, start: number, end: number): number {
  let key = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    let value = 0;
    let digits = 0;
    while (i < end && digits < 4) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || value > 255) return -1;
    key = key * 256 + value;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== DOT) return -1;
      i++;
    }
  }
  return i === end ? key : -1;
}

const groups = new Uint16Array(8);

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * IPv6 text (RFC 4291 forms: `::` once, an IPv4 tail, optional `[…]` and `%zone`) folded to the XOR
 * of its four 32-bit words, or -1 when it is not an IPv6 address.
 */
export function ipv6Key(text: string): number {
  let start = 0;
  let end = text.length;
  if (text.charCodeAt(0) === 0x5b) {
    if (text.charCodeAt(end - 1) !== 0x5d) return -1;
    start = 1;
    end--;
  }
  const zone = text.indexOf("%", start);
  if (zone >= 0 && zone < end) end = zone;
  let count = 0;
  let gap = -1;
  let i = start;
  if (text.charCodeAt(i) === COLON) {
    if (text.charCodeAt(i + 1) !== COLON) return -1;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    let j = i;
    for (; j < end && digits < 5; j++, digits++) {
      const d = hexDigit(text.charCodeAt(j));
      if (d < 0) break;
      value = value * 16 + d;
    }
    if (j < end && text.charCodeAt(j) === DOT) {
      // An embedded IPv4 address ends the text and fills the last two groups.
      const v4 = ipv4Key(text, i, end);
      if (v4 < 0 || count > 6) return -1;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return -1;
    groups[count++] = value;
    i = j;
    if (i === end) break;
    if (text.charCodeAt(i) !== COLON) return -1;
    i++;
    if (text.charCodeAt(i) === COLON) {
      if (gap >= 0) return -1;
      gap = count;
      i++;
    } else if (i === end) {
      return -1;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return -1;
  // Group p of the expanded address; the groups after `::` move to the end.
  const zeros = 8 - count;
  let high = 0;
  let low = 0;
  for (let p = 0; p < 8; p++) {
    const g = gap < 0 || p < gap ? groups[p]! : p < gap + zeros ? 0 : groups[p - zeros]!;
    if (p % 2 === 0) high ^= g;
    else low ^= g;
  }
  return ((high << 16) | low) >>> 0;
}
