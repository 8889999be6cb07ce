// Populations of client addresses and URL paths: index draws (uniform or Zipf) and their names.
//
// A draw takes exactly one uniform, so the request stream stays aligned across strategies
// (DESIGN.md "Common random numbers"). That rules out rejection samplers (rejection-inversion
// included), whose number of uniforms varies; Zipf is therefore sampled by exact inversion:
// a CDF table for the head and, past it, the Euler–Maclaurin formula for the partial sums.

/** The head table's size: 512 KB, and at most a 16-step binary search. */
const HEAD_LIMIT = 1 << 16;

/** The last source index: addresses run over the hosts of 10.0.0.0/8, 10.0.0.1 to 10.255.255.254. */
const LAST_IPV4_INDEX = 2 ** 24 - 3;

/**
 * A sampler of indices 0..count−1 from one uniform u in [0, 1): uniform when `zipf` is null,
 * otherwise Zipf with P(k) ∝ 1/(k+1)^zipf. O(log n) in the head, O(1) past it; memory is at most
 * the 512 KB head table whatever `count` is.
 */
export function createPopulation(count: number, zipf: number | null): (u: number) => number {
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`population count must be ≥ 1, got ${count}`);
  const last = count - 1;
  if (zipf === null) return (u) => Math.min(Math.floor(u * count), last);
  if (!(zipf >= 0 && zipf < Number.POSITIVE_INFINITY)) throw new Error(`zipf must be ≥ 0, got ${zipf}`);
  const s = zipf;

  // head[i] = S(i + 1), where S(r) = Σ_{j=1..r} j^-s. Neumaier summation keeps S exact to the last
  // bit over 2^16 terms, which the tail formula builds on.
  const headSize = Math.min(count, HEAD_LIMIT);
  const head = new Float64Array(headSize);
  let sum = 0;
  let compensation = 0;
  for (let j = 1; j <= headSize; j++) {
    const term = j ** -s;
    const t = sum + term;
    compensation += Math.abs(sum) >= term ? sum - t + term : term - t + sum;
    sum = t;
    head[j - 1] = sum + compensation;
  }
  const headSum = head[headSize - 1]!;
  const tail = headSize < count ? createTail(s, headSize) : null;
  const total = tail === null ? headSum : headSum + tail.sumTo(count);

  return (u) => {
    const target = u * total;
    if (target < headSum || tail === null) return Math.min(firstAbove(head, target), last);
    return tail.invert(target - headSum, count) - 1;
  };
}

/** The smallest i with table[i] > target, or table.length when there is none. */
function firstAbove(table: Float64Array, target: number): number {
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Tail {
  /** Σ_{j=a+1..r} j^-s for r ≥ a. */
  sumTo(r: number): number;
  /** The smallest rank r in a+1..n with sumTo(r) > mass (n when there is none). */
  invert(mass: number, n: number): number;
}

// Euler–Maclaurin for f(x) = x^-s from a = 2^16 on:
//   Σ_{j=a+1..r} f(j) = ∫_a^r f + (f(r) − f(a))/2 + (f'(r) − f'(a))/12 − (f'''(r) − f'''(a))/720 + R
// with |R| of the order of f⁽⁵⁾(a)/30240 ≈ s⁵·a^(−s−5) < 1e-24 relative to the sum: exact in doubles.
function createTail(s: number, a: number): Tail {
  const w = 1 - s;
  const aPowW = a ** w;
  const fa = a ** -s;
  const d1a = -s * a ** (-s - 1);
  const d3a = -s * (s + 1) * (s + 2) * a ** (-s - 3);
  // ∫_a^x t^-s dt = a^w·(e^{w·ln(x/a)} − 1)/w; expm1 avoids the cancellation of x^w − a^w near s = 1.
  const integralFromA = (x: number): number => {
    const logRatio = Math.log(x / a);
    const y = w * logRatio;
    return y === 0 ? aPowW * logRatio : (aPowW * Math.expm1(y)) / w;
  };
  // The inverse: the x ≥ a with ∫_a^x = c (Infinity when the remaining tail holds less than c).
  const inverseIntegral = (c: number): number => {
    if (w === 0) return a * Math.exp(c);
    const z = (c * w) / aPowW;
    return z <= -1 ? Number.POSITIVE_INFINITY : a * Math.exp(Math.log1p(z) / w);
  };
  const sumTo = (r: number): number => {
    const fr = r ** -s;
    const d1r = (-s * fr) / r;
    const d3r = (-s * (s + 1) * (s + 2) * fr) / (r * r * r);
    return integralFromA(r) + (fr - fa) / 2 + (d1r - d1a) / 12 - (d3r - d3a) / 720;
  };
  // Midpoint rule: Σ_{j=a+1..r} f(j) ≈ ∫_{a+½}^{r+½} f, so the guess is off by at most a rank or
  // two, which the exact checks below correct.
  const massToMidpoint = integralFromA(a + 0.5);
  const invert = (mass: number, n: number): number => {
    const x = inverseIntegral(mass + massToMidpoint);
    let r = x < n ? Math.max(a + 1, Math.ceil(x - 0.5)) : n;
    while (r > a + 1 && sumTo(r - 1) > mass) r--;
    while (r < n && sumTo(r) <= mass) r++;
    return r;
  };
  return { sumTo, invert };
}

/**
 * The address of source `i`: 10.0.0.1 for 0, counting up through the hosts of 10.0.0.0/8, so
 * every index up to 2^24 − 3 has its own address (the network and broadcast addresses are
 * skipped). `key` is the address as an unsigned 32-bit integer, the form HAProxy hashes for
 * `balance source`.
 */
export function ipv4ForIndex(i: number): { readonly text: string; readonly key: number } {
  if (!(Number.isInteger(i) && i >= 0 && i <= LAST_IPV4_INDEX)) {
    throw new Error(`source index ${i} does not fit in 10.0.0.0/8`);
  }
  const host = i + 1;
  const b = host >>> 16;
  const c = (host >>> 8) & 0xff;
  const d = host & 0xff;
  return { text: `10.${b}.${c}.${d}`, key: (10 * 2 ** 24 + host) >>> 0 };
}

/** The path of URL `i`, e.g. `/item/42`. */
export function pathForIndex(i: number): string {
  return `/item/${i}`;
}
