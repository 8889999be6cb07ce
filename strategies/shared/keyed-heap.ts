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
  /**
   * Each heap position's key and sequence, beside its item: a sift compares neighbours in memory
   * rather than looking keys up by item (roundrobin on 10,000 servers sifts ~13 levels per pick).
   */
  private readonly heapKeys: Float64Array;
  private readonly heapSequences: Float64Array;
  /** Item → its position in `heap`, or -1 when absent. */
  private readonly position: Int32Array;
  private readonly walkHeap: Int32Array;
  private count = 0;
  private sequence = 0;
  private walkCount = 0;

  /** Holds items 0 … capacity − 1. */
  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
    this.heapKeys = new Float64Array(capacity);
    this.heapSequences = new Float64Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
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
    return this.heapKeys[this.position[item]!]!;
  }

  /** Inserts the item behind every item of an equal key; an item already present is moved. */
  insert(item: number, key: number): void {
    if (this.position[item]! >= 0) this.remove(item);
    this.siftUp(this.count++, item, key, ++this.sequence);
  }

  /** Removes the item; false when it was absent. */
  remove(item: number): boolean {
    const at = this.position[item]!;
    if (at < 0) return false;
    this.position[item] = -1;
    const last = --this.count;
    if (at !== last) {
      const moved = this.heap[last]!;
      const key = this.heapKeys[last]!;
      const sequence = this.heapSequences[last]!;
      // The last entry goes into the hole: down if it is larger than a child there, else up.
      const down = this.siftDown(at, moved, key, sequence);
      if (down === at) this.siftUp(at, moved, key, sequence);
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

  /** Is the entry at heap position `a` before the one at `b`. */
  private before(a: number, b: number): boolean {
    const ka = this.heapKeys[a]!;
    const kb = this.heapKeys[b]!;
    return ka < kb || (ka === kb && this.heapSequences[a]! < this.heapSequences[b]!);
  }

  private place(at: number, item: number, key: number, sequence: number): void {
    this.heap[at] = item;
    this.heapKeys[at] = key;
    this.heapSequences[at] = sequence;
    this.position[item] = at;
  }

  /** Moves the entry at heap position `from` to `at`. */
  private moveTo(at: number, from: number): void {
    const item = this.heap[from]!;
    this.place(at, item, this.heapKeys[from]!, this.heapSequences[from]!);
  }

  /** Places (item, key, sequence) at `at` or above it. */
  private siftUp(at: number, item: number, key: number, sequence: number): void {
    const keys = this.heapKeys;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = keys[parent]!;
      if (key > parentKey || (key === parentKey && sequence > this.heapSequences[parent]!)) break;
      this.moveTo(at, parent);
      at = parent;
    }
    this.place(at, item, key, sequence);
  }

  /** Places (item, key, sequence) at `at` or below it; returns where it went. */
  private siftDown(at: number, item: number, key: number, sequence: number): number {
    const keys = this.heapKeys;
    const sequences = this.heapSequences;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.count) break;
      let child = left;
      if (left + 1 < this.count && this.before(left + 1, left)) child = left + 1;
      const childKey = keys[child]!;
      if (!(childKey < key || (childKey === key && sequences[child]! < sequence))) break;
      this.moveTo(at, child);
      at = child;
    }
    this.place(at, item, key, sequence);
    return at;
  }

  /** Walk-heap entries are positions in `heap`, compared by the entries there. */
  private walkPush(heapAt: number): void {
    const walk = this.walkHeap;
    let at = this.walkCount++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(heapAt, walk[parent]!)) break;
      walk[at] = walk[parent]!;
      at = parent;
    }
    walk[at] = heapAt;
  }

  /** Places `heapAt` (the former last entry) from the root down after the root was popped. */
  private walkSiftDown(heapAt: number): void {
    const walk = this.walkHeap;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.walkCount) break;
      let child = left;
      if (left + 1 < this.walkCount && this.before(walk[left + 1]!, walk[left]!)) child = left + 1;
      if (!this.before(walk[child]!, heapAt)) break;
      walk[at] = walk[child]!;
      at = child;
    }
    walk[at] = heapAt;
  }
}
