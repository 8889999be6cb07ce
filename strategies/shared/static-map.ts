// static-map: HAProxy's server map (lb_map), shared by static-rr and map-based hashing, §3.3 and §3.11.
//
// The map has one slot per unit of weight, T = Σ map weights of the usable servers, filled by the
// score rule of §3.3 so that (5,3,2) gives s1 s1 s2 s1 s3 s1 s2 s1 s2 s3. static-rr walks it with a
// persistent index; a hash takes map[h mod T]. Every change rebuilds it (lazily, at the next lookup,
// so that changes at one instant cost one rebuild), which is why map-based hashing moves most keys
// when a server leaves (§8 rule 16) while the walking position survives (§8 rule 14).

import { isFull, type ServerView } from "../types.js";
import { Membership } from "./membership.js";

export class StaticMap {
  private readonly servers: ReadonlyArray<ServerView>;
  /** Map weight of each slot (0 = not in the map). */
  private readonly weights: Int32Array;
  private readonly scores: Float64Array;
  private map = new Int32Array(0);
  private total = 0;
  private dirty = false;
  private usable = 0;
  /**
   * The walking position, kept across rebuilds (§8 rule 14). Stored as "one past the slot taken",
   * so it can equal T; a pick resets it to 0 when it is ≥ T (§3.3).
   */
  private position = 0;

  constructor(servers: ReadonlyArray<ServerView>) {
    this.servers = servers;
    this.weights = new Int32Array(servers.length);
    this.scores = new Float64Array(servers.length);
  }

  /** Sets the slot's map weight (0 takes it out). Idempotent. */
  setWeight(slot: number, weight: number): void {
    const current = this.weights[slot]!;
    if (weight === current) return;
    if (current === 0) this.usable++;
    else if (weight === 0) this.usable--;
    this.weights[slot] = weight;
    this.dirty = true;
  }

  /** Number of slots with a weight. */
  get usableCount(): number {
    return this.usable;
  }

  /** T, the number of map entries. */
  get size(): number {
    if (this.dirty) this.rebuild();
    return this.total;
  }

  /** The walking position (one past the entry last taken; may equal T), for `--explain`. */
  get walkPosition(): number {
    return this.position;
  }

  /** The slot at map entry `i` (0 … T − 1). */
  at(i: number): number {
    if (this.dirty) this.rebuild();
    return this.map[i]!;
  }

  /** map[hash mod T] (§3.11), or -1 when the map is empty. A map lookup knows no server to avoid. */
  lookup(hash: number): number {
    if (this.dirty) this.rebuild();
    return this.total === 0 ? -1 : this.map[hash % this.total]!;
  }

  /**
   * The next entry from the walking position whose server is not full and not `avoid`, at most one
   * full turn (§3.3 "Pick"); else `avoid` if it was seen not full, else -1. The position moves past
   * the entry returned and stays put when nothing is.
   */
  next(avoid: number): number {
    if (this.dirty) this.rebuild();
    const total = this.total;
    if (total === 0) return -1;
    const start = this.position >= total ? 0 : this.position;
    let i = start;
    let avoided = -1;
    let afterAvoided = 0;
    do {
      const slot = this.map[i]!;
      i++;
      if (!isFull(this.servers[slot]!)) {
        if (slot !== avoid) {
          this.position = i;
          return slot;
        }
        avoided = slot;
        afterAvoided = i;
      }
      if (i === total) i = 0;
    } while (i !== start);
    if (avoided >= 0) this.position = afterAvoided;
    return avoided;
  }

  /**
   * §3.3 "Build": for each entry every usable server's score grows by its weight, the first with the
   * strictly largest ⌊(score + T) / T⌋ wins and loses T. Scores start at 0 at each build. O(T·n),
   * as in HAProxy; rebuilt only after a change.
   */
  private rebuild(): void {
    this.dirty = false;
    const weights = this.weights;
    const scores = this.scores;
    const n = weights.length;
    let total = 0;
    for (let slot = 0; slot < n; slot++) total += weights[slot]!;
    if (this.map.length < total) this.map = new Int32Array(total);
    this.total = total;
    scores.fill(0);
    for (let entry = 0; entry < total; entry++) {
      let best = -1;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let slot = 0; slot < n; slot++) {
        const weight = weights[slot]!;
        if (weight === 0) continue;
        const score = scores[slot]! + weight;
        scores[slot] = score;
        // score + T > 0 always (the scores sum to 0 before each entry), so ⌊⌋ is C's division.
        const value = Math.floor((score + total) / total);
        if (value > bestValue) {
          best = slot;
          bestValue = value;
        }
      }
      scores[best] = scores[best]! - total;
      this.map[entry] = best;
    }
  }
}

/** Greatest common divisor of the positive values (1 when there are none). */
export function weightDivisor(weights: Iterable<number>): number {
  let g = 0;
  for (const weight of weights) {
    if (!(weight > 0)) continue;
    let a = weight;
    let b = g;
    while (b !== 0) {
      const r = a % b;
      a = b;
      b = r;
    }
    g = a;
  }
  return g === 0 ? 1 : g;
}

/**
 * The Membership that keeps a static map in step with the servers. A usable server's map weight is
 * its weight divided by g, the GCD of the group's configured weights taken once (§3.0: weights
 * 2,2,2 give a 3-entry map). It reads the user weight, not the effective weight: a static algorithm
 * has no slowstart ramp. HAProxy accepts only 0 and 100% at run time; any other weight the model
 * lets through is used as it is, rounded up to a whole number of entries.
 */
export function staticMembership(servers: ReadonlyArray<ServerView>, map: StaticMap): Membership {
  const divisor = weightDivisor(servers.map((server) => server.initialWeight));
  const mapWeight = (slot: number) => Math.max(1, Math.ceil(servers[slot]!.weight / divisor));
  return new Membership(servers, {
    enter: (slot) => map.setWeight(slot, mapWeight(slot)),
    leave: (slot) => map.setWeight(slot, 0),
    reweigh: (slot) => map.setWeight(slot, mapWeight(slot)),
  });
}
