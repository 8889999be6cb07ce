// Durations (`250ms`, `5s`, bare number = ms, as in haproxy.cfg) and rates (`200/s`, bare = per second).
import { InputError } from "../errors/index.js";
import { nearest } from "./hint.js";
import { describe, fail, formatPath, ok, type Problem, type Result } from "./problem.js";

const DURATION_UNITS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Words people write for a unit, so that `5sec` gets the hint `5s`. */
const DURATION_SYNONYMS: Readonly<Record<string, string>> = {
  µs: "us",
  usec: "us",
  micros: "us",
  msec: "ms",
  msecs: "ms",
  millis: "ms",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  day: "d",
  days: "d",
};

const RATE_UNITS: Readonly<Record<string, number>> = { s: 1, m: 1 / 60, h: 1 / 3600 };
const RATE_SYNONYMS: Readonly<Record<string, string>> = {
  sec: "s",
  second: "s",
  min: "m",
  minute: "m",
  hour: "h",
  hr: "h",
  rps: "s",
  qps: "s",
};

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const DURATION_TEXT = new RegExp(`^(${NUMBER})\\s*([A-Za-zµ]*)$`);
const RATE_TEXT = new RegExp(`^(${NUMBER})\\s*(?:/\\s*([A-Za-z]+)|([A-Za-z]+))?$`);

export const DURATION_EXPECTED =
  "a duration such as 250ms, 5s, 2m, 1h, 500us, 1d or a bare number of milliseconds";
export const RATE_EXPECTED = "a rate such as 200/s, 1200/m, 10/h or a bare number per second";

function unitHint(
  number: string,
  unit: string,
  units: Record<string, unknown>,
  synonyms: Record<string, string>,
  sep: string,
): string | undefined {
  const lower = unit.toLowerCase();
  const known = synonyms[lower] ?? (lower in units ? lower : undefined);
  if (known !== undefined) return `did you mean "${number}${sep}${known}"?`;
  // One letter is too little to guess from: `7q` could be anything.
  const near = unit.length < 2 ? undefined : nearest(unit, Object.keys(units));
  if (near !== undefined) return `did you mean "${number}${sep}${near}"?`;
  return `the units are ${Object.keys(units).join(", ")}`;
}

/** A duration in milliseconds: finite and ≥ 0. */
export function tryParseDuration(value: unknown): Result<number> {
  const found = `found ${describe(value)}, expected ${DURATION_EXPECTED}`;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return fail("bad-duration", `found ${value}, expected a finite duration`);
    if (value < 0) return fail("bad-duration", `found ${value}, expected a duration ≥ 0`);
    return ok(value + 0); // -0 → 0
  }
  if (typeof value !== "string") return fail("bad-duration", found);
  const match = DURATION_TEXT.exec(value.trim());
  if (match === null) return fail("bad-duration", found);
  const amount = Number(match[1]);
  const unit = match[2] ?? "";
  const scale = unit === "" ? 1 : DURATION_UNITS[unit];
  if (scale === undefined) {
    return fail("bad-duration", found, unitHint(match[1] ?? "", unit, DURATION_UNITS, DURATION_SYNONYMS, ""));
  }
  const ms = amount * scale;
  if (!Number.isFinite(ms))
    return fail("bad-duration", `found ${describe(value)}, expected a finite duration`);
  if (ms < 0) return fail("bad-duration", `found ${describe(value)}, expected a duration ≥ 0`);
  return ok(ms + 0); // -0 → 0
}

/** A rate in requests per second: finite and ≥ 0 (callers that need > 0 say so). */
export function tryParseRate(value: unknown): Result<number> {
  const found = `found ${describe(value)}, expected ${RATE_EXPECTED}`;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return fail("bad-rate", `found ${value}, expected a finite rate`);
    if (value < 0) return fail("bad-rate", `found ${value}, expected a rate ≥ 0`);
    return ok(value);
  }
  if (typeof value !== "string") return fail("bad-rate", found);
  const match = RATE_TEXT.exec(value.trim());
  if (match === null) return fail("bad-rate", found);
  const amount = Number(match[1]);
  const unit = match[2] ?? match[3];
  const scale = unit === undefined ? 1 : match[2] === undefined ? undefined : RATE_UNITS[unit];
  if (scale === undefined) {
    return fail("bad-rate", found, unitHint(match[1] ?? "", unit ?? "", RATE_UNITS, RATE_SYNONYMS, "/"));
  }
  const perSecond = amount * scale;
  if (!Number.isFinite(perSecond))
    return fail("bad-rate", `found ${describe(value)}, expected a finite rate`);
  if (perSecond < 0) return fail("bad-rate", `found ${describe(value)}, expected a rate ≥ 0`);
  return ok(perSecond);
}

/** A rate that must be > 0 (a Poisson or constant stream of 0/s would send nothing). */
export function tryParsePositiveRate(value: unknown): Result<number> {
  const rate = tryParseRate(value);
  if (rate.ok && rate.value === 0) return fail("bad-rate", `found ${describe(value)}, expected a rate > 0`);
  return rate;
}

/** Turns problems into an InputError about command-line input (no file). */
export function unwrap<T>(result: Result<T>, field: string): T {
  if (result.ok) return result.value;
  throw new InputError(
    result.problems.map((p: Problem) => ({
      code: p.code,
      file: "",
      line: 0,
      column: 0,
      path: joinPath(field, formatPath(p.path)),
      message: p.message,
      ...(p.hint === undefined ? {} : { hint: p.hint }),
    })),
  );
}

function joinPath(field: string, sub: string): string {
  if (field === "" || sub === "") return field + sub;
  return sub.startsWith("[") ? field + sub : `${field}.${sub}`;
}

/** `250ms` → 250, `5s` → 5000, `5000` → 5000. Throws InputError (code `bad-duration`). */
export function parseDuration(value: unknown, field = ""): number {
  return unwrap(tryParseDuration(value), field);
}

/** `200/s` → 200, `1200/m` → 20, `50` → 50 (per second). Throws InputError (code `bad-rate`). */
export function parseRate(value: unknown, field = ""): number {
  return unwrap(tryParseRate(value), field);
}
