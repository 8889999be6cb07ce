// Where a scenario file's `expect:` lines and `baseline:` key are written (1-based lines), for CI annotations.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

export interface ExpectPositions {
  /** Line of the `expect:` key; absent when the file has none (it may come from `extends:`). */
  readonly expect?: number;
  /** Line of the `baseline:` key, likewise. */
  readonly baseline?: number;
  /** Each `expect:` entry of this file, trimmed as the loader trims it, with its line. */
  readonly entries: ReadonlyArray<{ readonly text: string; readonly line: number }>;
}

/**
 * The positions in the file's own text (not through `extends:`). A file that does not parse has
 * none: the loader has reported it already, and an annotation then points at line 1.
 */
export function expectPositions(text: string): ExpectPositions {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.startsWith("\uFEFF") ? text.slice(1) : text, { lineCounter });
  const root = doc.contents;
  if (doc.errors.length > 0 || !isMap(root)) return { entries: [] };
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const keyLine = (name: string): number | undefined => {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === name);
    const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    return start === undefined ? undefined : lineAt(start);
  };
  const expectPair = root.items.find((p) => isScalar(p.key) && p.key.value === "expect");
  const entries: Array<{ text: string; line: number }> = [];
  if (isSeq(expectPair?.value)) {
    for (const item of expectPair.value.items) {
      if (!isScalar(item) || typeof item.value !== "string" || item.range === undefined) continue;
      entries.push({ text: item.value.trim(), line: lineAt(item.range[0]) });
    }
  }
  const expect = keyLine("expect");
  const baseline = keyLine("baseline");
  return {
    ...(expect === undefined ? {} : { expect }),
    ...(baseline === undefined ? {} : { baseline }),
    entries,
  };
}
