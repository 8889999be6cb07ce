// Each logged request's service demand at its server: its time there (Ta − TR − Tw − Tc), less the
// wait behind busy workers when the server's worker count (`slots`) is known (a FIFO deconvolved).
//
// A server with k FIFO workers starts request i (in order of arrival at the server) when it has
// arrived and a worker is free: start = max(arrival, earliest time one of the k workers frees),
// and that worker frees at the request's logged end. Its demand is end − start. The log gives
// every end, so this is exact for a FIFO server with k workers whose ends HAProxy saw, up to the
// log's whole milliseconds; a request whose logged end comes before its worker could be free is
// counted as inconsistent (the server is not FIFO with k workers, or a timer rounded) and its
// demand set to 0: the sum of those gaps is the error the estimate leaves, and it is printed.

import { MinHeap } from "./replay-heap.js";
import type { OrderedEntry } from "./replay-read.js";

/** Per server: what the estimate found. */
export interface ServerDemand {
  readonly name: string;
  /** Requests with a time at the server (they reached it and HAProxy logged their end). */
  measured: number;
  /** Σ demand (ms, at the server's own speed) over `measured`. */
  demandSumMs: number;
  /** Requests that waited behind busy workers, and Σ of those waits (taken out of Tr). */
  waited: number;
  waitSumMs: number;
  /** Requests whose logged end came before a worker could be free, and Σ of the gaps. */
  inconsistent: number;
  inconsistentSumMs: number;
  /** Most requests at the server at once, from the logged arrivals and ends. */
  maxConcurrent: number;
}

/** A server's figures before any request: also those of a server the log names but never measured. */
export function noDemand(name: string): ServerDemand {
  return {
    name,
    measured: 0,
    demandSumMs: 0,
    waited: 0,
    waitSumMs: 0,
    inconsistent: 0,
    inconsistentSumMs: 0,
    maxConcurrent: 0,
  };
}

export interface Demanded {
  readonly ordered: OrderedEntry;
  /** The request's demand at its server (ms, at that server's speed); -1 when the log shows none. */
  demandMs: number;
}

interface Pending {
  readonly item: Demanded;
  readonly atServerMs: number;
  readonly endMs: number;
  readonly server: string;
  done: boolean;
}

/** Time at the server when the request reached one and HAProxy logged its end; undefined otherwise. */
function serverSpan(o: OrderedEntry): { atServerMs: number; endMs: number } | undefined {
  const e = o.entry;
  if (e.server === "" || e.Tc < 0 || e.Tw < 0 || e.Ta < 0) return undefined;
  const atServerMs = o.arrivalMs + e.Tw + e.Tc;
  // A line replayed later than it came (past the reorder buffer) moves whole: its end too.
  const shiftMs = o.arrivalMs - (e.acceptMs + Math.max(0, e.TR));
  const endMs = e.acceptMs + e.Ta + shiftMs;
  return endMs >= atServerMs ? { atServerMs, endMs } : { atServerMs, endMs: atServerMs };
}

/**
 * Demands of requests given in arrival order, yielded in the same order. `slots` maps a server to
 * its workers; a server not in it has as many as it needs (no wait inside it).
 */
export function* estimateDemands(
  entries: Iterable<OrderedEntry>,
  slots: ReadonlyMap<string, number>,
  stats: Map<string, ServerDemand>,
): Generator<Demanded, void, undefined> {
  // Requests reach their server in order of accept + TR + Tw + Tc, not of accept: a second heap
  // puts them in that order (a request at the server is ≥ its arrival, so every request arrived
  // before the current one's arrival can be settled), and `waiting` keeps the output in arrival order.
  const toServer = new MinHeap<Pending>();
  const waiting: Pending[] = [];
  let head = 0;
  const workers = new Map<string, MinHeap<number>>();
  const inside = new Map<string, MinHeap<number>>();
  const statsOf = (name: string): ServerDemand => {
    let s = stats.get(name);
    if (s === undefined) {
      s = noDemand(name);
      stats.set(name, s);
    }
    return s;
  };
  const settle = (p: Pending): void => {
    const s = statsOf(p.server);
    const present = inside.get(p.server) ?? new MinHeap<number>();
    inside.set(p.server, present);
    while (present.peekKey() <= p.atServerMs) present.pop();
    present.push(p.endMs, p.endMs);
    s.maxConcurrent = Math.max(s.maxConcurrent, present.size);
    let startMs = p.atServerMs;
    const k = slots.get(p.server);
    if (k !== undefined) {
      const free = workers.get(p.server) ?? new MinHeap<number>();
      workers.set(p.server, free);
      if (free.size >= k) startMs = Math.max(startMs, free.pop()!);
      free.push(p.endMs, p.endMs);
    }
    let demandMs = p.endMs - startMs;
    if (startMs > p.atServerMs) {
      s.waited++;
      s.waitSumMs += startMs - p.atServerMs;
    }
    if (demandMs < 0) {
      s.inconsistent++;
      s.inconsistentSumMs += -demandMs;
      demandMs = 0;
    }
    s.measured++;
    s.demandSumMs += demandMs;
    p.item.demandMs = demandMs;
    p.done = true;
  };
  const ready = function* (): Generator<Demanded, void, undefined> {
    while (head < waiting.length && waiting[head]!.done) yield waiting[head++]!.item;
    if (head > 1024 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
  };
  for (const ordered of entries) {
    while (toServer.size > 0 && toServer.peekKey() <= ordered.arrivalMs) settle(toServer.pop()!);
    const item: Demanded = { ordered, demandMs: -1 };
    const span = serverSpan(ordered);
    const pending: Pending = {
      item,
      atServerMs: span?.atServerMs ?? ordered.arrivalMs,
      endMs: span?.endMs ?? ordered.arrivalMs,
      server: ordered.entry.server,
      done: span === undefined,
    };
    if (span !== undefined) toServer.push(span.atServerMs, pending);
    waiting.push(pending);
    yield* ready();
  }
  while (toServer.size > 0) settle(toServer.pop()!);
  yield* ready();
}

/**
 * Each server's speed from its mean demand: speed = (mean over the backend) / (mean on the
 * server), so a server whose requests took twice as long is half as fast. This holds when the
 * balancer sent it requests like the others' (roundrobin, leastconn, random…), not when a hash
 * chose them by path or source. Fewer than MIN_MEASURED requests: speed 1 (too few to say).
 */
export const MIN_MEASURED = 20;

export interface SpeedEstimate {
  readonly server: string;
  readonly speed: number;
  readonly meanDemandMs: number;
  readonly measured: number;
}

export function estimateSpeeds(
  servers: ReadonlyArray<string>,
  stats: ReadonlyMap<string, ServerDemand>,
): { readonly speeds: ReadonlyArray<SpeedEstimate>; readonly meanDemandMs: number } {
  let sum = 0;
  let count = 0;
  for (const name of servers) {
    const s = stats.get(name);
    if (s !== undefined) {
      sum += s.demandSumMs;
      count += s.measured;
    }
  }
  const meanDemandMs = count === 0 ? 0 : sum / count;
  const speeds = servers.map((server) => {
    const s = stats.get(server);
    const measured = s?.measured ?? 0;
    const mean = measured === 0 ? 0 : s!.demandSumMs / measured;
    const speed = measured < MIN_MEASURED || mean <= 0 || meanDemandMs <= 0 ? 1 : round4(meanDemandMs / mean);
    return { server, speed, meanDemandMs: mean, measured };
  });
  return { speeds, meanDemandMs };
}

const round4 = (x: number) => Number(x.toPrecision(4));
