// Between zod and the loader's Problems: custom leaf parsers inside zod schemas, and zod issues → Problems.
import * as z from "zod";
import type { InputErrorCode } from "../errors/index.js";
import { didYouMean } from "./hint.js";
import { describe, listWords, nest, type Path, type Problem, type Result, readMap } from "./problem.js";

const UNKNOWN_KEY = "x-lbsim-unknown-key";

/** A schema's own words for what it expects: `z.int({ error: `${EXPECTS}an integer` })`. */
export const EXPECTS = "expects:";

/** An integer (zod says "number" when it gets a string). */
export const integer = () => z.int({ error: `${EXPECTS}an integer` });

/** A leaf parsed by one of the loader's own functions; `jsonSchema` describes its input for editors. */
export function fromResult<T>(
  parse: (value: unknown) => Result<T>,
  expected: string,
  jsonSchema: Readonly<Record<string, unknown>>,
) {
  return z
    .unknown()
    .transform((value, ctx): T => {
      const result: Result<T> =
        value === undefined
          ? { ok: false, problems: [{ code: "missing-key", path: [], message: expected }] }
          : parse(value);
      if (result.ok) return result.value;
      for (const p of result.problems) {
        const params =
          value === undefined
            ? { code: p.code, expected }
            : { code: p.code, hint: p.hint, atKey: p.atKey, verbatim: true };
        ctx.addIssue({ code: "custom", message: p.message, path: [...p.path], params, input: value });
      }
      return z.NEVER;
    })
    .meta({ ...jsonSchema, description: expected });
}

/** An object whose unknown keys are reported one by one, each with a did-you-mean hint. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  const unknownKey = z
    .custom<unknown>(() => false, { params: { code: "unknown-key", known } })
    .meta({ [UNKNOWN_KEY]: true });
  return z.object(shape).catchall(unknownKey);
}

/** Runs a zod schema on a sub-value inside a custom parser, keeping every issue. */
export function subParse<T>(schema: z.ZodType<T>, value: unknown): Result<T> {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: problemsOf(result.error.issues) };
}

type Parsers = Readonly<Record<string, (value: unknown) => Result<unknown>>>;
type ValueOf<R> = R extends { readonly ok: true; readonly value: infer T } ? T : never;
/** `{kind: "poisson", value: 200} | {kind: "users", value: {...}} | …` */
export type Variant<V extends Parsers> = {
  [K in keyof V & string]: { readonly kind: K; readonly value: ValueOf<ReturnType<V[K]>> };
}[keyof V & string];

/**
 * A map with exactly one key naming its variant (`{poisson: 200/s}`); the variant's value is read
 * by that variant's schema.
 */
export function oneKey<V extends Parsers>(variants: V, what: string, code: InputErrorCode) {
  const names = Object.keys(variants);
  return (value: unknown): Result<Variant<V>> => {
    const map = readMap(value, names, [], what, code);
    if (!map.ok) return map;
    const keys = Object.keys(map.value);
    const kind = keys[0];
    const parse = kind === undefined ? undefined : variants[kind];
    if (kind === undefined || parse === undefined || keys.length > 1) {
      const found = kind === undefined ? "an empty map" : `${keys.length} keys (${keys.join(", ")})`;
      return {
        ok: false,
        problems: [
          { code, path: [], message: `found ${found}, expected exactly one of ${listWords(names)}` },
        ],
      };
    }
    const result = parse(map.value[kind]);
    if (!result.ok) return { ok: false, problems: nest(result.problems, [kind]) };
    // The value came from variants[kind], so it has that variant's type.
    return { ok: true, value: { kind, value: result.value } as Variant<V> };
  };
}

/**
 * The JSON Schema of a zod schema's input, with `strict` objects closed (`additionalProperties: false`).
 * Draft 7: the newest draft that editors' YAML support (yaml-language-server) reads in full.
 */
export function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json: Record<string, unknown> = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-7",
  });
  return closeObjects(json) as Record<string, unknown>;
}

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const closed =
      key === "additionalProperties" && typeof value === "object" && value !== null && UNKNOWN_KEY in value;
    out[key] = closed ? false : closeObjects(value);
  }
  return out;
}

const EXPECTED_TYPE: Readonly<Record<string, string>> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "a map",
};

const expectedType = (expected: string): string => EXPECTED_TYPE[expected] ?? expected;

const keyOf = (path: Path): string => String(path[path.length - 1] ?? "");

function paramsOf(issue: z.core.$ZodIssue): Readonly<Record<string, unknown>> {
  return issue.code === "custom" && typeof issue.params === "object" && issue.params !== null
    ? issue.params
    : {};
}

/** Turns zod issues (with `reportInput`) into Problems that name what was found and what was expected. */
export function problemsOf(issues: ReadonlyArray<z.core.$ZodIssue>, base: Path = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path: Path = [...base, ...issue.path.map((s) => (typeof s === "number" ? s : String(s)))];
    const found = describe(issue.input);
    const add = (code: InputErrorCode, message: string, hint?: string, atKey?: boolean) =>
      out.push({
        code,
        path,
        message,
        ...(hint === undefined ? {} : { hint }),
        ...(atKey === true ? { atKey } : {}),
      });
    switch (issue.code) {
      case "custom": {
        const params = paramsOf(issue);
        const hint = typeof params.hint === "string" ? params.hint : undefined;
        if (params.verbatim === true && typeof params.code === "string") {
          add(params.code as InputErrorCode, issue.message, hint, params.atKey === true);
        } else if (params.code === "unknown-key") {
          const known = Array.isArray(params.known) ? params.known.map(String) : [];
          add(
            "unknown-key",
            `unknown key "${keyOf(path)}"; expected ${listWords(known)}`,
            didYouMean(keyOf(path), known),
          );
        } else if (params.code === "missing-key") {
          add("missing-key", `missing key "${keyOf(path)}"; expected ${String(params.expected)}`);
        } else {
          add("bad-value", issue.message, hint);
        }
        break;
      }
      case "invalid_type": {
        const expected = issue.message.startsWith(EXPECTS)
          ? issue.message.slice(EXPECTS.length)
          : expectedType(issue.expected);
        if (issue.input === undefined)
          add("missing-key", `missing key "${keyOf(path)}"; expected ${expected}`);
        else add("bad-type", `found ${found}, expected ${expected}`);
        break;
      }
      case "invalid_value": {
        const words = issue.values.map(String);
        const hint = typeof issue.input === "string" ? didYouMean(issue.input, words) : undefined;
        add("bad-value", `found ${found}, expected ${listWords(words)}`, hint);
        break;
      }
      case "too_small":
      case "too_big": {
        const small = issue.code === "too_small";
        const bound = small ? issue.minimum : issue.maximum;
        const op = small ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
        if (issue.origin === "array")
          add(
            "bad-value",
            `found ${countOf(issue.input)}, expected ${small ? "at least" : "at most"} ${bound}`,
          );
        else if (issue.origin === "string") add("bad-value", `found ${found}, expected a non-empty string`);
        else add("bad-value", `found ${found}, expected ${op} ${bound}`);
        break;
      }
      case "invalid_union":
        out.push(...unionProblems(issue, path, found));
        break;
      default:
        add("bad-value", `found ${found}: ${issue.message}`);
    }
  }
  return out;
}

function countOf(value: unknown): string {
  return Array.isArray(value) ? `${value.length} item${value.length === 1 ? "" : "s"}` : describe(value);
}

/** A union fails: report the branch that matched the value's type, else what the branches expected. */
function unionProblems(issue: z.core.$ZodIssueInvalidUnion, path: Path, found: string): Problem[] {
  const wrongType = (branch: ReadonlyArray<z.core.$ZodIssue>) =>
    branch.every((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value"));
  const closer = issue.errors.filter((branch) => !wrongType(branch));
  const only = closer[0];
  if (closer.length === 1 && only !== undefined) return problemsOf(only, path);
  const expected = issue.errors.flatMap((branch) =>
    branch.flatMap((i) => (i.code === "invalid_type" ? [expectedType(i.expected)] : [])),
  );
  return [
    { code: "bad-type", path, message: `found ${found}, expected ${[...new Set(expected)].join(" or ")}` },
  ];
}
