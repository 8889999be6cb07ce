// readTraceFile: an arrivals trace (CSV: atMs, sourceIp, path, host, demandMs) streamed row by row.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { InputError, type InputErrorCode } from "../errors/index.js";
import type { TraceRow } from "../sim/run-types.js";
import { type CsvRecord, CsvSplitter } from "./csv.js";
import { nearest } from "./hint.js";
import { firstBinaryByte, notText } from "./text-file.js";

const COLUMNS = ["atMs", "sourceIp", "path", "host", "demandMs"] as const;
type Column = (typeof COLUMNS)[number];

/** Bytes read at a time: large enough to amortise the system calls, small enough to be "flat". */
const CHUNK_BYTES = 1 << 16;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The rows of a trace file, lazily: each iteration opens the file again and reads it in chunks, so
 * a 10M-row trace replays in flat memory and can be replayed once per compared strategy. A missing
 * file is reported at once; a bad row when it is reached (InputError `bad-trace` with its line).
 */
export function readTraceFile(path: string): Iterable<TraceRow> {
  try {
    if (!statSync(path).isFile()) fail("unreadable", path, 0, 0, "not a file");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileError(error, path);
  }
  return { [Symbol.iterator]: () => rows(path) };
}

function fail(
  code: InputErrorCode,
  file: string,
  line: number,
  column: number,
  message: string,
  hint?: string,
): never {
  throw InputError.one({
    code,
    file,
    line,
    column,
    path: "",
    message,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** ENOENT → `file-not-found`; anything else (a directory, no permission) → `unreadable`. */
export function fileError(error: unknown, file: string): InputError {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const reason = error instanceof Error ? error.message : String(error);
  return InputError.one(
    code === "ENOENT"
      ? { code: "file-not-found", file, line: 0, column: 0, path: "", message: "no such file" }
      : { code: "unreadable", file, line: 0, column: 0, path: "", message: `cannot read: ${reason}` },
  );
}

function* rows(path: string): Generator<TraceRow, void, undefined> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new TextDecoder("utf-8");
    const splitter = new CsvSplitter(path);
    let header: Header | undefined;
    let previous = 0;
    for (let chunk = 0; ; chunk++) {
      const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      const final = bytes === 0;
      // A binary file is told apart by its first chunk (a NUL or bytes that are not UTF-8); one
      // cut off inside a multi-byte character at the chunk's end is still text.
      if (chunk === 0) {
        const head = buffer.subarray(0, bytes);
        const bad = firstBinaryByte(head);
        if (bad >= 0 && (head[bad] === 0 || bad < bytes - 3)) throw notText(path, head, bad, "a trace");
      }
      const text = final ? decoder.decode() : decoder.decode(buffer.subarray(0, bytes), { stream: true });
      for (const record of splitter.push(text, final)) {
        if (header === undefined) {
          header = readHeader(record, path);
          continue;
        }
        const row = readRow(record, header, path, previous);
        previous = row.atMs;
        yield row;
      }
      if (final) break;
    }
    if (header === undefined)
      fail(
        "bad-trace",
        path,
        1,
        1,
        "the trace is empty, expected a header line naming its columns (atMs first)",
      );
  } finally {
    closeSync(fd);
  }
}

/** Where each known column is (-1 when absent), and how many fields a row needs. */
interface Header {
  readonly index: Readonly<Record<Column, number>>;
  readonly width: number;
}

function readHeader(record: CsvRecord, file: string): Header {
  const index: Record<Column, number> = { atMs: -1, sourceIp: -1, path: -1, host: -1, demandMs: -1 };
  record.fields.forEach((raw, position) => {
    const name = raw.trim();
    const column = record.columns[position] ?? 1;
    const known = COLUMNS.find((c) => c === name);
    if (known === undefined) {
      // Other columns (an lbsim --trace output's `server`, `status`…) are ignored; near-misses are typos.
      const close = nearest(name, COLUMNS);
      if (close !== undefined)
        fail("bad-trace", file, record.line, column, `unknown column "${name}"`, `did you mean "${close}"?`);
      return;
    }
    if (index[known] >= 0) fail("bad-trace", file, record.line, column, `column "${known}" appears twice`);
    index[known] = position;
  });
  if (index.atMs < 0) {
    fail(
      "bad-trace",
      file,
      record.line,
      1,
      `found columns ${record.fields.join(", ")}, expected an "atMs" column`,
    );
  }
  return { index, width: Math.max(...Object.values(index)) + 1 };
}

function readRow(record: CsvRecord, header: Header, file: string, previous: number): TraceRow {
  const { index, width } = header;
  const fields = record.fields;
  if (fields.length < width) {
    fail(
      "bad-trace",
      file,
      record.line,
      1,
      `found ${fields.length} fields, expected at least ${width} as in the header`,
    );
  }
  const atText = fields[index.atMs];
  const atColumn = record.columns[index.atMs] ?? 1;
  if (atText === undefined || atText === "")
    fail("bad-trace", file, record.line, atColumn, "atMs: missing, expected a number of milliseconds");
  const atMs = readNumber(record, index.atMs, "atMs", file);
  if (atMs < previous) {
    fail(
      "bad-trace",
      file,
      record.line,
      atColumn,
      `atMs: found ${atMs} after ${previous}, expected rows in non-decreasing atMs`,
    );
  }
  const demandText = optional(fields, index.demandMs);
  return {
    atMs,
    sourceIp: optional(fields, index.sourceIp),
    path: optional(fields, index.path),
    host: optional(fields, index.host),
    demandMs: demandText === undefined ? undefined : readNumber(record, index.demandMs, "demandMs", file),
  };
}

function optional(fields: ReadonlyArray<string>, index: number): string | undefined {
  const value = index < 0 ? undefined : fields[index];
  return value === "" ? undefined : value;
}

function readNumber(record: CsvRecord, index: number, column: Column, file: string): number {
  const value = record.fields[index] ?? "";
  const n = NUMBER.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) {
    const at = record.columns[index] ?? 1;
    fail(
      "bad-trace",
      file,
      record.line,
      at,
      `${column}: found ${JSON.stringify(value)}, expected a number of milliseconds ≥ 0`,
    );
  }
  return n;
}
