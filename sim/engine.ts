// The event engine: simulated clock, a typed-array 4-ary heap, and FIFO timer lanes.
//
// Events are ordered by (atMs, seq); `seq` is one counter shared by the heap and every lane, so
// simultaneous events run in the order they were scheduled (SimPy's `eid`, STYLE.md §1).
//
// Timer lanes exist because nearly every request arms timeouts that almost never fire. Timers of
// one lane share one duration, so they expire in the order they were armed: a ring buffer (FIFO)
// holds them in order, `cancel` only marks an entry, and cancelled entries are dropped when they
// reach the head. Arming and cancelling are O(1) with no heap traffic at all. Every pop scans the
// lanes' heads, so their number is bounded (LANE_LIMIT); durations beyond it still work, as heap
// events (a scenario with 70 clients each with its own `timeout` is valid).

/** Handler of one event kind; `payload` is an index into a model table (a request slot, a server). */
export type Handler = (payload: number) => void;

/**
 * A scheduled event. Heap handles are non-negative: slot + generation · 2^22 (a stale handle's
 * generation no longer matches, so cancelling it is a no-op). Lane handles are negative.
 */
export type Handle = number;

const SLOT_BITS = 22;
const SLOT_LIMIT = 1 << SLOT_BITS;
const SLOT_MASK = SLOT_LIMIT - 1;
const CANCELLED = 255;
const LANE_BITS = 6;
const LANE_LIMIT = 1 << LANE_BITS;

interface Lane {
  readonly durationMs: number;
  readonly kind: number;
  mask: number;
  atMs: Float64Array;
  seq: Float64Array;
  payload: Int32Array;
  cancelled: Uint8Array;
  /** Absolute index of the head (next to fire) and one past the tail. */
  head: number;
  tail: number;
}

export class Engine {
  #nowMs = 0;
  #seq = 0;
  #events = 0;
  #handlers: Handler[] = [];

  // Event slots (struct of arrays: what to run, and the generation for stale handles) and the heap
  // ordered by (atMs, seq). The heap keeps each entry's key beside its slot, by heap position, so a
  // sift compares four siblings that sit next to each other in memory instead of looking each key up
  // by slot (with 10,000 servers ~9,000 events are pending and those lookups miss the cache).
  #slotKind = new Uint8Array(1024);
  #slotPayload = new Int32Array(1024);
  #slotGeneration = new Uint32Array(1024);
  #freeSlots = new Int32Array(1024);
  #freeCount = 0;
  #slotCount = 0;
  #heapSlot = new Int32Array(1024);
  #heapAtMs = new Float64Array(1024);
  #heapSeq = new Float64Array(1024);
  #heapSize = 0;

  #lanes: Lane[] = [];
  /**
   * Each lane's head (its next timer to fire) by lane index: its time and seq, Infinity when the lane
   * is empty. A lane's head is never a cancelled timer (`cancel` and `step` move past them at once),
   * so `step` compares these two arrays and touches no lane until one fires.
   */
  readonly #laneHeadAtMs = new Float64Array(LANE_LIMIT).fill(Number.POSITIVE_INFINITY);
  readonly #laneHeadSeq = new Float64Array(LANE_LIMIT);
  /** Lanes asked for beyond LANE_LIMIT: their timers go on the heap. Lane id = LANE_LIMIT + index. */
  #heapLanes: Array<{ readonly durationMs: number; readonly kind: number }> = [];

  get nowMs(): number {
    return this.#nowMs;
  }

  /** Events handled so far. */
  get events(): number {
    return this.#events;
  }

  /** Registers the handler of `kind` (0..254). Done once, when the model is built. */
  on(kind: number, handler: Handler): void {
    if (!(kind >= 0 && kind < CANCELLED)) throw new Error(`event kind out of range: ${kind}`);
    this.#handlers[kind] = handler;
  }

  /** Schedules `kind(payload)` at `atMs` (never before now). */
  schedule(atMs: number, kind: number, payload: number): Handle {
    if (!(atMs >= this.#nowMs)) throw new Error(`cannot schedule in the past: ${atMs} < ${this.#nowMs}`);
    let slot: number;
    if (this.#freeCount > 0) slot = this.#freeSlots[--this.#freeCount]!;
    else {
      slot = this.#slotCount++;
      if (slot >= this.#slotKind.length) this.#growSlots();
    }
    this.#slotKind[slot] = kind;
    this.#slotPayload[slot] = payload;
    if (this.#heapSize >= this.#heapSlot.length) this.#growHeap();
    this.#siftUp(this.#heapSize++, slot, atMs, this.#seq++);
    return slot + this.#slotGeneration[slot]! * SLOT_LIMIT;
  }

  /** The seq the next scheduled event or armed timer will take (see `scheduleWithSeq`). */
  get nextSeq(): number {
    return this.#seq;
  }

  /**
   * Schedules `kind(payload)` at `atMs` with a `seq` chosen by the caller instead of the next one:
   * among events at the same time it runs where that seq falls. The stepping API gives an action
   * applied now the place the same event written in the scenario's timeline would have had (a
   * fraction between two seqs the timeline took at build). Not on the hot path.
   */
  scheduleWithSeq(atMs: number, kind: number, payload: number, seq: number): Handle {
    if (!(atMs >= this.#nowMs)) throw new Error(`cannot schedule in the past: ${atMs} < ${this.#nowMs}`);
    let slot: number;
    if (this.#freeCount > 0) slot = this.#freeSlots[--this.#freeCount]!;
    else {
      slot = this.#slotCount++;
      if (slot >= this.#slotKind.length) this.#growSlots();
    }
    this.#slotKind[slot] = kind;
    this.#slotPayload[slot] = payload;
    if (this.#heapSize >= this.#heapSlot.length) this.#growHeap();
    this.#siftUp(this.#heapSize++, slot, atMs, seq);
    return slot + this.#slotGeneration[slot]! * SLOT_LIMIT;
  }

  /**
   * A lane of timers that all last `durationMs` and fire `kind`. Lanes are shared: asking twice for
   * the same (duration, kind) gives the same lane.
   */
  lane(durationMs: number, kind: number): number {
    if (!(durationMs >= 0 && Number.isFinite(durationMs))) throw new Error(`bad lane duration ${durationMs}`);
    const found = this.#lanes.findIndex((l) => l.durationMs === durationMs && l.kind === kind);
    if (found >= 0) return found;
    if (this.#lanes.length >= LANE_LIMIT) {
      const heapFound = this.#heapLanes.findIndex((l) => l.durationMs === durationMs && l.kind === kind);
      if (heapFound >= 0) return LANE_LIMIT + heapFound;
      this.#heapLanes.push({ durationMs, kind });
      return LANE_LIMIT + this.#heapLanes.length - 1;
    }
    const size = 256;
    this.#lanes.push({
      durationMs,
      kind,
      mask: size - 1,
      atMs: new Float64Array(size),
      seq: new Float64Array(size),
      payload: new Int32Array(size),
      cancelled: new Uint8Array(size),
      head: 0,
      tail: 0,
    });
    return this.#lanes.length - 1;
  }

  /** Arms a timer on `lane`: it fires the lane's kind with `payload` after the lane's duration. */
  arm(lane: number, payload: number): Handle {
    if (lane >= LANE_LIMIT) {
      const h = this.#heapLanes[lane - LANE_LIMIT]!;
      return this.schedule(this.#nowMs + h.durationMs, h.kind, payload);
    }
    const l = this.#lanes[lane]!;
    if (l.tail - l.head > l.mask) growLane(l);
    const i = l.tail & l.mask;
    const atMs = this.#nowMs + l.durationMs;
    const seq = this.#seq++;
    l.atMs[i] = atMs;
    l.seq[i] = seq;
    l.payload[i] = payload;
    l.cancelled[i] = 0;
    if (l.head === l.tail) {
      this.#laneHeadAtMs[lane] = atMs;
      this.#laneHeadSeq[lane] = seq;
    }
    const handle = -(1 + lane + l.tail * LANE_LIMIT);
    l.tail++;
    return handle;
  }

  /** Cancels a pending event or timer. Cancelling one that already fired or was cancelled is a no-op. */
  cancel(handle: Handle): void {
    if (handle >= 0) {
      const slot = handle & SLOT_MASK;
      if (slot >= this.#slotCount) return;
      if (this.#slotGeneration[slot]! !== Math.floor(handle / SLOT_LIMIT)) return;
      this.#slotKind[slot] = CANCELLED;
      return;
    }
    const code = -handle - 1;
    const lane = code % LANE_LIMIT;
    const index = (code - lane) / LANE_LIMIT;
    const l = this.#lanes[lane];
    if (l === undefined || index < l.head || index >= l.tail) return;
    l.cancelled[index & l.mask] = 1;
    if (index === l.head) this.#skipCancelled(lane, l);
  }

  /** Moves the lane's head past cancelled timers and records the new head (Infinity: empty). */
  #skipCancelled(lane: number, l: Lane): void {
    while (l.head < l.tail && l.cancelled[l.head & l.mask] === 1) l.head++;
    if (l.head === l.tail) {
      this.#laneHeadAtMs[lane] = Number.POSITIVE_INFINITY;
      return;
    }
    const i = l.head & l.mask;
    this.#laneHeadAtMs[lane] = l.atMs[i]!;
    this.#laneHeadSeq[lane] = l.seq[i]!;
  }

  /** Runs the next event if there is one at or before `endMs`; returns false when there is none. */
  step(endMs = Number.POSITIVE_INFINITY): boolean {
    // The earliest lane head (never a cancelled timer; Infinity for an empty lane).
    let bestLane = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    let bestSeq = Number.POSITIVE_INFINITY;
    const lanes = this.#lanes;
    const headAtMs = this.#laneHeadAtMs;
    const laneCount = lanes.length;
    for (let k = 0; k < laneCount; k++) {
      const at = headAtMs[k]!;
      if (
        at < bestAt ||
        (at === bestAt && at !== Number.POSITIVE_INFINITY && this.#laneHeadSeq[k]! < bestSeq)
      ) {
        bestAt = at;
        bestSeq = this.#laneHeadSeq[k]!;
        bestLane = k;
      }
    }
    // The heap top, skipping cancelled events.
    while (this.#heapSize > 0 && this.#slotKind[this.#heapSlot[0]!] === CANCELLED)
      this.#release(this.#popTop());
    if (this.#heapSize > 0) {
      const top = this.#heapSlot[0]!;
      const at = this.#heapAtMs[0]!;
      if (at < bestAt || (at === bestAt && this.#heapSeq[0]! < bestSeq)) {
        if (at > endMs) return false;
        this.#popTop();
        const kind = this.#slotKind[top]!;
        const payload = this.#slotPayload[top]!;
        this.#release(top);
        this.#nowMs = at;
        this.#events++;
        this.#handlers[kind]!(payload);
        return true;
      }
    }
    if (bestLane < 0 || bestAt > endMs) return false;
    const l = lanes[bestLane]!;
    const payload = l.payload[l.head & l.mask]!;
    l.head++;
    this.#skipCancelled(bestLane, l);
    this.#nowMs = bestAt;
    this.#events++;
    this.#handlers[l.kind]!(payload);
    return true;
  }

  /** Runs every event at or before `endMs`, then sets the clock to `endMs`. */
  runUntil(endMs: number): void {
    while (this.step(endMs)) {}
    if (endMs > this.#nowMs && Number.isFinite(endMs)) this.#nowMs = endMs;
  }

  /**
   * Runs every event strictly before `endMs`, then sets the clock to `endMs`: the events at exactly
   * `endMs` stay pending (the stepping API's `advanceTo`, so that an action applied at `endMs` can
   * still run before them, as a timeline event at that time would).
   */
  runBefore(endMs: number): void {
    if (endMs > 0) {
      const last = previousDouble(endMs);
      while (this.step(last)) {}
    }
    if (endMs > this.#nowMs && Number.isFinite(endMs)) this.#nowMs = endMs;
  }

  /** Number of pending (not cancelled) heap events and lane timers; O(pending), for tests. */
  pending(): number {
    let n = 0;
    for (let k = 0; k < this.#heapSize; k++) if (this.#slotKind[this.#heapSlot[k]!] !== CANCELLED) n++;
    for (const l of this.#lanes) for (let i = l.head; i < l.tail; i++) if (l.cancelled[i & l.mask] === 0) n++;
    return n;
  }

  #release(slot: number): void {
    this.#slotGeneration[slot] = (this.#slotGeneration[slot]! + 1) & 0x3fffffff;
    if (this.#freeCount >= this.#freeSlots.length) this.#freeSlots = grow(this.#freeSlots);
    this.#freeSlots[this.#freeCount++] = slot;
  }

  /** Places the entry (slot, atMs, seq) at `position` or above it. */
  #siftUp(position: number, slot: number, atMs: number, seq: number): void {
    const heapSlot = this.#heapSlot;
    const heapAtMs = this.#heapAtMs;
    const heapSeq = this.#heapSeq;
    while (position > 0) {
      const parent = (position - 1) >> 2;
      const parentAt = heapAtMs[parent]!;
      if (atMs > parentAt || (atMs === parentAt && seq > heapSeq[parent]!)) break;
      heapSlot[position] = heapSlot[parent]!;
      heapAtMs[position] = parentAt;
      heapSeq[position] = heapSeq[parent]!;
      position = parent;
    }
    heapSlot[position] = slot;
    heapAtMs[position] = atMs;
    heapSeq[position] = seq;
  }

  /** Removes the top entry and returns its slot. */
  #popTop(): number {
    const heapSlot = this.#heapSlot;
    const heapAtMs = this.#heapAtMs;
    const heapSeq = this.#heapSeq;
    const top = heapSlot[0]!;
    const size = --this.#heapSize;
    if (size === 0) return top;
    const lastSlot = heapSlot[size]!;
    const lastAt = heapAtMs[size]!;
    const lastSeq = heapSeq[size]!;
    let position = 0;
    for (;;) {
      const first = 4 * position + 1;
      if (first >= size) break;
      let best = first;
      let bestAt = heapAtMs[first]!;
      let bestSeq = heapSeq[first]!;
      const end = Math.min(first + 4, size);
      for (let c = first + 1; c < end; c++) {
        const at = heapAtMs[c]!;
        if (at < bestAt || (at === bestAt && heapSeq[c]! < bestSeq)) {
          best = c;
          bestAt = at;
          bestSeq = heapSeq[c]!;
        }
      }
      if (!(bestAt < lastAt || (bestAt === lastAt && bestSeq < lastSeq))) break;
      heapSlot[position] = heapSlot[best]!;
      heapAtMs[position] = bestAt;
      heapSeq[position] = bestSeq;
      position = best;
    }
    heapSlot[position] = lastSlot;
    heapAtMs[position] = lastAt;
    heapSeq[position] = lastSeq;
    return top;
  }

  #growHeap(): void {
    this.#heapSlot = grow(this.#heapSlot);
    this.#heapAtMs = grow(this.#heapAtMs);
    this.#heapSeq = grow(this.#heapSeq);
  }

  #growSlots(): void {
    if (this.#slotKind.length >= SLOT_LIMIT) throw new Error("too many pending events");
    this.#slotKind = grow(this.#slotKind);
    this.#slotPayload = grow(this.#slotPayload);
    this.#slotGeneration = grow(this.#slotGeneration);
  }
}

const doubleBits = new Float64Array(1);
const doubleWord = new BigInt64Array(doubleBits.buffer);

/** The largest double below `x` (x > 0, finite or not): `t ≤ previousDouble(x)` is `t < x`. */
function previousDouble(x: number): number {
  if (!Number.isFinite(x)) return Number.MAX_VALUE;
  doubleBits[0] = x;
  doubleWord[0] = doubleWord[0]! - 1n;
  return doubleBits[0]!;
}

type TypedArray = Float64Array | Int32Array | Uint8Array | Uint32Array;

function grow<T extends TypedArray>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

function growLane(l: Lane): void {
  const size = (l.mask + 1) * 2;
  const atMs = new Float64Array(size);
  const seq = new Float64Array(size);
  const payload = new Int32Array(size);
  const cancelled = new Uint8Array(size);
  for (let i = l.head; i < l.tail; i++) {
    const from = i & l.mask;
    const to = i & (size - 1);
    atMs[to] = l.atMs[from]!;
    seq[to] = l.seq[from]!;
    payload[to] = l.payload[from]!;
    cancelled[to] = l.cancelled[from]!;
  }
  l.mask = size - 1;
  l.atMs = atMs;
  l.seq = seq;
  l.payload = payload;
  l.cancelled = cancelled;
}
