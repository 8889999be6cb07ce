// The end of a request: its timeouts, its outcome recorded, its timers and queue place dropped, its server freed.

import type { Engine } from "../engine.js";
import type { Balancer } from "./balancer.js";
import type { BalancerQueues } from "./balancer-queues.js";
import type { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import type { Frontends } from "./frontends.js";
import { type Metrics, Termination } from "./metrics.js";
import type { RequestCursor } from "./request-cursor.js";
import { requestRecord } from "./request-record.js";
import { Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";

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

  constructor(ctx: ModelContext, balancer: Balancer, queues: BalancerQueues, connections: Connections) {
    this.#engine = ctx.engine;
    this.#requests = ctx.requests;
    this.#servers = ctx.servers;
    this.#metrics = ctx.metrics;
    this.#cursor = ctx.cursor;
    this.#frontends = ctx.frontends;
    this.#balancer = balancer;
    this.#queues = queues;
    this.#connections = connections;
  }

  finish(slot: number, status: number, termination: Termination): void {
    const r = this.#requests;
    const engine = this.#engine;
    const balancer = this.#balancer;
    const frontends = this.#frontends;
    const now = engine.nowMs;
    const phase = r.phase[slot]!;
    if (!Number.isNaN(r.clientTimer[slot]!)) engine.cancel(r.clientTimer[slot]!);
    r.clientTimer[slot] = Number.NaN;
    if (!Number.isNaN(r.phaseTimer[slot]!)) engine.cancel(r.phaseTimer[slot]!);
    r.phaseTimer[slot] = Number.NaN;
    const serverIndex = r.server[slot]!;
    const server = serverIndex >= 0 ? this.#servers[serverIndex] : undefined;
    this.#queues.finished(slot, phase, server, now);
    const assigned =
      phase === Phase.Connecting || phase === Phase.TurnAround || phase === Phase.AwaitingResponse;
    r.phase[slot] = Phase.Done;
    frontends.ended(slot, phase);

    const retried = r.retries[slot]! > 0;
    const redispatched = r.redispatched[slot] === 1;
    this.#metrics.finished(
      r.arrivalMs[slot]!,
      now,
      status,
      termination,
      r.queueMs[slot]!,
      server,
      retried,
      redispatched,
      balancer.index,
    );
    if (frontends.onRequest !== undefined) {
      this.#cursor.slot = slot;
      const own = phase !== Phase.Frontend ? 1 : 0;
      frontends.onRequest(
        requestRecord(r, slot, this.#cursor, frontends.clientName(slot), engine.nowMs, status, termination, {
          server,
          servers: this.#servers,
          backend: balancer.index,
          backendQueue: this.#queues.backend.length,
          frontendConnections: frontends.connectionsOf(slot) + own,
          processConnections: frontends.total + own,
          frontend: frontends.names[r.frontend[slot]!]!,
          backendName: balancer.name,
          unrouted: balancer.unrouted,
          assigned,
        }),
      );
    }
    frontends.onFinished(slot, status === -1 || status >= 500);
    if (r.jobActive[slot] === 0) r.release(slot);

    if (assigned && server !== undefined) {
      this.#connections.release(server);
      balancer.serverFreed(server);
    }
    if (phase !== Phase.Frontend) frontends.admitAfter(slot);
  }

  queueTimedOut(slot: number): void {
    this.#requests.phaseTimer[slot] = Number.NaN;
    this.finish(slot, 503, Termination.sQ);
  }

  serverTimedOut(slot: number): void {
    const r = this.#requests;
    r.phaseTimer[slot] = Number.NaN;
    const server = this.#servers[r.server[slot]!]!;
    server.responseErrors++;
    if (server.spec.observe?.mode === "layer7") this.#balancer.onObserve(server, true);
    this.finish(slot, 504, Termination.sH);
  }

  clientTimedOut(slot: number): void {
    this.#requests.clientTimer[slot] = Number.NaN;
    this.finish(slot, -1, clientTimeoutTermination(this.#requests.phase[slot]!));
  }
}
