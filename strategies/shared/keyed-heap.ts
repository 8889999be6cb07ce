// keyed-heap: items ordered by (integer key, insertion order), the role of HAProxy's eb32 trees.
//
// HAProxy keeps servers in ebtrees where equal keys stay in insertion order (haproxy-semantics.md
// §3.2, §3.4: "equal keys FIFO"). An indexed binary heap ordered by (key, sequence number) gives the
// same order with O(log n) insert, remove and first. Walking in order (leastconn's "first server
// that is not full") is a best-first search: a second small heap of heap positions, popped
// smallest first, whose children are pushed as they are visited; O(log n) per step.
// Items are small integers (a strategy's server slots), so everything lives in typed arrays and
// nothing is allocated after construction.

export class KeyedHeap {
  /** Items in heap order. */
  private readonly heap: Int32Array;
  /** Item → its position in `heap`, or -1 when absent. */
  private readonly position: Int32Array;
  private readonly keys: Float64Array;
  private readonly sequences: Float64Array;
  private readonly walkHeap: Int32Array;
  private count = 0;
  private sequence = 0;
  private walkCount = 0;

  /** Holds items 0 … capacity − 1. */
  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
    this.keys = new Float64Array(capacity);
    this.sequences = new Float64Array(capacity);
    this.walkHeap = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  has(item: number): boolean {
    return this.position[item]! >= 0;
  }

  /** The key the item was inserted with (meaningful only while it is present). */
  keyOf(item: number): number {
    return this.keys[item]!;
  }

  /** Inserts the item behind every item of an equal key; an item already present is moved. */
  insert(item: number, key: number): void {
    if (this.position[item]! >= 0) this.remove(item);
    this.keys[item] = key;
    this.sequences[item] = ++this.sequence;
    const at = this.count++;
    this.heap[at] = item;
    this.position[item] = at;
    this.siftUp(at);
  }

  /** Removes the item; false when it was absent. */
  remove(item: number): boolean {
    const at = this.position[item]!;
    if (at < 0) return false;
    this.position[item] = -1;
    const last = --this.count;
    if (at !== last) {
      const moved = this.heap[last]!;
      this.heap[at] = moved;
      this.position[moved] = at;
      this.siftDown(at);
      this.siftUp(this.position[moved]!);
    }
    return true;
  }

  /** The smallest item, or -1 when empty. */
  first(): number {
    return this.count > 0 ? this.heap[0]! : -1;
  }

  /**
   * Starts an in-order walk and returns the smallest item (-1 when empty). The walk is valid until
   * the heap is next changed; `walkNext` gives the following items.
   */
  walkStart(): number {
    this.walkCount = 0;
    if (this.count === 0) return -1;
    this.walkHeap[this.walkCount++] = 0;
    return this.walkNext();
  }

  /** The next item of the walk in (key, insertion) order, or -1 at the end. */
  walkNext(): number {
    if (this.walkCount === 0) return -1;
    const walk = this.walkHeap;
    const top = walk[0]!;
    const last = walk[--this.walkCount]!;
    if (this.walkCount > 0) this.walkSiftDown(last);
    const left = 2 * top + 1;
    if (left < this.count) this.walkPush(left);
    if (left + 1 < this.count) this.walkPush(left + 1);
    return this.heap[top]!;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && this.sequences[a]! < this.sequences[b]!);
  }

  private siftUp(at: number): void {
    const heap = this.heap;
    const item = heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = heap[parent]!;
      if (!this.less(item, above)) break;
      heap[at] = above;
      this.position[above] = at;
      at = parent;
    }
    heap[at] = item;
    this.position[item] = at;
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    const item = heap[at]!;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.count) break;
      let child = left;
      if (left + 1 < this.count && this.less(heap[left + 1]!, heap[left]!)) child = left + 1;
      const below = heap[child]!;
      if (!this.less(below, item)) break;
      heap[at] = below;
      this.position[below] = at;
      at = child;
    }
    heap[at] = item;
    this.position[item] = at;
  }

  /** Walk-heap entries are positions in `heap`, compared by the items they hold. */
  private walkPush(heapAt: number): void {
    const walk = this.walkHeap;
    let at = this.walkCount++;
    const item = this.heap[heapAt]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(item, this.heap[walk[parent]!]!)) break;
      walk[at] = walk[parent]!;
      at = parent;
    }
    walk[at] = heapAt;
  }

  /** Places `heapAt` (the former last entry) from the root down after the root was popped. */
  private walkSiftDown(heapAt: number): void {
    const walk = this.walkHeap;
    const item = this.heap[heapAt]!;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.walkCount) break;
      let child = left;
      if (left + 1 < this.walkCount && this.less(this.heap[walk[left + 1]!]!, this.heap[walk[left]!]!)) {
        child = left + 1;
      }
      if (!this.less(this.heap[walk[child]!]!, item)) break;
      walk[at] = walk[child]!;
      at = child;
    }
    walk[at] = heapAt;
  }
}
