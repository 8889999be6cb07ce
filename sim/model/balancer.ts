// The balancer's request path: frontend, pick, queues, connect, retries and redispatch, timeouts.
//
// Follows haproxy-semantics.md §1 ("Queueing") and §2 step by step; the section is cited where a
// line reproduces a specific HAProxy rule.
import type { BackendSpec } from "../../scenarios/types.js";
import type { Strategy } from "../../strategies/types.js";
import type { Engine } from "../engine.js";
import type { RandomStream } from "../random.js";
import type { RequestRecord } from "../run-types.js";
import { Kind } from "./kinds.js";
import { type Metrics, Termination } from "./metrics.js";
import { WaitQueue } from "./queue.js";
import type { RequestCursor } from "./request-cursor.js";
import { requestRecord } from "./request-record.js";
import { Phase, type RequestTable } from "./requests.js";
import { Fault, type Server } from "./server.js";
import type { Service } from "./service.js";

/** Called when a request has finished on the client side (for closed-loop users and client retries). */
export type FinishedListener = (slot: number, failed: boolean) => void;

/** Passive health checking hook (`observe`): true = an error was seen. */
export type ObserveListener = (server: Server, error: boolean) => void;

/** Turn-around before a same-server retry: min(timeout connect, 1 s) (haproxy-semantics.md §2 4.3). */
const TURN_AROUND_CAP_MS = 1000;

export class Balancer {
  readonly backendQueue = new WaitQueue();
  frontendActive = 0;
  readonly #frontendBacklog = new WaitQueue();
  #admitting = false;
  #order = 0;

  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #servers: ReadonlyArray<Server>;
  readonly #active: Strategy;
  readonly #backup: Strategy;
  readonly #service: Service;
  readonly #metrics: Metrics;
  readonly #backend: BackendSpec;
  readonly #frontendMaxconn: number;
  readonly #errors: ReadonlyArray<RandomStream>;
  readonly #cursor: RequestCursor;
  readonly #connectLane: number;
  readonly #serverLane: number;
  readonly #queueLane: number;
  readonly #turnAroundMs: number;
  /** 1 while `serverFreed` runs for the server (see there). */
  readonly #freeing: Uint8Array;
  activeUsable = 0;
  backupUsable = 0;
  onFinished: FinishedListener = () => {};
  onObserve: ObserveListener = () => {};
  onRequest: ((record: RequestRecord) => void) | undefined;
  clientName: (slot: number) => string = () => "";

  constructor(
    engine: Engine,
    requests: RequestTable,
    servers: ReadonlyArray<Server>,
    strategies: { active: Strategy; backup: Strategy },
    service: Service,
    metrics: Metrics,
    backend: BackendSpec,
    frontendMaxconn: number,
    errors: ReadonlyArray<RandomStream>,
    cursor: RequestCursor,
  ) {
    this.#engine = engine;
    this.#requests = requests;
    this.#servers = servers;
    this.#active = strategies.active;
    this.#backup = strategies.backup;
    this.#service = service;
    this.#metrics = metrics;
    this.#backend = backend;
    this.#frontendMaxconn = frontendMaxconn;
    this.#errors = errors;
    this.#cursor = cursor;
    this.#freeing = new Uint8Array(servers.length);
    const { connectMs, serverMs, queueMs } = backend.timeout;
    this.#connectLane = Number.isFinite(connectMs) ? engine.lane(connectMs, Kind.ConnectTimeout) : -1;
    this.#serverLane = Number.isFinite(serverMs) ? engine.lane(serverMs, Kind.ServerTimeout) : -1;
    this.#queueLane = Number.isFinite(queueMs) ? engine.lane(queueMs, Kind.QueueTimeout) : -1;
    this.#turnAroundMs = Math.min(connectMs, TURN_AROUND_CAP_MS);
    engine.on(Kind.QueueTimeout, (slot) => this.#queueTimeout(slot));
    engine.on(Kind.ConnectTimeout, (slot) => this.#connectFailed(slot, false));
    engine.on(Kind.ServerTimeout, (slot) => this.#serverTimeout(slot));
    engine.on(Kind.TurnAround, (slot) => this.#connect(slot, this.#servers[this.#requests.server[slot]!]!));
    engine.on(Kind.ClientTimeout, (slot) => this.#clientTimeout(slot));
  }

  /** A new request reaches the frontend. */
  arrive(slot: number): void {
    if (this.#frontendMaxconn > 0 && this.frontendActive >= this.#frontendMaxconn) {
      const r = this.#requests;
      r.phase[slot] = Phase.Frontend;
      r.queueOrder[slot] = ++this.#order;
      this.#frontendBacklog.push(slot, this.#order);
      return;
    }
    this.frontendActive++;
    this.#assign(slot, -1);
  }

  /** A server's job is done: deliver the response if the request still waits for it on that server. */
  jobDone(server: Server, slot: number): void {
    const r = this.#requests;
    if (r.phase[slot] === Phase.Done) {
      r.release(slot);
      return;
    }
    if (r.phase[slot] !== Phase.AwaitingResponse || r.server[slot] !== server.index || server.partitioned)
      return;
    const errorRate = server.errorRate;
    const status = errorRate > 0 && this.#errors[server.index]!.next() < errorRate ? 500 : 200;
    const responseMs = this.#engine.nowMs - r.connectedAtMs[slot]!;
    const view = server.view;
    view.observedResponseMs =
      view.observedResponseMs === 0 ? responseMs : 0.9 * view.observedResponseMs + 0.1 * responseMs;
    (server.spec.backup ? this.#backup : this.#active).observed?.(view, responseMs);
    if (status >= 500) server.serverErrors++;
    if (server.spec.observe?.mode === "layer7") this.onObserve(server, status >= 500);
    this.#finish(slot, status, Termination.Normal);
  }

  /** A crash cuts every request awaiting a response on the server: 502 `SH` (DESIGN.md "Failure modes"). */
  crashCut(server: Server): void {
    const r = this.#requests;
    const cut: number[] = [];
    r.forEachOpen((slot) => {
      if (r.phase[slot] === Phase.AwaitingResponse && r.server[slot] === server.index) cut.push(slot);
    });
    for (const slot of cut) {
      server.responseErrors++;
      if (server.spec.observe?.mode === "layer7") this.onObserve(server, true);
      this.#finish(slot, 502, Termination.SH);
    }
  }

  /**
   * The server's usability changed (or may have): tell its strategy, and move queued requests
   * (haproxy-semantics.md §1, §4.4).
   */
  usabilityChanged(server: Server, nowUsable: boolean): void {
    if (server.usable === nowUsable) return;
    server.usable = nowUsable;
    const strategy = server.spec.backup ? this.#backup : this.#active;
    if (nowUsable) {
      if (server.spec.backup) this.backupUsable++;
      else this.activeUsable++;
      strategy.serverUp(server.view);
      this.serverFreed(server);
      return;
    }
    if (server.spec.backup) this.backupUsable--;
    else this.activeUsable--;
    strategy.serverDown(server.view);
    // Its own queue goes back to the balancer only with `option redispatch` (§1, §4.4).
    if (this.#backend.redispatch !== null && server.queue.length > 0) {
      const moved: number[] = [];
      server.queue.drain(this.#isQueuedOn, moved);
      for (const slot of moved) {
        this.#leaveQueue(slot);
        server.view.queued--;
        strategy.released(server.view);
        // Out of the queue: a 503 from #assign must not dequeue it a second time.
        this.#requests.phase[slot] = Phase.Pending;
        this.#assign(slot, -1);
      }
    }
  }

  /** The server's effective weight changed while it stays usable. */
  weightChanged(server: Server): void {
    (server.spec.backup ? this.#backup : this.#active).weightChanged(server.view);
    this.serverFreed(server);
  }

  /** A crash or hang dropped the server's job for `slot`: a finished request's slot can go. */
  jobDropped(slot: number): void {
    if (this.#requests.phase[slot] === Phase.Done) this.#requests.release(slot);
  }

  /** A slot may have freed on `server`: serve the older head of its own queue or the backend queue (§1). */
  serverFreed(server: Server): void {
    // A dequeued request can finish at once (refused, no retries) and free the slot again: the
    // running loop serves the next one, rather than a recursion as deep as the queue.
    if (this.#freeing[server.index] === 1) return;
    this.#freeing[server.index] = 1;
    this.#serveQueues(server);
    this.#freeing[server.index] = 0;
  }

  #serveQueues(server: Server): void {
    const view = server.view;
    const r = this.#requests;
    for (;;) {
      if (view.maxconn > 0 && view.served >= view.maxconn) return;
      const own = server.queue.peek(this.#isQueuedOn);
      const shared =
        server.usable && view.effectiveWeight > 0 && this.#servesBackendQueue(server)
          ? this.backendQueue.peek(this.#isInBackendQueue)
          : -1;
      if (own < 0 && shared < 0) return;
      const strategy = server.spec.backup ? this.#backup : this.#active;
      if (own >= 0 && (shared < 0 || server.queue.headOrder() < this.backendQueue.headOrder())) {
        server.queue.shift();
        this.#leaveQueue(own);
        view.queued--;
        strategy.released(view);
        this.#take(own, server);
        this.#connect(own, server);
      } else {
        this.#metrics.backendQueueChanging(this.#engine.nowMs, this.backendQueue.length);
        this.backendQueue.shift();
        this.#leaveQueue(shared);
        r.server[shared] = server.index;
        this.#take(shared, server);
        this.#connect(shared, server);
      }
    }
  }

  /**
   * HAProxy's `process_srv_queue`: a backup takes from the backend queue only while no active server
   * is usable, and without `option allbackups` only the first usable backup does.
   */
  #servesBackendQueue(server: Server): boolean {
    if (!server.spec.backup) return true;
    if (this.activeUsable > 0) return false;
    if (this.#backend.allbackups) return true;
    for (const s of this.#servers) if (s.spec.backup && s.usable) return s === server;
    return false;
  }

  // --- the request path -------------------------------------------------------------------------

  /**
   * Step 2 of §2: choose a server (avoiding `avoid` on a redispatch), then connect, queue, or 503.
   * Returns true only when a redispatch pick could return nothing but the failed server itself:
   * the request is assigned to it again and the caller retries it as a same-server retry (§2 4.4).
   */
  #assign(slot: number, avoid: number): boolean {
    const useActive = this.activeUsable > 0;
    if (!useActive && this.backupUsable === 0) {
      this.#finish(slot, 503, Termination.SC);
      return false;
    }
    const strategy = useActive ? this.#active : this.#backup;
    if (strategy.queueWhenBacklogged && avoid < 0 && this.backendQueue.length > 0) {
      this.#enqueueBackend(slot);
      return false;
    }
    this.#cursor.slot = slot;
    const avoidView = avoid >= 0 ? this.#servers[avoid]!.view : undefined;
    const view = strategy.pick(this.#cursor, avoidView);
    if (view === undefined) {
      this.#enqueueBackend(slot);
      return false;
    }
    const server = this.#servers[view.index]!;
    server.picks++;
    const full = view.maxconn > 0 && (view.served >= view.maxconn || view.queued > 0);
    if (avoid >= 0) {
      const failed = this.#servers[avoid]!;
      if (view.index === avoid) {
        failed.retries++;
        // A full server (leastconn counts maxqueue in) queues the request instead (§1).
        if (!full) {
          this.#take(slot, server);
          return true;
        }
      } else {
        failed.redispatches++;
        this.#requests.redispatched[slot] = 1;
      }
    }
    if (full) {
      // Only hash lookups return a full server: it queues the request itself (§1).
      if (view.maxqueue > 0 && view.queued >= view.maxqueue) {
        this.#requests.server[slot] = view.index;
        this.#finish(slot, 503, Termination.SQ);
        return false;
      }
      this.#enqueueServer(slot, server);
      return false;
    }
    this.#take(slot, server);
    this.#connect(slot, server);
    return false;
  }

  #take(slot: number, server: Server): void {
    const r = this.#requests;
    r.server[slot] = server.index;
    r.phase[slot] = Phase.Connecting;
    server.accumulate(this.#engine.nowMs);
    const view = server.view;
    view.served++;
    if (view.served > server.maxInFlight) server.maxInFlight = view.served;
    (server.spec.backup ? this.#backup : this.#active).taken(view);
  }

  /** Step 3: a connection attempt to the server the request is assigned to. */
  #connect(slot: number, server: Server): void {
    const r = this.#requests;
    const now = this.#engine.nowMs;
    if (r.connectSinceMs[slot]! < 0) r.connectSinceMs[slot] = now;
    server.attempts++;
    if (server.fault === Fault.Crashed) {
      r.phase[slot] = Phase.Connecting;
      this.#connectFailed(slot, true);
      return;
    }
    if (server.partitioned) {
      r.phase[slot] = Phase.Connecting;
      if (this.#connectLane >= 0) r.phaseTimer[slot] = this.#engine.arm(this.#connectLane, slot);
      return;
    }
    r.phase[slot] = Phase.AwaitingResponse;
    r.connectedAtMs[slot] = now;
    if (this.#serverLane >= 0) r.phaseTimer[slot] = this.#engine.arm(this.#serverLane, slot);
    if (server.spec.observe?.mode === "layer4") this.onObserve(server, false);
    // A hung server accepts the connection and never answers (DESIGN.md "Failure modes").
    if (server.fault !== Fault.Hung) this.#service.start(server, slot);
  }

  /** Step 4: a refused (`refused`) or timed-out connection attempt. */
  #connectFailed(slot: number, refused: boolean): void {
    const r = this.#requests;
    const server = this.#servers[r.server[slot]!]!;
    r.phaseTimer[slot] = Number.NaN;
    // HAProxy's HANA_STATUS_L4_ERR is an error for `observe layer4` and `layer7` alike.
    if (server.spec.observe !== null) this.onObserve(server, true);
    const retriesDone = r.retries[slot]!;
    const retries = this.#backend.retries;
    if (retriesDone >= retries) {
      server.connectErrors++;
      this.#finish(slot, 503, refused ? Termination.SC : Termination.sC);
      return;
    }
    const retry = retriesDone + 1;
    r.retries[slot] = retry;
    if (this.#shouldRedispatch(server, retry)) {
      // §2 4.4: back to the balancer, avoiding the failed server; immediate, no turn-around.
      this.#release(slot, server);
      if (this.#assign(slot, server.index)) this.#retrySame(slot, server, refused);
      return;
    }
    server.retries++;
    this.#retrySame(slot, server, refused);
  }

  /** Step 4.3: retry the same server, after the turn-around delay when the connection was refused. */
  #retrySame(slot: number, server: Server, refused: boolean): void {
    const r = this.#requests;
    if (!refused) {
      this.#connect(slot, server);
      return;
    }
    r.phase[slot] = Phase.TurnAround;
    r.phaseTimer[slot] = this.#engine.schedule(
      this.#engine.nowMs + this.#turnAroundMs,
      Kind.TurnAround,
      slot,
    );
  }

  /** Step 4.2: redispatch conditions (a), (b), (c). */
  #shouldRedispatch(server: Server, retry: number): boolean {
    const redispatch = this.#backend.redispatch;
    if (redispatch === null) return false;
    if (!server.usable) return true;
    const p = redispatch.interval;
    if (p > 0 && retry % p === 0) return true;
    if (p < 0) {
      const every = this.#backend.retries + 1 + p;
      if (every > 0 && retry % every === 0) return true;
    }
    // (c) counts active servers only (HAProxy's `srv_act > 1`): a backup is retried, not redispatched.
    const strategy = server.spec.backup ? this.#backup : this.#active;
    return !strategy.ignoresFullness && this.activeUsable > 1;
  }

  #enqueueBackend(slot: number): void {
    const r = this.#requests;
    this.#metrics.backendQueueChanging(this.#engine.nowMs, this.backendQueue.length);
    r.phase[slot] = Phase.BackendQueue;
    r.queueSinceMs[slot] = this.#engine.nowMs;
    r.queueOrder[slot] = ++this.#order;
    this.backendQueue.push(slot, this.#order);
    if (this.backendQueue.length > this.#metrics.maxBackendQueue)
      this.#metrics.maxBackendQueue = this.backendQueue.length;
    if (this.#queueLane >= 0) r.phaseTimer[slot] = this.#engine.arm(this.#queueLane, slot);
  }

  #enqueueServer(slot: number, server: Server): void {
    const r = this.#requests;
    r.phase[slot] = Phase.ServerQueue;
    r.server[slot] = server.index;
    r.queueSinceMs[slot] = this.#engine.nowMs;
    r.queueOrder[slot] = ++this.#order;
    server.queue.push(slot, this.#order);
    server.view.queued++;
    (server.spec.backup ? this.#backup : this.#active).taken(server.view);
    if (this.#queueLane >= 0) r.phaseTimer[slot] = this.#engine.arm(this.#queueLane, slot);
  }

  /** The request leaves a queue (not the membership bookkeeping): account its wait, stop its timer. */
  #leaveQueue(slot: number): void {
    const r = this.#requests;
    const waitedMs = this.#engine.nowMs - r.queueSinceMs[slot]!;
    r.queueMs[slot] = r.queueMs[slot]! + waitedMs;
    // Back in a queue after a failed attempt (redispatch): that wait is Tw, not Tc (§6 timers add up).
    if (r.connectSinceMs[slot]! >= 0) r.connectSinceMs[slot] = r.connectSinceMs[slot]! + waitedMs;
    r.queueOrder[slot] = -1;
    const timer = r.phaseTimer[slot]!;
    if (!Number.isNaN(timer)) this.#engine.cancel(timer);
    r.phaseTimer[slot] = Number.NaN;
  }

  readonly #isQueuedOn = (slot: number, order: number): boolean =>
    this.#requests.phase[slot] === Phase.ServerQueue && this.#requests.queueOrder[slot] === order;

  readonly #isInBackendQueue = (slot: number, order: number): boolean =>
    this.#requests.phase[slot] === Phase.BackendQueue && this.#requests.queueOrder[slot] === order;

  readonly #isInBacklog = (slot: number, order: number): boolean =>
    this.#requests.phase[slot] === Phase.Frontend && this.#requests.queueOrder[slot] === order;

  // --- timeouts ---------------------------------------------------------------------------------

  #queueTimeout(slot: number): void {
    this.#requests.phaseTimer[slot] = Number.NaN;
    this.#finish(slot, 503, Termination.sQ);
  }

  #serverTimeout(slot: number): void {
    const r = this.#requests;
    r.phaseTimer[slot] = Number.NaN;
    const server = this.#servers[r.server[slot]!]!;
    server.responseErrors++;
    if (server.spec.observe?.mode === "layer7") this.onObserve(server, true);
    this.#finish(slot, 504, Termination.sH);
  }

  #clientTimeout(slot: number): void {
    const r = this.#requests;
    r.clientTimer[slot] = Number.NaN;
    const phase = r.phase[slot]!;
    const termination =
      phase === Phase.AwaitingResponse
        ? Termination.CH
        : phase === Phase.Connecting || phase === Phase.TurnAround
          ? Termination.CC
          : phase === Phase.Frontend
            ? Termination.CR
            : Termination.CQ;
    this.#finish(slot, -1, termination);
  }

  // --- the end of a request ---------------------------------------------------------------------

  /** The assigned request lets go of `server` (served − 1), which may then serve a queued one. */
  #release(slot: number, server: Server): void {
    const view = server.view;
    server.accumulate(this.#engine.nowMs);
    view.served--;
    (server.spec.backup ? this.#backup : this.#active).released(view);
    this.#requests.phase[slot] = Phase.Pending;
    this.serverFreed(server);
  }

  #finish(slot: number, status: number, termination: Termination): void {
    const r = this.#requests;
    const engine = this.#engine;
    const now = engine.nowMs;
    const phase = r.phase[slot]!;
    if (!Number.isNaN(r.clientTimer[slot]!)) engine.cancel(r.clientTimer[slot]!);
    r.clientTimer[slot] = Number.NaN;
    if (!Number.isNaN(r.phaseTimer[slot]!)) engine.cancel(r.phaseTimer[slot]!);
    r.phaseTimer[slot] = Number.NaN;
    const serverIndex = r.server[slot]!;
    const server = serverIndex >= 0 ? this.#servers[serverIndex] : undefined;
    if (phase === Phase.BackendQueue) {
      this.#metrics.backendQueueChanging(now, this.backendQueue.length);
      this.backendQueue.removed();
      r.queueMs[slot] = r.queueMs[slot]! + (now - r.queueSinceMs[slot]!);
    } else if (phase === Phase.ServerQueue && server !== undefined) {
      server.queue.removed();
      server.view.queued--;
      (server.spec.backup ? this.#backup : this.#active).released(server.view);
      r.queueMs[slot] = r.queueMs[slot]! + (now - r.queueSinceMs[slot]!);
    } else if (phase === Phase.Frontend) {
      this.#frontendBacklog.removed();
    }
    const assigned =
      phase === Phase.Connecting || phase === Phase.TurnAround || phase === Phase.AwaitingResponse;
    r.phase[slot] = Phase.Done;
    if (phase !== Phase.Frontend) this.frontendActive--;

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
    );
    if (this.onRequest !== undefined) {
      this.#cursor.slot = slot;
      this.onRequest(
        requestRecord(r, slot, this.#cursor, this.clientName(slot), this.#engine.nowMs, status, termination, {
          server,
          servers: this.#servers,
          backendQueue: this.backendQueue.length,
          frontendConnections: this.frontendActive + (phase !== Phase.Frontend ? 1 : 0),
          assigned,
        }),
      );
    }
    this.onFinished(slot, status === -1 || status >= 500);
    if (r.jobActive[slot] === 0) r.release(slot);

    if (assigned && server !== undefined) {
      server.accumulate(now);
      server.view.served--;
      (server.spec.backup ? this.#backup : this.#active).released(server.view);
      this.serverFreed(server);
    }
    if (phase !== Phase.Frontend) this.#admitFromBacklog();
  }

  #admitFromBacklog(): void {
    // A request answered at once (503) finishes inside the loop and would admit the next one
    // recursively: the running loop does that instead, so the stack does not grow with the backlog.
    if (this.#admitting) return;
    this.#admitting = true;
    while (this.#frontendMaxconn === 0 || this.frontendActive < this.#frontendMaxconn) {
      const next = this.#frontendBacklog.peek(this.#isInBacklog);
      if (next < 0) break;
      this.#frontendBacklog.shift();
      this.#requests.queueOrder[next] = -1;
      // Accepted: no longer in the backlog, so finishing it counts it off `frontendActive`.
      this.#requests.phase[next] = Phase.Pending;
      this.frontendActive++;
      this.#assign(next, -1);
    }
    this.#admitting = false;
  }
}
