// Connection accounting for one backend: the only writer of `served` and `queued` per server, of the
// servers' and the backend's queue membership, and of the strategy's taken/released that follow them.
//
// Everything else reads (`server.view.served/queued`, `backendQueue.length`, `server.queue.length`):
// the strategies, the snapshot, a rolling upgrade waiting for an idle server. Each write adds up its
// time integral first (Σ served·dt, Σ queued·dt, the backend queue's area), so they always balance.
import type { Strategy } from "../../strategies/types.js";
import type { Engine } from "../engine.js";
import type { ModelContext } from "./context.js";
import type { Metrics } from "./metrics.js";
import { WaitQueue } from "./queue.js";
import type { Server } from "./server.js";

export class Connections {
  /** Requests waiting for any server of the backend (haproxy-semantics.md §1). */
  readonly backendQueue = new WaitQueue();
  readonly #engine: Engine;
  readonly #metrics: Metrics;
  readonly #backend: number;
  // Not readonly: a timeline `balance` switch replaces them (switchStrategies).
  #active: Strategy;
  #backup: Strategy;

  constructor(ctx: ModelContext, backend: number, strategies: { active: Strategy; backup: Strategy }) {
    this.#engine = ctx.engine;
    this.#metrics = ctx.metrics;
    this.#backend = backend;
    this.#active = strategies.active;
    this.#backup = strategies.backup;
  }

  /** A request takes a connection slot on `server` (served + 1): assigned, connecting or served. */
  take(server: Server): void {
    server.accumulate(this.#engine.nowMs);
    const view = server.view;
    view.served++;
    if (view.served > server.maxInFlight) server.maxInFlight = view.served;
    if (server.shared) allServed(server.station, 1);
    this.#strategyOf(server).taken(view);
  }

  /** A request lets go of its slot on `server` (served − 1): ended, or off to another server. */
  release(server: Server): void {
    server.accumulate(this.#engine.nowMs);
    const view = server.view;
    view.served--;
    if (server.shared) allServed(server.station, -1);
    this.#strategyOf(server).released(view);
  }

  /** A request joins `server`'s own queue (queued + 1), which the strategy counts as taken (§1). */
  enqueueServer(server: Server, slot: number, ticket: number): void {
    server.queue.push(slot, ticket);
    server.queueChanging(this.#engine.nowMs);
    server.view.queued++;
    if (server.shared) allQueued(server.station, 1);
    this.#strategyOf(server).taken(server.view);
  }

  /** The head of `server`'s queue is taken by a freed slot; the caller then calls `leftServerQueue`. */
  shiftServerQueue(server: Server): void {
    server.queue.shift();
  }

  /** Moves the live members of `server`'s queue into `out`, oldest first; each then `leftServerQueue`. */
  drainServerQueue(server: Server, isMember: (slot: number, order: number) => boolean, out: number[]): void {
    server.queue.drain(isMember, out);
  }

  /** A request out of `server`'s queue membership leaves its count (queued − 1). `ended`: it finished queued. */
  leftServerQueue(server: Server, ended = false): void {
    if (ended) server.queue.removed();
    server.queueChanging(this.#engine.nowMs);
    server.view.queued--;
    if (server.shared) allQueued(server.station, -1);
    this.#strategyOf(server).released(server.view);
  }

  /** A request joins the backend queue; the most ever queued is kept for Results. */
  enqueueBackend(slot: number, ticket: number): void {
    const queue = this.backendQueue;
    const metrics = this.#metrics;
    metrics.backendQueueChanging(this.#engine.nowMs, queue.length, this.#backend);
    queue.push(slot, ticket);
    if (queue.length > metrics.maxBackendQueue) metrics.maxBackendQueue = queue.length;
    // Per backend and per balancer instance when Results have them (this backend is i·perInstance + b).
    const tallies = metrics.backends;
    const tally = tallies?.[this.#backend % tallies.length];
    if (tally !== undefined && queue.length > tally.maxQueue) tally.maxQueue = queue.length;
    const own = metrics.instances?.[metrics.instanceOf(this.#backend)];
    if (own !== undefined && queue.length > own.maxQueue) own.maxQueue = queue.length;
  }

  /** The head of the backend queue is taken by a freed server. */
  shiftBackendQueue(): void {
    this.#metrics.backendQueueChanging(this.#engine.nowMs, this.backendQueue.length, this.#backend);
    this.backendQueue.shift();
  }

  /** A request finished while in the backend queue (expired, or its client gave up). */
  endedInBackendQueue(): void {
    this.#metrics.backendQueueChanging(this.#engine.nowMs, this.backendQueue.length, this.#backend);
    this.backendQueue.removed();
  }

  /** The backend's algorithm from now on (a timeline `balance` switch, backend-switch.ts). */
  switchStrategies(strategies: { active: Strategy; backup: Strategy }): void {
    this.#active = strategies.active;
    this.#backup = strategies.backup;
  }

  #strategyOf(server: Server): Strategy {
    return server.isBackup ? this.#backup : this.#active;
  }
}

/** Several instances: every instance's connections to the server, and the most at once (Results' totals). */
function allServed(station: Server, change: number): void {
  station.allServed += change;
  if (station.allServed > station.maxAllServed) station.maxAllServed = station.allServed;
}

function allQueued(station: Server, change: number): void {
  station.allQueued += change;
  if (station.allQueued > station.maxAllQueued) station.maxAllQueued = station.allQueued;
}
