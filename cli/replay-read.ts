// Reading an HAProxy log for `lbsim replay`, streamed: its lines, a first pass of counts (the survey),
// and its requests back in accept order through a bounded reorder buffer.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { InputError } from "../errors/index.js";
import type { CompiledLogFormat, LogEntry } from "../scenarios/index.js";
import { firstBinaryByte, notText } from "../scenarios/text-file.js";
import { fileError } from "../scenarios/trace.js";
import { LatencyHistogram } from "../sim/index.js";
import { MinHeap } from "./replay-heap.js";

const CHUNK_BYTES = 1 << 16;
/** Bad lines shown with their line numbers; the others are only counted. */
export const BAD_LINES_SHOWN = 5;
/**
 * Most requests the reorder buffer holds. A log whose disorder would need more (a request of an
 * hour among thousands per second) has its later lines reported as late instead of growing memory.
 */
export const REORDER_MAX_ENTRIES = 200_000;

/** The log's lines, lazily, with their 1-based numbers; a binary file is bad input at once. */
export function* logLines(path: string, shown: string): Generator<[string, number], void, undefined> {
  let fd: number;
  try {
    if (!statSync(path).isFile())
      throw InputError.one({
        code: "unreadable",
        file: shown,
        line: 0,
        column: 0,
        path: "",
        message: "not a file",
      });
    fd = openSync(path, "r");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileError(error, shown);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new TextDecoder("utf-8");
    let pending = "";
    let lineNo = 0;
    for (let chunk = 0; ; chunk++) {
      const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (chunk === 0) {
        const head = buffer.subarray(0, bytes);
        const bad = firstBinaryByte(head);
        if (bad >= 0 && (head[bad] === 0 || bad < bytes - 3))
          throw notText(shown, head, bad, "an HAProxy log");
      }
      const final = bytes === 0;
      pending += final ? decoder.decode() : decoder.decode(buffer.subarray(0, bytes), { stream: true });
      let start = 0;
      for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n", start)) {
        lineNo++;
        const line =
          pending.charCodeAt(end - 1) === 13 ? pending.slice(start, end - 1) : pending.slice(start, end);
        start = end + 1;
        yield [line, lineNo];
      }
      pending = pending.slice(start);
      if (final) {
        if (pending !== "") yield [pending, lineNo + 1];
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}

export interface BadLine {
  readonly line: number;
  readonly message: string;
}

/** What one backend's lines say, as HAProxy logged it. */
export interface BackendSurvey {
  readonly name: string;
  requests: number;
  ok: number;
  failed: number;
  retried: number;
  redispatched: number;
  readonly byStatus: Map<number, number>;
  readonly byTermination: Map<string, number>;
  /** Requests by server, in the order the servers first appear in the file. */
  readonly servers: Map<string, number>;
  /** Most `%sc` logged per server. */
  readonly maxServerConnections: Map<string, number>;
  readonly latency: LatencyHistogram;
  /** Tw of the requests that left the balancer's queues (Tw ≥ 0). */
  readonly queue: LatencyHistogram;
  /** Σ TR + Tc over requests that reached a server: time the replay does not model. */
  notReplayedSumMs: number;
  notReplayedCount: number;
}

export interface LogSurvey {
  readonly lines: number;
  readonly valid: number;
  readonly bad: number;
  readonly badShown: ReadonlyArray<BadLine>;
  readonly firstAcceptMs: number;
  readonly lastAcceptMs: number;
  readonly maxTaMs: number;
  /**
   * How far behind the latest end seen so far a request's accept came, at most: a request is
   * never accepted earlier than (latest end so far − this), so the reorder buffer holds exactly
   * the requests accepted within this of the latest end.
   */
  readonly reorderBoundMs: number;
  readonly backends: ReadonlyMap<string, BackendSurvey>;
}

/** When the request was ready for a server: its accept plus the time its headers took (TR). */
export const arrivalOf = (e: LogEntry): number => e.acceptMs + Math.max(0, e.TR);
/** When HAProxy wrote its line (about): accept + Ta. */
const endOf = (e: LogEntry): number => e.acceptMs + Math.max(0, e.Ta);

/** The first pass: every line parsed once, counted; nothing held but counts and histograms. */
export function surveyLog(path: string, shown: string, format: CompiledLogFormat): LogSurvey {
  let lines = 0;
  let valid = 0;
  let bad = 0;
  const badShown: BadLine[] = [];
  let firstAcceptMs = Number.POSITIVE_INFINITY;
  let lastAcceptMs = Number.NEGATIVE_INFINITY;
  let maxTaMs = 0;
  let frontierMs = Number.NEGATIVE_INFINITY;
  let reorderBoundMs = 0;
  const backends = new Map<string, BackendSurvey>();
  for (const [line, lineNo] of logLines(path, shown)) {
    lines++;
    if (line.trim() === "") continue;
    const e = format.parse(line);
    if (e === undefined || !Number.isFinite(e.acceptMs)) {
      bad++;
      if (badShown.length < BAD_LINES_SHOWN) badShown.push({ line: lineNo, message: format.diagnose(line) });
      continue;
    }
    valid++;
    const arrivalMs = arrivalOf(e);
    firstAcceptMs = Math.min(firstAcceptMs, arrivalMs);
    lastAcceptMs = Math.max(lastAcceptMs, arrivalMs);
    maxTaMs = Math.max(maxTaMs, e.Ta);
    frontierMs = Math.max(frontierMs, endOf(e));
    reorderBoundMs = Math.max(reorderBoundMs, frontierMs - arrivalMs);
    let b = backends.get(e.backend);
    if (b === undefined) {
      b = {
        name: e.backend,
        requests: 0,
        ok: 0,
        failed: 0,
        retried: 0,
        redispatched: 0,
        byStatus: new Map(),
        byTermination: new Map(),
        servers: new Map(),
        maxServerConnections: new Map(),
        latency: new LatencyHistogram(),
        queue: new LatencyHistogram(),
        notReplayedSumMs: 0,
        notReplayedCount: 0,
      };
      backends.set(e.backend, b);
    }
    b.requests++;
    // As the simulator counts a failure: no answer, or a 5xx (sim/model/metrics.ts).
    if (e.status < 100 || e.status >= 500) b.failed++;
    else b.ok++;
    if (e.retries > 0) b.retried++;
    if (e.redispatched) b.redispatched++;
    b.byStatus.set(e.status, (b.byStatus.get(e.status) ?? 0) + 1);
    const termination = e.termination.slice(0, 2);
    b.byTermination.set(termination, (b.byTermination.get(termination) ?? 0) + 1);
    if (e.server !== "") {
      b.servers.set(e.server, (b.servers.get(e.server) ?? 0) + 1);
      if (e.serverConnections >= 0)
        b.maxServerConnections.set(
          e.server,
          Math.max(b.maxServerConnections.get(e.server) ?? 0, e.serverConnections),
        );
    }
    if (e.Ta >= 0) b.latency.record(e.Ta);
    if (e.Tw >= 0) b.queue.record(e.Tw);
    if (e.Tc >= 0) {
      b.notReplayedSumMs += Math.max(0, e.TR) + e.Tc;
      b.notReplayedCount++;
    }
  }
  return { lines, valid, bad, badShown, firstAcceptMs, lastAcceptMs, maxTaMs, reorderBoundMs, backends };
}

/** One request in accept order: its entry, its line, and the arrival time the replay gives it. */
export interface OrderedEntry {
  readonly entry: LogEntry;
  readonly line: number;
  /** `arrivalOf(entry)`, or the previous request's when this one came later than the buffer allowed. */
  readonly arrivalMs: number;
}

/** A request written later than the reorder buffer allowed: replayed at the time it was reached. */
export interface LateLine {
  readonly line: number;
  readonly lateByMs: number;
}

/**
 * The valid lines of `backend` (all when undefined), in order of arrival (ties: file order),
 * through a buffer that holds the requests accepted within `boundMs` of the latest end seen (at
 * most REORDER_MAX_ENTRIES). A line older than what was already emitted is told to `onLate`.
 */
export function* orderedEntries(
  path: string,
  shown: string,
  format: CompiledLogFormat,
  boundMs: number,
  backend: string | undefined,
  onLate: (late: LateLine) => void,
): Generator<OrderedEntry, void, undefined> {
  const buffer = new MinHeap<{ entry: LogEntry; line: number }>();
  let frontierMs = Number.NEGATIVE_INFINITY;
  let emittedMs = Number.NEGATIVE_INFINITY;
  const emit = (held: { entry: LogEntry; line: number }): OrderedEntry => {
    const at = arrivalOf(held.entry);
    if (at < emittedMs) {
      onLate({ line: held.line, lateByMs: emittedMs - at });
      return { ...held, arrivalMs: emittedMs };
    }
    emittedMs = at;
    return { ...held, arrivalMs: at };
  };
  for (const [text, line] of logLines(path, shown)) {
    const entry = format.parse(text);
    if (entry === undefined || !Number.isFinite(entry.acceptMs)) continue;
    frontierMs = Math.max(frontierMs, endOf(entry));
    if (backend === undefined || entry.backend === backend) {
      if (arrivalOf(entry) < emittedMs) yield emit({ entry, line });
      else buffer.push(arrivalOf(entry), { entry, line });
    }
    while (buffer.size > 0 && (buffer.peekKey() < frontierMs - boundMs || buffer.size > REORDER_MAX_ENTRIES))
      yield emit(buffer.pop()!);
  }
  while (buffer.size > 0) yield emit(buffer.pop()!);
}
