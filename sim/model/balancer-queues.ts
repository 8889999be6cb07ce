// The balancer's waiting rooms: frontend backlog, backend queue and server queues (haproxy-semantics.md §1).
//
// Membership is the request's phase plus its `queueOrder` ticket (see queue.ts); the counts
// (`queued`, the queues' lengths) are written by connections.ts only. The balancer owns what happens
// to a request once it leaves a queue (take, connect, pick again).
import type { BackendSpec } from "../../scenarios/types.js";
import type { Engine } from "../engine.js";
import type { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import type { WaitQueue } from "./queue.js";
import { I, N, Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";

export class BalancerQueues {
  /** The backend queue (its membership and count are the connection accounting's). */
  readonly backend: WaitQueue;
  /** Requests a freed server took out of the backend queue (HAProxy's queue index, for %bq). */
  #backendDequeues = 0;

  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #servers: ReadonlyArray<Server>;
  readonly #connections: Connections;
  readonly #backendSpec: BackendSpec;
  readonly #queueLane: number;

  /** `queueLane`: the engine's lane of `timeout queue`, −1 when it is infinite. */
  constructor(ctx: ModelContext, index: number, connections: Connections, queueLane: number) {
    this.#engine = ctx.engine;
    this.#requests = ctx.requests;
    this.#servers = ctx.servers;
    this.#connections = connections;
    this.#backendSpec = ctx.topology.backends[index]!.spec;
    this.#queueLane = queueLane;
    this.backend = connections.backendQueue;
  }

  enqueueBackend(slot: number): void {
    const r = this.#requests;
    r.ints[slot + I.phase] = Phase.BackendQueue;
    r.nums[slot + N.queueSinceMs] = this.#engine.nowMs;
    const ticket = ++r.lastTicket;
    r.nums[slot + N.queueOrder] = ticket;
    r.nums[slot + N.queueEntryCount] = this.#backendDequeues;
    this.#connections.enqueueBackend(slot, ticket);
    if (this.#queueLane >= 0) r.nums[slot + N.phaseTimer] = this.#engine.arm(this.#queueLane, slot);
  }

  enqueueServer(slot: number, server: Server): void {
    const r = this.#requests;
    r.ints[slot + I.phase] = Phase.ServerQueue;
    r.ints[slot + I.server] = server.index;
    r.nums[slot + N.queueSinceMs] = this.#engine.nowMs;
    const ticket = ++r.lastTicket;
    r.nums[slot + N.queueOrder] = ticket;
    r.nums[slot + N.queueEntryCount] = server.queueDequeues;
    this.#connections.enqueueServer(server, slot, ticket);
    if (this.#queueLane >= 0) r.nums[slot + N.phaseTimer] = this.#engine.arm(this.#queueLane, slot);
  }

  /**
   * Takes the request a freed slot on `server` serves next, or returns −1: the older head of its own
   * queue or of the backend queue (§1). A request from the backend queue is assigned to `server`.
   */
  next(server: Server, activeUsable: number, cameUp: boolean): number {
    const view = server.view;
    if (view.maxconn > 0 && view.served >= view.maxconn) return -1;
    // Without maxconn a server takes from the backend queue only as it comes up: HAProxy's
    // process_srv_queue serves while served < maxconn, which 0 never allows (measured on 2.6.12).
    if (view.maxconn === 0 && !cameUp) return -1;
    const own = server.queue.peek(this.#isQueuedOn);
    const shared =
      server.usable && view.effectiveWeight > 0 && this.#servesBackendQueue(server, activeUsable)
        ? this.backend.peek(this.#isInBackendQueue)
        : -1;
    if (own < 0 && shared < 0) return -1;
    if (own >= 0 && (shared < 0 || server.queue.headOrder() < this.backend.headOrder())) {
      this.#connections.shiftServerQueue(server);
      // A server coming up takes its queue at once (pendconn_grab): not an ordinary dequeue.
      this.leaveServerQueue(own, server, !cameUp);
      return own;
    }
    this.#connections.shiftBackendQueue();
    this.#leftBackendQueue(shared, !cameUp);
    this.#leaveQueue(shared);
    this.#requests.ints[shared + I.server] = server.index;
    return shared;
  }

  /** Moves the live members of `server`'s queue into `out`, oldest first; each must then leave it. */
  drainServer(server: Server, out: number[]): void {
    this.#connections.drainServerQueue(server, this.#isQueuedOn, out);
  }

  /**
   * The request, already out of `server`'s queue membership, leaves it: wait, timer, `queued`, %sq.
   * `dequeued`: taken by a freed slot (an ordinary dequeue, which the next ones' %sq count).
   */
  leaveServerQueue(slot: number, server: Server, dequeued = false): void {
    const r = this.#requests;
    r.ints[slot + I.serverQueuePos] =
      r.ints[slot + I.serverQueuePos]! + server.queueDequeues - r.nums[slot + N.queueEntryCount]! + 1;
    if (dequeued) server.queueDequeues++;
    this.#leaveQueue(slot);
    this.#connections.leftServerQueue(server);
  }

  /** A request finishes in `phase`: if that is a queue, it leaves it, its wait counted up to now. */
  finished(slot: number, phase: number, server: Server | undefined, nowMs: number): void {
    const r = this.#requests;
    if (phase === Phase.BackendQueue) {
      this.#connections.endedInBackendQueue();
      this.#leftBackendQueue(slot, false);
      r.nums[slot + N.queueMs] = r.nums[slot + N.queueMs]! + (nowMs - r.nums[slot + N.queueSinceMs]!);
    } else if (phase === Phase.ServerQueue && server !== undefined) {
      r.ints[slot + I.serverQueuePos] =
        r.ints[slot + I.serverQueuePos]! + server.queueDequeues - r.nums[slot + N.queueEntryCount]! + 1;
      this.#connections.leftServerQueue(server, true);
      r.nums[slot + N.queueMs] = r.nums[slot + N.queueMs]! + (nowMs - r.nums[slot + N.queueSinceMs]!);
    }
  }

  /**
   * HAProxy's `process_srv_queue`: a backup takes from the backend queue only while no active server
   * is usable, and without `option allbackups` only the first usable backup does.
   */
  #servesBackendQueue(server: Server, activeUsable: number): boolean {
    if (!server.spec.backup) return true;
    if (activeUsable > 0) return false;
    if (this.#backendSpec.allbackups) return true;
    for (const s of this.#servers)
      if (s.backend === server.backend && s.spec.backup && s.usable) return s === server;
    return false;
  }

  /**
   * %bq as HAProxy logs it (measured on 2.6.12): 1 + the requests a freed server took out of the
   * backend queue while this one waited; expiring, giving up or being taken by a server coming up
   * leaves the count for the others as it is.
   */
  #leftBackendQueue(slot: number, dequeued: boolean): void {
    const r = this.#requests;
    r.ints[slot + I.backendQueuePos] =
      r.ints[slot + I.backendQueuePos]! + this.#backendDequeues - r.nums[slot + N.queueEntryCount]! + 1;
    if (dequeued) this.#backendDequeues++;
  }

  /** The request leaves a queue (not the membership bookkeeping): account its wait, stop its timer. */
  #leaveQueue(slot: number): void {
    const r = this.#requests;
    const waitedMs = this.#engine.nowMs - r.nums[slot + N.queueSinceMs]!;
    r.nums[slot + N.queueMs] = r.nums[slot + N.queueMs]! + waitedMs;
    // Back in a queue after a failed attempt (redispatch): that wait is Tw, not Tc (§6 timers add up).
    if (r.nums[slot + N.connectSinceMs]! >= 0)
      r.nums[slot + N.connectSinceMs] = r.nums[slot + N.connectSinceMs]! + waitedMs;
    r.nums[slot + N.queueOrder] = -1;
    const timer = r.nums[slot + N.phaseTimer]!;
    if (!Number.isNaN(timer)) this.#engine.cancel(timer);
    r.nums[slot + N.phaseTimer] = Number.NaN;
  }

  readonly #isQueuedOn = (slot: number, order: number): boolean =>
    this.#requests.ints[slot + I.phase] === Phase.ServerQueue &&
    this.#requests.nums[slot + N.queueOrder] === order;

  readonly #isInBackendQueue = (slot: number, order: number): boolean =>
    this.#requests.ints[slot + I.phase] === Phase.BackendQueue &&
    this.#requests.nums[slot + N.queueOrder] === order;
}
