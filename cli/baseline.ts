// `lbsim check --baseline`: the figures of this check against a stored check JSON, regressions judged on the replications' intervals.
import { type Figure, type FigureUnit, type RunFigures, unitOf } from "./check-figures.js";
import { confidenceInterval95, type Interval, mean } from "./check-stats.js";

/** A figure may get 10% worse than the baseline's before it is a regression (unless the scenario says). */
export const DEFAULT_TOLERANCE = 0.1;

/**
 * The least worsening that counts whatever the relative tolerance: 1 ms for times (below that, a
 * 2 ms p50 that becomes 2.3 ms is "15% worse" yet nothing a user would act on), and 0.1 percentage
 * point for shares (1 request in 1,000: from a baseline of 0 errors, any relative tolerance is 0).
 */
export const FLOORS: Readonly<Record<FigureUnit, number>> = { time: 1, ratio: 0.001 };

/** What a baseline file gives for one scenario: a check JSON's scenario entry (figures may be absent). */
export interface BaselineScenario {
  readonly file: string;
  readonly scenario: string;
  readonly seeds: ReadonlyArray<number>;
  readonly figures?: Readonly<Record<string, RunFigures>>;
}

/** How a figure was judged: pair by pair over common seeds, interval against interval, or value against value (1 run). */
export type Judged = "paired" | "intervals" | "values";

export interface Regression {
  readonly scenario: string;
  readonly file: string;
  /** The run (strategy) whose figure got worse, as named in `figures`. */
  readonly run: string;
  readonly figure: string;
  readonly before: { readonly mean: number; readonly ci95?: Interval };
  readonly after: { readonly mean: number; readonly ci95?: Interval };
  /** The relative tolerance applied (0.1 = 10%). */
  readonly tolerance: number;
  /** The baseline's mean plus the tolerance (or the floor): what a value must exceed to be worse. */
  readonly allowed: number;
  readonly judged: Judged;
  /** With `paired`: the mean of after − before over the common seeds and its 95% interval. */
  readonly difference?: { readonly mean: number; readonly ci95: Interval };
}

/** The check JSON's `baseline` section. */
export interface BaselineReport {
  /** The baseline file as given. */
  readonly file: string;
  readonly passed: boolean;
  /** Figures compared (a figure of a run of a scenario found on both sides). */
  readonly compared: number;
  readonly regressions: ReadonlyArray<Regression>;
  /** Scenarios run now that the baseline does not have (not failures). */
  readonly notInBaseline: ReadonlyArray<{ readonly file: string; readonly scenario: string }>;
  /** Scenarios of the baseline that were not run now (not failures). */
  readonly notRun: ReadonlyArray<{ readonly file: string; readonly scenario: string }>;
  /** What else a reader should know (other seeds, runs or figures missing on one side). */
  readonly notes: ReadonlyArray<string>;
}

/** The scenario being checked, with its figures and its `baseline:` tolerances. */
export interface CurrentScenario extends BaselineScenario {
  /** The scenario file's `baseline:` (0.1 = 10%): `tolerance` and per-figure entries. */
  readonly tolerances?: Readonly<Record<string, number>>;
}

export function toleranceOf(
  figure: string,
  scenario: Readonly<Record<string, number>> | undefined,
  fallback: number,
): number {
  return scenario?.[figure] ?? scenario?.tolerance ?? fallback;
}

/**
 * One figure, before and after. The margin is the tolerance of the baseline's mean, at least the
 * floor. A regression must exceed it beyond the noise: with common seeds, the whole 95% interval
 * of the per-seed difference lies above the margin (common random numbers make that interval
 * narrow, and identical code gives differences of exactly 0); with other seeds, the new interval's
 * low end lies above the old one's high end plus the margin (conservative: two 95% intervals that
 * do not even touch); a side with one run has no interval, and its value stands for both ends of
 * one (with one run on each side, the values and the tolerance alone decide).
 */
export function judgeFigure(
  before: Figure,
  after: Figure,
  unit: FigureUnit,
  tolerance: number,
  paired: boolean,
): {
  readonly regressed: boolean;
  readonly judged: Judged;
  readonly allowed: number;
  readonly difference?: Regression["difference"];
} {
  const margin = Math.max(tolerance * Math.abs(before.mean), FLOORS[unit]);
  // 12 significant digits, as the means: no float noise (10.459800000000001) in the JSON.
  const allowed = Number((before.mean + margin).toPrecision(12));
  if (before.values.length >= 2 && after.values.length >= 2) {
    if (paired && before.values.length === after.values.length) {
      const differences = after.values.map((v, i) => v - (before.values[i] ?? 0));
      const ci95 = confidenceInterval95(differences) as Interval;
      return {
        regressed: ci95.low > margin,
        judged: "paired",
        allowed,
        difference: { mean: mean(differences), ci95 },
      };
    }
  }
  // Interval against interval; a side with one run has its value for both ends of its interval.
  const low = after.ci95?.low ?? after.mean;
  const high = before.ci95?.high ?? before.mean;
  const judged = after.ci95 === undefined && before.ci95 === undefined ? "values" : "intervals";
  return { regressed: low > high + margin, judged, allowed };
}

const sameSeeds = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((seed, i) => seed === b[i]);

const seedsText = (seeds: ReadonlyArray<number>): string =>
  seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds[0]}..${seeds[seeds.length - 1]}`;

/** Finds the baseline's entry: the same file and name, else the only entry of that name. */
function counterpart(
  s: BaselineScenario,
  baseline: ReadonlyArray<BaselineScenario>,
): BaselineScenario | undefined {
  const exact = baseline.find((b) => b.file === s.file && b.scenario === s.scenario);
  if (exact !== undefined) return exact;
  const named = baseline.filter((b) => b.scenario === s.scenario);
  return named.length === 1 ? named[0] : undefined;
}

export function compareWithBaseline(
  current: ReadonlyArray<CurrentScenario>,
  baseline: ReadonlyArray<BaselineScenario>,
  file: string,
  fallbackTolerance: number,
): BaselineReport {
  const regressions: Regression[] = [];
  const notInBaseline: Array<{ file: string; scenario: string }> = [];
  const notes: string[] = [];
  /** Scenarios with one run on a side: said once, at the end. */
  const single: string[] = [];
  const matched = new Set<BaselineScenario>();
  let compared = 0;
  for (const s of current) {
    const old = counterpart(s, baseline);
    if (old === undefined) {
      notInBaseline.push({ file: s.file, scenario: s.scenario });
      continue;
    }
    matched.add(old);
    if (s.figures === undefined) {
      notes.push(`${s.scenario}: not run to the end now; nothing compared`);
      continue;
    }
    if (old.figures === undefined) {
      notes.push(
        `${s.scenario}: the baseline has no figures for it (not run then, or written by an older lbsim)`,
      );
      continue;
    }
    const paired = sameSeeds(s.seeds, old.seeds);
    if (!paired) {
      notes.push(
        `${s.scenario}: ${seedsText(s.seeds)} now, ${seedsText(old.seeds)} in the baseline: compared interval against interval, not seed by seed`,
      );
    }
    if (s.seeds.length < 2 || old.seeds.length < 2) single.push(s.scenario);
    for (const [run, figures] of Object.entries(s.figures)) {
      const oldFigures = old.figures[run];
      if (oldFigures === undefined) {
        notes.push(`${s.scenario}: the baseline has no ${run} run`);
        continue;
      }
      for (const [figure, after] of Object.entries(figures)) {
        const before = oldFigures[figure];
        const unit = unitOf(figure);
        if (before === undefined || unit === undefined) continue;
        compared++;
        const tolerance = toleranceOf(figure, s.tolerances, fallbackTolerance);
        const verdict = judgeFigure(before, after, unit, tolerance, paired);
        if (!verdict.regressed) continue;
        regressions.push({
          scenario: s.scenario,
          file: s.file,
          run,
          figure,
          before: { mean: before.mean, ...(before.ci95 === undefined ? {} : { ci95: before.ci95 }) },
          after: { mean: after.mean, ...(after.ci95 === undefined ? {} : { ci95: after.ci95 }) },
          tolerance,
          allowed: verdict.allowed,
          judged: verdict.judged,
          ...(verdict.difference === undefined ? {} : { difference: verdict.difference }),
        });
      }
    }
    for (const run of Object.keys(old.figures)) {
      if (s.figures[run] === undefined)
        notes.push(`${s.scenario}: the ${run} run of the baseline was not made now`);
    }
  }
  if (single.length > 0) {
    notes.push(
      `${single.join(", ")}: one run on a side, so no interval there: the value stands for it (--replications N on both sides judges beyond noise)`,
    );
  }
  const notRun = baseline.filter((b) => !matched.has(b)).map((b) => ({ file: b.file, scenario: b.scenario }));
  return { file, passed: regressions.length === 0, compared, regressions, notInBaseline, notRun, notes };
}
