// hashed spec: avalanche and hash functions (§3.1), map-based vs consistent (§3.11, §8 rule 16),
// one usable server, avoid and fullness, and the round-robin fallback's walk (§3.0).
import { describe, expect, it } from "vitest";
import { createHdr } from "../hdr.js";
import { FakeModel, request, ringOwner } from "../test-support.js";
import type { StrategyContext, StrategyFactory } from "../types.js";
import { createUri } from "../uri.js";
import { createUrlParam } from "../url-param.js";
import { crc32, djb2, fullHash, hashString, sdbm } from "./hash.js";

const M = (1n << 32n) - 1n;
/** §3.1's sdbm written with BigInt shifts, independently of the Math.imul version. */
function sdbmReference(key: string): number {
  let h = 0n;
  for (const c of new TextEncoder().encode(key)) h = (BigInt(c) + (h << 6n) + (h << 16n) - h) & M;
  return Number(h);
}
/** §3.1's full_hash with BigInt. */
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

/** The uri strategy with extra hash-type settings. */
const uriWith =
  (settings: Partial<StrategyContext>): StrategyFactory =>
  (servers, context) =>
    createUri(servers, { ...context, ...settings });
const userid: StrategyFactory = (servers, context) => createUrlParam(servers, context, "userid");
const host: StrategyFactory = (servers, context) =>
  createHdr(servers, context, { name: "host", domainOnly: false });
const paths = Array.from({ length: 2000 }, (_, k) => `/item/${k}`);

describe("hash functions and avalanche", () => {
  it("sdbm and full_hash of known keys match BigInt references", () => {
    // '/' is byte 47: h = 0·65599 + 47. "/a": 47·65599 + 97 = 3083250 (no wrap yet).
    expect(hashString(sdbm, "/")).toBe(47);
    expect(hashString(sdbm, "/a")).toBe(3083250);
    expect(sdbmReference("/a")).toBe(3083250);
    // Longer keys wrap modulo 2^32: the BigInt shifts and the imul product must agree.
    for (const key of ["/item/12345", "/static/app.css?v=3", "userid=u42"]) {
      expect(hashString(sdbm, key), key).toBe(sdbmReference(key));
      expect(fullHash(hashString(sdbm, key)), key).toBe(fullHashReference(sdbmReference(key)));
    }
  });

  it("map-based uses no avalanche: map[sdbm mod T]", () => {
    const m = new FakeModel(uriWith({}), [1, 1, 1, 1, 1, 1, 1]);
    for (const path of paths.slice(0, 50))
      expect(m.pick(undefined, request({ path }))).toBe(sdbmReference(path) % 7);
  });

  it("map-based with the avalanche modifier: map[full_hash(sdbm) mod T]", () => {
    const m = new FakeModel(uriWith({ hashFunction: "sdbm", hashAvalanche: true }), [1, 1, 1, 1, 1, 1, 1]);
    for (const path of paths.slice(0, 50)) {
      expect(m.pick(undefined, request({ path }))).toBe(fullHashReference(sdbmReference(path)) % 7);
    }
  });

  it("consistent alone means sdbm with avalanche: the point nearest full_hash(sdbm)", () => {
    const m = new FakeModel(uriWith({}), [1, 2, 3], { hashType: "consistent" });
    for (const path of paths.slice(0, 100)) {
      expect(m.pick(undefined, request({ path }))).toBe(
        ringOwner(m.servers, fullHashReference(sdbmReference(path))),
      );
    }
  });

  it("consistent with a function named and no modifier does not avalanche (measured on 2.6.12)", () => {
    const m = new FakeModel(uriWith({ hashFunction: "sdbm" }), [1, 2, 3], { hashType: "consistent" });
    for (const path of paths.slice(0, 100)) {
      expect(m.pick(undefined, request({ path }))).toBe(ringOwner(m.servers, sdbmReference(path)));
    }
  });

  it("djb2 and crc32 replace sdbm when the hash-type names them", () => {
    const djb = new FakeModel(uriWith({ hashFunction: "djb2" }), [1, 1, 1, 1, 1]);
    const crc = new FakeModel(uriWith({ hashFunction: "crc32" }), [1, 1, 1, 1, 1]);
    for (const path of paths.slice(0, 50)) {
      expect(djb.pick(undefined, request({ path }))).toBe(hashString(djb2, path) % 5);
      expect(crc.pick(undefined, request({ path }))).toBe(hashString(crc32, path) % 5);
    }
  });
});

/** Each key's server, by path. */
const owners = (m: FakeModel) => paths.map((path) => m.pick(undefined, request({ path })));

describe("map-based vs consistent", () => {
  it("consistent hashing moves about 1/N of the keys when a server leaves, map-based moves most of them", () => {
    for (const hashType of ["map-based", "consistent"] as const) {
      const m = new FakeModel(uriWith({}), [1, 1, 1, 1, 1], { hashType });
      const before = owners(m);
      m.down(2);
      const during = owners(m);
      const moved = paths.filter((_, k) => before[k] !== during[k]).length;
      const movedOthers = paths.filter((_, k) => before[k] !== 2 && before[k] !== during[k]).length;
      const onRemoved = before.filter((s) => s === 2).length;
      if (hashType === "consistent") {
        // Only the removed server's keys move (§8 rule 16): about 1/5 of them.
        expect(movedOthers).toBe(0);
        expect(moved).toBe(onRemoved);
        expect(moved / paths.length).toBeGreaterThan(0.1);
        expect(moved / paths.length).toBeLessThan(0.35);
      } else {
        // map[h mod 5] → map[h mod 4]: a key stays only if both give the same server (~1 in 5).
        expect(movedOthers / (paths.length - onRemoved)).toBeGreaterThan(0.6);
      }
      m.up(2);
      // All of them come back.
      expect(owners(m)).toEqual(before);
    }
  });

  it("consistent keeps exactly the points j < new ew on a weight change: only that server's keys move", () => {
    const m = new FakeModel(uriWith({}), [2, 2, 2], { hashType: "consistent" });
    const before = owners(m);
    m.setWeight(1, 1);
    const after = owners(m);
    paths.forEach((_, k) => {
      if (before[k] !== after[k]) expect(before[k]).toBe(1);
    });
    expect(m.strategy.dynamic).toBe(true);
    expect(new FakeModel(uriWith({}), [1]).strategy.dynamic).toBe(false);
  });
});

describe("hash lookups", () => {
  it("a hash with one usable server returns it, full, avoided or without a key", () => {
    for (const hashType of ["map-based", "consistent"] as const) {
      const m = new FakeModel(host, [{ maxconn: 1 }, { weight: 1, down: true }], { hashType });
      m.take(0);
      expect(m.pick(0, request({ host: "a.example" }))).toBe(0);
      expect(m.pick(0, request({ host: "" }))).toBe(0);
    }
  });

  it("a keyed lookup ignores fullness: the full server queues the request itself", () => {
    const m = new FakeModel(uriWith({}), [{ maxconn: 1 }, { maxconn: 1 }, { maxconn: 1 }]);
    const path = "/item/1";
    const owner = m.pick(undefined, request({ path }));
    m.take(owner);
    expect(m.pick(undefined, request({ path }))).toBe(owner);
    expect(m.strategy.ignoresFullness).toBe(true);
  });

  it("consistent skips the avoided server to the next point of another; map-based does not avoid (HAProxy's map lookup)", () => {
    const ring = new FakeModel(uriWith({}), [1, 1, 1], { hashType: "consistent" });
    const map = new FakeModel(uriWith({}), [1, 1, 1]);
    for (const path of paths.slice(0, 100)) {
      const r = request({ path });
      const onRing = ring.pick(undefined, r);
      const other = ring.pick(onRing, r);
      expect(other).not.toBe(onRing);
      expect(other).toBeGreaterThanOrEqual(0);
      const onMap = map.pick(undefined, r);
      expect(map.pick(onMap, r)).toBe(onMap);
    }
  });

  it("the round-robin fallback skips full and avoided servers, and returns nothing when all are full", () => {
    for (const hashType of ["map-based", "consistent"] as const) {
      const m = new FakeModel(userid, [{ maxconn: 1 }, { maxconn: 1 }], { hashType });
      m.take(0);
      expect(m.pick(undefined, request({ path: "/" }))).toBe(1);
      expect(m.pick(1, request({ path: "/" }))).toBe(1);
      m.take(1);
      expect(m.pick(undefined, request({ path: "/" }))).toBe(-1);
    }
  });

  it("the ring walk resumes after the last point used, skipping one when that point's server leaves (measured)", () => {
    const m = new FakeModel(userid, [1, 1, 1, 1], { hashType: "consistent" });
    const walk = (count: number) =>
      Array.from({ length: count }, () => `${m.pick(undefined, request({ path: "/" })) + 1}`).join("");
    // Ring order of ids 1–4, weight 1 (64 points), which HAProxy 2.6.12 walked exactly so.
    expect(walk(40)).toBe("3443424131412311122313323124331421342432");
    m.setWeight(1, 0);
    // The 40th point was s2's: the walk moved on to the next point (an s4) and the next pick takes
    // the one after it, then goes on around the ring without s2. HAProxy 2.6.12 answered this.
    expect(walk(40)).toBe("1131443131431444344344131413111313331433");
  });

  it("url_param walks on with one usable server; hdr does not (both measured on 2.6.12)", () => {
    for (const [factory, missing] of [
      [userid, request({ path: "/" })],
      [host, request({ host: "" })],
    ] as const) {
      const a = new FakeModel(factory, [1, 1, 1], { hashType: "consistent" });
      const b = new FakeModel(factory, [1, 1, 1], { hashType: "consistent" });
      a.down(1);
      a.down(2);
      for (let k = 0; k < 5; k++) a.pick(undefined, missing);
      a.up(1);
      a.up(2);
      const walked = Array.from({ length: 6 }, () => a.pick(undefined, missing));
      const fresh = Array.from({ length: 6 }, () => b.pick(undefined, missing));
      if (factory === userid) expect(walked).not.toEqual(fresh);
      else expect(walked).toEqual(fresh);
    }
  });
});
