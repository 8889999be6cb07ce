// HAProxy's "did you mean": the closest keyword by letter-transition fingerprint, as cfgparse.c's
// cfg_find_best_match / srv_find_best_kw / proxy_find_best_option pick it (make_word_fingerprint).

/** Letters are 1..26 (any case), digits 27, anything else 28, and a word begins and ends at 28. */
function classOf(code: number): number {
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x7a) return lower - 0x61 + 1;
  if (code >= 0x30 && code <= 0x39) return 27;
  return 28;
}

/**
 * The 32×32 counts of transitions between the classes of consecutive characters, and in row 0 a
 * mark for each class present (tools.c: update_word_fingerprint).
 */
function fingerprint(word: string): Uint8Array {
  const print = new Uint8Array(1024);
  let from = 28;
  for (let i = 0; i < word.length; i++) {
    const to = classOf(word.charCodeAt(i));
    print[to] = 1;
    print[from * 32 + to]!++;
    from = to;
  }
  print[from * 32 + 28]!++;
  return print;
}

function distance(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 1024; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum;
}

/**
 * HAProxy's suggestion for `word` among `candidates` (in HAProxy's order: the first of equally
 * close words wins), or undefined when even the closest is more than twice either word's length away.
 */
export function haproxySuggestion(word: string, candidates: Iterable<string>): string | undefined {
  const own = fingerprint(word);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(own, fingerprint(candidate));
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (best === undefined || bestDistance > 2 * word.length || bestDistance > 2 * best.length)
    return undefined;
  return best;
}
