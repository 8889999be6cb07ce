// A min-heap by a numeric key, ties broken by insertion order (so reordering is stable): the replay's
// reorder buffer and its per-server worker timelines. The heap itself is tinyqueue's.
import TinyQueue from "tinyqueue";

interface Entry<T> {
  readonly key: number;
  readonly seq: number;
  readonly item: T;
}

const byKeyThenSeq = <T>(a: Entry<T>, b: Entry<T>): number => a.key - b.key || a.seq - b.seq;

export class MinHeap<T> {
  readonly #queue = new TinyQueue<Entry<T>>([], byKeyThenSeq);
  #seq = 0;

  get size(): number {
    return this.#queue.length;
  }

  /** The smallest key, or +Infinity when empty. */
  peekKey(): number {
    return this.#queue.peek()?.key ?? Number.POSITIVE_INFINITY;
  }

  push(key: number, item: T): void {
    this.#queue.push({ key, seq: this.#seq++, item });
  }

  /** Removes and returns the item of the smallest key (undefined when empty). */
  pop(): T | undefined {
    return this.#queue.pop()?.item;
  }
}
