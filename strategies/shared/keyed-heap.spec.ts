// keyed-heap spec: (key, insertion) order against a sorted-list reference.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyedHeap } from "./keyed-heap.js";

type Operation = { insert: number; key: number } | { remove: number };

const operation = (capacity: number): fc.Arbitrary<Operation> =>
  fc.oneof(
    fc.record({ insert: fc.nat(capacity - 1), key: fc.nat(5) }),
    fc.record({ remove: fc.nat(capacity - 1) }),
  );

/** Reference: a list kept in (key, insertion) order by stable sorting. */
function reference(operations: readonly Operation[]): number[] {
  let entries: { item: number; key: number; sequence: number }[] = [];
  operations.forEach((operation, sequence) => {
    const item = "insert" in operation ? operation.insert : operation.remove;
    entries = entries.filter((entry) => entry.item !== item);
    if ("insert" in operation) entries.push({ item, key: operation.key, sequence });
  });
  entries.sort((a, b) => a.key - b.key || a.sequence - b.sequence);
  return entries.map((entry) => entry.item);
}

function walk(heap: KeyedHeap): number[] {
  const items: number[] = [];
  for (let item = heap.walkStart(); item >= 0; item = heap.walkNext()) items.push(item);
  return items;
}

describe("KeyedHeap", () => {
  it("first() of an empty heap is -1 and a walk over it ends at once", () => {
    const heap = new KeyedHeap(4);
    expect(heap.first()).toBe(-1);
    expect(heap.walkStart()).toBe(-1);
    expect(heap.remove(2)).toBe(false);
  });

  it("keeps equal keys in insertion order, and a reinserted item goes behind them", () => {
    const heap = new KeyedHeap(4);
    for (const item of [2, 0, 3, 1]) heap.insert(item, 7);
    expect(walk(heap)).toEqual([2, 0, 3, 1]);
    heap.insert(2, 7);
    expect(walk(heap)).toEqual([0, 3, 1, 2]);
    heap.insert(1, 3);
    expect(heap.first()).toBe(1);
    expect(heap.keyOf(1)).toBe(3);
  });

  it("walks in (key, insertion) order and first() is the smallest, after any operations", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(operation(n), { maxLength: 200 }))),
        ([n, operations]) => {
          const heap = new KeyedHeap(n);
          for (const operation of operations) {
            if ("insert" in operation) heap.insert(operation.insert, operation.key);
            else heap.remove(operation.remove);
          }
          const expected = reference(operations);
          expect(walk(heap)).toEqual(expected);
          expect(heap.first()).toBe(expected[0] ?? -1);
          expect(heap.size).toBe(expected.length);
          for (let item = 0; item < n; item++) expect(heap.has(item)).toBe(expected.includes(item));
        },
      ),
    );
  });
});
