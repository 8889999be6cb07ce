// Field paths → line and column in the YAML source (1-based), through the yaml package's node ranges.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { Path } from "./problem.js";

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Where the problem at `path` should point: the value's node; the key's node when the key itself is
 * wrong (`unknown-key`); the nearest existing parent when the path leads nowhere (`missing-key`).
 */
export function locate(doc: Document, lineCounter: LineCounter, path: Path, atKey: boolean): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      if (last && atKey && keyStart !== undefined) {
        offset = keyStart;
        break;
      }
      node = pair.value;
      // `key:` with no value has no value node: point at the key.
      offset = rangeStart(node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== "object" || node === null || !("range" in node)) return undefined;
  const range = (node as Node).range;
  return Array.isArray(range) && typeof range[0] === "number" ? range[0] : undefined;
}
