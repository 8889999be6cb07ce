// Distributions of times as DESIGN.md writes them (`{exponential: 20ms}`, `{mix: [...]}`) → Distribution.
import { didYouMean } from "./hint.js";
import { describe, fail, listWords, nest, ok, type Problem, type Result, readMap } from "./problem.js";
import type { Distribution } from "./types.js";
import { tryParseDuration, unwrap } from "./units.js";

export const DISTRIBUTION_KINDS = [
  "exponential",
  "constant",
  "uniform",
  "lognormal",
  "erlang",
  "pareto",
  "mix",
] as const;
type Kind = (typeof DISTRIBUTION_KINDS)[number];

export const DISTRIBUTION_EXPECTED =
  "a distribution such as {exponential: 20ms}, {constant: 10ms}, {uniform: [5ms, 15ms]}, " +
  "{lognormal: {median: 20ms, sigma: 0.8}}, {erlang: {k: 4, mean: 10ms}}, {pareto: {scale: 10ms, shape: 1.5}} " +
  "or {mix: [{p: 0.9, exponential: 5ms}, {p: 0.1, constant: 200ms}]}";

/** How far the `p`s of a mix may stray from 1 (floating-point sums such as 0.1 + 0.2). */
const P_TOLERANCE = 1e-9;

const isKind = (key: string): key is Kind => (DISTRIBUTION_KINDS as ReadonlyArray<string>).includes(key);

function kindProblem(key: string, at: ReadonlyArray<string | number>): Problem {
  return {
    code: "bad-distribution",
    path: at,
    atKey: true,
    message: `unknown distribution "${key}"; expected ${listWords(DISTRIBUTION_KINDS)}`,
    ...(didYouMean(key, DISTRIBUTION_KINDS) === undefined
      ? {}
      : { hint: didYouMean(key, DISTRIBUTION_KINDS) }),
  };
}

/** Parses `{<kind>: <parameters>}`. */
export function tryParseDistribution(value: unknown): Result<Distribution> {
  const map = readMap(value, [...DISTRIBUTION_KINDS], [], DISTRIBUTION_EXPECTED, "bad-distribution");
  if (!map.ok) {
    // An unknown key here is an unknown distribution name: say so in the distribution's own words.
    return {
      ok: false,
      problems: map.problems.map((p) =>
        p.code === "unknown-key" ? kindProblem(String(p.path[0]), p.path) : p,
      ),
    };
  }
  const keys = Object.keys(map.value);
  const key = keys[0];
  if (key === undefined || keys.length > 1 || !isKind(key)) {
    const found = keys.length === 0 ? "an empty map" : `several distributions (${keys.join(", ")})`;
    return fail("bad-distribution", `found ${found}, expected exactly one: ${DISTRIBUTION_EXPECTED}`);
  }
  const result = parseKind(key, map.value[key]);
  return result.ok ? result : { ok: false, problems: nest(result.problems, [key]) };
}

/** Throws InputError (code `bad-distribution`, or `bad-duration` for a bad time inside). */
export function parseDistribution(value: unknown, field = ""): Distribution {
  return unwrap(tryParseDistribution(value), field);
}

function parseKind(kind: Kind, value: unknown): Result<Distribution> {
  switch (kind) {
    case "exponential":
      return map1(tryParseDuration(value), (meanMs) => ({ kind, meanMs }));
    case "constant":
      return map1(tryParseDuration(value), (valueMs) => ({ kind, valueMs }));
    case "uniform":
      return parseUniform(value);
    case "lognormal":
      return fieldsOf(value, ["median", "sigma"], "{median: <duration>, sigma: <number>}", (get) => {
        const medianMs = get("median", positiveDuration);
        const sigma = get("sigma", numberAtLeast(0));
        return medianMs === undefined || sigma === undefined ? undefined : { kind, medianMs, sigma };
      });
    case "erlang":
      return fieldsOf(value, ["k", "mean"], "{k: <integer ≥ 1>, mean: <duration>}", (get) => {
        const k = get("k", integerAtLeast(1));
        const meanMs = get("mean", tryParseDuration);
        return k === undefined || meanMs === undefined ? undefined : { kind, k, meanMs };
      });
    case "pareto":
      return fieldsOf(value, ["scale", "shape"], "{scale: <duration>, shape: <number>}", (get) => {
        const scaleMs = get("scale", positiveDuration);
        const shape = get("shape", numberAbove(0));
        return scaleMs === undefined || shape === undefined ? undefined : { kind, scaleMs, shape };
      });
    case "mix":
      return parseMix(value);
  }
}

function map1<A, B>(result: Result<A>, f: (a: A) => B): Result<B> {
  return result.ok ? ok(f(result.value)) : result;
}

function positiveDuration(value: unknown): Result<number> {
  const ms = tryParseDuration(value);
  return ms.ok && ms.value === 0
    ? fail("bad-duration", `found ${describe(value)}, expected a duration > 0`)
    : ms;
}

function numberCheck(test: (n: number) => boolean, expected: string): (value: unknown) => Result<number> {
  return (value) =>
    typeof value === "number" && Number.isFinite(value) && test(value)
      ? ok(value)
      : fail("bad-distribution", `found ${describe(value)}, expected ${expected}`);
}
const numberAtLeast = (min: number) => numberCheck((n) => n >= min, `a number ≥ ${min}`);
const numberAbove = (min: number) => numberCheck((n) => n > min, `a number > ${min}`);
const integerAtLeast = (min: number) =>
  numberCheck((n) => Number.isInteger(n) && n >= min, `an integer ≥ ${min}`);

type Getter = <T>(key: string, parse: (value: unknown) => Result<T>) => T | undefined;

/** Reads a parameter map; every bad field is reported, not just the first. */
function fieldsOf(
  value: unknown,
  keys: ReadonlyArray<string>,
  expected: string,
  build: (get: Getter) => Distribution | undefined,
): Result<Distribution> {
  const map = readMap(value, keys, keys, expected, "bad-distribution");
  if (!map.ok) return map;
  const problems: Problem[] = [];
  const get: Getter = (key, parse) => {
    const result = parse(map.value[key]);
    if (result.ok) return result.value;
    problems.push(...nest(result.problems, [key]));
    return undefined;
  };
  const built = build(get);
  return built !== undefined && problems.length === 0 ? ok(built) : { ok: false, problems };
}

function parseUniform(value: unknown): Result<Distribution> {
  if (!Array.isArray(value) || value.length !== 2) {
    return fail("bad-distribution", `found ${describe(value)}, expected a list of two durations [min, max]`);
  }
  const min = tryParseDuration(value[0]);
  const max = tryParseDuration(value[1]);
  const problems = [...(min.ok ? [] : nest(min.problems, [0])), ...(max.ok ? [] : nest(max.problems, [1]))];
  if (!min.ok || !max.ok) return { ok: false, problems };
  if (min.value > max.value) {
    return fail(
      "bad-distribution",
      `found [${describe(value[0])}, ${describe(value[1])}], expected min ≤ max`,
      undefined,
      [1],
    );
  }
  return ok({ kind: "uniform", minMs: min.value, maxMs: max.value });
}

function parseMix(value: unknown): Result<Distribution> {
  if (!Array.isArray(value) || value.length === 0) {
    return fail(
      "bad-distribution",
      `found ${describe(value)}, expected a list of parts such as {p: 0.9, exponential: 5ms}`,
    );
  }
  const problems: Problem[] = [];
  const parts: Array<{ readonly p: number; readonly dist: Distribution }> = [];
  value.forEach((part: unknown, index) => {
    const result = parseMixPart(part);
    if (result.ok) parts.push(result.value);
    else problems.push(...nest(result.problems, [index]));
  });
  if (problems.length > 0) return { ok: false, problems };
  const sum = parts.reduce((total, part) => total + part.p, 0);
  if (Math.abs(sum - 1) > P_TOLERANCE) {
    return fail("bad-distribution", `the p's of a mix add up to ${sum}, expected 1`);
  }
  return ok({ kind: "mix", parts });
}

function parseMixPart(part: unknown): Result<{ readonly p: number; readonly dist: Distribution }> {
  const map = readMap(
    part,
    ["p", ...DISTRIBUTION_KINDS],
    ["p"],
    "a part such as {p: 0.9, exponential: 5ms}",
    "bad-distribution",
  );
  if (!map.ok) return map;
  const problems: Problem[] = [];
  const p = map.value.p;
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    problems.push({
      code: "bad-distribution",
      path: ["p"],
      message: `found ${describe(p)}, expected a probability 0..1`,
    });
  }
  const kinds = Object.keys(map.value).filter((key) => key !== "p");
  const kind = kinds[0];
  if (kind === undefined || kinds.length > 1 || !isKind(kind)) {
    const found = kinds.length === 0 ? "no distribution" : listWords(kinds);
    problems.push({
      code: "bad-distribution",
      path: [],
      message: `found ${found}, expected one distribution beside p`,
    });
    return { ok: false, problems };
  }
  const dist = parseKind(kind, map.value[kind]);
  if (!dist.ok) problems.push(...nest(dist.problems, [kind]));
  if (!dist.ok || typeof p !== "number" || problems.length > 0) return { ok: false, problems };
  return ok({ p, dist: dist.value });
}

/** The mean of a distribution in ms (Infinity for a Pareto with shape ≤ 1). */
export function meanMs(dist: Distribution): number {
  switch (dist.kind) {
    case "exponential":
      return dist.meanMs;
    case "constant":
      return dist.valueMs;
    case "uniform":
      return (dist.minMs + dist.maxMs) / 2;
    case "lognormal":
      return dist.medianMs * Math.exp((dist.sigma * dist.sigma) / 2);
    case "erlang":
      return dist.meanMs;
    case "pareto":
      return dist.shape > 1 ? (dist.scaleMs * dist.shape) / (dist.shape - 1) : Number.POSITIVE_INFINITY;
    case "mix":
      return dist.parts.reduce((total, part) => total + part.p * meanMs(part.dist), 0);
  }
}
