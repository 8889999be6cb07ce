// A binary min-heap ordered by a numeric key, ties broken by insertion order (so reordering is stable).

export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #keys: number[] = [];
  readonly #seqs: number[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  /** The smallest key, or +Infinity when empty. */
  peekKey(): number {
    return this.#keys.length === 0 ? Number.POSITIVE_INFINITY : this.#keys[0]!;
  }

  push(key: number, item: T): void {
    const items = this.#items;
    const keys = this.#keys;
    const seqs = this.#seqs;
    const seq = this.#seq++;
    let i = items.length;
    items.push(item);
    keys.push(key);
    seqs.push(seq);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(key, seq, keys[parent]!, seqs[parent]!)) break;
      items[i] = items[parent]!;
      keys[i] = keys[parent]!;
      seqs[i] = seqs[parent]!;
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
    seqs[i] = seq;
  }

  /** Removes and returns the item of the smallest key (undefined when empty). */
  pop(): T | undefined {
    const items = this.#items;
    const keys = this.#keys;
    const seqs = this.#seqs;
    if (items.length === 0) return undefined;
    const top = items[0];
    const lastItem = items.pop()!;
    const lastKey = keys.pop()!;
    const lastSeq = seqs.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child =
          right < n && this.#less(keys[right]!, seqs[right]!, keys[left]!, seqs[left]!) ? right : left;
        if (!this.#less(keys[child]!, seqs[child]!, lastKey, lastSeq)) break;
        items[i] = items[child]!;
        keys[i] = keys[child]!;
        seqs[i] = seqs[child]!;
        i = child;
      }
      items[i] = lastItem;
      keys[i] = lastKey;
      seqs[i] = lastSeq;
    }
    return top;
  }

  #less(keyA: number, seqA: number, keyB: number, seqB: number): boolean {
    return keyA < keyB || (keyA === keyB && seqA < seqB);
  }
}
