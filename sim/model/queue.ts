// A FIFO of waiting requests (a server's queue or the backend queue) with O(1) removal from the middle.
//
// Requests leave a queue from the middle (queue timeout, client gives up, redispatch); rather than
// unlinking, the entry is left behind and skipped when it reaches the head: an entry is live only
// while its request still holds the unique `order` ticket it was queued with (a request that left
// and came back, or a recycled slot, holds another). `length` is kept exact, because fullness and
// the `qcur` counters depend on it.

export class WaitQueue {
  // Small at first, doubled when full: a model of 10,000 servers has 10,000 of these (mostly empty).
  #slot = new Int32Array(8);
  /** Global order of enqueueing, so "the older of two heads" is well defined. */
  #order = new Float64Array(8);
  #head = 0;
  #tail = 0;
  #mask = 7;
  length = 0;
  maxLength = 0;

  push(slot: number, order: number): void {
    if (this.#tail - this.#head > this.#mask) this.#grow();
    const i = this.#tail & this.#mask;
    this.#slot[i] = slot;
    this.#order[i] = order;
    this.#tail++;
    this.length++;
    if (this.length > this.maxLength) this.maxLength = this.length;
  }

  /** Marks one live entry as gone; the caller has made the slot no longer a member. */
  removed(): void {
    this.length--;
  }

  /**
   * Drops dead entries at the head and returns the head's slot, or −1 when empty.
   * `isMember(slot, order)` says whether an entry is still live.
   */
  peek(isMember: (slot: number, order: number) => boolean): number {
    while (this.#head < this.#tail) {
      const i = this.#head & this.#mask;
      const slot = this.#slot[i]!;
      if (isMember(slot, this.#order[i]!)) return slot;
      this.#head++;
    }
    return -1;
  }

  /** Order of the head returned by the last `peek` (call only after a successful peek). */
  headOrder(): number {
    return this.#order[this.#head & this.#mask]!;
  }

  /** Removes the head returned by the last `peek`. */
  shift(): void {
    this.#head++;
    this.length--;
  }

  /** Live entries in order (for redistribution when a server goes down); O(entries). */
  drain(isMember: (slot: number, order: number) => boolean, out: number[]): void {
    for (let k = this.#head; k < this.#tail; k++) {
      const i = k & this.#mask;
      const slot = this.#slot[i]!;
      if (isMember(slot, this.#order[i]!)) out.push(slot);
    }
    this.#head = this.#tail;
    this.length = 0;
  }

  #grow(): void {
    const size = (this.#mask + 1) * 2;
    const slot = new Int32Array(size);
    const order = new Float64Array(size);
    for (let k = this.#head; k < this.#tail; k++) {
      const from = k & this.#mask;
      const to = k & (size - 1);
      slot[to] = this.#slot[from]!;
      order[to] = this.#order[from]!;
    }
    this.#slot = slot;
    this.#order = order;
    this.#mask = size - 1;
  }
}
