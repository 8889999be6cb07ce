// `--set` paths: a dotted field of the scenario file as the user wrote it, servers and clients by name, resolved in its YAML.
import { type Document, isMap, isScalar, isSeq, parse as parseYaml } from "yaml";
import { UsageError } from "./args.js";
import { closest } from "./suggest.js";

/** Where a `--set` path lands in the YAML document: the keys and indices `setIn` takes. */
export interface ResolvedPath {
  readonly path: string;
  readonly yamlPath: ReadonlyArray<string | number>;
  /** The field is not written in the file (a default): the parser decides whether it exists. */
  readonly added: boolean;
}

/**
 * Every field the file writes, dotted, an item of a list by its `name` when it has one (servers,
 * clients, backends) and by its index otherwise: the candidates of "nearest path".
 */
export function writtenPaths(doc: Document): string[] {
  const paths: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const path = prefix === "" ? key : `${prefix}.${key}`;
        paths.push(path);
        walk(pair.value, path);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const path = `${prefix}.${itemName(item) ?? index}`;
        paths.push(path);
        walk(item, path);
      });
    }
  };
  walk(doc.contents, "");
  return paths;
}

function itemName(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const name = item.get("name");
  return typeof name === "string" || typeof name === "number" ? String(name) : undefined;
}

/**
 * The YAML location of `path`. A key the file does not write, under a map it writes, is added (the
 * parser then says whether such a field exists, as it would in the file); an item of a list must
 * exist (a server or client name, or an index). A name with dots (`web.1`) matches as a whole.
 */
export function resolvePath(doc: Document, path: string, file: string): ResolvedPath {
  const segments = path.split(".");
  if (path === "" || segments.some((s) => s === "")) {
    throw new UsageError(`--set "${path}" is not a dotted path such as backend.timeout.server`, "sweep");
  }
  const yamlPath: Array<string | number> = [];
  let node: unknown = doc.contents;
  let i = 0;
  while (i < segments.length) {
    if (isMap(node)) {
      const key = segments[i] as string;
      if (!node.has(key)) {
        // Not written: the rest is added as new keys; the parser judges it (and unknown-key maps back to us).
        return { path, yamlPath: [...yamlPath, ...segments.slice(i)], added: true };
      }
      yamlPath.push(key);
      node = node.get(key, true);
      i++;
    } else if (isSeq(node)) {
      const found = findItem(node.items, segments, i);
      if (found === undefined) throw unknownPath(doc, path, file);
      yamlPath.push(found.index);
      node = node.items[found.index];
      i += found.used;
    } else {
      throw unknownPath(doc, path, file);
    }
  }
  if (isMap(node) || isSeq(node)) {
    throw new UsageError(
      `--set ${path}: that is a group of fields in ${file}, not one value; set one of its fields (${nearestUnder(doc, path)})`,
      "sweep",
    );
  }
  return { path, yamlPath, added: false };
}

/** The item named by the longest run of segments from `at` (names may hold dots), else an index. */
function findItem(
  items: ReadonlyArray<unknown>,
  segments: ReadonlyArray<string>,
  at: number,
): { index: number; used: number } | undefined {
  for (let used = segments.length - at; used >= 1; used--) {
    const name = segments.slice(at, at + used).join(".");
    const index = items.findIndex((item) => itemName(item) === name);
    if (index >= 0) return { index, used };
  }
  const segment = segments[at] as string;
  const index = /^\d+$/.test(segment) ? Number(segment) : -1;
  return index >= 0 && index < items.length ? { index, used: 1 } : undefined;
}

/** Exit 2 naming the written path nearest to `path` (edit distance over the whole dotted path). */
export function unknownPath(doc: Document, path: string, file: string): UsageError {
  const nearest = nearestPath(path, writtenPaths(doc));
  const hint = nearest === undefined ? "" : `; nearest: ${nearest}`;
  return new UsageError(`--set ${path}: no such field in ${file}${hint}`, "sweep");
}

export function nearestPath(path: string, candidates: ReadonlyArray<string>): string | undefined {
  return closest(path, candidates)?.candidate;
}

function nearestUnder(doc: Document, path: string): string {
  const under = writtenPaths(doc).filter((p) => p.startsWith(`${path}.`));
  return under.length === 0 ? "it has none written" : `e.g. ${under.slice(0, 3).join(", ")}`;
}

/** A value as written on the command line, read as YAML would read it in the file (`0.2` a number, `1s` text). */
export function yamlValue(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}
