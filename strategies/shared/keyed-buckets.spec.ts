// keyed-buckets spec: the same (key, insertion) order as KeyedHeap, small and large keys alike.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyedBuckets } from "./keyed-buckets.js";
import { KeyedHeap } from "./keyed-heap.js";

type Operation = { insert: number; key: number } | { remove: number };

/** Keys from a few values, as leastconn's are: small ones (table) and huge or fractional ones (Map). */
const keyOf = fc.oneof(fc.nat(5), fc.constantFrom(65_535, 65_536, 2 ** 32 + 7, 0.5, 3.25));

const operation = (capacity: number): fc.Arbitrary<Operation> =>
  fc.oneof(
    fc.record({ insert: fc.nat(capacity - 1), key: keyOf }),
    fc.record({ remove: fc.nat(capacity - 1) }),
  );

function walk(tree: KeyedHeap | KeyedBuckets): number[] {
  const items: number[] = [];
  for (let item = tree.walkStart(); item >= 0; item = tree.walkNext()) items.push(item);
  return items;
}

describe("KeyedBuckets", () => {
  it("first() of an empty one is -1, a walk over it ends at once, removing an absent item is false", () => {
    const buckets = new KeyedBuckets(4);
    expect(buckets.first()).toBe(-1);
    expect(buckets.walkStart()).toBe(-1);
    expect(buckets.walkNext()).toBe(-1);
    expect(buckets.remove(2)).toBe(false);
  });

  it("keeps equal keys in insertion order; a reinserted item goes behind them; a key's last item leaving drops it", () => {
    const buckets = new KeyedBuckets(5);
    for (const item of [2, 0, 3, 1]) buckets.insert(item, 7);
    buckets.insert(4, 70_000);
    expect(walk(buckets)).toEqual([2, 0, 3, 1, 4]);
    buckets.insert(2, 7);
    expect(walk(buckets)).toEqual([0, 3, 1, 2, 4]);
    buckets.insert(1, 3);
    expect(buckets.first()).toBe(1);
    expect(buckets.keyOf(1)).toBe(3);
    buckets.remove(1);
    expect(walk(buckets)).toEqual([0, 3, 2, 4]);
    for (const item of [0, 3, 2]) buckets.remove(item);
    expect(buckets.first()).toBe(4);
    expect(buckets.size).toBe(1);
  });

  it("walks, firsts and counts exactly as KeyedHeap after any operations", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(operation(n), { maxLength: 300 }))),
        ([n, operations]) => {
          const heap = new KeyedHeap(n);
          const buckets = new KeyedBuckets(n);
          for (const operation of operations) {
            if ("insert" in operation) {
              heap.insert(operation.insert, operation.key);
              buckets.insert(operation.insert, operation.key);
            } else expect(buckets.remove(operation.remove)).toBe(heap.remove(operation.remove));
            expect(buckets.first()).toBe(heap.first());
          }
          expect(walk(buckets)).toEqual(walk(heap));
          expect(buckets.size).toBe(heap.size);
          for (let item = 0; item < n; item++) {
            expect(buckets.has(item)).toBe(heap.has(item));
            if (heap.has(item)) expect(buckets.keyOf(item)).toBe(heap.keyOf(item));
          }
        },
      ),
    );
  });
});
