// "Did you mean …?": the closest known name to a mistyped command, option or strategy.
import { editDistance as osaDistance } from "../scenarios/hint.js";

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbours
 * (optimal string alignment, scenarios/hint.ts), case-insensitive: "rnu" is one typo away from "run".
 */
export function editDistance(a: string, b: string): number {
  return osaDistance(a.toLowerCase(), b.toLowerCase());
}

/** The candidate at the smallest edit distance from `input` (the first of equals), and that distance. */
export function closest(
  input: string,
  candidates: ReadonlyArray<string>,
): { readonly candidate: string; readonly distance: number } | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best;
}

/**
 * The candidate nearest to `input`, if it is near enough to be a typo (at most a third of the
 * word's letters off, and at least 1 allowed), or if `input` is a prefix of exactly one candidate.
 */
export function didYouMean(input: string, candidates: ReadonlyArray<string>): string | undefined {
  if (input === "") return undefined;
  const found = closest(input, candidates);
  const best = found?.candidate;
  const bestDistance = found?.distance ?? Number.POSITIVE_INFINITY;
  const allowed = Math.max(1, Math.floor(input.length / 3));
  if (best !== undefined && best !== input && bestDistance <= allowed) return best;
  const prefixed = candidates.filter((candidate) => candidate.toLowerCase().startsWith(input.toLowerCase()));
  if (prefixed.length === 1) return prefixed[0];
  return undefined;
}

/** The hint for an unknown strategy name: the nearest keyword (`random(3)`, `url_param id` by keyword), or the list. */
export function strategyHint(name: string, names: ReadonlyArray<string>): string {
  const keyword = name.split(/[\s(]/, 1)[0] ?? name;
  const suggestion = didYouMean(keyword, names);
  return suggestion !== undefined && suggestion !== keyword
    ? `did you mean "${suggestion}"?`
    : `known strategies: ${names.join(", ")}; or a file of your own, such as ./my-strategy.mjs`;
}
