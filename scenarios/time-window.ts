// Time windows of an expectation (`during 10s..20s`, `after 18s`, `before 5s`): their grammar, and which metrics take one.
import type { TimeWindow } from "./types.js";

export type { TimeWindow } from "./types.js";

/** A parse failure: what was expected, and a hint when a likely fix is known. */
export type ParseError = { readonly error: string; readonly hint?: string };

/** Milliseconds per time unit, as written in expectations. */
export const TIME_UNITS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** The metrics that take a time window: those counted over requests (a window selects requests by arrival). */
export const WINDOWED: ReadonlySet<string> = new Set([
  "mean",
  "p50",
  "p90",
  "p99",
  "p999",
  "max",
  "queue.mean",
  "queue.p99",
  "errors",
  "requests",
  "failed",
  "retried",
  "redispatched",
  "status",
  "termination",
  "unfinished",
  "share",
]);

/** `<metric> during A..B`, `<metric> after T`, `<metric> before T`: the metric's text and its window. */
export function splitWindow(text: string): { metric: string; window: TimeWindow | null } | ParseError {
  const match = /^(.+?)\s+(during|after|before)\s+(.+)$/.exec(text.trim());
  if (match === null) return { metric: text, window: null };
  const [, metric, word, times] = match as unknown as [string, string, string, string];
  const time = (written: string): number | ParseError => {
    const t = /^(\d+(?:\.\d+)?)\s*(us|ms|s|m|h)$/.exec(written.trim());
    if (t === null)
      return {
        error: `expected a time with its unit in "${word} ${times.trim()}", got "${written.trim()}"`,
        hint: /^\d+(?:\.\d+)?$/.test(written.trim())
          ? `write ${written.trim()}s or ${written.trim()}ms`
          : undefined,
      };
    return Number(t[1]) * TIME_UNITS[t[2]!]!;
  };
  if (word === "during") {
    const bounds = /^(.+?)\s*\.\.\s*(.+)$/.exec(times.trim());
    if (bounds === null)
      return { error: `expected "during <from>..<to>", e.g. during 10s..20s, got "during ${times.trim()}"` };
    const fromMs = time(bounds[1]!);
    if (typeof fromMs !== "number") return fromMs;
    const toMs = time(bounds[2]!);
    if (typeof toMs !== "number") return toMs;
    if (fromMs >= toMs)
      return { error: `the window "during ${times.trim()}" is empty: expected its start before its end` };
    return { metric, window: { fromMs, toMs } };
  }
  const at = time(times);
  if (typeof at !== "number") return at;
  if (word === "after") return { metric, window: { fromMs: at, toMs: null } };
  if (at <= 0) return { error: `the window "before ${times.trim()}" is empty: expected a time after 0` };
  return { metric, window: { fromMs: 0, toMs: at } };
}
