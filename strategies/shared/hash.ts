// hash: HAProxy's 32-bit key hashes (sdbm, djb2, wt6, crc32) and the full_hash avalanche, §3.1.
//
// All arithmetic is modulo 2^32 as in C's `unsigned int`: `>>> 0` after each step, `Math.imul` for
// products. Keys are hashed over their raw bytes; a JavaScript string is taken as UTF-8 (what the
// bytes on the wire were), encoded into one reusable buffer so that hashing allocates nothing.
// `wt6` is not defined in haproxy-semantics.md; lbsim's is written from the algorithm's published
// description (two rotating accumulators whose rotation steps depend on the data) and is proven
// against a real HAProxy by test/haproxy/hash.spec.ts, request for request.

/** A hash over the first `length` bytes of `bytes`. */
export type ByteHash = (bytes: Uint8Array, length: number) => number;

/** sdbm, HAProxy's default: h = h·65599 + c (§3.1). The empty key hashes to 0. */
export function sdbm(bytes: Uint8Array, length: number): number {
  let h = 0;
  for (let i = 0; i < length; i++) h = (bytes[i]! + Math.imul(h, 65599)) >>> 0;
  return h;
}

/** djb2 (Bernstein): h = 5381, then h·33 + c, the classic definition HAProxy names `djb2`. */
export function djb2(bytes: Uint8Array, length: number): number {
  let h = 5381;
  for (let i = 0; i < length; i++) h = (Math.imul(h, 33) + bytes[i]!) >>> 0;
  return h;
}

/**
 * wt6 (Willy Tarreau's 6-cycle hash): two accumulators; each byte is folded into both (one by XOR,
 * one by addition, each complemented), they swap places rotated left by the two current steps,
 * and the next steps come from a mix of both, so the rotations depend on the data seen so far.
 * A rotation by 0 leaves the word as it is (JavaScript's `>>> 32` is `>>> 0`, as on x86).
 */
export function wt6(bytes: Uint8Array, length: number): number {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (let i = 0; i < length; i++) {
    const c = bytes[i]!;
    h0 = ~(h0 ^ c) >>> 0;
    h1 = ~(h1 + c) >>> 0;
    const rotated1 = ((h1 << step0) | (h1 >>> (32 - step0))) >>> 0;
    h1 = ((h0 << step1) | (h0 >>> (32 - step1))) >>> 0;
    h0 = rotated1;
    const mix = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = mix & 0x1f;
    step1 = mix >>> 11;
  }
  return (h0 ^ h1) >>> 0;
}

const crcTable = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? (0xedb88320 ^ (c >>> 1)) >>> 0 : c >>> 1;
  crcTable[n] = c;
}

/** The standard (IEEE 802.3, reflected) CRC-32 that HAProxy's `crc32` hash-type computes. */
export function crc32(bytes: Uint8Array, length: number): number {
  let c = 0xffffffff;
  for (let i = 0; i < length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Bob Jenkins' integer avalanche, HAProxy's `full_hash` (§3.1): applied to key hashes with the
 * `avalanche` modifier or `hash-type consistent`, and to ring points (§3.11).
 */
export function fullHash(a: number): number {
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 0xc0000001) >>> 0;
}

let scratch = new Uint8Array(256);

/**
 * Encodes `key` (or its code units `start` … `end − 1`) as UTF-8 into a shared buffer and returns
 * the byte count; the bytes stay valid until the next call. Lone surrogates become U+FFFD, as
 * TextEncoder does. A range lets a strategy hash part of a path without slicing a new string.
 */
export function keyBytes(key: string, start = 0, end: number = key.length): number {
  if (scratch.length < (end - start) * 3) scratch = new Uint8Array((end - start) * 3);
  const out = scratch;
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = key.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = i + 1 < end ? key.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 0x3f);
    out[n++] = 0x80 | (c & 0x3f);
  }
  return n;
}

/** The buffer `keyBytes` last wrote. */
export function keyBuffer(): Uint8Array {
  return scratch;
}

/** Hashes a string key's UTF-8 bytes with `hash`, allocating nothing (for short keys). */
export function hashString(hash: ByteHash, key: string): number {
  const length = keyBytes(key);
  return hash(scratch, length);
}

/**
 * Hashes the UTF-8 bytes of `key`'s code units `start` … `end − 1`, at most `maxBytes` of them
 * (`uri len N` counts bytes as received, §3.7).
 */
export function hashRange(
  hash: ByteHash,
  key: string,
  start: number,
  end: number,
  maxBytes = Infinity,
): number {
  const length = keyBytes(key, start, end);
  return hash(scratch, Math.min(length, maxBytes));
}
