// The end of a request: its timeouts, and the one `finish` every end goes through, which tells the
// listeners (metrics, the per-request record, the clients) and frees what it held in a fixed order.

import type { Engine } from "../engine.js";
import type { RequestRecord } from "../run-types.js";
import type { Balancer } from "./balancer.js";
import type { BalancerQueues } from "./balancer-queues.js";
import type { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import type { Frontends } from "./frontends.js";
import type { Metrics } from "./metrics.js";
import type { RequestCursor } from "./request-cursor.js";
import { requestRecord } from "./request-record.js";
import { I, N, Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import { Termination } from "./termination.js";

/** What a client gave up in (`timeout client`): the phase names the termination state's second letter. */
function clientTimeoutTermination(phase: number): Termination {
  return phase === Phase.AwaitingResponse
    ? Termination.CH
    : phase === Phase.Connecting || phase === Phase.TurnAround || phase === Phase.RedispatchWait
      ? Termination.CC
      : phase === Phase.Frontend
        ? Termination.CR
        : Termination.CQ;
}

export class RequestEnd {
  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #servers: ReadonlyArray<Server>;
  readonly #metrics: Metrics;
  readonly #queues: BalancerQueues;
  readonly #connections: Connections;
  readonly #cursor: RequestCursor;
  /** The balancer whose requests end here: its freed slots and passive checks. */
  readonly #balancer: Balancer;
  /** The frontends: their counts and backlogs, and the listeners of finished requests. */
  readonly #frontends: Frontends;

  readonly #ctx: ModelContext;
  /** `option abortonclose`: a client that gives up ends its request in HAProxy too (CQ, CC, CH). */
  readonly #abortOnClose: boolean;
  readonly #onRequest: ((record: RequestRecord) => void) | undefined;

  constructor(ctx: ModelContext, balancer: Balancer, queues: BalancerQueues, connections: Connections) {
    this.#ctx = ctx;
    this.#onRequest = ctx.onRequest;
    this.#engine = ctx.engine;
    this.#requests = ctx.requests;
    this.#servers = ctx.servers;
    this.#metrics = ctx.metrics;
    this.#cursor = ctx.cursor;
    this.#frontends = ctx.frontends;
    this.#balancer = balancer;
    this.#queues = queues;
    this.#connections = connections;
    this.#abortOnClose = ctx.topology.backends[balancer.index]!.spec.abortonclose === true;
  }

  /**
   * The one end of every request, whatever ended it: a response (jobDone), a 5xx of the balancer
   * (503 SC/SQ/sC), a timeout (sQ, sH), a crash cutting it (SH), its client giving up (C?, with
   * abortonclose or in a frontend's backlog). In this order, which Results and traces depend on:
   *  1. its timers stop and it leaves its place: a queue (counted off by connections.ts), the
   *     frontend's backlog or connection count; its phase becomes Done;
   *  2. `metrics.finished`: the Results' counts, latencies and series (for a request whose client
   *     gave up earlier, `#gaveUp` did it then: `metrics.gaveUpEnded` instead);
   *  3. `ctx.onRequest`: the per-request record (`--trace`, `--log`), with the counts as of step 1;
   *  4. `ctx.clients.finished`: a closed-loop user thinks and sends again, a client retry is planned
   *     (not again for a request whose client gave up: `#gaveUp` told it);
   *  5. its table slot is freed, unless a server still works on it (the job's end frees it then);
   *  6. its server slot is released (connections.ts) and that server takes its next queued request;
   *  7. its frontend accepts the next request of its backlog.
   */
  finish(slot: number, status: number, termination: Termination): void {
    const r = this.#requests;
    const phase = r.ints[slot + I.phase]!;
    const serverIndex = r.ints[slot + I.server]!;
    const server = serverIndex >= 0 ? this.#servers[serverIndex] : undefined;
    const assigned =
      phase === Phase.Connecting || phase === Phase.TurnAround || phase === Phase.AwaitingResponse;
    this.#leave(slot, phase, server);
    // A request whose client gave up (gaveUp) was counted and told to its client then: HAProxy's
    // end adds only its own view (metrics.gaveUpEnded) and the record.
    const gaveUp = !Number.isNaN(r.nums[slot + N.gaveUpAtMs]!);
    if (gaveUp)
      this.#metrics.gaveUpEnded(r.nums[slot + N.arrivalMs]!, termination, server, this.#balancer.index);
    else
      this.#metrics.finished(
        r.nums[slot + N.arrivalMs]!,
        this.#engine.nowMs,
        status,
        termination,
        r.nums[slot + N.queueMs]!,
        server,
        r.ints[slot + I.retries]! > 0,
        r.ints[slot + I.redispatched] === 1,
        this.#balancer.index,
      );
    if (this.#onRequest !== undefined) this.#record(slot, status, termination, phase, server, assigned);
    if (!gaveUp) this.#ctx.clients.finished(slot, status === -1 || status >= 500);
    if (r.ints[slot + I.jobActive] === 0) r.release(slot);
    if (assigned && server !== undefined) {
      this.#connections.release(server);
      this.#balancer.serverFreed(server);
    }
    if (phase !== Phase.Frontend) this.#frontends.admitAfter(slot);
  }

  /** Step 1: timers stopped, out of its queue or backlog, counted off its frontend. */
  #leave(slot: number, phase: number, server: Server | undefined): void {
    const r = this.#requests;
    const engine = this.#engine;
    if (!Number.isNaN(r.nums[slot + N.clientTimer]!)) engine.cancel(r.nums[slot + N.clientTimer]!);
    r.nums[slot + N.clientTimer] = Number.NaN;
    if (!Number.isNaN(r.nums[slot + N.phaseTimer]!)) engine.cancel(r.nums[slot + N.phaseTimer]!);
    r.nums[slot + N.phaseTimer] = Number.NaN;
    this.#queues.finished(slot, phase, server, engine.nowMs);
    r.ints[slot + I.phase] = Phase.Done;
    this.#frontends.ended(slot, phase);
  }

  /** Step 3: the request's record for the caller's `onRequest`. */
  #record(
    slot: number,
    status: number,
    termination: Termination,
    phase: number,
    server: Server | undefined,
    assigned: boolean,
  ): void {
    const r = this.#requests;
    const frontends = this.#frontends;
    const balancer = this.#balancer;
    this.#cursor.slot = slot;
    // Counted off its frontend in step 1: the log's connection counts include the request itself.
    const own = phase !== Phase.Frontend ? 1 : 0;
    const name = this.#ctx.clients.nameOf(slot);
    this.#onRequest!(
      requestRecord(r, slot, this.#cursor, name, this.#engine.nowMs, status, termination, {
        server,
        servers: this.#servers,
        backend: balancer.index,
        backendQueue: this.#queues.backend.length,
        frontendConnections: frontends.connectionsOf(slot) + own,
        processConnections: frontends.processConnectionsOf(slot) + own,
        frontend: frontends.names[r.ints[slot + I.frontend]!]!,
        backendName: balancer.name,
        unrouted: balancer.unrouted,
        assigned,
        ...(this.#ctx.scenario.balancers === undefined
          ? {}
          : { instance: this.#ctx.topology.backends[balancer.index]!.instance }),
      }),
    );
  }

  queueTimedOut(slot: number): void {
    this.#requests.nums[slot + N.phaseTimer] = Number.NaN;
    this.finish(slot, 503, Termination.sQ);
  }

  serverTimedOut(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    const server = this.#servers[r.ints[slot + I.server]!]!;
    server.responseErrors++;
    if (server.observeMode === "layer7") this.#balancer.onObserve(server, true);
    this.finish(slot, 504, Termination.sH);
  }

  /**
   * The client's `timeout`: it closes its connection. HAProxy 2.6.12 (measured, docs/haproxy-model.md "A client that gives up")
   * does not notice a client that closes after sending a complete GET, unless `option
   * abortonclose` is in `defaults` or a `listen` section: the request stays where it is and is
   * served, logged `200 ----`. So the client's view ends here (`gaveUp`) and HAProxy's goes on to
   * `finish`. Still in a frontend's backlog (not accepted yet), or with `abortonclose`, it ends now.
   */
  clientTimedOut(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.clientTimer] = Number.NaN;
    const phase = r.ints[slot + I.phase]!;
    if (phase === Phase.Frontend || this.#abortOnClose) {
      this.finish(slot, -1, clientTimeoutTermination(phase));
      return;
    }
    this.#gaveUp(slot, phase);
  }

  /**
   * The client's view of a request it gave up on, now: a failure with status -1 and the phase it
   * was in (CQ, CC, CH) in the Results, its latency the time it waited; its client retries or
   * thinks. The request itself stays with HAProxy: its queue, its server slot, its job.
   */
  #gaveUp(slot: number, phase: number): void {
    const r = this.#requests;
    const nowMs = this.#engine.nowMs;
    r.nums[slot + N.gaveUpAtMs] = nowMs;
    const serverIndex = r.ints[slot + I.server]!;
    // Queued now: the wait so far is the client's; HAProxy's Tw grows on until it leaves the queue.
    const queued = phase === Phase.BackendQueue || phase === Phase.ServerQueue;
    const termination = clientTimeoutTermination(phase);
    const queueMs = r.nums[slot + N.queueMs]! + (queued ? nowMs - r.nums[slot + N.queueSinceMs]! : 0);
    r.ints[slot + I.gaveUpTermination] = termination;
    r.nums[slot + N.gaveUpQueueMs] = queueMs;
    this.#metrics.finished(
      r.nums[slot + N.arrivalMs]!,
      nowMs,
      -1,
      termination,
      queueMs,
      serverIndex >= 0 ? this.#servers[serverIndex] : undefined,
      r.ints[slot + I.retries]! > 0,
      r.ints[slot + I.redispatched] === 1,
      this.#balancer.index,
    );
    this.#ctx.clients.finished(slot, true);
  }
}
