// Micro-benchmark of sim/histogram.ts against hdr-histogram-js (the figures in histogram.ts's header).
// Run: npm run build && node dist/bench/histogram.js [records]   (default 10^7 records per pass)
import type { Histogram } from "hdr-histogram-js";
import { build } from "hdr-histogram-js";
import { LatencyHistogram } from "../sim/histogram.js";

const HIGHEST_US = 3_600_000_000;

/** The previous LatencyHistogram.record, over hdr-histogram-js: the same work but HDR's recordValue. */
class HdrBackedHistogram {
  readonly #hdr: Histogram = build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  #count = 0;
  #sumUs = 0;
  #maxUs = 0;

  record(ms: number): void {
    let us = Math.round(ms * 1000);
    if (!(us >= 0)) {
      if (Number.isNaN(us)) throw new Error("cannot record a NaN latency");
      us = 0;
    } else if (us > HIGHEST_US) {
      us = HIGHEST_US;
    }
    this.#hdr.recordValue(us);
    this.#count++;
    this.#sumUs += us;
    if (us > this.#maxUs) this.#maxUs = us;
  }

  get count(): number {
    return this.#count;
  }

  percentileMs(p: number): number {
    return Math.min(this.#hdr.getValueAtPercentile(p), this.#maxUs) / 1000;
  }

  reset(): void {
    this.#hdr.reset();
    this.#count = 0;
    this.#sumUs = 0;
    this.#maxUs = 0;
  }
}

interface Recorder {
  record(ms: number): void;
  readonly count: number;
  percentileMs(p: number): number;
  reset(): void;
}

/** xorshift32 in [0, 1): deterministic, so every run times the same values. */
function uniforms(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) + 0.5) / 4294967296;
  }
  return out;
}

const n = Number(process.argv[2] ?? 10_000_000);
const exponential = uniforms(n, 42).map((u) => -5 * Math.log(u)); // ms, mean 5 ms
const logUniform = uniforms(n, 7).map((u) => 10 ** (-3 + u * 9.6)); // ms, 1 µs .. ~4000 s (some clamped)

type Fill = (values: Float64Array, passes: number) => Recorder;

/** ns per record() by `fill`, which records `values` `passes` times into a fresh histogram. */
function timeRecord(fill: Fill, values: Float64Array, passes = 1): { ns: number; h: Recorder } {
  const start = process.hrtime.bigint();
  const h = fill(values, passes);
  const ns = Number(process.hrtime.bigint() - start) / (values.length * passes);
  if (h.count !== values.length * passes) throw new Error("lost records");
  return { ns, h };
}

function timeOnce(f: () => void, reps: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) f();
  return Number(process.hrtime.bigint() - start) / reps;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (x: number): string => x.toFixed(1).padStart(7);

// One loop per contender, so each record() call site stays monomorphic as in the simulator.
const contenders: [string, Fill][] = [
  [
    "hdr-histogram-js (previous LatencyHistogram)",
    (values, passes) => {
      const h = new HdrBackedHistogram();
      for (let pass = 0; pass < passes; pass++) for (let i = 0; i < values.length; i++) h.record(values[i]!);
      return h;
    },
  ],
  [
    "LatencyHistogram (sim/histogram.ts)",
    (values, passes) => {
      const h = new LatencyHistogram();
      for (let pass = 0; pass < passes; pass++) for (let i = 0; i < values.length; i++) h.record(values[i]!);
      return h;
    },
  ],
];
const ROUNDS = 7;
// Streaming 10^7 values from memory adds the same bandwidth cost to both; the cached case, 2^16 values
// recorded over and over, is closer to the simulator, where latencies are computed, not loaded.
const cached = exponential.slice(0, 1 << 16);
for (const [dataName, values, passes] of [
  ["exponential, mean 5 ms", exponential, 1],
  ["log-uniform 1 µs .. 1 h", logUniform, 1],
  ["exponential, 2^16 cached values, cycled", cached, Math.round(n / cached.length)],
] as const) {
  console.log(
    `\nrecord(), ${values.length * passes} values ${dataName}: median (min) ns/record over ${ROUNDS} rounds`,
  );
  const times = contenders.map((): number[] => []);
  // Rounds alternate the contenders so drift (thermal, GC) hits both alike; round 0 is warm-up.
  for (let round = 0; round <= ROUNDS; round++) {
    contenders.forEach(([, fill], c) => {
      const { ns } = timeRecord(fill, values, passes);
      if (round > 0) times[c]!.push(ns);
    });
  }
  contenders.forEach(([name], c) => {
    console.log(`  ${name.padEnd(46)} ${fmt(median(times[c]!))} (${fmt(Math.min(...times[c]!))})`);
  });
}

console.log("\npercentileMs(99) and reset() on a histogram holding the exponential values (µs per call):");
for (const [name, fill] of contenders) {
  const { h } = timeRecord(fill, exponential);
  let sink = 0;
  const percentile = timeOnce(() => {
    sink += h.percentileMs(99);
  }, 2000);
  // reset() after the ~200 records of a typical 1 s bucket, as sim/model/metrics.ts does.
  const few = exponential.subarray(0, 200);
  const reset = timeOnce(() => {
    for (let i = 0; i < few.length; i++) h.record(few[i]!);
    h.reset();
  }, 2000);
  console.log(
    `  ${name.padEnd(46)} percentile ${fmt(percentile / 1000)}   200 records + reset ${fmt(reset / 1000)}   (${sink > 0})`,
  );
}
