// "Did you mean …?": the closest known name to a mistyped command, option or strategy.

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbours
 * (optimal string alignment), case-insensitive: "rnu" is one typo away from "run", not two.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[s.length]?.[t.length] ?? 0;
}

/**
 * The candidate nearest to `input`, if it is near enough to be a typo (at most a third of the
 * word's letters off, and at least 1 allowed), or if `input` is a prefix of exactly one candidate.
 */
export function didYouMean(input: string, candidates: ReadonlyArray<string>): string | undefined {
  if (input === "") return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
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
