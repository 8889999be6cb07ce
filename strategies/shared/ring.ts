// ring: HAProxy's consistent-hash ring (lb_chash), points full_hash(id·4096 + j), §3.11.
//
// A server with id k and effective weight ew owns the points full_hash(k·4096 + j), j < ew. A weight
// change keeps exactly the points j < new ew, so only the keys of the changed server move. Equal
// point hashes are ordered by insertion, as in HAProxy's eb32 tree: every point gets a sequence
// number when it is (re)inserted, and a server coming back gets fresh ones.
// Changes only mark the server; the sorted arrays are merged again at the next lookup
// (O(P + k log k) for P points, k of them changed), so a lookup is a binary search.

import { fullHash } from "./hash.js";

/** 256 × BE_WEIGHT_SCALE: the id stride between two servers' points. */
const POINTS_PER_ID = 4096;

export class ConsistentRing {
  private readonly ids: Float64Array;
  /** Points each slot should own now. */
  private readonly wanted: Int32Array;
  /** Per slot, the insertion sequence of point j (grown on demand). */
  private readonly pointSequences: Float64Array[];
  private readonly dirty: Uint8Array;
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;
  private sequence = 0;
  private liveServers = 0;
  // The sorted ring, by (hash, sequence).
  private hashes = new Uint32Array(0);
  private slots = new Int32Array(0);
  private sequences = new Float64Array(0);
  private size = 0;
  /**
   * `bucketStart[b]`: the first position whose hash is ≥ b << bucketShift (size for none), with
   * about 4 points per bucket, so a lookup searches ~4 points instead of a binary search over the
   * whole ring (random(2) on 10,000 servers has 160,000 points: `pick` was 17.5% of a CPU profile
   * of random2-10000 with the binary search, 14.6% with this index; DOCS-speed.md).
   */
  private bucketStart = new Int32Array(2);
  private bucketShift = 31;

  /** `ids[slot]` is the HAProxy server id of each slot (§3.0 "Ids"). Every slot starts with no point. */
  constructor(ids: ArrayLike<number>) {
    const n = ids.length;
    this.ids = Float64Array.from(ids);
    this.wanted = new Int32Array(n);
    this.pointSequences = [];
    for (let slot = 0; slot < n; slot++) this.pointSequences.push(new Float64Array(0));
    this.dirty = new Uint8Array(n);
    this.dirtyList = new Int32Array(n);
  }

  /** Points the slot owns (its effective weight while usable, 0 otherwise). */
  pointsOf(slot: number): number {
    return this.wanted[slot]!;
  }

  /** Sets the slot's points to j < count (0 removes it). Idempotent. */
  setPoints(slot: number, count: number): void {
    const current = this.wanted[slot]!;
    if (count === current) return;
    if (count > current) {
      let sequences = this.pointSequences[slot]!;
      if (sequences.length < count) {
        const grown = new Float64Array(Math.max(count, 2 * sequences.length));
        grown.set(sequences);
        this.pointSequences[slot] = sequences = grown;
      }
      for (let j = current; j < count; j++) sequences[j] = ++this.sequence;
    }
    if (current === 0) this.liveServers++;
    else if (count === 0) this.liveServers--;
    this.wanted[slot] = count;
    if (this.dirty[slot] === 0) {
      this.dirty[slot] = 1;
      this.dirtyList[this.dirtyCount++] = slot;
    }
  }

  /** Number of slots with points on the ring. */
  get serverCount(): number {
    return this.liveServers;
  }

  /** Number of points on the ring. */
  get pointCount(): number {
    if (this.dirtyCount > 0) this.rebuild();
    return this.size;
  }

  /** The slot owning the point at `position` (0 … pointCount − 1), in ring order. */
  slotAt(position: number): number {
    if (this.dirtyCount > 0) this.rebuild();
    return this.slots[position]!;
  }

  /** The hash of the point at `position` (0 … pointCount − 1). */
  hashAt(position: number): number {
    if (this.dirtyCount > 0) this.rebuild();
    return this.hashes[position]!;
  }

  /** The position of the first point whose hash is > `hash` (pointCount when there is none). */
  positionAfter(hash: number): number {
    if (this.dirtyCount > 0) this.rebuild();
    const hashes = this.hashes;
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (hashes[middle]! <= hash) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * The position of the point a key hash lands on, before any walk past an avoided server: the
   * nearer of the first point ≥ hash and the one before it (tie → the one before), §3.11 step 2.
   * -1 on an empty ring. `lookup` starts from it; `--explain` shows it.
   */
  pointFor(hash: number): number {
    if (this.dirtyCount > 0) this.rebuild();
    const n = this.size;
    if (n === 0) return -1;
    const hashes = this.hashes;
    // The first point ≥ hash lies within its bucket's points, or is the next bucket's first.
    const bucket = hash >>> this.bucketShift;
    let low = this.bucketStart[bucket]!;
    let high = this.bucketStart[bucket + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (hashes[middle]! < hash) low = middle + 1;
      else high = middle;
    }
    const next = low === n ? 0 : low;
    const previous = (next === 0 ? n : next) - 1;
    return (hash - hashes[previous]!) >>> 0 <= (hashes[next]! - hash) >>> 0 ? previous : next;
  }

  /**
   * The slot for a 32-bit key hash: where it lands (`pointFor`), then forward past `avoid` and slots
   * `skip` rejects (§3.11 steps 2–4). When no other slot qualifies, `avoid` itself if it is on the
   * ring and not rejected; else -1. `skip` must be created once by the caller, not per lookup.
   */
  lookup(hash: number, avoid: number, skip?: (slot: number) => boolean): number {
    let at = this.pointFor(hash);
    if (at < 0) return -1;
    const n = this.size;
    let slot = this.slots[at]!;
    if (slot !== avoid && (skip === undefined || !skip(slot))) return slot;
    // Walking a ring whose only server is avoided would visit all its points for nothing.
    if (!(this.liveServers === 1 && slot === avoid)) {
      for (let step = 1; step < n; step++) {
        at = at + 1 === n ? 0 : at + 1;
        slot = this.slots[at]!;
        if (slot !== avoid && (skip === undefined || !skip(slot))) return slot;
      }
    }
    if (avoid >= 0 && avoid < this.wanted.length && this.wanted[avoid]! > 0) {
      if (skip === undefined || !skip(avoid)) return avoid;
    }
    return -1;
  }

  private rebuild(): void {
    let total = 0;
    for (let slot = 0; slot < this.wanted.length; slot++) total += this.wanted[slot]!;
    // The changed slots' points, sorted by (hash, sequence).
    let added = 0;
    for (let d = 0; d < this.dirtyCount; d++) added += this.wanted[this.dirtyList[d]!]!;
    const addedHashes = new Uint32Array(added);
    const addedSlots = new Int32Array(added);
    const addedSequences = new Float64Array(added);
    let k = 0;
    for (let d = 0; d < this.dirtyCount; d++) {
      const slot = this.dirtyList[d]!;
      const base = Math.imul(this.ids[slot]!, POINTS_PER_ID);
      const sequences = this.pointSequences[slot]!;
      for (let j = 0; j < this.wanted[slot]!; j++, k++) {
        addedHashes[k] = fullHash((base + j) >>> 0);
        addedSlots[k] = slot;
        addedSequences[k] = sequences[j]!;
      }
    }
    const order = Array.from({ length: added }, (_, i) => i);
    order.sort((a, b) => addedHashes[a]! - addedHashes[b]! || addedSequences[a]! - addedSequences[b]!);
    // Merge the kept points (unchanged slots, already sorted) with the added ones.
    const hashes = new Uint32Array(total);
    const slots = new Int32Array(total);
    const sequences = new Float64Array(total);
    let out = 0;
    let a = 0;
    for (let old = 0; old <= this.size; old++) {
      const slot = old < this.size ? this.slots[old]! : -1;
      if (slot >= 0 && this.dirty[slot] === 1) continue;
      const hash = old < this.size ? this.hashes[old]! : Number.POSITIVE_INFINITY;
      const sequence = old < this.size ? this.sequences[old]! : 0;
      while (a < added) {
        const i = order[a]!;
        const h = addedHashes[i]!;
        if (h > hash || (h === hash && addedSequences[i]! > sequence)) break;
        hashes[out] = h;
        slots[out] = addedSlots[i]!;
        sequences[out++] = addedSequences[i]!;
        a++;
      }
      if (slot < 0) break;
      hashes[out] = hash;
      slots[out] = slot;
      sequences[out++] = sequence;
    }
    for (let d = 0; d < this.dirtyCount; d++) this.dirty[this.dirtyList[d]!] = 0;
    this.dirtyCount = 0;
    this.hashes = hashes;
    this.slots = slots;
    this.sequences = sequences;
    this.size = out;
    this.indexBuckets();
  }

  /** Builds `bucketStart` for the current points: 2^bits buckets of the 32-bit hash space. */
  private indexBuckets(): void {
    let bits = 1;
    while (bits < 24 && 2 ** (bits + 2) < this.size) bits++;
    const buckets = 2 ** bits;
    const start = new Int32Array(buckets + 1);
    const shift = 32 - bits;
    let position = 0;
    for (let b = 0; b < buckets; b++) {
      while (position < this.size && this.hashes[position]! >>> shift < b) position++;
      start[b] = position;
    }
    start[buckets] = this.size;
    this.bucketStart = start;
    this.bucketShift = shift;
  }
}
