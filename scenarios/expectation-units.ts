// The unit of an expectation's figures (ms, a fraction, a count), read from a check's name (Results hold only the text), for the CLI and the report.
import { parseExpectation } from "./expectation-grammar.js";

/**
 * Presentation only: `actual` is a bare number (ms for times, a fraction for ratios), so the
 * expectation's metric decides its unit on screen. These sets guess it from the metric word when
 * the text does not parse as an expectation; unknown metrics show the bare number.
 */
const TIME_METRICS = new Set([
  ...["mean", "p50", "p90", "p99", "p999", "max", "queue.mean", "queue.p99"],
  ...["detected", "recovered", "downtime"],
]);
const RATIO_METRICS = new Set([
  "errors",
  "retried",
  "redispatched",
  "status",
  "termination",
  "share",
  "utilization",
]);

/** How an expectation's figures read: `time` in ms, `ratio` a fraction, `count` of requests, `plain` a bare number. */
export type ExpectationUnit = "time" | "ratio" | "count" | "plain";

/** Metrics that count requests or connections: shown as whole numbers with separators (1,382). */
const COUNT_METRICS = new Set(["requests", "failed", "unfinished", "maxinflight", "maxqueued"]);

/** The unit the grammar gives the expectation's metric; a guess from its first word when it does not parse. */
export function expectationUnit(expectation: string): ExpectationUnit {
  const parsed = parseExpectation(expectation);
  if (!("error" in parsed)) return parsed.left.unit === "count or share" ? "count" : parsed.left.unit;
  return guessedUnit(expectation);
}

function guessedUnit(expectation: string): ExpectationUnit {
  // The metric's own argument goes (`share(web01)`), not a strategy's (`random(2).errors`).
  const word = (expectation.trim().split(/[\s<>=!]/, 1)[0] ?? "").replace(/\([^()]*\)$/, "").toLowerCase();
  // `leastconn.p99` (with compare:) is the p99 of that strategy's run.
  const candidates = [word, word.slice(word.lastIndexOf(".") + 1)];
  if (candidates.some((w) => TIME_METRICS.has(w))) return "time";
  if (candidates.some((w) => RATIO_METRICS.has(w))) return "ratio";
  // `unfinished < 1%` is a share of the arrivals, `unfinished < 50` a count.
  if (candidates.includes("unfinished") && expectation.includes("%")) return "ratio";
  if (candidates.some((w) => COUNT_METRICS.has(w))) return "count";
  return "plain";
}
