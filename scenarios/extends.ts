// `extends: base.yaml`: a scenario written on top of another one (recursively), deep-merged, each
// value keeping the file it was written in so that errors point there.
import { InputError, type InputErrorCode } from "../errors/index.js";
import { describe, isRecord, type Path, type PathSegment } from "./problem.js";
import { childOf, type Provenance, placeOf, readSource, type Source } from "./source.js";

/** A file named by `extends`, as the loader found it. */
export type ExtendedFile =
  | {
      readonly ok: true;
      /** The file's name for messages (relative to the naming file's folder as the user wrote it). */
      readonly file: string;
      /** The file's identity, for cycles (an absolute path). */
      readonly key: string;
      readonly text: string;
    }
  | { readonly ok: false; readonly code: InputErrorCode; readonly message: string };

/** Reads the file `name` written in `from`'s `extends:`. */
export type ReadExtended = (name: string, from: string) => ExtendedFile;

/** Deeper chains are surely a mistake, and a message naming 20 files is already hard to read. */
const MAX_DEPTH = 20;

/**
 * The scenario of `source` (written in `file`, whose identity is `key`) with its `extends:` chain
 * resolved: each base merged under the file that extends it.
 */
export function resolveExtends(source: Source, file: string, key: string, read: ReadExtended): Source {
  return resolve(source, [{ file, key }], read);
}

interface Link {
  readonly file: string;
  readonly key: string;
}

function resolve(source: Source, chain: ReadonlyArray<Link>, read: ReadExtended): Source {
  if (!isRecord(source.value) || !Object.hasOwn(source.value, "extends")) return source;
  const written = source.value.extends;
  const here = chain[chain.length - 1]!;
  const fail = (code: InputErrorCode, message: string, hint?: string): never => {
    const place = placeOf(source.provenance, ["extends"], false);
    throw InputError.one({
      ...place,
      code,
      path: "extends",
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };
  if (typeof written !== "string" || written.trim() === "") {
    return fail(
      "bad-type",
      `found ${describe(written)}, expected the name of a scenario file such as base.yaml`,
    );
  }
  const target = read(written.trim(), here.file);
  if (!target.ok) return fail(target.code, target.message);
  const seen = chain.findIndex((link) => link.key === target.key);
  if (seen >= 0) {
    const cycle = [...chain.slice(seen).map((link) => link.file), target.file].join(" → ");
    return fail("bad-value", `extends goes round in a cycle: ${cycle}`, "remove one of these extends");
  }
  if (chain.length > MAX_DEPTH) {
    return fail(
      "bad-value",
      `found a chain of more than ${MAX_DEPTH} extends`,
      "extend a file that extends less",
    );
  }
  const base = resolve(readSource(stripBom(target.text), target.file), [...chain, target], read);
  const { extends: _, ...own } = source.value;
  const over: Source = { value: own, provenance: source.provenance };
  return mergeSources(alignOneOrSeveral(base, over, target.file), over);
}

const stripBom = (text: string): string => (text.startsWith("\uFEFF") ? text.slice(1) : text);

/** Lists merged item by item on their items' `name`, instead of replaced (0 stands for any index). */
const BY_NAME: ReadonlyArray<Path> = [
  ["backend", "servers"],
  ["backends"],
  ["backends", 0, "servers"],
  ["frontends"],
  ["clients"],
];

/** Keys that write one proxy, and the keys that list several instead. */
const ONE_OR_SEVERAL = [
  ["backend", "backends"],
  ["frontend", "frontends"],
] as const;

/**
 * `base` ready for `over` to be merged on it when they write the same proxies differently. A base's
 * one `backend:` under an `over` that lists `backends:` becomes a one-item list, merged by name like
 * the rest (likewise `frontend:`). A base that lists several under an `over` that writes the one
 * `backend:` is an error at that key: it cannot say which of them it changes. `baseFile` names the
 * base in that message (a scenario, or the haproxy.cfg of `haproxy:`).
 */
export function alignOneOrSeveral(base: Source, over: Source, baseFile: string): Source {
  const b = base.value;
  const o = over.value;
  if (!isRecord(b) || !isRecord(o)) return base;
  let entries = Object.entries(b);
  let changed = false;
  const children = new Map(base.provenance.children);
  for (const [one, several] of ONE_OR_SEVERAL) {
    const onlyOne = (map: Record<string, unknown>) => Object.hasOwn(map, one) && !Object.hasOwn(map, several);
    const onlySeveral = (map: Record<string, unknown>) =>
      Object.hasOwn(map, several) && !Object.hasOwn(map, one);
    if (onlySeveral(b) && onlyOne(o)) {
      const listed = Array.isArray(b[several]) ? b[several] : [];
      const names = listed.map(nameOf).filter((n) => n !== undefined);
      throw InputError.one({
        ...placeOf(over.provenance, [one], true),
        code: "bad-value",
        path: one,
        message: `${one}: cannot change the ${several} of ${baseFile} (${names.join(", ")}): it does not say which one`,
        hint: `write ${several}: [{name: ${names[0] ?? "…"}, …}] to change a ${one} by its name`,
      });
    }
    if (onlyOne(b) && onlySeveral(o)) {
      const item = childOf(base.provenance, one);
      entries = entries.map(([key, value]) => (key === one ? [several, [value]] : [key, value]));
      children.delete(one);
      children.set(several, { origin: item.origin, children: new Map([[0, item]]) });
      changed = true;
    }
  }
  if (!changed) return base;
  return { value: Object.fromEntries(entries), provenance: { origin: base.provenance.origin, children } };
}

/**
 * Maps with one key naming their kind (`arrivals: {poisson: …}`, a distribution): another kind
 * replaces the base's map instead of being added to it as a second key.
 */
const VARIANTS = new Set(["arrivals", "service", "think"]);

const samePath = (a: Path, b: Path): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
const generic = (path: Path): Path => path.map((s) => (typeof s === "number" ? 0 : s));

/**
 * `over` on top of `base`: maps merge key by key, lists and scalars replace, except the lists of
 * BY_NAME (servers, backends, frontends, clients), merged by name (a name of the base's gets the
 * fields written over it; a new name is appended). A frontend's `acl` and `use_backend` lists
 * replace the base's: rules are evaluated in order, so a merged list would be a guess.
 */
export function mergeSources(base: Source, over: Source, path: Path = []): Source {
  const b = base.value;
  const o = over.value;
  if (isRecord(b) && isRecord(o) && !differentKinds(path, b, o)) {
    const entries: [string, unknown][] = [];
    const children = new Map<PathSegment, Provenance>();
    const add = (key: string, part: Source) => {
      entries.push([key, part.value]);
      children.set(key, part.provenance);
    };
    const part = (source: Source, key: string): Source => ({
      value: (source.value as Record<string, unknown>)[key],
      provenance: childOf(source.provenance, key),
    });
    for (const key of Object.keys(b)) {
      add(
        key,
        Object.hasOwn(o, key)
          ? mergeSources(part(base, key), part(over, key), [...path, key])
          : part(base, key),
      );
    }
    for (const key of Object.keys(o)) if (!Object.hasOwn(b, key)) add(key, part(over, key));
    // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
    return { value: Object.fromEntries(entries), provenance: { origin: over.provenance.origin, children } };
  }
  if (Array.isArray(b) && Array.isArray(o) && BY_NAME.some((p) => samePath(p, generic(path)))) {
    return mergeByName(base, over, path);
  }
  return over;
}

function differentKinds(path: Path, base: Record<string, unknown>, over: Record<string, unknown>): boolean {
  const last = path[path.length - 1];
  if (typeof last !== "string" || !VARIANTS.has(last)) return false;
  const kinds = (map: Record<string, unknown>) => Object.keys(map).sort().join(",");
  return kinds(base) !== kinds(over);
}

const nameOf = (item: unknown): string | undefined =>
  isRecord(item) && typeof item.name === "string" ? item.name.trim() : undefined;

function mergeByName(base: Source, over: Source, path: Path): Source {
  const items = base.value as ReadonlyArray<unknown>;
  const overs = over.value as ReadonlyArray<unknown>;
  const out: Source[] = items.map((value, i) => ({ value, provenance: childOf(base.provenance, i) }));
  const matched = new Set<number>();
  overs.forEach((value, j) => {
    const item: Source = { value, provenance: childOf(over.provenance, j) };
    const name = nameOf(value);
    // A name listed twice in the same file is appended the second time: the duplicate is then
    // reported where it is written.
    const i = name === undefined ? -1 : items.findIndex((b, k) => !matched.has(k) && nameOf(b) === name);
    if (i < 0) {
      out.push(item);
      return;
    }
    matched.add(i);
    out[i] = mergeSources(out[i]!, item, [...path, i]);
  });
  return {
    value: out.map((s) => s.value),
    provenance: { origin: over.provenance.origin, children: new Map(out.map((s, i) => [i, s.provenance])) },
  };
}
