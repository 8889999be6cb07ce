// `lbsim sweep --set path=<values>`: a list (`1s,2s,5s`) or a range with a step (`100/s..250/s:10/s`) → the values, as written.
import { UsageError } from "./args.js";

/** Values one `--set` may produce: beyond this, a typo in a step (`1..1e6:1`) rather than a sweep. */
export const MAX_VALUES_PER_SET = 10_000;

/** `path=values`, split at the first `=` (a value may hold one: a header name never does, but be safe). */
export function splitSet(text: string): { readonly path: string; readonly values: string } {
  const equals = text.indexOf("=");
  if (equals <= 0 || equals === text.length - 1) {
    throw new UsageError(
      `--set expects path=values, e.g. --set clients.load.arrivals.poisson=100/s..250/s:10/s, got "${text}"`,
      "sweep",
    );
  }
  return { path: text.slice(0, equals).trim(), values: text.slice(equals + 1).trim() };
}

const NUMBER_WITH_UNIT = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)(\S*)$/i;

/**
 * The values of one `--set`, each as text the way a scenario file would hold it (`120/s`, `0.2`).
 * A range `a..b:step` is a..b in steps, the end included when it lands on the grid: each value is
 * computed as a + k·step (never by adding the step again and again, which drifts), so
 * `0.1..0.3:0.1` gives 0.1, 0.2, 0.3 and not 0.30000000000000004 nor only two values.
 */
export function parseValues(text: string, path: string): string[] {
  const range = /^(.+?)\.\.(.+?):(.+)$/.exec(text);
  if (range !== null) return parseRange(range[1] ?? "", range[2] ?? "", range[3] ?? "", path);
  if (text.includes("..")) {
    throw new UsageError(
      `--set ${path}: a range needs a step: "${text}" should read like 100/s..250/s:10/s or 1..8:1`,
      "sweep",
    );
  }
  const values = splitList(text);
  if (values.some((v) => v === "")) {
    throw new UsageError(`--set ${path}: an empty value in "${text}"`, "sweep");
  }
  return values;
}

/** Commas inside braces, brackets or parentheses do not split (`{ exponential: 10ms },…` stays whole). */
function splitList(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if ("([{".includes(char)) depth++;
    else if (")]}".includes(char)) depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      values.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  values.push(current.trim());
  return values;
}

function parseRange(startText: string, endText: string, stepText: string, path: string): string[] {
  const bad = (why: string) =>
    new UsageError(`--set ${path}: ${why} in the range "${startText}..${endText}:${stepText}"`, "sweep");
  const parse = (part: string, what: string) => {
    const match = NUMBER_WITH_UNIT.exec(part.trim());
    if (match === null) throw bad(`the ${what} "${part}" is not a number with an optional unit`);
    return { value: Number(match[1]), unit: match[2] ?? "" };
  };
  const start = parse(startText, "start");
  const end = parse(endText, "end");
  const step = parse(stepText, "step");
  if (start.unit !== end.unit)
    throw bad(`the start's unit "${start.unit}" differs from the end's "${end.unit}"`);
  if (step.unit !== "" && step.unit !== start.unit) {
    throw bad(`the step's unit "${step.unit}" differs from the range's "${start.unit}"`);
  }
  if (!(step.value > 0)) throw bad("the step must be above 0");
  if (end.value < start.value) throw bad("the end is below the start");
  // The end is included when it is within a billionth of a step of the grid (float noise, not intent).
  const steps = Math.floor((end.value - start.value) / step.value + 1e-9);
  if (steps + 1 > MAX_VALUES_PER_SET) {
    throw bad(`${steps + 1} values (at most ${MAX_VALUES_PER_SET} per --set)`);
  }
  const values: string[] = [];
  for (let k = 0; k <= steps; k++) {
    // 12 significant digits: 0.1 + 2·0.1 is written 0.3, as the user would have.
    const value = Number((start.value + k * step.value).toPrecision(12));
    values.push(`${value}${start.unit}`);
  }
  return values;
}
