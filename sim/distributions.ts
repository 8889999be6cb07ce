// Time distributions: compile a parsed Distribution into an allocation-free sampler, and its moments.
//
// Samplers use inverse-CDF transforms driven by the FIRST uniform they draw, so that one request's
// uniform (DESIGN.md "Common random numbers") maps to proportional demands on servers whose laws
// differ only in scale: exponential 10ms and 20ms give exactly a factor 2 for the same request.
// Uniforms used per sample depend only on the law's kind: constant 0, erlang k, mix 1 + its part,
// every other law 1.
import type { Distribution } from "../scenarios/types.js";

/** A source of uniforms in [0, 1) (both `RandomStream` and `DemandRandom` qualify). */
export type Uniform = { next(): number };

/** Draws one time in milliseconds. */
export type Sampler = (u: Uniform) => number;

/**
 * Builds the sampler of `d` once; the returned function allocates nothing per sample.
 * Throws on impossible parameters: the loader validates input, so reaching that is a bug.
 */
export function compileDistribution(d: Distribution): Sampler {
  switch (d.kind) {
    case "exponential": {
      const meanMs = nonNegative(d.meanMs, "exponential mean");
      // log1p(-x) keeps full relative precision for small x, where log(1 - x) would round.
      return (u) => -meanMs * Math.log1p(-u.next());
    }
    case "constant": {
      const valueMs = nonNegative(d.valueMs, "constant value");
      return () => valueMs;
    }
    case "uniform": {
      const minMs = nonNegative(d.minMs, "uniform min");
      const widthMs = nonNegative(d.maxMs - minMs, "uniform width");
      return (u) => minMs + widthMs * u.next();
    }
    case "lognormal": {
      const medianMs = positive(d.medianMs, "lognormal median");
      const sigma = nonNegative(d.sigma, "lognormal sigma");
      if (sigma === 0) {
        // Still draws its uniform so the count per law does not depend on parameters.
        return (u) => {
          u.next();
          return medianMs;
        };
      }
      // Φ⁻¹(0) = −∞ gives exp(−∞) = 0, the law's infimum, so u = 0 from a stream is harmless.
      return (u) => medianMs * Math.exp(sigma * inverseStandardNormal(u.next()));
    }
    case "erlang":
      return erlangSampler(d.k, d.meanMs);
    case "pareto": {
      const scaleMs = positive(d.scaleMs, "pareto scale");
      const exponent = -1 / positive(d.shape, "pareto shape");
      return (u) => scaleMs * (1 - u.next()) ** exponent;
    }
    case "mix":
      return mixSampler(d.parts);
    default:
      return unreachable(d);
  }
}

// The product of the k factors (1 − u) needs only one log; it is folded into a running log sum
// before it can underflow (each factor is ≥ 2^-53, so 1e-200 leaves ample headroom above the
// smallest double), which keeps large k exact without paying k logarithms.
function erlangSampler(k: number, meanMs: number): Sampler {
  if (!Number.isInteger(k) || k < 1) throw new Error(`erlang k must be a positive integer, got ${k}`);
  const phaseMeanMs = nonNegative(meanMs, "erlang mean") / k;
  return (u) => {
    let logSum = 0;
    let product = 1;
    for (let i = 0; i < k; i++) {
      product *= 1 - u.next();
      if (product < 1e-200) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    return -phaseMeanMs * (logSum + Math.log(product));
  };
}

function mixSampler(parts: Extract<Distribution, { kind: "mix" }>["parts"]): Sampler {
  const total = mixTotal(parts);
  const cumulative = new Float64Array(parts.length);
  const samplers: Sampler[] = [];
  let sum = 0;
  parts.forEach((part, i) => {
    sum += part.p;
    cumulative[i] = sum / total;
    samplers.push(compileDistribution(part.dist));
  });
  const last = parts.length - 1;
  // The last part takes whatever rounding leaves above cumulative[last - 1], so no u falls through.
  return (u) => {
    const pick = u.next();
    let i = 0;
    while (i < last && pick >= cumulative[i]!) i++;
    return samplers[i]!(u);
  };
}

/** E[S] in ms, analytically; Infinity when the mean does not exist (pareto with shape ≤ 1). */
export function meanOf(d: Distribution): number {
  switch (d.kind) {
    case "exponential":
      return d.meanMs;
    case "constant":
      return d.valueMs;
    case "uniform":
      return (d.minMs + d.maxMs) / 2;
    case "lognormal":
      return d.medianMs * Math.exp((d.sigma * d.sigma) / 2);
    case "erlang":
      return d.meanMs;
    case "pareto":
      return d.shape > 1 ? (d.scaleMs * d.shape) / (d.shape - 1) : Number.POSITIVE_INFINITY;
    case "mix":
      return mixMoment(d.parts, meanOf);
    default:
      return unreachable(d);
  }
}

/** E[S²] in ms², analytically (for Pollaczek–Khinchine); Infinity where it does not exist. */
export function secondMomentOf(d: Distribution): number {
  switch (d.kind) {
    case "exponential":
      return 2 * d.meanMs * d.meanMs;
    case "constant":
      return d.valueMs * d.valueMs;
    case "uniform":
      return (d.minMs * d.minMs + d.minMs * d.maxMs + d.maxMs * d.maxMs) / 3;
    case "lognormal":
      return d.medianMs * d.medianMs * Math.exp(2 * d.sigma * d.sigma);
    case "erlang":
      // Var = mean²/k for the sum of k exponential phases of mean mean/k.
      return d.meanMs * d.meanMs * (1 + 1 / d.k);
    case "pareto":
      return d.shape > 2 ? (d.scaleMs * d.scaleMs * d.shape) / (d.shape - 2) : Number.POSITIVE_INFINITY;
    case "mix":
      return mixMoment(d.parts, secondMomentOf);
    default:
      return unreachable(d);
  }
}

// Parts are weighted by p / Σp exactly as the sampler picks them, and a part of weight 0 is
// skipped so that its infinite moment cannot turn the sum into NaN.
function mixMoment(
  parts: Extract<Distribution, { kind: "mix" }>["parts"],
  moment: (d: Distribution) => number,
): number {
  const total = mixTotal(parts);
  let sum = 0;
  for (const part of parts) {
    if (part.p > 0) sum += (part.p / total) * moment(part.dist);
  }
  return sum;
}

function mixTotal(parts: Extract<Distribution, { kind: "mix" }>["parts"]): number {
  let total = 0;
  for (const part of parts) total += nonNegative(part.p, "mix weight");
  if (!(total > 0)) throw new Error("a mix needs at least one part of positive weight");
  return total;
}

// Wichura's AS241 coefficients, lowest power first: numerator and denominator for the central
// region |p − ½| ≤ 0.425, the intermediate tail r ≤ 5 and the far tail, r = √(−ln min(p, 1 − p)).
const CENTRAL_NUM = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
] as const;
const CENTRAL_DEN = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
] as const;
const TAIL_NUM = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
] as const;
const TAIL_DEN = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
] as const;
const FAR_NUM = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 2.7115555687434876e-5, 2.0103343992922881e-7,
] as const;
const FAR_DEN = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  1.8463183175100548e-5, 1.421511758316446e-7, 2.0442631033899397e-15,
] as const;

/**
 * Φ⁻¹(p), the standard normal quantile, by Wichura's AS241 (PPND16), accurate to about 1e-16
 * relative: the precision Acklam's approximation reaches only after a refinement step that needs
 * erfc, which JavaScript lacks. Returns −∞ at 0 and +∞ at 1.
 */
export function inverseStandardNormal(p: number): number {
  if (!(p > 0)) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (!(p < 1)) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(r, CENTRAL_NUM)) / horner(r, CENTRAL_DEN);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const x = r <= 5 ? ratio(r - 1.6, TAIL_NUM, TAIL_DEN) : ratio(r - 5, FAR_NUM, FAR_DEN);
  return q < 0 ? -x : x;
}

function ratio(r: number, num: ReadonlyArray<number>, den: ReadonlyArray<number>): number {
  return horner(r, num) / horner(r, den);
}

function horner(r: number, coefficients: ReadonlyArray<number>): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * r + coefficients[i]!;
  return value;
}

function nonNegative(value: number, what: string): number {
  if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) throw new Error(`${what} must be ≥ 0, got ${value}`);
  return value;
}

function positive(value: number, what: string): number {
  if (!(value > 0 && value < Number.POSITIVE_INFINITY)) throw new Error(`${what} must be > 0, got ${value}`);
  return value;
}

function unreachable(value: never): never {
  throw new Error(`unknown distribution ${JSON.stringify(value)}`);
}
