// Seeded randomness: one named stream per component, and the reseedable per-request demand generator.
//
// Every draw in sim/ comes from here (DESIGN.md "Deterministic"): no Math.random, no global state.
import seedrandom from "seedrandom";

/** A component's private source of uniforms. */
export interface RandomStream {
  /** A uniform in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform integer in 0..2^32−1. */
  nextUint32(): number;
}

/**
 * The stream of component `name` (e.g. "client:browsers") under scenario seed `seed`.
 *
 * Each stream is seeded by hashing the string "<seed>:<name>", so streams do not share state:
 * adding or renaming one component leaves every other component's draws unchanged. Alea is
 * pure double arithmetic (no platform integer quirks, no crypto), so Node and browsers produce
 * the same sequence bit for bit.
 */
export function createStream(seed: number, name: string): RandomStream {
  const prng = seedrandom.alea(`${seed}:${name}`);
  return {
    // Alea's plain output has 32 bits; `double` combines two for full resolution, which keeps the
    // far tails of inverse-CDF transforms (pareto, lognormal) from being cut off at 2^-32.
    next: () => prng.double(),
    nextUint32: () => (prng() * 4294967296) >>> 0,
  };
}

/**
 * The same stream as `createStream(seed, name)`, seeded at its first draw: for the per-server
 * streams most runs never draw from (error and check faults), which would otherwise cost a Mash
 * hash and a state each at start-up — 20,000 of them with 10,000 servers.
 */
export function lazyStream(seed: number, name: string): RandomStream {
  return new LazyStream(seed, name);
}

class LazyStream implements RandomStream {
  readonly #seed: number;
  readonly #name: string;
  #stream: RandomStream | null = null;

  constructor(seed: number, name: string) {
    this.#seed = seed;
    this.#name = name;
  }

  next(): number {
    this.#stream ??= createStream(this.#seed, this.#name);
    return this.#stream.next();
  }

  nextUint32(): number {
    this.#stream ??= createStream(this.#seed, this.#name);
    return this.#stream.nextUint32();
  }
}

const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * The common-random-numbers generator behind service demands (DESIGN.md "Common random numbers").
 *
 * Each request carries one 32-bit `demandSeed`; the server serving it calls `reset(demandSeed)`
 * and draws as many uniforms as its distribution needs, so a request costs the same on every
 * server and under every strategy. It is hand-written rather than a seedrandom generator because
 * it is reseeded once per request on the hot path, and seedrandom allocates a closure (and hashes
 * a string) on every seeding; this one is two integers and allocates nothing.
 *
 * Algorithm: SplitMix32-style — a Weyl sequence (state += golden gamma) finished by MurmurHash3's
 * fmix32, a bijection with full avalanche, so the first draw after `reset` already depends on
 * every bit of the seed.
 *
 * `next()` returns (x + 0.5)·2^-32 for a 32-bit x, i.e. a value in [2^-33, 1 − 2^-33]: strictly
 * inside (0, 1), so ln(u), ln(1 − u) and Φ⁻¹(u) are always finite.
 */
export class DemandRandom {
  #state = 0;

  constructor(seed = 0) {
    this.#state = seed | 0;
  }

  /** Restart the sequence of `seed` (any number; its low 32 bits are used). */
  reset(seed: number): void {
    this.#state = seed | 0;
  }

  /** A uniform in the open interval (0, 1); see the class comment for the exact bounds. */
  next(): number {
    this.#state = (this.#state + GOLDEN_GAMMA) | 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return ((z >>> 0) + 0.5) * TWO_POW_MINUS_32;
  }
}
