// The width of the Results' time-series buckets: chosen from the duration when the scenario leaves
// `bucket` out, so that a series never holds more than a few thousand points per line.

import type { Problem } from "./problem.js";

/** What an unset `bucket` keeps a run to: 2,000 points draw a chart finer than any screen's width. */
export const MAX_AUTO_BUCKETS = 2_000;
/**
 * An explicit `bucket` may ask for this many: 100,000 points per series line (with 10 servers about
 * 1.5 M numbers, tens of MB of JSON) is as far as a Results file stays usable.
 */
export const MAX_BUCKETS = 100_000;
/**
 * Per-server series (`series.inFlight`) hold servers × buckets numbers; an unset `bucket` also keeps
 * that product under this many, so that 10^4 servers do not make 2·10^7 of them.
 */
export const MAX_AUTO_SERVER_POINTS = 2_000_000;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Widths a person reads at a glance, as chart axes use them; beyond 10 days: 1, 2, 5 × 10^k days. */
const NICE_WIDTHS_MS: ReadonlyArray<number> = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  5 * DAY,
  10 * DAY,
];

/**
 * The default `bucket`: the narrowest nice width that cuts `durationMs` into at most
 * MAX_AUTO_BUCKETS buckets (and servers × buckets into at most MAX_AUTO_SERVER_POINTS). A run of
 * 2,000 s or less with fewer than 1,000 servers keeps 1 s, the width lbsim always used.
 */
export function autoBucketMs(durationMs: number, serverCount: number): number {
  const maxBuckets = Math.max(
    1,
    Math.min(MAX_AUTO_BUCKETS, Math.floor(MAX_AUTO_SERVER_POINTS / Math.max(1, serverCount))),
  );
  const fits = (widthMs: number): boolean => Math.ceil(durationMs / widthMs) <= maxBuckets;
  const nice = NICE_WIDTHS_MS.find(fits);
  if (nice !== undefined) return nice;
  for (let days = 10; ; days *= 10) {
    for (const step of [2, 5, 10]) if (fits(step * days * DAY)) return step * days * DAY;
  }
}

/** A `bucket` the scenario sets that would make more than MAX_BUCKETS buckets, as a problem at `bucket`. */
export function checkBucket(bucketMs: number, durationMs: number): Problem | undefined {
  const buckets = Math.ceil(durationMs / bucketMs);
  if (buckets <= MAX_BUCKETS) return undefined;
  const smallestMs = Math.ceil(durationMs / MAX_BUCKETS);
  return {
    code: "too-large",
    path: ["bucket"],
    message: `${formatWidth(bucketMs)} cuts the ${formatWidth(durationMs)} run into ${buckets.toLocaleString("en-US")} buckets, more than the limit of ${MAX_BUCKETS.toLocaleString("en-US")}`,
    hint: `the smallest width allowed for this duration is ${formatWidth(smallestMs)}; leave bucket out and lbsim picks ${formatWidth(autoBucketMs(durationMs, 1))}`,
  };
}

/** `1800000` → `30m`: the largest unit that writes the width exactly (a scenario reads it back). */
export function formatWidth(ms: number): string {
  for (const [unit, size] of [
    ["d", DAY],
    ["h", HOUR],
    ["m", MINUTE],
    ["s", SECOND],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
