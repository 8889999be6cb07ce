// LatencyHistogram: latency percentiles in fixed memory (DESIGN.md "Streaming"), hand-written HDR layout.
//
// Hand-written rather than hdr-histogram-js (the project's default for this job) because it is
// measurably better in the hot path. The simulator records 2–3 latencies per request at ~10^6
// requests/s; hdr-histogram-js's recordValue (Math.log2, Math.pow and a division per value, through
// several method calls) made record() cost ~100 ns, 20–30% of the whole time budget. Here the
// bucket index is a clz32 and a shift, inline. bench/histogram.ts, Node 20, 10^7 values, median (min)
// ns per record() of the same wrapper (round to µs, clamp, exact count/sum/max) around each:
//
//                                         hdr-histogram-js   this file
//   exponential, mean 5 ms                   95 (93)          5.0 (4.7)
//   log-uniform 1 µs .. 1 h                  99 (97)          5.3 (5.1)
//   exponential, 2^16 values in cache        99 (98)          3.9 (3.8)
//
// percentileMs costs the same (~8 µs, a scan of the buckets). reset() clears only up to the max's
// bucket: 200 records and a reset, as sim/model/metrics.ts does each simulated second, take ~4 µs
// against ~10 µs (HDR clears all 190 KB).
// The bucket layout and the percentile rule are HDR's own, so answers are identical to
// hdr-histogram-js's with 3 significant digits; sim/histogram.spec.ts checks it on random data.

/** One hour: longer than any HAProxy default timeout, and HDR's memory grows only with its log. */
const DEFAULT_HIGHEST_MS = 3_600_000;

/**
 * HDR layout for 3 significant digits, unit 1 µs: exactly hdr-histogram-js's with
 * numberOfSignificantValueDigits 3 (subBucketCount 2048, half 1024). Values 0..2047 have a bucket
 * each; above that, each power of two [2^e, 2^(e+1)) is cut into 1024 buckets of width 2^s,
 * s = e - 10. The index of v is (s << 10) + (v >>> s), with s = max(0, ⌊log2 v⌋ - 10).
 *
 * 1024 per power of two suffice for 0.1%: a reported value is the top of the bucket holding the
 * exact one v (or, for p = 0, the bottom), so it is off by at most 2^s - 1 < 2^s ≤ v / 1024 < v / 1000
 * (v ≥ 2^e = 1024 · 2^s); below 2048 buckets are 1 µs wide and answers exact.
 */
const SUB_BUCKET_BITS = 10;
const SUB_BUCKET_HALF = 1 << SUB_BUCKET_BITS;
/** `v | LINEAR_MASK` has the same top bit as v above 2047 and top bit 10 below, where s must be 0. */
const LINEAR_MASK = 2 * SUB_BUCKET_HALF - 1;
/** s = SHIFT_BASE - clz32(v | LINEAR_MASK) for v < 2^32. */
const SHIFT_BASE = 31 - SUB_BUCKET_BITS;
const TWO_POW_32 = 2 ** 32;
const MAX_HIGHEST_US = 2 ** 52;

/** The bucket index of a whole number of µs (0 ≤ us ≤ 2^52). */
function indexOf(us: number): number {
  if (us < TWO_POW_32) {
    const shift = SHIFT_BASE - Math.clz32(us | LINEAR_MASK);
    return (shift << SUB_BUCKET_BITS) + (us >>> shift);
  }
  // Only with a ceiling past 2^32 µs (71.6 min): 32-bit tricks do not apply; float log2 may be off by 1.
  let shift = Math.floor(Math.log2(us)) - SUB_BUCKET_BITS;
  if (2 ** (shift + SUB_BUCKET_BITS) > us) shift--;
  else if (2 ** (shift + SUB_BUCKET_BITS + 1) <= us) shift++;
  return shift * SUB_BUCKET_HALF + Math.floor(us / 2 ** shift);
}

/** log2 of the width (µs) of bucket `index`: the inverse of indexOf's shift. */
function shiftOf(index: number): number {
  return Math.max(0, Math.floor(index / SUB_BUCKET_HALF) - 1);
}

/** The lowest value (µs) in bucket `index`. */
function lowestOf(index: number): number {
  const shift = shiftOf(index);
  return (index - shift * SUB_BUCKET_HALF) * 2 ** shift;
}

/** 2^-52 of x's power of two: hdr-histogram-js's ulp, for its rounding of a percentile's rank. */
function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(x)) - 52);
}

export interface LatencyHistogramOptions {
  /** Values above this are recorded as this value. */
  readonly highestMs?: number;
}

/**
 * Records milliseconds at microsecond resolution with 3 significant digits, so a percentile is
 * within 0.1% of the exact one (HDR's guarantee, relative to the value).
 *
 * Count, mean and max are kept exactly beside the buckets (HDR's own mean and max are bucket-rounded).
 * All statistics are over the recorded values after rounding to whole microseconds and clamping
 * to 0..highestMs; an empty histogram reports 0 everywhere, so Results JSON never holds NaN.
 */
export class LatencyHistogram {
  /**
   * One count per bucket up to the ceiling's; no resizing, so memory is fixed here (185 KB for an
   * hour), whatever is recorded. Float64 because a run may record up to 10^10 requests, and a
   * single 32-bit bucket would wrap past 2^32 (doubles count exactly to 2^53).
   */
  readonly #counts: Float64Array;
  readonly #highestUs: number;
  /** Values up to this take record()'s fast path: the ceiling, or 2^32 - 1 µs if that is lower. */
  readonly #fastLimitUs: number;
  #count = 0;
  #sumUs = 0;
  #maxUs = 0;

  constructor(options: LatencyHistogramOptions = {}) {
    const highestMs = options.highestMs ?? DEFAULT_HIGHEST_MS;
    // Up to 2^52 µs (142 years), where ms * 1000 + 0.5 is still exact enough to round half up.
    if (!(highestMs >= 1 && highestMs * 1000 <= MAX_HIGHEST_US)) {
      throw new Error(`histogram ceiling must be in 1ms..${MAX_HIGHEST_US / 1000}ms, got ${highestMs}`);
    }
    this.#highestUs = Math.round(highestMs * 1000);
    this.#fastLimitUs = Math.min(this.#highestUs, TWO_POW_32 - 1);
    this.#counts = new Float64Array(indexOf(this.#highestUs) + 1);
  }

  record(ms: number): void {
    // Half up to whole µs. Not Math.round, which made record() twice as slow on Node 20 (~6 ns);
    // after clamping negatives to 0 the two differ only at 0.49999999999999994 µs (1 here, 0 there).
    const us = Math.floor(ms * 1000 + 0.5);
    if (us >= 0 && us <= this.#fastLimitUs) {
      // Inline indexOf for v < 2^32: no branch, no float math.
      const shift = SHIFT_BASE - Math.clz32(us | LINEAR_MASK);
      this.#counts[(shift << SUB_BUCKET_BITS) + (us >>> shift)]!++;
      this.#count++;
      this.#sumUs += us;
      if (us > this.#maxUs) this.#maxUs = us;
    } else {
      this.#recordOutOfRange(us);
    }
  }

  /** NaN, negative, past the ceiling, or ≥ 2^32 µs under a higher ceiling: kept off the hot path. */
  #recordOutOfRange(us: number): void {
    if (Number.isNaN(us)) throw new Error("cannot record a NaN latency");
    const clamped = us < 0 ? 0 : Math.min(us, this.#highestUs);
    this.#counts[indexOf(clamped)]!++;
    this.#count++;
    this.#sumUs += clamped;
    if (clamped > this.#maxUs) this.#maxUs = clamped;
  }

  get count(): number {
    return this.#count;
  }

  get meanMs(): number {
    return this.#count === 0 ? 0 : this.#sumUs / this.#count / 1000;
  }

  get maxMs(): number {
    return this.#maxUs / 1000;
  }

  /**
   * The value at percentile `p` (0..100) in ms, as HDR answers it: the top of the bucket holding
   * the ⌈p% · count⌉-th smallest value (the bottom of the lowest bucket for p = 0). Capping it at
   * the exact max keeps p100 equal to `maxMs` and every percentile ≤ it.
   */
  percentileMs(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be in 0..100, got ${p}`);
    if (this.#count === 0) return 0;
    const fpRank = (p / 100) * this.#count;
    const rank = Math.max(Math.ceil(fpRank - ulp(fpRank)), 1);
    const counts = this.#counts;
    const last = indexOf(this.#maxUs);
    let index = 0;
    let seen = counts[0]!;
    while (seen < rank && index < last) seen += counts[++index]!;
    const us = p === 0 ? lowestOf(index) : lowestOf(index) + 2 ** shiftOf(index) - 1;
    return Math.min(us, this.#maxUs) / 1000;
  }

  /**
   * `percentileMs` of each of `ascending` (percentiles in increasing order), in one pass over the
   * buckets instead of one pass each: the time series takes p50 and p99 of every bucket.
   */
  percentilesMs(ascending: ReadonlyArray<number>): number[] {
    const out: number[] = [];
    if (this.#count === 0) return ascending.map(() => 0);
    const counts = this.#counts;
    const last = indexOf(this.#maxUs);
    let index = 0;
    let seen = counts[0]!;
    for (const p of ascending) {
      if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be in 0..100, got ${p}`);
      if (out.length > 0 && p < ascending[out.length - 1]!) throw new Error("percentiles must ascend");
      const fpRank = (p / 100) * this.#count;
      const rank = Math.max(Math.ceil(fpRank - ulp(fpRank)), 1);
      while (seen < rank && index < last) seen += counts[++index]!;
      const us = p === 0 ? lowestOf(index) : lowestOf(index) + 2 ** shiftOf(index) - 1;
      out.push(Math.min(us, this.#maxUs) / 1000);
    }
    return out;
  }

  /** The memory this histogram holds: its counts, plus a nominal 64 bytes of object and fields. */
  get footprintBytes(): number {
    return this.#counts.byteLength + 64;
  }

  /** A copy with the same ceiling and values: end-of-run figures add to it without touching this one. */
  clone(): LatencyHistogram {
    const copy = new LatencyHistogram({ highestMs: this.#highestUs / 1000 });
    copy.#counts.set(this.#counts);
    copy.#count = this.#count;
    copy.#sumUs = this.#sumUs;
    copy.#maxUs = this.#maxUs;
    return copy;
  }

  /** Clears only the buckets up to the max's, the last that can be non-empty. */
  reset(): void {
    if (this.#count !== 0) this.#counts.fill(0, 0, indexOf(this.#maxUs) + 1);
    this.#count = 0;
    this.#sumUs = 0;
    this.#maxUs = 0;
  }
}
