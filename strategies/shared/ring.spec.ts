// ring spec: §3.11 lookups against a brute-force ring, and what moves on changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fullHash } from "./hash.js";
import { ConsistentRing } from "./ring.js";

/** Brute force over every point of §3.11: the nearer of next (first ≥ K) and prev, tie → prev. */
function nearest(ids: readonly number[], points: readonly number[], key: number): number {
  const all: { hash: number; slot: number }[] = [];
  points.forEach((count, slot) => {
    for (let j = 0; j < count; j++) all.push({ hash: fullHash(ids[slot]! * 4096 + j), slot });
  });
  if (all.length === 0) return -1;
  all.sort((a, b) => a.hash - b.hash);
  const nextAt = all.findIndex((point) => point.hash >= key);
  const next = all[Math.max(nextAt, 0)]!;
  const prev = all[(nextAt <= 0 ? all.length : nextAt) - 1]!;
  const toPrev = (key - prev.hash) >>> 0;
  const toNext = (next.hash - key) >>> 0;
  return toPrev <= toNext ? prev.slot : next.slot;
}

const weights = fc.array(fc.integer({ min: 0, max: 48 }), { minLength: 1, maxLength: 6 });
const key = fc.integer({ min: 0, max: 0xffffffff });

describe("ConsistentRing", () => {
  it("is empty until points are set, then finds the nearest point as §3.11 says", () => {
    fc.assert(
      fc.property(weights, fc.array(key, { minLength: 1, maxLength: 30 }), (points, keys) => {
        const ids = points.map((_, slot) => slot + 1);
        const ring = new ConsistentRing(ids);
        expect(ring.lookup(keys[0]!, -1)).toBe(-1);
        for (const [slot, count] of points.entries()) ring.setPoints(slot, count);
        expect(ring.pointCount).toBe(points.reduce((a, b) => a + b, 0));
        for (const k of keys) expect(ring.lookup(k, -1)).toBe(nearest(ids, points, k));
      }),
    );
  });

  it("a large ring (thousands of lookup buckets) finds the same nearest point, at each point's hash too", () => {
    const points = Array.from({ length: 1500 }, (_, slot) => 1 + (slot % 20));
    const ids = points.map((_, slot) => slot + 1);
    const ring = new ConsistentRing(ids);
    for (const [slot, count] of points.entries()) ring.setPoints(slot, count);
    // Keys at, just below and just above some points (bucket edges fall between points), and spread keys.
    const keys = [0, 1, 0xffffffff, 0x80000000];
    for (let position = 0; position < ring.pointCount; position += 97) {
      const hash = ring.hashAt(position);
      keys.push(hash, (hash - 1) >>> 0, (hash + 1) >>> 0);
    }
    for (let k = 0; k < 300; k++) keys.push(fullHash(k * 7919 + 13));
    // Brute force as `nearest` does, over the points sorted once (this ring has 15,750 of them).
    const all: { hash: number; slot: number }[] = [];
    points.forEach((count, slot) => {
      for (let j = 0; j < count; j++) all.push({ hash: fullHash(ids[slot]! * 4096 + j), slot });
    });
    all.sort((a, b) => a.hash - b.hash);
    for (const k of keys) {
      const nextAt = all.findIndex((point) => point.hash >= k);
      const next = all[Math.max(nextAt, 0)]!;
      const prev = all[(nextAt <= 0 ? all.length : nextAt) - 1]!;
      const expected = (k - prev.hash) >>> 0 <= (next.hash - k) >>> 0 ? prev.slot : next.slot;
      expect(ring.lookup(k, -1)).toBe(expected);
    }
  });

  it("a key exactly on a point goes to that point, and halfway between two goes to the previous one", () => {
    const ring = new ConsistentRing([1, 2]);
    ring.setPoints(0, 1);
    ring.setPoints(1, 1);
    const a = fullHash(4096);
    const b = fullHash(8192);
    expect(ring.lookup(a, -1)).toBe(0);
    expect(ring.lookup(b, -1)).toBe(1);
    const [low, lowSlot, high] = a < b ? [a, 0, b] : [b, 1, a];
    if ((high - low) % 2 === 0) expect(ring.lookup(low + (high - low) / 2, -1)).toBe(lowSlot);
  });

  it("removing a server moves only its keys, and they all come back when it returns", () => {
    fc.assert(
      fc.property(
        weights,
        fc.nat(5),
        fc.array(key, { minLength: 1, maxLength: 50 }),
        (points, pick, keys) => {
          const removed = pick % points.length;
          const ring = new ConsistentRing(points.map((_, slot) => slot + 1));
          for (const [slot, count] of points.entries()) ring.setPoints(slot, count);
          const before = keys.map((k) => ring.lookup(k, -1));
          ring.setPoints(removed, 0);
          const during = keys.map((k) => ring.lookup(k, -1));
          ring.setPoints(removed, points[removed]!);
          const after = keys.map((k) => ring.lookup(k, -1));
          expect(after).toEqual(before);
          before.forEach((slot, i) => {
            if (slot !== removed) expect(during[i]).toBe(slot);
            else expect(during[i]).not.toBe(removed);
          });
        },
      ),
    );
  });

  it("a weight change keeps exactly the points j < new weight", () => {
    fc.assert(
      fc.property(
        weights,
        fc.nat(5),
        fc.integer({ min: 0, max: 48 }),
        fc.array(key, { maxLength: 30 }),
        (points, pick, weight, keys) => {
          const changed = pick % points.length;
          const ids = points.map((_, slot) => slot + 7);
          const ring = new ConsistentRing(ids);
          for (const [slot, count] of points.entries()) ring.setPoints(slot, count);
          ring.setPoints(changed, weight);
          const now = points.map((count, slot) => (slot === changed ? weight : count));
          for (const k of keys) expect(ring.lookup(k, -1)).toBe(nearest(ids, now, k));
        },
      ),
    );
  });

  it("walks forward past the avoided server and returns it only when it is alone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 32 }), { minLength: 2, maxLength: 5 }),
        key,
        (points, k) => {
          const ring = new ConsistentRing(points.map((_, slot) => slot + 1));
          for (const [slot, count] of points.entries()) ring.setPoints(slot, count);
          const plain = ring.lookup(k, -1);
          const avoided = ring.lookup(k, plain);
          expect(avoided).not.toBe(plain);
          expect(avoided).toBeGreaterThanOrEqual(0);
          // The walk goes forward, so it is the owner of the next point of another server.
          const skipped = ring.lookup(k, -1, (slot) => slot === plain);
          expect(skipped).toBe(avoided);
        },
      ),
    );
    const alone = new ConsistentRing([1, 2]);
    alone.setPoints(1, 16);
    expect(alone.lookup(12345, 1)).toBe(1);
    expect(alone.lookup(12345, 1, (slot) => slot === 1)).toBe(-1);
    expect(alone.lookup(12345, 0)).toBe(1);
  });

  it("depends on ids, not on slot positions", () => {
    const a = new ConsistentRing([3, 9]);
    const b = new ConsistentRing([9, 3]);
    a.setPoints(0, 16);
    a.setPoints(1, 32);
    b.setPoints(1, 16);
    b.setPoints(0, 32);
    for (let k = 0; k < 2 ** 32; k += 2 ** 32 / 97) {
      expect(1 - a.lookup(Math.floor(k), -1)).toBe(b.lookup(Math.floor(k), -1));
    }
  });
});
