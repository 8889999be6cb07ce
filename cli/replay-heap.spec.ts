import { describe, expect, it } from "vitest";
import { MinHeap } from "./replay-heap.js";

describe("MinHeap (the replay's reorder buffer and worker timelines)", () => {
  it("pops by key, equal keys in the order they were pushed", () => {
    const heap = new MinHeap<string>();
    for (const [key, item] of [
      [5, "e"],
      [1, "a1"],
      [3, "c"],
      [1, "a2"],
      [3, "c2"],
      [1, "a3"],
    ] as const)
      heap.push(key, item);
    expect(heap.size).toBe(6);
    expect(heap.peekKey()).toBe(1);
    const out: string[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual(["a1", "a2", "a3", "c", "c2", "e"]);
  });

  it("is empty with no key: peekKey is +Infinity, pop undefined", () => {
    const heap = new MinHeap<number>();
    expect(heap.peekKey()).toBe(Number.POSITIVE_INFINITY);
    expect(heap.pop()).toBeUndefined();
    heap.push(2, 2);
    heap.pop();
    expect(heap.peekKey()).toBe(Number.POSITIVE_INFINITY);
  });
});
