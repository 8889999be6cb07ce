// Clients: open-loop arrivals (and their rate changes), closed-loop users, trace replay, client
// timeouts and client retries.
//
// Common random numbers (DESIGN.md): an open-loop client draws, per request and in a fixed order,
// its inter-arrival time, source, path and demand seed from its own stream, so every strategy sees
// the same request stream. A rate change draws the next inter-arrival time from the same stream at
// the change's time, which is the same under every strategy. Retry backoffs come from a separate
// stream.
import type { ClientSpec } from "../../scenarios/types.js";
import { compileDistribution, type Sampler } from "../distributions.js";
import type { Engine, Handle } from "../engine.js";
import { createPopulation } from "../population.js";
import { createStream, type RandomStream } from "../random.js";
import type { TraceRow } from "../run-types.js";
import type { ModelContext } from "./context.js";
import type { Frontends } from "./frontends.js";
import { Kind } from "./kinds.js";
import type { Metrics } from "./metrics.js";
import { nextArrivalMs, type OpenLoop, openLoop, redrawnArrivalMs, setRate, setSpike } from "./open-loop.js";
import type { RequestCursor } from "./request-cursor.js";
import { I, N, Phase, type RequestTable } from "./requests.js";

/** 10.0.0.1 for source 0, as `ipv4ForIndex` in population.ts, without building the string. */
const FIRST_SOURCE_KEY = 0x0a000001;

interface ClientRuntime {
  readonly spec: ClientSpec;
  readonly stream: RandomStream;
  readonly retryStream: RandomStream;
  readonly source: (u: number) => number;
  readonly path: (u: number) => number;
  readonly think: Sampler | null;
  readonly timeoutLane: number;
  readonly trace: Iterator<TraceRow> | null;
  /** The next trace row, already read, waiting for its time. */
  pendingRow: TraceRow | undefined;
  /** Open-loop arrivals at their current rate. */
  readonly open: OpenLoop;
  /** The scheduled next open-loop arrival (-1: none), cancelled when the rate changes. */
  pending: Handle;
}

/** What the timeline changes in the traffic (DESIGN.md "Failure modes"; `rate` and `spike` events). */
export interface Traffic {
  /** The client's rate becomes `ratePerSecond` from now on; a ramp stops ramping. */
  setRate(client: string, ratePerSecond: number): void;
  /** A spike of `factor` starts (`on`) or ends on the client's rate. */
  spike(client: string, factor: number, on: boolean): void;
}

export class Clients implements Traffic {
  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #frontends: Frontends;
  readonly #metrics: Metrics;
  readonly #cursor: RequestCursor;
  readonly #clients: ClientRuntime[] = [];
  readonly #endMs: number;
  /** Closed-loop users: their client and their fixed source. */
  readonly #userClient: number[] = [];
  readonly #userSource: number[] = [];

  constructor(ctx: ModelContext) {
    const { scenario, seed, engine, readTrace, cursor } = ctx;
    this.#engine = engine;
    this.#requests = ctx.requests;
    this.#frontends = ctx.frontends;
    this.#metrics = ctx.metrics;
    this.#cursor = cursor;
    this.#endMs = scenario.durationMs;
    for (const spec of scenario.clients) {
      const arrivals = spec.arrivals;
      let trace: Iterator<TraceRow> | null = null;
      if (arrivals.kind === "trace") {
        if (readTrace === undefined)
          throw new Error(`client ${spec.name} replays a trace but no trace reader was given`);
        trace = readTrace(arrivals.file)[Symbol.iterator]();
      }
      this.#clients.push({
        spec,
        stream: createStream(seed, `client:${spec.name}`),
        retryStream: createStream(seed, `client:${spec.name}:retry`),
        source: createPopulation(spec.sources.count, spec.sources.zipf),
        path: createPopulation(spec.paths.count, spec.paths.zipf),
        think: arrivals.kind === "users" ? compileDistribution(arrivals.think) : null,
        timeoutLane: Number.isFinite(spec.timeoutMs) ? engine.lane(spec.timeoutMs, Kind.ClientTimeout) : -1,
        trace,
        pendingRow: undefined,
        open: openLoop(arrivals),
        pending: -1,
      });
    }
    engine.on(Kind.Arrival, (client) => this.#arrival(client));
    engine.on(Kind.UserSend, (user) => this.#userSend(user));
    engine.on(Kind.ClientRetry, (slot) => this.#send(slot));
  }

  /** Schedules every client's first request. */
  start(): void {
    this.#clients.forEach((c, index) => {
      const arrivals = c.spec.arrivals;
      switch (arrivals.kind) {
        case "poisson":
        case "constant":
        case "ramp":
          this.#schedule(c, index, nextArrivalMs(c.open, c.stream, 0, true));
          break;
        case "users":
          for (let u = 0; u < arrivals.count; u++) {
            const user = this.#userClient.length;
            this.#userClient.push(index);
            this.#userSource.push(c.source(c.stream.next()));
            // Users start spread over one think time, so they do not all send at t = 0.
            const startMs = c.think!(c.stream) * c.stream.next();
            this.#engine.schedule(startMs, Kind.UserSend, user);
          }
          break;
        case "trace":
          this.#scheduleTraceRow(c, index);
          break;
      }
    });
  }

  #arrival(index: number): void {
    const c = this.#clients[index]!;
    const now = this.#engine.nowMs;
    if (c.spec.arrivals.kind === "trace") {
      const row = c.pendingRow!;
      c.pendingRow = undefined;
      const slot = this.#newRequest(index, -1);
      const r = this.#requests;
      r.ints[slot + I.sourceIndex] = -1;
      r.nums[slot + N.sourceKey] =
        row.sourceIp === undefined ? FIRST_SOURCE_KEY + c.source(c.stream.next()) : ipv4Key(row.sourceIp);
      r.ints[slot + I.pathIndex] = row.path === undefined ? c.path(c.stream.next()) : -1;
      r.nums[slot + N.demandSeed] = c.stream.nextUint32();
      if (row.demandMs !== undefined) r.nums[slot + N.demandMs] = row.demandMs;
      r.ints[slot + I.traceText] = 1;
      this.#cursor.setRow(slot, row);
      this.#scheduleTraceRow(c, index);
      this.#send(slot);
      return;
    }
    c.open.lastArrivalMs = now;
    this.#schedule(c, index, nextArrivalMs(c.open, c.stream, now, false));
    const slot = this.#newRequest(index, -1);
    const r = this.#requests;
    const source = c.source(c.stream.next());
    r.ints[slot + I.sourceIndex] = source;
    r.nums[slot + N.sourceKey] = FIRST_SOURCE_KEY + source;
    r.ints[slot + I.pathIndex] = c.path(c.stream.next());
    r.nums[slot + N.demandSeed] = c.stream.nextUint32();
    this.#send(slot);
  }

  #userSend(user: number): void {
    const index = this.#userClient[user]!;
    const c = this.#clients[index]!;
    const slot = this.#newRequest(index, user);
    const r = this.#requests;
    const source = this.#userSource[user]!;
    r.ints[slot + I.sourceIndex] = source;
    r.nums[slot + N.sourceKey] = FIRST_SOURCE_KEY + source;
    r.ints[slot + I.pathIndex] = c.path(c.stream.next());
    r.nums[slot + N.demandSeed] = c.stream.nextUint32();
    this.#send(slot);
  }

  #newRequest(client: number, user: number): number {
    const r = this.#requests;
    const slot = r.allocate();
    r.ints[slot + I.client] = client;
    r.ints[slot + I.user] = user;
    r.ints[slot + I.phase] = Phase.Pending;
    return slot;
  }

  /** The request leaves the client now. */
  #send(slot: number): void {
    const r = this.#requests;
    const now = this.#engine.nowMs;
    const c = this.#clients[r.ints[slot + I.client]!]!;
    r.nums[slot + N.arrivalMs] = now;
    this.#metrics.arrived(now);
    if (c.timeoutLane >= 0) r.nums[slot + N.clientTimer] = this.#engine.arm(c.timeoutLane, slot);
    this.#frontends.arrive(slot);
  }

  /** After a request finished: a client retry, or a closed-loop user's next request. */
  /** The name of the client that sent the request in `slot`. */
  nameOf(slot: number): string {
    return this.#clients[this.#requests.ints[slot + I.client]!]!.spec.name;
  }

  /** A request has finished on the client side: a user thinks and sends again, a failure may be retried. */
  finished(slot: number, failed: boolean): void {
    const r = this.#requests;
    const c = this.#clients[r.ints[slot + I.client]!]!;
    const retry = c.spec.retry;
    const attempt = r.ints[slot + I.attempt]!;
    const now = this.#engine.nowMs;
    if (failed && retry !== null && attempt < retry.count) {
      const backoff = Math.min(retry.maxBackoffMs, retry.backoffMs * 2 ** attempt);
      const delay = backoff * (1 - retry.jitter + retry.jitter * c.retryStream.next());
      if (now + delay > this.#endMs) return;
      const again = this.#newRequest(r.ints[slot + I.client]!, r.ints[slot + I.user]!);
      r.ints[again + I.attempt] = attempt + 1;
      r.ints[again + I.sourceIndex] = r.ints[slot + I.sourceIndex]!;
      r.nums[again + N.sourceKey] = r.nums[slot + N.sourceKey]!;
      r.ints[again + I.pathIndex] = r.ints[slot + I.pathIndex]!;
      r.nums[again + N.demandSeed] = r.nums[slot + N.demandSeed]!;
      r.nums[again + N.demandMs] = r.nums[slot + N.demandMs]!;
      if (r.ints[slot + I.traceText]! >= 0) {
        r.ints[again + I.traceText] = 1;
        this.#cursor.setRow(again, this.#cursor.rowOf(slot));
      }
      this.#engine.schedule(now + delay, Kind.ClientRetry, again);
      return;
    }
    const user = r.ints[slot + I.user]!;
    if (user >= 0 && c.think !== null) {
      const at = now + c.think(c.stream);
      if (at <= this.#endMs) this.#engine.schedule(at, Kind.UserSend, user);
    }
  }

  setRate(client: string, ratePerSecond: number): void {
    const index = this.#openLoop(client);
    setRate(this.#clients[index]!.open, ratePerSecond);
    this.#redraw(index);
  }

  spike(client: string, factor: number, on: boolean): void {
    const index = this.#openLoop(client);
    setSpike(this.#clients[index]!.open, factor, on);
    this.#redraw(index);
  }

  #openLoop(name: string): number {
    const index = this.#clients.findIndex((c) => c.spec.name === name);
    const kind = this.#clients[index]?.spec.arrivals.kind;
    if (kind !== "poisson" && kind !== "constant" && kind !== "ramp")
      throw new Error(`a rate change names ${index < 0 ? "an unknown" : `a ${kind}`} client: ${name}`);
    return index;
  }

  /** A rate change: the pending arrival is cancelled and drawn again from the new rate. */
  #redraw(index: number): void {
    const c = this.#clients[index]!;
    // -1 is not a handle the engine would ignore (negative handles are its timer lanes).
    if (c.pending !== -1) this.#engine.cancel(c.pending);
    this.#schedule(c, index, redrawnArrivalMs(c.open, c.stream, this.#engine.nowMs));
  }

  #schedule(c: ClientRuntime, index: number, atMs: number): void {
    c.pending = atMs <= this.#endMs ? this.#engine.schedule(atMs, Kind.Arrival, index) : -1;
  }

  #scheduleTraceRow(c: ClientRuntime, index: number): void {
    const next = c.trace!.next();
    if (next.done === true) return;
    const row = next.value;
    if (row.atMs > this.#endMs) return;
    c.pendingRow = row;
    this.#engine.schedule(Math.max(row.atMs, this.#engine.nowMs), Kind.Arrival, index);
  }
}

/** `a.b.c.d` → a·2^24 + b·2^16 + c·2^8 + d (haproxy-semantics.md §3.6); anything else → 0 for now. */
export function ipv4Key(text: string): number {
  const parts = text.split(".");
  if (parts.length === 4) {
    let key = 0;
    for (const part of parts) {
      const n = Number(part);
      if (!(Number.isInteger(n) && n >= 0 && n <= 255)) return 0;
      key = key * 256 + n;
    }
    return key >>> 0;
  }
  return 0;
}
