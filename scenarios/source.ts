// A scenario's raw value with the provenance of each part (file and YAML node), so that a problem at
// a field path becomes file:line:col even when the value was merged from several files (`extends`).
import { type Document, LineCounter, Parser, parseDocument } from "yaml";
import { InputError } from "../errors/index.js";
import { locate } from "./locate.js";
import type { Path, PathSegment } from "./problem.js";

/** Where a value is written: at `path` in the YAML document of `file`. */
export interface Origin {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly path: Path;
}

/**
 * The origin of a value and of those of its parts that come from elsewhere. A part without an
 * entry in `children` is written where its parent is, under its own key.
 */
export interface Provenance {
  readonly origin: Origin;
  readonly children: ReadonlyMap<PathSegment, Provenance>;
}

export interface Source {
  readonly value: unknown;
  readonly provenance: Provenance;
}

export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** YAML aliases expand; this many is plenty for a scenario and stops "billion laughs" inputs. */
const MAX_ALIASES = 100;

/** Parses one YAML or JSON text; a syntax error is an InputError at its line and column. */
export function readSource(text: string, file: string): Source {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((error) => {
        // "…end with a ]" names the kind left open: with `[{` both are, and each gets its own error.
        const kind = /end with a ([}\]])/.exec(error.message)?.[1];
        const opener = kind === "}" ? "{" : kind === "]" ? "[" : undefined;
        const opened = UNCLOSED.test(error.message) ? unclosedBefore(text, error.pos[0], opener) : undefined;
        const pos = lineCounter.linePos(opened?.offset ?? error.pos[0]);
        const issue = {
          code: "syntax",
          file,
          line: pos.line,
          column: pos.col,
          path: "",
          message: error.message,
        } as const;
        if (opened === undefined) return issue;
        const noticed = lineCounter.linePos(error.pos[0]);
        return {
          ...issue,
          message: `this ${opened.opener} is never closed`,
          hint: `close it with ${opened.closer} (the YAML parser noticed only at line ${noticed.line}, column ${noticed.col}: ${error.message})`,
        };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw InputError.one({ code: "syntax", file, line: 0, column: 0, path: "", message });
  }
  return { value, provenance: { origin: { file, doc, lineCounter, path: [] }, children: new Map() } };
}

/** The yaml library's messages for a flow collection or quoted scalar left open. */
const UNCLOSED = /end with a [}\]]|Missing closing/;

/**
 * The last `{`, `[` or quote before `offset` that is never closed. The yaml library reports these
 * where it gives up (the next line, or the end of the file); the problem is where they were opened.
 */
function unclosedBefore(
  text: string,
  offset: number,
  /** `{` or `[` when the parser said which kind is open; any kind otherwise. */
  kind?: string,
): { offset: number; opener: string; closer: string } | undefined {
  let found: { offset: number; opener: string; closer: string } | undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const token = node as { type?: unknown; offset?: unknown; source?: unknown; end?: unknown };
    if (
      typeof token.offset === "number" &&
      token.offset < offset &&
      (found === undefined || token.offset >= found.offset)
    ) {
      if (token.type === "flow-collection" && (kind === undefined || text[token.offset] === kind)) {
        const closed =
          Array.isArray(token.end) &&
          token.end.some((t: { type?: unknown }) => t.type === "flow-map-end" || t.type === "flow-seq-end");
        if (!closed)
          found = {
            offset: token.offset,
            opener: `"${text[token.offset]}"`,
            closer: text[token.offset] === "{" ? '"}"' : '"]"',
          };
      } else if (
        (token.type === "double-quoted-scalar" || token.type === "single-quoted-scalar") &&
        typeof token.source === "string" &&
        !closedQuote(token.source)
      ) {
        found = { offset: token.offset, opener: "quote", closer: `a ${token.source[0]}` };
      }
    }
    for (const value of Object.values(node)) if (typeof value === "object") visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found;
}

/** `"a\""` is closed, `"a\"` is not: the closing quote is not escaped (YAML double quotes). */
function closedQuote(source: string): boolean {
  const quote = source[0];
  if (source.length < 2 || source[source.length - 1] !== quote) return false;
  if (quote === "'") return true;
  let backslashes = 0;
  for (let i = source.length - 2; i > 0 && source[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The provenance of the part at `segment`: its own entry, or its parent's origin one level down. */
export function childOf(provenance: Provenance, segment: PathSegment): Provenance {
  const child = provenance.children.get(segment);
  if (child !== undefined) return child;
  const origin = provenance.origin;
  return { origin: { ...origin, path: [...origin.path, segment] }, children: new Map() };
}

/**
 * The file, line and column of the problem at `path` (see `locate` for what `atKey` points at):
 * the deepest part with a known origin, then the rest of the path inside that part's file.
 */
export function placeOf(provenance: Provenance, path: Path, atKey: boolean): Place {
  let here = provenance;
  let depth = 0;
  for (const segment of path) {
    const child = here.children.get(segment);
    if (child === undefined) break;
    here = child;
    depth++;
  }
  const { file, doc, lineCounter } = here.origin;
  const pos = locate(doc, lineCounter, [...here.origin.path, ...path.slice(depth)], atKey);
  return { file, line: pos.line, column: pos.column };
}

/** The file in which the value at `path` is written. */
export function fileOf(provenance: Provenance, path: Path): string {
  return placeOf(provenance, path, false).file;
}
