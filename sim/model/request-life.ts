// A request's life on the balancer side (HAProxy's stream), as one state machine over its `phase`:
//
//   admit ─► pick ─┬─► take ─► connect ─┬─► AwaitingResponse ─► jobDone ─► finish (status, `----`)
//                  │                    ├─► refused / timed out ─► retry the same server (TurnAround)
//                  │                    │                       └► redispatch: pick again (RedispatchWait)
//                  │                    └─► no retry left ─► finish (503 SC / sC)
//                  ├─► BackendQueue / ServerQueue ─► a freed slot (serverFreed) ─► take ─► connect
//                  └─► no usable server, or a full queue ─► finish (503 SC / SQ)
//
// Every transition of a routed request is a method here, in the order of haproxy-semantics.md §2
// (cited where a line reproduces a specific HAProxy rule); every end goes through RequestEnd.finish
// (balancer-finish.ts: the timeouts and the fixed order listeners are told in). The waiting rooms
// are balancer-queues.ts, the counts connections.ts, the redispatch rule redispatch.ts; what a
// server's faults do to a connect or a response is asked of faults.ts. The balancer (balancer.ts)
// keeps the server side: usability, weight, a crash cutting its requests.
import type { BackendSpec } from "../../scenarios/types.js";
import type { ServerView, Strategy } from "../../strategies/types.js";
import type { Engine } from "../engine.js";
import type { RandomStream } from "../random.js";
import type { Balancer } from "./balancer.js";
import type { RequestEnd } from "./balancer-finish.js";
import type { BalancerQueues } from "./balancer-queues.js";
import type { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import type { DecisionTracer } from "./decision-trace.js";
import { Connect, LOST } from "./faults.js";
import { Kind } from "./kinds.js";
import { shouldRedispatch } from "./redispatch.js";
import type { RequestCursor } from "./request-cursor.js";
import { RequestWire } from "./request-wire.js";
import { I, N, Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import type { Service } from "./service.js";
import { Termination } from "./termination.js";

/** Turn-around before a same-server retry: min(timeout connect, 1 s) (haproxy-semantics.md §2 4.3). */
const TURN_AROUND_CAP_MS = 1000;

/** The parts of its backend a request's life moves through. */
export interface LifeParts {
  readonly balancer: Balancer;
  readonly queues: BalancerQueues;
  readonly connections: Connections;
  readonly end: RequestEnd;
  readonly strategies: { readonly active: Strategy; readonly backup: Strategy };
}

export class RequestLife {
  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #servers: ReadonlyArray<Server>;
  readonly #service: Service;
  // Not readonly: a timeline `redispatch` change replaces it (setRedispatch).
  #backend: BackendSpec;
  readonly #errors: ReadonlyArray<RandomStream>;
  readonly #cursor: RequestCursor;
  readonly #balancer: Balancer;
  readonly #queues: BalancerQueues;
  readonly #connections: Connections;
  readonly #end: RequestEnd;
  // Not readonly: a timeline `balance` switch replaces them (switchStrategies).
  #active: Strategy;
  #backup: Strategy;
  readonly #connectLane: number;
  readonly #serverLane: number;
  readonly #connectMs: number;
  /** The request's time between the balancer and a server with an `rtt` or a SYN loss. */
  readonly wire: RequestWire;
  readonly #turnAroundMs: number;
  /** 1 while `serverFreed` runs for the server (see there). */
  readonly #freeing: Uint8Array;
  /** `run --explain` only; undefined otherwise: each choice then pays one branch and allocates nothing. */
  readonly #tracer: DecisionTracer | undefined;
  /** This backend's index in the model (the tracer names it). */
  readonly #index: number;

  constructor(ctx: ModelContext, index: number, parts: LifeParts) {
    const backend = ctx.topology.backends[index]!.spec;
    const engine = ctx.engine;
    this.#engine = engine;
    this.#requests = ctx.requests;
    this.#servers = ctx.servers;
    this.#service = ctx.service;
    this.#backend = backend;
    this.#errors = ctx.errorStreams;
    this.#cursor = ctx.cursor;
    this.#balancer = parts.balancer;
    // `--explain`: the queues as the tracer sees them (each request a freed server takes out of a
    // queue is a `dequeue` decision), so that serverFreed keeps its code (a test in it cost ~1%).
    this.#queues =
      ctx.tracer === undefined
        ? parts.queues
        : ctx.tracer.tracedQueues(parts.queues, (server) => (server.isBackup ? this.#backup : this.#active));
    this.#connections = parts.connections;
    this.#end = parts.end;
    this.#active = parts.strategies.active;
    this.#backup = parts.strategies.backup;
    this.#freeing = new Uint8Array(ctx.servers.length);
    this.#tracer = ctx.tracer;
    this.#index = index;
    const { connectMs, serverMs } = backend.timeout;
    this.#connectLane = Number.isFinite(connectMs) ? engine.lane(connectMs, Kind.ConnectTimeout) : -1;
    this.#serverLane = Number.isFinite(serverMs) ? engine.lane(serverMs, Kind.ServerTimeout) : -1;
    this.#turnAroundMs = Math.min(connectMs, TURN_AROUND_CAP_MS);
    this.#connectMs = connectMs;
    this.wire = new RequestWire(
      ctx,
      { connectMs, serverMs, connectLane: this.#connectLane, serverLane: this.#serverLane },
      {
        reached: (slot, server) => this.#reached(slot, server),
        connectFailed: (slot, refused) => this.#connectFailed(slot, refused),
        deliver: (server, slot) => this.#deliver(server, slot),
        reset: (slot, server) => this.#reset(slot, server),
      },
    );
  }

  /** The backend's algorithm from now on (a timeline `balance` switch, backend-switch.ts). */
  switchStrategies(strategies: { active: Strategy; backup: Strategy }): void {
    this.#active = strategies.active;
    this.#backup = strategies.backup;
  }

  /** `option redispatch` from now on, for retry decisions still to come (backend-switch.ts). */
  setRedispatch(redispatch: BackendSpec["redispatch"]): void {
    this.#backend = { ...this.#backend, redispatch };
  }

  /** A request accepted by a frontend and routed here. */
  admit(slot: number): void {
    this.#assign(slot, -1);
  }

  /** Out of the queue of a server that went DOWN (with `option redispatch`): pick again (§1, §4.4). */
  reassign(slot: number): void {
    // Out of the queue: a 503 from #assign must not dequeue it a second time.
    this.#requests.ints[slot + I.phase] = Phase.Pending;
    if (this.#tracer !== undefined) this.#tracer.requeueing();
    this.#assign(slot, -1);
  }

  /** A server's job is done: deliver the response if the request still waits for it on that server. */
  jobDone(server: Server, slot: number): void {
    const r = this.#requests;
    if (r.ints[slot + I.phase] === Phase.Done) {
      r.release(slot);
      return;
    }
    if (r.ints[slot + I.phase] !== Phase.AwaitingResponse || r.ints[slot + I.server] !== server.index) return;
    // With an `rtt`, the response is on its way for one more round trip (request-wire.ts).
    if (server.hasRtt) {
      this.wire.respond(slot, server);
      return;
    }
    this.#deliver(server, slot);
  }

  /** Accepted, then reset before any response: 502 `SH` (HAProxy 2.6.12: Tc measured, Tr -1, no retry). */
  #reset(slot: number, server: Server): void {
    server.responseErrors++;
    if (server.observeMode === "layer7") this.#balancer.onObserve(server, true);
    this.#end.finish(slot, 502, Termination.SH);
  }

  /** The response reaches the balancer: false when it was lost on the way (a partition). */
  #deliver(server: Server, slot: number): boolean {
    const r = this.#requests;
    const status = server.faults.response(this.#errors[server.index]!);
    if (status === LOST) return false;
    const responseMs = this.#engine.nowMs - r.nums[slot + N.connectedAtMs]!;
    const view = server.view;
    view.observedResponseMs =
      view.observedResponseMs === 0 ? responseMs : 0.9 * view.observedResponseMs + 0.1 * responseMs;
    (server.isBackup ? this.#backup : this.#active).observed?.(view, responseMs);
    if (status >= 500) server.serverErrors++;
    if (server.observeMode === "layer7") this.#balancer.onObserve(server, status >= 500);
    this.#end.finish(slot, status, Termination.Normal);
    return true;
  }

  /**
   * A slot may have freed on `server`: serve the older head of its own queue or the backend queue
   * (§1). `cameUp`: the server just became usable, and takes queued requests whatever its maxconn.
   */
  serverFreed(server: Server, cameUp: boolean): void {
    // A dequeued request can finish at once (refused, no retries) and free the slot again: the
    // running loop serves the next one, rather than a recursion as deep as the queue.
    if (this.#freeing[server.index] === 1) return;
    this.#freeing[server.index] = 1;
    for (;;) {
      const slot = this.#queues.next(server, this.#balancer.activeUsable, cameUp);
      if (slot < 0) break;
      this.#take(slot, server);
      this.#connect(slot, server);
    }
    this.#freeing[server.index] = 0;
  }

  /** `timeout connect` expired on the request's connection attempt. */
  connectTimedOut(slot: number): void {
    this.#connectFailed(slot, false);
  }

  /** The turn-around is over: retry the same server, or go back to the balancer (delayed redispatch). */
  turnAroundOver(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    const server = this.#servers[r.ints[slot + I.server]!]!;
    if (r.ints[slot + I.phase] !== Phase.RedispatchWait) {
      this.#connect(slot, server);
      return;
    }
    r.ints[slot + I.phase] = Phase.Pending;
    // The picker could return only the failed server: retry it now, the turn-around is behind us.
    if (this.#assign(slot, server.index)) this.#connect(slot, server);
  }

  /**
   * Step 2 of §2: choose a server (avoiding `avoid` on a redispatch), then connect, queue, or 503.
   * Returns true only when a redispatch pick could return nothing but the failed server itself:
   * the request is assigned to it again and the caller retries it as a same-server retry (§2 4.4).
   */
  #assign(slot: number, avoid: number): boolean {
    // `--explain`: the traced twin below, so that no test of the tracer runs on every pick (it cost
    // 1–1.7% of a request's instructions inside this function). Both share what follows the pick.
    if (this.#tracer !== undefined) return this.#assignTraced(this.#tracer, slot, avoid);
    const balancer = this.#balancer;
    const useActive = balancer.activeUsable > 0;
    if (!useActive && balancer.backupUsable === 0) {
      this.#end.finish(slot, 503, Termination.SC);
      return false;
    }
    const strategy = useActive ? this.#active : this.#backup;
    if (strategy.queueWhenBacklogged && avoid < 0 && this.#queues.backend.length > 0) {
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
    return this.#placePicked(slot, view, avoid);
  }

  /**
   * `#assign` with `--explain`: the same steps before the pick in the same order, each outcome told
   * to the tracer, then the same `#placePicked` (specs check a traced run's Results are the
   * untraced run's). A change to `#assign`'s first steps must be made here too.
   */
  #assignTraced(tracer: DecisionTracer, slot: number, avoid: number): boolean {
    const balancer = this.#balancer;
    const useActive = balancer.activeUsable > 0;
    if (!useActive && balancer.backupUsable === 0) {
      tracer.noServer(slot, this.#index, this.#active);
      this.#end.finish(slot, 503, Termination.SC);
      return false;
    }
    const strategy = useActive ? this.#active : this.#backup;
    if (strategy.queueWhenBacklogged && avoid < 0 && this.#queues.backend.length > 0) {
      tracer.backlogged(slot, this.#index, strategy, this.#queues.backend.length);
      this.#queues.enqueueBackend(slot);
      return false;
    }
    this.#cursor.slot = slot;
    const avoidView = avoid >= 0 ? this.#servers[avoid]!.view : undefined;
    const view = tracer.pick(slot, this.#index, strategy, this.#cursor, avoidView);
    if (view === undefined) {
      this.#queues.enqueueBackend(slot);
      return false;
    }
    return this.#placePicked(slot, view, avoid);
  }

  /**
   * What `#assign` does with the server the strategy picked: count the pick, then a retry on the
   * failed server itself, a redispatch elsewhere, a queue on a full server (a 503 `SQ` past its
   * maxqueue), or the connection. Returns true for a same-server retry (see `#assign`).
   */
  #placePicked(slot: number, view: ServerView, avoid: number): boolean {
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
        this.#requests.ints[slot + I.redispatched] = 1;
      }
    }
    if (full) {
      // Only hash lookups return a full server: it queues the request itself (§1).
      if (view.maxqueue > 0 && view.queued >= view.maxqueue) {
        this.#requests.ints[slot + I.server] = view.index;
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
    r.ints[slot + I.server] = server.index;
    r.ints[slot + I.phase] = Phase.Connecting;
    this.#connections.take(server);
  }

  /** Step 3: a connection attempt to the server the request is assigned to. */
  #connect(slot: number, server: Server): void {
    const r = this.#requests;
    const now = this.#engine.nowMs;
    if (r.nums[slot + N.connectSinceMs]! < 0) r.nums[slot + N.connectSinceMs] = now;
    r.nums[slot + N.attemptAtMs] = now;
    server.attempts++;
    if (RequestWire.instant(server)) {
      this.#reached(slot, server);
      return;
    }
    // On the wire: its SYNs may be lost and re-sent, and the answer takes one round trip.
    r.ints[slot + I.phase] = Phase.Connecting;
    this.wire.connect(slot, server);
  }

  /** The attempt reaches the server (at once, or after the network's delay): what it meets there. */
  #reached(slot: number, server: Server): void {
    const r = this.#requests;
    const now = this.#engine.nowMs;
    const meets = server.faults.attempt();
    if (meets === Connect.Refuse) {
      r.ints[slot + I.phase] = Phase.Connecting;
      this.#connectFailed(slot, true);
      return;
    }
    if (meets === Connect.NoAnswer) {
      r.ints[slot + I.phase] = Phase.Connecting;
      this.wire.connectTimeoutAt(slot, r.nums[slot + N.attemptAtMs]! + this.#connectMs);
      return;
    }
    r.ints[slot + I.phase] = Phase.AwaitingResponse;
    r.nums[slot + N.connectedAtMs] = now;
    if (this.#serverLane >= 0) r.nums[slot + N.phaseTimer] = this.#engine.arm(this.#serverLane, slot);
    if (server.observeMode === "layer4") this.#balancer.onObserve(server, false);
    if (meets === Connect.Reset) {
      // The request goes out and the RST comes back: one round trip (none without `rtt`).
      const rttMs = server.network.rttMs();
      if (rttMs > 0) this.wire.resetLater(slot, rttMs);
      else this.#reset(slot, server);
      return;
    }
    // Accepted but never read (a hung process): no work, no response (faults.ts).
    if (meets !== Connect.Silent) this.#service.start(server, slot);
  }

  /** Step 4: a refused (`refused`) or timed-out connection attempt. */
  #connectFailed(slot: number, refused: boolean): void {
    const r = this.#requests;
    const server = this.#servers[r.ints[slot + I.server]!]!;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    // HAProxy's HANA_STATUS_L4_ERR is an error for `observe layer4` and `layer7` alike.
    if (server.observeMode !== null) this.#balancer.onObserve(server, true);
    const retriesDone = r.ints[slot + I.retries]!;
    const retries = this.#backend.retries;
    if (retriesDone >= retries) {
      server.connectErrors++;
      this.#end.finish(slot, 503, refused ? Termination.SC : Termination.sC);
      return;
    }
    const retry = retriesDone + 1;
    r.ints[slot + I.retries] = retry;
    const strategy = server.isBackup ? this.#backup : this.#active;
    const balancer = this.#balancer;
    if (
      shouldRedispatch(this.#backend, server.usable, retry, strategy.ignoresFullness, balancer.activeUsable)
    ) {
      // §2 4.4: back to the balancer, avoiding the failed server; immediate, unless a refused
      // connection leaves at most one active server usable: then the turn-around comes first (4.3).
      // (Read after the release: the server it frees may have been marked DOWN by then.)
      this.#release(slot, server);
      if (refused && balancer.activeUsable <= 1) {
        r.ints[slot + I.phase] = Phase.RedispatchWait;
        r.nums[slot + N.phaseTimer] = this.#engine.schedule(
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
    if (this.#tracer !== undefined) this.#tracer.retry(slot, server, strategy);
    this.#retrySame(slot, server, refused);
  }

  /** Step 4.3: retry the same server, after the turn-around delay when the connection was refused. */
  #retrySame(slot: number, server: Server, refused: boolean): void {
    const r = this.#requests;
    if (!refused) {
      this.#connect(slot, server);
      return;
    }
    r.ints[slot + I.phase] = Phase.TurnAround;
    r.nums[slot + N.phaseTimer] = this.#engine.schedule(
      this.#engine.nowMs + this.#turnAroundMs,
      Kind.TurnAround,
      slot,
    );
  }

  /** The assigned request lets go of `server` (served − 1), which may then serve a queued one. */
  #release(slot: number, server: Server): void {
    this.#connections.release(server);
    this.#requests.ints[slot + I.phase] = Phase.Pending;
    this.serverFreed(server, false);
  }
}
