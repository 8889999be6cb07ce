// The grammar of expectation lines (`p99 < 300ms`, `errors during 10s..20s < 1%`): the metrics, their units, and parsing.
import { InputError } from "../errors/index.js";
import { type ParseError, splitWindow, TIME_UNITS, WINDOWED } from "./time-window.js";
import type { Expectation, MetricArgument, MetricRef, MetricUnit, Operand } from "./types.js";

export type { Expectation, MetricRef, Operand } from "./types.js";

type Unit = MetricUnit;

const METRICS: Readonly<Record<string, { readonly unit: Unit; readonly argument: MetricArgument }>> = {
  mean: { unit: "time", argument: "none" },
  p50: { unit: "time", argument: "none" },
  p90: { unit: "time", argument: "none" },
  p99: { unit: "time", argument: "none" },
  p999: { unit: "time", argument: "none" },
  max: { unit: "time", argument: "none" },
  "queue.mean": { unit: "time", argument: "none" },
  "queue.p99": { unit: "time", argument: "none" },
  errors: { unit: "ratio", argument: "none" },
  requests: { unit: "count", argument: "none" },
  failed: { unit: "count", argument: "none" },
  retried: { unit: "ratio", argument: "none" },
  redispatched: { unit: "ratio", argument: "none" },
  status: { unit: "ratio", argument: "word" },
  termination: { unit: "ratio", argument: "word" },
  share: { unit: "ratio", argument: "server" },
  utilization: { unit: "ratio", argument: "server" },
  maxinflight: { unit: "count", argument: "server" },
  maxqueued: { unit: "count", argument: "server" },
  // Steady-state requests still unanswered at the end: `unfinished == 0`, `unfinished < 1%`.
  unfinished: { unit: "count or share", argument: "none" },
  // The failover window, from the server's timeline and states (see failoverMetric).
  detected: { unit: "time", argument: "server" },
  recovered: { unit: "time", argument: "server" },
  downtime: { unit: "time", argument: "server" },
  // One backend's figures (Results.backends), e.g. `backend.p99(api) < 200ms`.
  "backend.mean": { unit: "time", argument: "backend" },
  "backend.p50": { unit: "time", argument: "backend" },
  "backend.p90": { unit: "time", argument: "backend" },
  "backend.p99": { unit: "time", argument: "backend" },
  "backend.p999": { unit: "time", argument: "backend" },
  "backend.max": { unit: "time", argument: "backend" },
  "backend.errors": { unit: "ratio", argument: "backend" },
  "backend.requests": { unit: "count", argument: "backend" },
  "backend.share": { unit: "ratio", argument: "backend" },
  "backend.unfinished": { unit: "count or share", argument: "backend" },
};

/** The share reading of a "count or share" metric (not written by users: chosen by a `%` beside it). */
const SHARE_SUFFIX = ".share";

/** Names of the metrics, for messages and hints. */
export const METRIC_NAMES: ReadonlyArray<string> = Object.keys(METRICS);
/**
 * The `expect:` lines of a scenario built in code (no file, so no position): each parsed, an
 * InputError naming the first line that does not parse. Scenario files are parsed by the loader.
 */
export function parseExpectations(lines: ReadonlyArray<string>): Expectation[] {
  return lines.map((line, index) => {
    const parsed = parseExpectation(line);
    if (!("error" in parsed)) return parsed;
    throw InputError.one({
      code: "bad-value",
      file: "",
      line: 0,
      column: 0,
      path: `expect[${index}]`,
      message: parsed.error,
      ...(parsed.hint === undefined ? {} : { hint: parsed.hint }),
    });
  });
}

/** Parses one expectation; returns a message saying what was expected when it cannot. */
export function parseExpectation(text: string): Expectation | ParseError {
  const trimmed = text.trim();
  const range = /^(.+?)\s+in\s+(.+?)\s*\.\.\s*(.+)$/.exec(trimmed);
  if (range !== null) {
    const left = parseMetric(range[1]!);
    if ("error" in left) return left;
    const low = parseOperand(range[2]!, left.unit);
    if ("error" in low) return low;
    const high = parseOperand(range[3]!, left.unit);
    if ("error" in high) return high;
    const bare = bareRatio(left, [
      [low, range[2]!],
      [high, range[3]!],
    ]);
    if (bare !== undefined) return bare;
    return shareOrCount({ text: trimmed, op: "in", left, low, high });
  }
  const comparison = /^(.+?)\s*(<=|>=|==|<|>)\s*(.+)$/.exec(trimmed);
  if (comparison === null) {
    return { error: `expected "<metric> <op> <value>" or "<metric> in <low>..<high>", got "${trimmed}"` };
  }
  const left = parseMetric(comparison[1]!);
  if ("error" in left) return left;
  const right = parseOperand(comparison[3]!, left.unit);
  if ("error" in right) return right;
  const bare = bareRatio(left, [[right, comparison[3]!]]);
  if (bare !== undefined) return bare;
  return shareOrCount({ text: trimmed, op: comparison[2] as "<" | "<=" | ">" | ">=" | "==", left, right });
}

/**
 * A "count or share" metric reads as a share when its limit is a percentage (`unfinished < 1%`) and
 * as a count otherwise (`unfinished < 50`, `unfinished < leastconn.unfinished`). A bare 0 is both.
 */
function shareOrCount(expectation: Expectation): Expectation | { readonly error: string } {
  const { left } = expectation;
  if (left.unit !== "count or share") return expectation;
  const limits = expectation.op === "in" ? [expectation.low, expectation.high] : [expectation.right];
  const numbers = limits.filter((o) => o.kind === "number");
  if (!numbers.some((n) => n.explicitUnit)) return expectation;
  if (numbers.some((n) => !n.explicitUnit && n.value !== 0) || numbers.length < limits.length)
    return {
      error: `${left.name} is a count beside a number and a share beside a percentage: give every limit as a percentage (${left.name} in 0%..1%) or every one as a count (${left.name} in 0..50)`,
    };
  return { ...expectation, left: { ...left, name: `${left.name}${SHARE_SUFFIX}`, unit: "ratio" } };
}

/**
 * Units rule: a ratio is a fraction, so a bare number above 1 next to one (`errors < 5`) is
 * surely a percentage without its `%`; without this rule it reads as 500% and always passes.
 * A "count or share" metric (`unfinished`) is not a ratio here: shareOrCount reads it after this rule.
 */
function bareRatio(
  left: MetricRef,
  operands: ReadonlyArray<readonly [Operand, string]>,
): ParseError | undefined {
  if (left.unit !== "ratio") return undefined;
  const offending = operands.find(([o]) => o.kind === "number" && !o.explicitUnit && o.value > 1);
  if (offending === undefined) return undefined;
  const asPercent = operands
    .map(([o, written]) =>
      o.kind === "number" && !o.explicitUnit && Math.abs(o.value) > 0 ? `${written.trim()}%` : written.trim(),
    )
    .join("..");
  return {
    error: `${left.name} is a ratio: a bare number is a fraction (1 = 100%), so ${offending[1].trim()} would mean ${Number(offending[1]) * 100}%`,
    hint: `did you mean ${asPercent}?`,
  };
}

function parseMetric(written: string): MetricRef | ParseError {
  const split = splitWindow(written);
  if ("error" in split) return split;
  const metric = parseBareMetric(split.metric);
  if ("error" in metric || split.window === null) return metric;
  if (!WINDOWED.has(metric.name))
    return {
      error: `metric ${metric.name} takes no time window; windows apply to the request metrics: ${[...WINDOWED].filter((m) => METRICS[m] !== undefined).join(", ")}`,
    };
  return { ...metric, window: split.window };
}

function parseBareMetric(text: string): MetricRef | ParseError {
  const match = /^(?:([A-Za-z][\w-]*(?:\(\d+\))?)\.)?([a-z][a-z0-9.]*)(?:\(([^()]+)\))?$/.exec(text.trim());
  if (match === null)
    return { error: `expected a metric such as p99, errors or share(web01), got "${text.trim()}"` };
  let strategy = match[1] ?? null;
  let name = match[2]!;
  // `queue.p99` parses as strategy "queue" + name "p99": the metric wins.
  if (strategy !== null && METRICS[`${strategy}.${name}`] !== undefined) {
    name = `${strategy}.${name}`;
    strategy = null;
  }
  const spec = METRICS[name];
  if (spec === undefined)
    return { error: `unknown metric "${name}"; expected one of ${METRIC_NAMES.join(", ")}` };
  const argument = match[3]?.trim() ?? null;
  if (spec.argument === "none" && argument !== null) return { error: `metric ${name} takes no argument` };
  if (spec.argument !== "none" && argument === null)
    return {
      error: `metric ${name} needs an argument, e.g. ${name}(${spec.argument === "backend" ? "api" : spec.argument === "word" ? (name === "status" ? "503" : "sC") : "web01"})`,
    };
  return {
    kind: "metric",
    strategy,
    name,
    argument,
    unit: spec.unit,
    argumentKind: spec.argument,
    window: null,
  };
}

function parseOperand(text: string, unit: Unit): Operand | ParseError {
  const trimmed = text.trim();
  const number = /^(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*(us|ms|s|m|h|%)?$/.exec(trimmed);
  if (number === null) {
    const metric = parseMetric(trimmed);
    if ("error" in metric)
      return /\s(during|after|before)\s/.test(trimmed)
        ? metric
        : { error: `expected a number or a metric, got "${trimmed}"` };
    if (metric.unit !== unit)
      return { error: `cannot compare a ${unit} with the ${metric.unit} ${metric.name}` };
    return metric;
  }
  const value = Number(number[1]);
  const suffix = number[2];
  if (suffix === undefined) return { kind: "number", value, explicitUnit: false };
  if (suffix === "%") {
    if (unit !== "ratio" && unit !== "count or share")
      return { error: `a percentage makes no sense for a ${unit}` };
    // 99.9 / 100 is 0.9990000000000001 in binary: 15 significant digits give back the 0.999 written.
    return { kind: "number", value: Number((value / 100).toPrecision(15)), explicitUnit: true };
  }
  if (unit !== "time") return { error: `a duration makes no sense for a ${unit}` };
  return { kind: "number", value: value * TIME_UNITS[suffix]!, explicitUnit: true };
}
