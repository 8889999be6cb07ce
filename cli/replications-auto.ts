// `--replications auto`: parsing it (with --precision and --max) and the stopping rule that says when the judged metrics have settled.
import { UsageError } from "./args.js";
import { parseReplications } from "./check-plan.js";
import { confidenceInterval95, mean } from "./check-stats.js";
import { formatCount } from "./format.js";

/**
 * Replications run before the first judgement: with 2 runs Student's t has one degree of freedom
 * (t = 12.7), so the interval is so wide that it says nothing; from 5 (t = 2.78) it starts to.
 */
export const AUTO_MIN_REPLICATIONS = 5;
/** `--precision` default: the half-width of the 95% interval within 5% of the mean (as JMT's default). */
export const DEFAULT_PRECISION = 0.05;
/** `--max` default: enough for a 5% precision on a metric whose runs spread by some 17%. */
export const DEFAULT_AUTO_MAX = 50;

/**
 * Below these half-widths a metric has settled whatever its mean: a mean at or near 0 (an error
 * rate of 0, a request or two unfinished at the end) has no relative precision to speak of.
 * Shares (0..1): 0.1 percentage point; counts of requests: half a request (a count cannot be
 * closer than that); every other unit (ms, per second): 0.01, below what the tables show.
 */
export const ABSOLUTE_FLOOR_RATIO = 0.001;
export const ABSOLUTE_FLOOR_COUNT = 0.5;
export const ABSOLUTE_FLOOR_OTHER = 0.01;

/** The absolute floor of a metric of this kind. */
export function absoluteFloor(unit: JudgedSeries["unit"]): number {
  return unit === "ratio"
    ? ABSOLUTE_FLOOR_RATIO
    : unit === "count"
      ? ABSOLUTE_FLOOR_COUNT
      : ABSOLUTE_FLOOR_OTHER;
}

export interface AutoReplications {
  readonly kind: "auto";
  /** The half-width allowed, as a share of |mean| (0.05 for 5%). */
  readonly precision: number;
  readonly min: number;
  readonly max: number;
}

export type ReplicationsChoice = { readonly kind: "fixed"; readonly count: number } | AutoReplications;

/** One metric judged: its values in seed order, and whether it is a share or a count (for its absolute floor). */
export interface JudgedSeries {
  readonly metric: string;
  readonly values: ReadonlyArray<number>;
  readonly unit?: "ratio" | "count";
}

/** A metric whose interval is still too wide. */
export interface Unsettled {
  readonly metric: string;
  readonly mean: number;
  readonly halfWidth: number;
}

export type AutoDecision =
  /** `used` replications (the first ones, in seed order) settle every metric, or `max` was reached. */
  | { readonly kind: "stop"; readonly used: number; readonly unsettled?: Unsettled }
  /** Run replications up to `target` (exclusive of those done), then decide again. */
  | { readonly kind: "more"; readonly target: number };

/** `--replications`, `--precision`, `--max` as given (undefined: not given). */
export function parseReplicationsChoice(
  given: {
    readonly replications: string | undefined;
    readonly precision: string | undefined;
    readonly max: string | undefined;
  },
  command: string,
): ReplicationsChoice {
  if (given.replications !== "auto") {
    for (const flag of ["precision", "max"] as const) {
      if (given[flag] !== undefined) {
        throw new UsageError(`--${flag} goes with --replications auto`, command);
      }
    }
    if (given.replications === undefined) return { kind: "fixed", count: 1 };
    return { kind: "fixed", count: renamed(() => parseReplications(given.replications as string), command) };
  }
  const precision =
    given.precision === undefined ? DEFAULT_PRECISION : parsePrecision(given.precision, command);
  const max = given.max === undefined ? DEFAULT_AUTO_MAX : parseMax(given.max, command);
  return { kind: "auto", precision, min: AUTO_MIN_REPLICATIONS, max };
}

function parsePrecision(text: string, command: string): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const percent = match === null ? Number.NaN : Number(match[1]);
  if (!(percent > 0 && percent < 100)) {
    throw new UsageError(
      `--precision expects a percentage above 0% and below 100% (the 95% half-width relative to the mean, e.g. 5%), got "${text}"`,
      command,
    );
  }
  return percent / 100;
}

function parseMax(text: string, command: string): number {
  const n = renamed(() => parseReplications(text), command);
  if (n < AUTO_MIN_REPLICATIONS) {
    throw new UsageError(
      `--max ${text} is below the ${AUTO_MIN_REPLICATIONS} replications --replications auto runs before judging (a t-interval of fewer runs is too wide to judge)`,
      command,
    );
  }
  return n;
}

function renamed<T>(body: () => T, command: string): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, command);
    throw error;
  }
}

/** The 95% half-width of the values' mean (Student's t, from cli/check-stats.ts); undefined below 2 values. */
export function halfWidth95(values: ReadonlyArray<number>): number | undefined {
  const ci = confidenceInterval95(values);
  return ci === undefined ? undefined : (ci.high - ci.low) / 2;
}

/** The first metric (in the order given) whose first `n` values are not within the precision; undefined: all settled. */
export function unsettledAt(
  series: ReadonlyArray<JudgedSeries>,
  n: number,
  precision: number,
): Unsettled | undefined {
  for (const s of series) {
    const values = s.values.slice(0, n);
    const half = halfWidth95(values);
    const m = mean(values);
    if (half === undefined || !Number.isFinite(half))
      return { metric: s.metric, mean: m, halfWidth: Infinity };
    const floor = absoluteFloor(s.unit);
    if (half > precision * Math.abs(m) && half > floor) return { metric: s.metric, mean: m, halfWidth: half };
  }
  return undefined;
}

/**
 * Decides on `done` complete replications (every series has at least `done` values). The stop is
 * the smallest N ≥ min at which every metric has settled, judged on the first N replications only:
 * runs of a batch beyond it are dropped, so the answer (and its figures) is that of
 * `--replications N` whatever the batch size, that is whatever the number of workers.
 */
export function decide(
  auto: AutoReplications,
  series: ReadonlyArray<JudgedSeries>,
  done: number,
  batch: number,
): AutoDecision {
  for (let n = auto.min; n <= Math.min(done, auto.max); n++) {
    if (unsettledAt(series, n, auto.precision) === undefined) return { kind: "stop", used: n };
  }
  if (done >= auto.max) {
    const unsettled = unsettledAt(series, auto.max, auto.precision);
    return { kind: "stop", used: auto.max, ...(unsettled === undefined ? {} : { unsettled }) };
  }
  const next = done < auto.min ? auto.min : done + Math.max(2, batch);
  return { kind: "more", target: Math.min(next, auto.max) };
}

/** The warning when `--max` stopped the replications before a metric settled. */
export function unsettledWarning(where: string, auto: AutoReplications, unsettled: Unsettled): string {
  const relative =
    unsettled.mean === 0
      ? ""
      : ` (${((unsettled.halfWidth / Math.abs(unsettled.mean)) * 100).toPrecision(3)}% of its mean ${unsettled.mean.toPrecision(4)})`;
  return `${where}: ${unsettled.metric} did not settle in ${formatCount(auto.max)} replications (--max): its 95% half-width is ${unsettled.halfWidth.toPrecision(4)}${relative}, above the --precision ${(auto.precision * 100).toPrecision(3).replace(/\.?0+$/, "")}%`;
}
