// The balancer's request path: frontend, pick, connect, retries and redispatch, and server events.
//
// Follows haproxy-semantics.md §1 ("Queueing") and §2 step by step; the section is cited where a
// line reproduces a specific HAProxy rule. The queues live in balancer-queues.ts, the redispatch
// decision in redispatch.ts, and the end of a request (timeouts, finish) in balancer-finish.ts.
import type { BackendSpec } from "../../scenarios/types.js";
import type { Strategy } from "../../strategies/types.js";
import type { Engine } from "../engine.js";
import type { RandomStream } from "../random.js";
import { RequestEnd } from "./balancer-finish.js";
import { BalancerQueues } from "./balancer-queues.js";
import { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import { Connect, LOST } from "./faults.js";
import { Kind } from "./kinds.js";
import { Termination } from "./metrics.js";
import type { WaitQueue } from "./queue.js";
import { shouldRedispatch } from "./redispatch.js";
import type { RequestCursor } from "./request-cursor.js";
import { Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import type { Service } from "./service.js";

/** Called when a request has finished on the client side (for closed-loop users and client retries). */
export type FinishedListener = (slot: number, failed: boolean) => void;

/** Turn-around before a same-server retry: min(timeout connect, 1 s) (haproxy-semantics.md §2 4.3). */
const TURN_AROUND_CAP_MS = 1000;

/**
 * One backend: its servers' strategies, its queues, its timeouts and retries. Requests come from the
 * frontends (`admit`); the engine's timer events are dispatched to a request's backend (see `wire`).
 */
export class Balancer {
  readonly backendQueue: WaitQueue;
  /** This backend's index in the model, and its name. */
  readonly index: number;
  readonly name: string;
  /**
   * A frontend standing in for a backend: it answers what its rules route nowhere (no servers,
   * no `balance`; see run.ts `modelTopology`).
   */
  readonly unrouted: boolean;
  readonly #queues: BalancerQueues;
  /** The only writer of served/queued and the queues' membership (connections.ts). */
  readonly #connections: Connections;
  readonly #end: RequestEnd;

  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #servers: ReadonlyArray<Server>;
  readonly #active: Strategy;
  readonly #backup: Strategy;
  readonly #service: Service;
  readonly #backend: BackendSpec;
  readonly #errors: ReadonlyArray<RandomStream>;
  readonly #cursor: RequestCursor;
  readonly #connectLane: number;
  readonly #serverLane: number;
  readonly #turnAroundMs: number;
  /** 1 while `serverFreed` runs for the server (see there). */
  readonly #freeing: Uint8Array;
  activeUsable = 0;
  backupUsable = 0;
  readonly #ctx: ModelContext;

  constructor(ctx: ModelContext, index: number, strategies: { active: Strategy; backup: Strategy }) {
    const backend = ctx.topology.backends[index]!.spec;
    const { engine, requests, servers, cursor } = ctx;
    this.index = index;
    this.name = backend.name;
    this.unrouted = backend.servers.length === 0 && backend.balance === "";
    this.#ctx = ctx;
    this.#engine = engine;
    this.#requests = requests;
    this.#servers = servers;
    this.#active = strategies.active;
    this.#backup = strategies.backup;
    this.#service = ctx.service;
    this.#backend = backend;
    this.#errors = ctx.errorStreams;
    this.#cursor = cursor;
    this.#freeing = new Uint8Array(servers.length);
    const { connectMs, serverMs, queueMs } = backend.timeout;
    this.#connectLane = Number.isFinite(connectMs) ? engine.lane(connectMs, Kind.ConnectTimeout) : -1;
    this.#serverLane = Number.isFinite(serverMs) ? engine.lane(serverMs, Kind.ServerTimeout) : -1;
    const queueLane = Number.isFinite(queueMs) ? engine.lane(queueMs, Kind.QueueTimeout) : -1;
    this.#connections = new Connections(ctx, index, strategies);
    this.#queues = new BalancerQueues(ctx, index, this.#connections, queueLane);
    this.backendQueue = this.#queues.backend;
    this.#end = new RequestEnd(ctx, this, this.#queues, this.#connections);
    this.#turnAroundMs = Math.min(connectMs, TURN_AROUND_CAP_MS);
  }

  /** Registers the engine's handlers for requests' timers, each dispatched to its request's backend. */
  static wire(engine: Engine, requests: RequestTable, balancers: ReadonlyArray<Balancer>): void {
    const only = balancers[0]!;
    // One backend (the common case) skips the lookup: these handlers run for most requests.
    const of =
      balancers.length === 1
        ? (_slot: number) => only
        : (slot: number) => balancers[requests.backend[slot]!]!;
    engine.on(Kind.ConnectTimeout, (slot) => of(slot).#connectFailed(slot, false));
    engine.on(Kind.TurnAround, (slot) => of(slot).#turnAroundOver(slot));
    engine.on(Kind.QueueTimeout, (slot) => of(slot).#end.queueTimedOut(slot));
    engine.on(Kind.ServerTimeout, (slot) => of(slot).#end.serverTimedOut(slot));
    engine.on(Kind.ClientTimeout, (slot) => of(slot).#end.clientTimedOut(slot));
  }

  /** Passive health checking (`observe`): true = an error was seen on live traffic. */
  onObserve(server: Server, error: boolean): void {
    this.#ctx.checker.observe(server, error);
  }

  /** A request accepted by a frontend and routed here. */
  admit(slot: number): void {
    this.#assign(slot, -1);
  }

  /** A server's job is done: deliver the response if the request still waits for it on that server. */
  jobDone(server: Server, slot: number): void {
    const r = this.#requests;
    if (r.phase[slot] === Phase.Done) {
      r.release(slot);
      return;
    }
    if (r.phase[slot] !== Phase.AwaitingResponse || r.server[slot] !== server.index) return;
    const status = server.faults.response(this.#errors[server.index]!);
    if (status === LOST) return;
    const responseMs = this.#engine.nowMs - r.connectedAtMs[slot]!;
    const view = server.view;
    view.observedResponseMs =
      view.observedResponseMs === 0 ? responseMs : 0.9 * view.observedResponseMs + 0.1 * responseMs;
    (server.spec.backup ? this.#backup : this.#active).observed?.(view, responseMs);
    if (status >= 500) server.serverErrors++;
    if (server.spec.observe?.mode === "layer7") this.onObserve(server, status >= 500);
    this.#end.finish(slot, status, Termination.Normal);
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
      this.#end.finish(slot, 502, Termination.SH);
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
      // Coming up, a server takes from the backend queue even without maxconn (HAProxy's
      // pendconn_grab_from_px); after that, only a server with maxconn does (process_srv_queue).
      this.serverFreed(server, true);
      return;
    }
    if (server.spec.backup) this.backupUsable--;
    else this.activeUsable--;
    strategy.serverDown(server.view);
    // Its own queue goes back to the balancer only with `option redispatch` (§1, §4.4).
    if (this.#backend.redispatch !== null && server.queue.length > 0) {
      const moved: number[] = [];
      this.#queues.drainServer(server, moved);
      for (const slot of moved) {
        this.#queues.leaveServerQueue(slot, server);
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

  /**
   * A slot may have freed on `server`: serve the older head of its own queue or the backend queue
   * (§1). `cameUp`: the server just became usable, and takes queued requests whatever its maxconn.
   */
  serverFreed(server: Server, cameUp = false): void {
    // A dequeued request can finish at once (refused, no retries) and free the slot again: the
    // running loop serves the next one, rather than a recursion as deep as the queue.
    if (this.#freeing[server.index] === 1) return;
    this.#freeing[server.index] = 1;
    for (;;) {
      const slot = this.#queues.next(server, this.activeUsable, cameUp);
      if (slot < 0) break;
      this.#take(slot, server);
      this.#connect(slot, server);
    }
    this.#freeing[server.index] = 0;
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
      this.#end.finish(slot, 503, Termination.SC);
      return false;
    }
    const strategy = useActive ? this.#active : this.#backup;
    if (strategy.queueWhenBacklogged && avoid < 0 && this.backendQueue.length > 0) {
      this.#queues.enqueueBackend(slot);
      return false;
    }
    this.#cursor.slot = slot;
    const avoidView = avoid >= 0 ? this.#servers[avoid]!.view : undefined;
    const view = strategy.pick(this.#cursor, avoidView);
    if (view === undefined) {
      this.#queues.enqueueBackend(slot);
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
        this.#end.finish(slot, 503, Termination.SQ);
        return false;
      }
      this.#queues.enqueueServer(slot, server);
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
    this.#connections.take(server);
  }

  /** Step 3: a connection attempt to the server the request is assigned to. */
  #connect(slot: number, server: Server): void {
    const r = this.#requests;
    const now = this.#engine.nowMs;
    if (r.connectSinceMs[slot]! < 0) r.connectSinceMs[slot] = now;
    server.attempts++;
    const meets = server.faults.connect;
    if (meets === Connect.Refuse) {
      r.phase[slot] = Phase.Connecting;
      this.#connectFailed(slot, true);
      return;
    }
    if (meets === Connect.NoAnswer) {
      r.phase[slot] = Phase.Connecting;
      if (this.#connectLane >= 0) r.phaseTimer[slot] = this.#engine.arm(this.#connectLane, slot);
      return;
    }
    r.phase[slot] = Phase.AwaitingResponse;
    r.connectedAtMs[slot] = now;
    if (this.#serverLane >= 0) r.phaseTimer[slot] = this.#engine.arm(this.#serverLane, slot);
    if (server.spec.observe?.mode === "layer4") this.onObserve(server, false);
    // Accepted but never read (a hung process): no work, no response (faults.ts).
    if (meets !== Connect.Silent) this.#service.start(server, slot);
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
      this.#end.finish(slot, 503, refused ? Termination.SC : Termination.sC);
      return;
    }
    const retry = retriesDone + 1;
    r.retries[slot] = retry;
    const strategy = server.spec.backup ? this.#backup : this.#active;
    if (shouldRedispatch(this.#backend, server.usable, retry, strategy.ignoresFullness, this.activeUsable)) {
      // §2 4.4: back to the balancer, avoiding the failed server; immediate, unless a refused
      // connection leaves at most one active server usable: then the turn-around comes first (4.3).
      this.#release(slot, server);
      if (refused && this.activeUsable <= 1) {
        r.phase[slot] = Phase.RedispatchWait;
        r.phaseTimer[slot] = this.#engine.schedule(
          this.#engine.nowMs + this.#turnAroundMs,
          Kind.TurnAround,
          slot,
        );
        return;
      }
      if (this.#assign(slot, server.index)) this.#retrySame(slot, server, refused);
      return;
    }
    server.retries++;
    this.#retrySame(slot, server, refused);
  }

  /** Step 4.3: retry the same server, after the turn-around delay when the connection was refused. */
  /** The turn-around is over: retry the same server, or go back to the balancer (delayed redispatch). */
  #turnAroundOver(slot: number): void {
    const r = this.#requests;
    r.phaseTimer[slot] = Number.NaN;
    const server = this.#servers[r.server[slot]!]!;
    if (r.phase[slot] !== Phase.RedispatchWait) {
      this.#connect(slot, server);
      return;
    }
    r.phase[slot] = Phase.Pending;
    // The picker could return only the failed server: retry it now, the turn-around is behind us.
    if (this.#assign(slot, server.index)) this.#connect(slot, server);
  }

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

  // --- slots that free -------------------------------------------------------------------------

  /** The assigned request lets go of `server` (served − 1), which may then serve a queued one. */
  #release(slot: number, server: Server): void {
    this.#connections.release(server);
    this.#requests.phase[slot] = Phase.Pending;
    this.serverFreed(server);
  }
}
