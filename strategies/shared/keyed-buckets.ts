// keyed-buckets: KeyedHeap's (integer key, insertion order) for items that share few keys (leastconn).
//
// leastconn's keys are ⌊(inflight + 1) × 4096 / ew⌋: with equal weights every idle server has key 0
// and the busy ones a handful of other values, so most items share a key. Here each distinct key has
// a FIFO list of its items (equal keys in insertion order, as HAProxy's eb32 trees keep them), and
// only the distinct keys sit in a KeyedHeap: inserting behind an existing key, removing and taking
// the first item are O(1). With 10,000 servers a KeyedHeap of the servers made every request sift
// its root down ~13 levels of a cold heap: its siftDown and insert were 7.6% of a CPU profile of
// leastconn-10000; with buckets no part of the tree shows above 1.3% (DOCS-speed.md).
// Keys below KEY_TABLE find their list through a typed array, larger ones through a Map.

import { KeyedHeap } from "./keyed-heap.js";

/** Keys 0 … KEY_TABLE − 1 are looked up in a table (leastconn's keys stay below it up to ~255 in flight). */
const KEY_TABLE = 1 << 16;
const NONE = -1;

export class KeyedBuckets {
  /** Per item: the key it was inserted with, its neighbours in its key's list, its group or NONE. */
  private readonly keys: Float64Array;
  private readonly next: Int32Array;
  private readonly previous: Int32Array;
  private readonly groupOf: Int32Array;
  /** Per group (one per distinct key present): its key, first and last item. */
  private readonly groupKey: Float64Array;
  private readonly groupHead: Int32Array;
  private readonly groupTail: Int32Array;
  private readonly freeGroups: Int32Array;
  private freeGroupCount: number;
  /** Key → group: a table for small keys (lazily made), a Map for the rest. */
  private smallKeys: Int32Array | null = null;
  private readonly largeKeys = new Map<number, number>();
  /** The groups by key (distinct keys, so insertion order never decides). */
  private readonly order: KeyedHeap;
  private count = 0;
  private walkItem = NONE;

  /** Holds items 0 … capacity − 1. */
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.next = new Int32Array(capacity);
    this.previous = new Int32Array(capacity);
    this.groupOf = new Int32Array(capacity).fill(NONE);
    this.groupKey = new Float64Array(capacity);
    this.groupHead = new Int32Array(capacity);
    this.groupTail = new Int32Array(capacity);
    this.freeGroups = new Int32Array(capacity);
    for (let g = 0; g < capacity; g++) this.freeGroups[g] = capacity - 1 - g;
    this.freeGroupCount = capacity;
    this.order = new KeyedHeap(capacity);
  }

  get size(): number {
    return this.count;
  }

  has(item: number): boolean {
    return this.groupOf[item]! >= 0;
  }

  /** The key the item was inserted with (meaningful only while it is present). */
  keyOf(item: number): number {
    return this.keys[item]!;
  }

  /** Inserts the item behind every item of an equal key; an item already present is moved. */
  insert(item: number, key: number): void {
    if (this.groupOf[item]! >= 0) this.remove(item);
    let group = this.groupFor(key);
    if (group < 0) group = this.newGroup(key);
    const tail = this.groupTail[group]!;
    this.keys[item] = key;
    this.groupOf[item] = group;
    this.previous[item] = tail;
    this.next[item] = NONE;
    if (tail >= 0) this.next[tail] = item;
    else this.groupHead[group] = item;
    this.groupTail[group] = item;
    this.count++;
  }

  /** Removes the item; false when it was absent. */
  remove(item: number): boolean {
    const group = this.groupOf[item]!;
    if (group < 0) return false;
    this.groupOf[item] = NONE;
    const before = this.previous[item]!;
    const after = this.next[item]!;
    if (before >= 0) this.next[before] = after;
    else this.groupHead[group] = after;
    if (after >= 0) this.previous[after] = before;
    else this.groupTail[group] = before;
    this.count--;
    if (this.groupHead[group]! < 0) this.dropGroup(group);
    return true;
  }

  /** The smallest item, or -1 when empty. */
  first(): number {
    const group = this.order.first();
    return group < 0 ? NONE : this.groupHead[group]!;
  }

  /**
   * Starts an in-order walk and returns the smallest item (-1 when empty). The walk is valid until
   * the buckets are next changed; `walkNext` gives the following items.
   */
  walkStart(): number {
    const group = this.order.walkStart();
    this.walkItem = group < 0 ? NONE : this.groupHead[group]!;
    return this.walkItem;
  }

  /** The next item of the walk in (key, insertion) order, or -1 at the end. */
  walkNext(): number {
    if (this.walkItem < 0) return NONE;
    let item = this.next[this.walkItem]!;
    if (item < 0) {
      const group = this.order.walkNext();
      item = group < 0 ? NONE : this.groupHead[group]!;
    }
    this.walkItem = item;
    return item;
  }

  private groupFor(key: number): number {
    if (key >= 0 && key < KEY_TABLE && Number.isInteger(key)) {
      const table = this.smallKeys;
      return table === null ? NONE : table[key]!;
    }
    return this.largeKeys.get(key) ?? NONE;
  }

  private newGroup(key: number): number {
    const group = this.freeGroups[--this.freeGroupCount]!;
    this.groupKey[group] = key;
    this.groupHead[group] = NONE;
    this.groupTail[group] = NONE;
    if (key >= 0 && key < KEY_TABLE && Number.isInteger(key)) {
      if (this.smallKeys === null) this.smallKeys = new Int32Array(KEY_TABLE).fill(NONE);
      this.smallKeys[key] = group;
    } else this.largeKeys.set(key, group);
    this.order.insert(group, key);
    return group;
  }

  private dropGroup(group: number): void {
    const key = this.groupKey[group]!;
    if (key >= 0 && key < KEY_TABLE && Number.isInteger(key)) this.smallKeys![key] = NONE;
    else this.largeKeys.delete(key);
    this.order.remove(group);
    this.freeGroups[this.freeGroupCount++] = group;
  }
}
