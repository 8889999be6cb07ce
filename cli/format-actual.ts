// An expectation's actual value in its metric's unit, with digits enough to tell it from its limit, and the margin.
import { type ExpectationUnit as Unit, expectationUnit as unitOf } from "../scenarios/expectation-units.js";
import { formatCount, formatLatency, formatPercent, formatSignificant } from "./format.js";

/**
 * Most significant digits tried to make an actual value and its limit read differently: past
 * that, the difference is float noise no one asked about (102.850000001 vs 102.85).
 */
const MAX_DIGITS = 9;

/** The power of ten of the leading digit: 102.85 → 2, 0.19 → -1. */
function magnitude(x: number): number {
  return Math.floor(Math.log10(Math.abs(x)));
}

/** `x` with `digits` significant digits, no exponent, no trailing zeros. */
function significant(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const fixed = x.toFixed(Math.min(100, Math.max(0, digits - 1 - magnitude(x))));
  if (!fixed.includes(".")) return fixed;
  const trimmed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

/** The scale and suffix `formatLatency` would show `ms` in. */
function timeUnit(ms: number): { readonly perMs: number; readonly suffix: string } {
  const abs = Math.abs(ms);
  if (abs < 0.9995) return { perMs: 1000, suffix: " µs" };
  if (abs < 999.5) return { perMs: 1, suffix: " ms" };
  return { perMs: 0.001, suffix: " s" };
}

/** `1000.5` → `1,000.5`: the integer part grouped as counts are in the tables. */
function grouped(text: string): string {
  const [whole = "", fraction] = text.split(".");
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}

/** `value` in the unit, with `digits` significant digits (3: exactly as the tables show it). */
function show(unit: Unit, value: number, digits: number, scaleOf: number): string {
  if (unit === "time") {
    if (digits <= 3) return formatLatency(value);
    const { perMs, suffix } = timeUnit(scaleOf);
    return `${significant(value * perMs, digits)}${suffix}`;
  }
  if (unit === "ratio") return digits <= 3 ? formatPercent(value) : `${significant(value * 100, digits)}%`;
  if (unit === "count")
    return Number.isInteger(value) ? formatCount(value) : grouped(significant(value, digits));
  return digits <= 3 ? formatSignificant(value) : significant(value, digits);
}

/**
 * The actual value as tables and summaries show it (3 significant digits in the metric's unit).
 * Given the limit it was compared with, digits are added (up to 9) until the two read differently
 * whenever they differ: `102.85 ms`, not `103 ms`, against a limit of 102.66 ms.
 */
export function formatActual(expectation: string, actual: number, limit?: number): string {
  return formatPair(expectation, actual, limit ?? actual).actual;
}

/** Actual and limit, each with the same digits: the fewest (from 3) that make them read differently. */
export function formatPair(
  expectation: string,
  actual: number,
  limit: number,
): { readonly actual: string; readonly limit: string } {
  const unit = unitOf(expectation);
  const scaleOf = Math.max(Math.abs(actual), Math.abs(limit));
  // Enough digits for the difference to show with two of its own (102.85 vs 102.66, not 102.8
  // vs 102.7 beside a margin of 0.19), then more if rounding still makes them read the same.
  const difference = Math.abs(actual - limit);
  const wanted = difference === 0 || scaleOf === 0 ? 3 : magnitude(scaleOf) - magnitude(difference) + 2;
  let digits = Math.min(MAX_DIGITS, Math.max(3, wanted));
  for (;;) {
    const pair = { actual: show(unit, actual, digits, scaleOf), limit: show(unit, limit, digits, scaleOf) };
    if (actual === limit || pair.actual !== pair.limit || digits >= MAX_DIGITS) return pair;
    digits++;
  }
}

/** The limit a check is judged against: `limit`, or the bound of `range` nearer to its actual value. */
export function nearestLimit(check: {
  readonly actual: number | null;
  readonly limit?: number;
  readonly range?: readonly [number, number];
}): number | undefined {
  if (check.actual === null) return undefined;
  if (check.limit !== undefined) return check.limit;
  if (check.range === undefined) return undefined;
  const [low, high] = check.range;
  return Math.abs(check.actual - low) <= Math.abs(check.actual - high) ? low : high;
}

/**
 * A failed comparison in words: `102.85 ms vs 102.66 ms: 0.19 ms (0.19%) over`, the two values
 * with digits enough to read differently (`formatPair`), then the margin (`formatMargin`).
 */
export function formatFailure(expectation: string, actual: number, limit: number): string {
  const pair = formatPair(expectation, actual, limit);
  return `${pair.actual} vs ${pair.limit}: ${formatMargin(expectation, actual, limit)}`;
}

/**
 * How far `actual` is from `limit`: `0.19 ms (0.19%) over`, in the values' unit (points for
 * percentages) and relative to the limit (left out when the limit is 0).
 */
export function formatMargin(expectation: string, actual: number, limit: number): string {
  const unit = unitOf(expectation);
  const difference = Math.abs(actual - limit);
  if (difference === 0) return "at the limit";
  const scaleOf = Math.max(Math.abs(actual), Math.abs(limit));
  let margin: string;
  if (unit === "time") {
    const { perMs, suffix } = timeUnit(scaleOf);
    margin = `${significant(difference * perMs, 3)}${suffix}`;
  } else if (unit === "ratio") {
    const points = significant(difference * 100, 3);
    margin = `${points} point${points === "1" ? "" : "s"}`;
  } else {
    margin = significant(difference, 3);
  }
  const relative = limit === 0 ? "" : ` (${significant((difference / Math.abs(limit)) * 100, 2)}%)`;
  return `${margin}${relative} ${actual > limit ? "over" : "under"}`;
}
