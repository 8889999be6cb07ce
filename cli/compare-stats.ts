// How sure a comparison row is: the best mean, each other strategy's paired difference to it with its 95% interval.
import { confidenceInterval95, type Interval, mean } from "./check-stats.js";
import type { Row } from "./compare-rows.js";

/**
 * - `winner`: the paired 95% interval of the difference between the best and EVERY other strategy
 *   excludes 0 (with two replications or more);
 * - `indistinguishable`: some strategy's interval contains 0: no clear winner;
 * - `one run`: a single replication: the best value is marked, but noise cannot be told apart;
 * - `same`: every strategy has the same value in every replication: nothing to rank;
 * - `unranked`: a row no value of which is better (totals, shares).
 */
export type Verdict = "winner" | "indistinguishable" | "one run" | "same" | "unranked";

/** A strategy's mean minus the best's, with the 95% interval of the per-seed differences. */
export interface Difference {
  readonly mean: number;
  /** Student's t over the per-seed differences (n − 1 degrees of freedom); with n > 1 only. */
  readonly ci95?: Interval;
  /** The difference in % of the best mean; absent when that mean is 0. */
  readonly percent?: number;
  /** The interval excludes 0: this strategy differs from the best beyond noise. */
  readonly distinguishable: boolean;
}

export interface RowVerdict {
  readonly verdict: Verdict;
  /** Index of the strategy with the best mean (absent: unranked, same, or no strategy has a figure). */
  readonly best?: number;
  /** Cells that get the best-value mark. */
  readonly marked: ReadonlyArray<boolean>;
  /** Per strategy, its difference to the best (undefined for the best itself and for "-" cells). */
  readonly differences: ReadonlyArray<Difference | undefined>;
  /** Strategies the best cannot be told from (their interval contains 0), by index. */
  readonly indistinguishable: ReadonlyArray<number>;
}

export function judgeRow(row: Row): RowVerdict {
  const none = row.cells.map(() => false);
  const unmarked = (verdict: Verdict): RowVerdict => ({
    verdict,
    marked: none,
    differences: row.cells.map(() => undefined),
    indistinguishable: [],
  });
  if (row.better === "none" || row.cells.length < 2) return unmarked("unranked");
  const ranked = row.values.flatMap((v, i) => (v === undefined ? [] : [i]));
  const series = (i: number) => row.values[i] ?? [];
  const means = row.values.map((v) => (v === undefined ? Number.NaN : mean(v)));
  const [first] = ranked;
  if (first === undefined) return unmarked("same");
  let best = first;
  for (const i of ranked) {
    const current = means[best] ?? 0;
    const value = means[i] ?? 0;
    if (row.better === "lower" ? value < current : value > current) best = i;
  }
  const replications = series(best).length;
  const identical = (i: number) => series(i).every((v, r) => v === series(best)[r]);
  if (replications <= 1) {
    // One run: ranked as shown, so two cells that read the same are both best or neither.
    if (row.cells.every((cell) => cell === row.cells[0])) return unmarked("same");
    const marked = row.cells.map((cell, i) => row.values[i] !== undefined && cell === row.cells[best]);
    return {
      verdict: "one run",
      best,
      marked,
      differences: row.values.map((v, i) =>
        v === undefined || i === best ? undefined : difference(series(i), series(best), means[best] ?? 0),
      ),
      indistinguishable: [],
    };
  }
  if (ranked.every(identical) && ranked.length === row.cells.length) return unmarked("same");
  const differences = row.values.map((v, i) =>
    v === undefined || i === best ? undefined : difference(series(i), series(best), means[best] ?? 0),
  );
  const indistinguishable = differences.flatMap((d, i) => (d === undefined || d.distinguishable ? [] : [i]));
  const winner = indistinguishable.length === 0;
  return {
    verdict: winner ? "winner" : "indistinguishable",
    best,
    marked: row.cells.map((_, i) => winner && i === best),
    differences,
    indistinguishable,
  };
}

/** Paired by seed: replication r of both strategies saw the same requests (common random numbers). */
function difference(
  values: ReadonlyArray<number>,
  best: ReadonlyArray<number>,
  bestMean: number,
): Difference {
  const perSeed = values.map((v, r) => v - (best[r] ?? 0));
  const m = mean(perSeed);
  const ci95 = confidenceInterval95(perSeed);
  return {
    mean: m,
    ...(ci95 === undefined ? {} : { ci95 }),
    ...(bestMean === 0 ? {} : { percent: Number(((m / Math.abs(bestMean)) * 100).toPrecision(12)) }),
    distinguishable: ci95 === undefined ? m !== 0 : ci95.low > 0 || ci95.high < 0,
  };
}
