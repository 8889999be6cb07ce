// Problems found while reading input, before they get a file and a line: the loader's internal currency.
import type { InputErrorCode } from "../errors/index.js";
import { didYouMean } from "./hint.js";

export type PathSegment = string | number;
export type Path = ReadonlyArray<PathSegment>;

/** One problem at a field path relative to the value being read. */
export interface Problem {
  readonly code: InputErrorCode;
  readonly path: Path;
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than its value (the key itself is wrong: an unknown name). */
  readonly atKey?: boolean;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: ReadonlyArray<Problem> };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(code: InputErrorCode, message: string, hint?: string, path: Path = []): Result<T> {
  return { ok: false, problems: [problem(code, message, hint, path)] };
}

export function problem(code: InputErrorCode, message: string, hint?: string, path: Path = []): Problem {
  return hint === undefined ? { code, path, message } : { code, path, message, hint };
}

/** The same problems one level deeper (`prefix` is where the value sits in its parent). */
export function nest(problems: ReadonlyArray<Problem>, prefix: Path): Problem[] {
  return problems.map((p) => ({ ...p, path: [...prefix, ...p.path] }));
}

/** `backend.servers[1].weight` */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What was found, for messages: `"5 seconds"`, `12`, `a list`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a map";
  return `a ${typeof value}`;
}

/**
 * Reads a map with known keys: unknown keys (with a did-you-mean hint) and missing required keys
 * become problems; the values are returned unparsed.
 */
export function readMap(
  value: unknown,
  known: ReadonlyArray<string>,
  required: ReadonlyArray<string>,
  what: string,
  code: Problem["code"] = "bad-type",
): Result<Readonly<Record<string, unknown>>> {
  if (!isRecord(value)) return fail(code, `found ${describe(value)}, expected ${what}`);
  const problems: Problem[] = [];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const close = didYouMean(key, known);
      problems.push(
        problem("unknown-key", `unknown key "${key}"; expected ${listWords(known)}`, close, [key]),
      );
    }
  }
  for (const key of required) {
    if (value[key] === undefined) problems.push(problem("missing-key", `missing key "${key}" in ${what}`));
  }
  return problems.length === 0 ? ok(value) : { ok: false, problems };
}

/** `a, b or c` */
export function listWords(words: ReadonlyArray<string>): string {
  const quoted = words.map((w) => `"${w}"`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}
