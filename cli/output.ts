// Output files: atomic writes (temp file + rename) and the streaming per-request writers (`--trace`, `--log`).
//
// An interrupted or failed run must never leave a truncated file under the name the user asked
// for: everything is written to a temp file in the same folder (so `rename` stays on one file
// system and is atomic) and renamed into place only once complete.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { closeQuietly, tempPathFor, writeAll } from "../files/index.js";
import type { RequestRecord } from "../sim/index.js";
import { formatCsvMs } from "./format.js";

// The atomic writer lives in files/ so that viz/ (chart files) writes the same way without importing cli/.
export { tempPathFor, writeFileAtomic } from "../files/index.js";

export const TRACE_HEADER =
  "id,client,atMs,sourceIp,path,server,status,termination,retries,queueMs,connectMs,responseMs,totalMs";

/**
 * The trace's header when some client has a `timeout`: TRACE_HEADER's columns keep the client's
 * view (what it received: -1 and CQ/CC/CH when it gave up), then four more give HAProxy's:
 * `gaveUpMs` (when the client gave up, in ms after `atMs`, while HAProxy went on with the request;
 * -1 when it did not), and the `haproxyStatus`, `haproxyTermination` and `haproxyTotalMs` HAProxy
 * logged (the same as `status`, `termination`, `totalMs` when the client did not give up). Without a
 * timeout no request can have one, and the trace keeps TRACE_HEADER's columns.
 */
export const TRACE_GAVE_UP_HEADER = `${TRACE_HEADER},gaveUpMs,haproxyStatus,haproxyTermination,haproxyTotalMs`;

/** RFC 4180 ends every record with CRLF. */
const EOL = "\r\n";
const CHUNK_CHARS = 64 * 1024;

/** One RFC 4180 field: quoted (with quotes doubled) only when it holds a comma, quote, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** HAProxy's log `retries` field: the count, prefixed with `+` when the request was redispatched. */
export function retriesField(record: Pick<RequestRecord, "retries" | "redispatched">): string {
  return record.redispatched ? `+${record.retries}` : String(record.retries);
}

/** The `--trace` row of one request, without the line ending (DESIGN.md "Per-request output"). */
export function traceRow(record: RequestRecord): string {
  return [
    String(record.id),
    csvField(record.client),
    formatCsvMs(record.atMs),
    csvField(record.sourceIp),
    csvField(record.path),
    csvField(record.server),
    String(record.status),
    // Results.byTermination uses the first two characters; the last two are always `--` here.
    csvField(record.termination.slice(0, 2)),
    retriesField(record),
    formatCsvMs(record.queueMs),
    formatCsvMs(record.connectMs),
    formatCsvMs(record.responseMs),
    formatCsvMs(record.totalMs),
  ].join(",");
}

/**
 * How a per-request file reads: its first lines, and each record's line (with its line ending). The
 * records are finished requests, or (`--explain`) the balancer's decisions.
 */
export interface RecordFormat<T = RequestRecord> {
  readonly header: string;
  readonly line: (record: T) => string;
}

/**
 * Streams one line per request (`--trace` CSV, `--log` httplog) to a temp file in ~64 KiB
 * synchronous writes (the simulation itself is synchronous, and memory stays flat however many
 * requests there are). `close()` renames the file into place; `abort()` removes it.
 */
export class RecordFileWriter<T = RequestRecord> {
  readonly path: string;
  readonly tempPath: string;
  private fd: number | undefined;
  private buffer = "";
  private count = 0;
  private readonly line: (record: T) => string;

  private constructor(path: string, tempPath: string, fd: number, format: RecordFormat<T>) {
    this.path = path;
    this.tempPath = tempPath;
    this.fd = fd;
    this.line = format.line;
    this.buffer = format.header;
  }

  /** Creates the temp file (exclusively) and writes the header. Throws the fs error if it cannot. */
  static open<T = RequestRecord>(
    path: string,
    tempPath: string,
    format: RecordFormat<T>,
  ): RecordFileWriter<T> {
    const fd = openSync(tempPath, "wx");
    return new RecordFileWriter<T>(path, tempPath, fd, format);
  }

  /** Rows written so far (the header excluded). */
  get rows(): number {
    return this.count;
  }

  write(record: T): void {
    if (this.fd === undefined) throw new Error(`${basename(this.path)}: write after close or abort`);
    this.buffer += this.line(record);
    this.count++;
    if (this.buffer.length >= CHUNK_CHARS) this.flush();
  }

  /** Flushes, syncs and renames the temp file to `path`. On failure the temp file is removed. */
  close(): void {
    const fd = this.fd;
    if (fd === undefined) throw new Error(`${basename(this.path)}: close after close or abort`);
    try {
      this.flush();
      fsyncSync(fd);
      this.fd = undefined;
      closeSync(fd);
      renameSync(this.tempPath, this.path);
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Drops everything written: closes the file and removes the temp. Safe to call more than once. */
  abort(): void {
    const fd = this.fd;
    this.fd = undefined;
    this.buffer = "";
    if (fd !== undefined) closeQuietly(fd);
    rmSync(this.tempPath, { force: true });
  }

  private flush(): void {
    if (this.fd === undefined || this.buffer === "") return;
    writeAll(this.fd, Buffer.from(this.buffer, "utf8"));
    this.buffer = "";
  }
}

const TRACE_FORMAT: RecordFormat = { header: TRACE_HEADER + EOL, line: (record) => traceRow(record) + EOL };
const TRACE_GAVE_UP_FORMAT: RecordFormat = {
  header: TRACE_GAVE_UP_HEADER + EOL,
  line: (record) => {
    const haproxy = `${record.status},${csvField(record.termination.slice(0, 2))},${formatCsvMs(record.totalMs)}`;
    if (record.gaveUpMs === undefined) return `${traceRow(record)},-1,${haproxy}${EOL}`;
    return `${traceRow(clientView(record, record.gaveUpMs))},${formatCsvMs(record.gaveUpMs)},${haproxy}${EOL}`;
  },
};

/**
 * What the client of a request it gave up on saw (DESIGN.md: `status` is what the client
 * received): nothing (-1), the termination of where it was then, its wait so far.
 */
function clientView(record: RequestRecord, gaveUpMs: number): RequestRecord {
  const termination = record.gaveUpTermination ?? "CQ--";
  const queueMs = record.gaveUpQueueMs ?? -1;
  const connected = termination.startsWith("CH");
  return {
    ...record,
    status: -1,
    termination,
    queueMs: queueMs > 0 || termination.startsWith("CC") || connected ? queueMs : -1,
    connectMs: connected ? record.connectMs : -1,
    responseMs: -1,
    totalMs: gaveUpMs,
  };
}

/**
 * The `--trace` CSV writer: a RecordFileWriter of CRLF-terminated rows after TRACE_HEADER, or after
 * TRACE_GAVE_UP_HEADER with `gaveUp` (the scenario has a client with a `timeout`).
 */
export type TraceCsvWriter = RecordFileWriter;
export const TraceCsvWriter = {
  open(path: string, tempPath: string = tempPathFor(path), gaveUp = false): RecordFileWriter {
    return RecordFileWriter.open(path, tempPath, gaveUp ? TRACE_GAVE_UP_FORMAT : TRACE_FORMAT);
  },
};
