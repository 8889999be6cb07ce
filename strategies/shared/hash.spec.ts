// hash spec: §3.1 hash functions against independent BigInt references and check values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, djb2, fullHash, hashString, keyBuffer, keyBytes, sdbm, wt6 } from "./hash.js";

const M = (1n << 32n) - 1n;

/** §3.1's full_hash written with BigInt, independently of the Math.imul version. */
function fullHashReference(value: number): number {
  let a = BigInt(value);
  a = (a + 0x7ed55d16n + (a << 12n)) & M;
  a = (a ^ 0xc761c23cn ^ (a >> 19n)) & M;
  a = (a + 0x165667b1n + (a << 5n)) & M;
  a = ((a + 0xd3a2646cn) ^ (a << 9n)) & M;
  a = (a + 0xfd7046c5n + (a << 3n)) & M;
  a = (a ^ 0xb55a4f09n ^ (a >> 16n)) & M;
  return Number((a * 3221225473n) & M);
}

function sdbmReference(bytes: Uint8Array): number {
  let h = 0n;
  for (const c of bytes) h = (BigInt(c) + (h << 6n) + (h << 16n) - h) & M;
  return Number(h);
}

describe("hash functions", () => {
  it("sdbm hashes the empty key to 0 and is h·65599 + c", () => {
    expect(hashString(sdbm, "")).toBe(0);
    expect(hashString(sdbm, "a")).toBe(97);
    expect(hashString(sdbm, "ab")).toBe(97 * 65599 + 98);
  });

  it("sdbm matches §3.1's shift formula modulo 2^32 for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(sdbm(bytes, bytes.length)).toBe(sdbmReference(bytes));
      }),
    );
  });

  it("djb2 starts at 5381 and multiplies by 33", () => {
    expect(hashString(djb2, "")).toBe(5381);
    expect(hashString(djb2, "a")).toBe(5381 * 33 + 97);
  });

  it("wt6 of the empty key is the XOR of its two starting words, and every byte and its place count", () => {
    expect(hashString(wt6, "")).toBe((0xa53c965a ^ 0x5ca6953a) >>> 0);
    const seen = new Set(["/a", "/b", "ab", "ba", "/item/1", "/item/2"].map((k) => hashString(wt6, k)));
    expect(seen.size).toBe(6);
    // Agreement with HAProxy's own wt6 is shown by test/haproxy/hash.spec.ts.
  });

  it("crc32 is the standard CRC-32 (check value of '123456789')", () => {
    expect(hashString(crc32, "123456789")).toBe(0xcbf43926);
    expect(hashString(crc32, "")).toBe(0);
  });

  it("fullHash matches the BigInt reference of §3.1 for any 32-bit input", () => {
    for (const value of [0, 1, 4096, 4097, 0x7fffffff, 0x80000000, 0xffffffff]) {
      expect(fullHash(value)).toBe(fullHashReference(value));
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        const hash = fullHash(value);
        expect(hash).toBe(fullHashReference(value));
        expect(Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff).toBe(true);
      }),
    );
  });

  it("keyBytes encodes strings as TextEncoder does, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (key) => {
        const length = keyBytes(key);
        expect(Array.from(keyBuffer().subarray(0, length))).toEqual(
          Array.from(new TextEncoder().encode(key)),
        );
      }),
    );
  });
});
