// LatencyHistogram: latency percentiles in fixed memory (DESIGN.md "Streaming"), over hdr-histogram-js.
import type { Histogram } from "hdr-histogram-js";
import { build } from "hdr-histogram-js";

/** One hour: longer than any HAProxy default timeout, and HDR's memory grows only with its log. */
const DEFAULT_HIGHEST_MS = 3_600_000;

export interface LatencyHistogramOptions {
  /** Values above this are recorded as this value. */
  readonly highestMs?: number;
}

/**
 * Records milliseconds at microsecond resolution with 3 significant digits, so a percentile is
 * within 0.1% of the exact one (HDR's guarantee, relative to the value).
 *
 * Count, mean and max are kept exactly beside HDR (its own mean and max are bucket-rounded).
 * All statistics are over the recorded values after rounding to whole microseconds and clamping
 * to 0..highestMs; an empty histogram reports 0 everywhere, so Results JSON never holds NaN.
 */
export class LatencyHistogram {
  readonly #hdr: Histogram;
  readonly #highestUs: number;
  #count = 0;
  #sumUs = 0;
  #maxUs = 0;

  constructor(options: LatencyHistogramOptions = {}) {
    const highestMs = options.highestMs ?? DEFAULT_HIGHEST_MS;
    if (!(highestMs >= 1)) throw new Error(`histogram ceiling must be ≥ 1ms, got ${highestMs}`);
    this.#highestUs = Math.round(highestMs * 1000);
    // No auto-resize: memory is fixed once here (about 190 KB for an hour), whatever is recorded.
    // 64-bit buckets (Float64Array) because a run may record up to 10^10 requests, and a single
    // bucket of the default Uint32Array would wrap past 2^32.
    this.#hdr = build({
      bitBucketSize: 64,
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: this.#highestUs,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
  }

  record(ms: number): void {
    let us = Math.round(ms * 1000);
    if (!(us >= 0)) {
      if (Number.isNaN(us)) throw new Error("cannot record a NaN latency");
      us = 0;
    } else if (us > this.#highestUs) {
      us = this.#highestUs;
    }
    this.#hdr.recordValue(us);
    this.#count++;
    this.#sumUs += us;
    if (us > this.#maxUs) this.#maxUs = us;
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
   * The value at percentile `p` (0..100) in ms. HDR answers with the top of the value's bucket;
   * capping it at the exact max keeps p100 equal to `maxMs` and every percentile ≤ it.
   */
  percentileMs(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be in 0..100, got ${p}`);
    if (this.#count === 0) return 0;
    return Math.min(this.#hdr.getValueAtPercentile(p), this.#maxUs) / 1000;
  }

  /** HDR's estimate of its own memory; fixed at construction, whatever is recorded. */
  get footprintBytes(): number {
    return this.#hdr.estimatedFootprintInBytes;
  }

  reset(): void {
    this.#hdr.reset();
    this.#count = 0;
    this.#sumUs = 0;
    this.#maxUs = 0;
  }
}
