// `--log FILE`: one HAProxy `option httplog` line per finished request (haproxy-semantics.md §6).
//
// option httplog is `%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc
// %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r`. Each line carries the syslog prefix a log file
// written by syslogd has (`Jan  1 00:00:01 lbsim haproxy[1]: `), because that is what HAProxy's
// own `halog` (and most log tools) expect by default. What a simulation does not have is made up
// deterministically, and documented in docs/outputs.md ("HAProxy log"):
// - dates: simulated time 0 is 2026-01-01T00:00:00.000 UTC (SIMULATED_EPOCH_MS);
// - the client port: 1024 + (request id mod 64511);
// - bytes: a constant per status (BYTES_BY_STATUS: HAProxy 2.6's own error pages as measured);
// - captured cookies and headers: none (`- -`, and no `{…}` blocks).
import type { RequestRecord } from "../sim/index.js";
import { RecordFileWriter, type RecordFormat } from "./output.js";

/** Simulated time 0 as a wall-clock date: 2026-01-01T00:00:00.000 UTC. */
export const SIMULATED_EPOCH_MS = Date.UTC(2026, 0, 1);

/** The host and program of the syslog prefix. */
export const SYSLOG_TAG = "lbsim haproxy[1]:";

/**
 * `%B`, bytes sent to the client, headers included. HAProxy's own 502/503/504 pages measured on
 * HAProxy 2.6.12; anything the server answered counts as one small page (1 KiB with headers for a
 * success, 256 bytes for an error); nothing at all when the client got no answer (status -1).
 */
export const BYTES_BY_STATUS: Readonly<Record<number, number>> = { 502: 209, 503: 217, 504: 198, [-1]: 0 };
export const SUCCESS_BYTES = 1024;
export const ERROR_BYTES = 256;

export function responseBytes(status: number): number {
  return BYTES_BY_STATUS[status] ?? (status >= 100 && status < 400 ? SUCCESS_BYTES : ERROR_BYTES);
}

/** `%cp`: a deterministic client port from the request id, in 1024..65534. */
export function clientPort(id: number): number {
  return 1024 + (id % 64511);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const two = (n: number) => String(n).padStart(2, "0");

/** Formats whole seconds of simulated time once: log lines come in time order, many per second. */
function perSecond(format: (d: Date) => string): (second: number) => string {
  let cachedSecond = Number.NaN;
  let cachedText = "";
  return (second) => {
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedText = format(new Date(SIMULATED_EPOCH_MS + second * 1000));
    }
    return cachedText;
  };
}

const acceptSecond = perSecond(
  (d) =>
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`,
);

const syslogSecond = perSecond(
  (d) =>
    `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`,
);

/** `%tr`: `dd/Mon/yyyy:HH:MM:SS.mmm` of a simulated time (whole milliseconds, truncated). */
export function acceptDate(atMs: number): string {
  const ms = Math.floor(atMs);
  const second = Math.floor(ms / 1000);
  return `${acceptSecond(second)}.${String(ms - second * 1000).padStart(3, "0")}`;
}

/** The syslog (RFC 3164) timestamp of a simulated time: `Jan  1 00:00:01` (day padded with a space). */
export function syslogDate(atMs: number): string {
  return syslogSecond(Math.floor(atMs / 1000));
}

/**
 * `%TR/%Tw/%Tc/%Tr/%Ta` in whole milliseconds, as HAProxy's millisecond clock measures them: the
 * end of each stage is truncated to a whole millisecond and each timer is the difference of two
 * such instants, so Tw + Tc + Tr ≤ Ta as in a real log. TR (receiving the request headers) is 0:
 * clients send their request at once. A stage never reached is -1.
 */
export function timers(record: RequestRecord): string {
  const start = Math.floor(record.atMs);
  let cumulative = record.atMs;
  const stage = (ms: number): string => {
    if (ms < 0) return "-1";
    const before = Math.floor(cumulative);
    cumulative += ms;
    return String(Math.floor(cumulative) - before);
  };
  // Tw starts where the request arrived (TR = 0), Tc where Tw ended, Tr where Tc ended.
  const tw = stage(record.queueMs);
  const tc = stage(record.connectMs);
  const tr = stage(record.responseMs);
  const ta =
    record.totalMs < 0 ? "-1" : String(Math.max(0, Math.floor(record.atMs + record.totalMs) - start));
  // A request no rule routed logs TR = -1 (measured on HAProxy 2.6.12: `fe fe/<NOSRV> -1/-1/-1/-1/0`).
  return `${record.unrouted === true ? -1 : 0}/${tw}/${tc}/${tr}/${ta}`;
}

/**
 * The URI as HAProxy logs it in `%{+Q}r`: control characters, non-ASCII bytes, space, `"`, `#`,
 * `{`, `|` and `}` become `#XX` (HAProxy's log escaping), so the quoted request line stays one field.
 */
export function escapeUri(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  if (!/[\u0000-\u0020"#{|}\u007f-\uffff]/.test(path)) return path;
  let out = "";
  for (const byte of Buffer.from(path, "utf8")) {
    const encoded =
      byte <= 0x20 ||
      byte >= 0x7f ||
      byte === 0x22 ||
      byte === 0x23 ||
      byte === 0x7b ||
      byte === 0x7c ||
      byte === 0x7d;
    out += encoded ? `#${byte.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(byte);
  }
  return out;
}

export interface HttpLogNames {
  /** `%ft`: the scenario's `frontend.name`. */
  readonly frontend: string;
  /** `%b`: the scenario's `backend.name`. */
  readonly backend: string;
}

/** One httplog line, syslog prefix included, without the line ending. */
export function httpLogLine(record: RequestRecord, names: HttpLogNames): string {
  // The record's own frontend and backend when it has them (several of either); the names otherwise.
  const frontend = record.frontend ?? names.frontend;
  const backend = record.backend ?? names.backend;
  // With several backends a record names its server `<backend>/<server>`: the log has `%b/%s` already.
  const named = record.server.startsWith(`${backend}/`)
    ? record.server.slice(backend.length + 1)
    : record.server;
  const server = named === "" ? "<NOSRV>" : named;
  const retries = record.redispatched ? `+${record.retries}` : String(record.retries);
  const connections = record.backendConnections;
  const end = record.totalMs < 0 ? record.atMs : record.atMs + record.totalMs;
  return (
    `${syslogDate(end)} ${SYSLOG_TAG} ${record.sourceIp}:${clientPort(record.id)} [${acceptDate(record.atMs)}] ` +
    `${frontend} ${backend}/${server} ${timers(record)} ${record.status} ` +
    `${responseBytes(record.status)} - - ${record.termination} ` +
    `${record.processConnections ?? record.frontendConnections}/${record.frontendConnections}/${connections}/${record.serverConnections}/${retries} ` +
    `${record.serverQueue}/${record.backendQueue} "GET ${escapeUri(record.path === "" ? "/" : record.path)} HTTP/1.1"`
  );
}

export function httpLogFormat(names: HttpLogNames): RecordFormat {
  return { header: "", line: (record) => `${httpLogLine(record, names)}\n` };
}

/** Opens the `--log` file: streamed to `tempPath`, renamed to `path` on close (see RecordFileWriter). */
export function openHttpLog(path: string, tempPath: string, names: HttpLogNames): RecordFileWriter {
  return RecordFileWriter.open(path, tempPath, httpLogFormat(names));
}
