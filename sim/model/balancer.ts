// One backend of the balancer: its strategies, its queues, and what its servers' changes do to the
// requests (a server coming up or going DOWN, a weight change, a crash cutting its requests).
//
// A request's own path (pick, queue, connect, retry, redispatch, the response) is request-life.ts;
// its end (timeouts, the one finish) balancer-finish.ts. The engine's timer events are dispatched
// to a request's backend (see `wire`). Follows haproxy-semantics.md §1 and §4.4.
import type { BackendSpec } from "../../scenarios/types.js";
import type { Strategy } from "../../strategies/types.js";
import type { Engine } from "../engine.js";
import { RequestEnd } from "./balancer-finish.js";
import { BalancerQueues } from "./balancer-queues.js";
import { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import { Kind } from "./kinds.js";
import type { WaitQueue } from "./queue.js";
import { RequestLife } from "./request-life.js";
import { I, Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import { Termination } from "./termination.js";

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
  /** Usable active and backup servers (the request's life picks among the backups when no active is usable). */
  activeUsable = 0;
  backupUsable = 0;
  readonly #queues: BalancerQueues;
  readonly #life: RequestLife;
  readonly #end: RequestEnd;
  readonly #requests: RequestTable;
  // Not readonly: a timeline `balance` switch or `redispatch` change replaces them (backend-switch.ts).
  #active: Strategy;
  #backup: Strategy;
  #backend: BackendSpec;
  readonly #connections: Connections;
  readonly #ctx: ModelContext;

  constructor(ctx: ModelContext, index: number, strategies: { active: Strategy; backup: Strategy }) {
    const backend = ctx.topology.backends[index]!.spec;
    const engine = ctx.engine;
    this.index = index;
    this.name = backend.name;
    this.unrouted = backend.servers.length === 0 && backend.balance === "";
    this.#ctx = ctx;
    this.#requests = ctx.requests;
    this.#active = strategies.active;
    this.#backup = strategies.backup;
    this.#backend = backend;
    const queueMs = backend.timeout.queueMs;
    const queueLane = Number.isFinite(queueMs) ? engine.lane(queueMs, Kind.QueueTimeout) : -1;
    // The only writer of served/queued and the queues' membership (connections.ts).
    const connections = new Connections(ctx, index, strategies);
    this.#connections = connections;
    this.#queues = new BalancerQueues(ctx, index, connections, queueLane);
    this.backendQueue = this.#queues.backend;
    this.#end = new RequestEnd(ctx, this, this.#queues, connections);
    this.#life = new RequestLife(ctx, index, {
      balancer: this,
      queues: this.#queues,
      connections,
      end: this.#end,
      strategies,
    });
  }

  /** Registers the engine's handlers for requests' timers, each dispatched to its request's backend. */
  static wire(engine: Engine, requests: RequestTable, balancers: ReadonlyArray<Balancer>): void {
    const only = balancers[0]!;
    // One backend (the common case) skips the lookup: these handlers run for most requests.
    const of =
      balancers.length === 1
        ? (_slot: number) => only
        : (slot: number) => balancers[requests.ints[slot + I.backend]!]!;
    engine.on(Kind.ConnectTimeout, (slot) => of(slot).#life.connectTimedOut(slot));
    engine.on(Kind.TurnAround, (slot) => of(slot).#life.turnAroundOver(slot));
    engine.on(Kind.ConnectReached, (slot) => of(slot).#life.wire.connectReached(slot));
    engine.on(Kind.SynResent, (slot) => of(slot).#life.wire.synResent(slot));
    engine.on(Kind.ResponseArrived, (slot) => of(slot).#life.wire.responseArrived(slot));
    engine.on(Kind.ResetArrived, (slot) => of(slot).#life.wire.resetArrived(slot));
    engine.on(Kind.QueueTimeout, (slot) => of(slot).#end.queueTimedOut(slot));
    engine.on(Kind.ServerTimeout, (slot) => of(slot).#end.serverTimedOut(slot));
    engine.on(Kind.ClientTimeout, (slot) => of(slot).#end.clientTimedOut(slot));
  }

  /**
   * The backend's algorithm from now on (a timeline `balance` switch): the picks, the counts it
   * follows and the usability changes go to `strategies` (backend-switch.ts fills them).
   */
  switchStrategies(strategies: { active: Strategy; backup: Strategy }): void {
    this.#active = strategies.active;
    this.#backup = strategies.backup;
    this.#connections.switchStrategies(strategies);
    this.#life.switchStrategies(strategies);
  }

  /** `option redispatch` from now on (a timeline `redispatch` change): later retries and DOWNs follow it. */
  setRedispatch(redispatch: BackendSpec["redispatch"]): void {
    this.#backend = { ...this.#backend, redispatch };
    this.#life.setRedispatch(redispatch);
  }

  /** A request accepted by a frontend and routed here. */
  admit(slot: number): void {
    this.#life.admit(slot);
  }

  /** A server's job is done (request-life.ts delivers the response). */
  jobDone(server: Server, slot: number): void {
    this.#life.jobDone(server, slot);
  }

  /**
   * A slot may have freed on `server`: it serves the older head of its own queue or the backend
   * queue (§1). `cameUp`: the server just became usable, and takes queued requests whatever its maxconn.
   */
  serverFreed(server: Server, cameUp = false): void {
    this.#life.serverFreed(server, cameUp);
  }

  /** Passive health checking (`observe`): true = an error was seen on live traffic. */
  onObserve(server: Server, error: boolean): void {
    this.#ctx.checker.observe(server, error);
  }

  /** A crash cuts every request awaiting a response on the server: 502 `SH` (DESIGN.md "Failure modes"). */
  crashCut(server: Server): void {
    const r = this.#requests;
    const cut: number[] = [];
    r.forEachOpen((slot) => {
      if (r.ints[slot + I.phase] === Phase.AwaitingResponse && r.ints[slot + I.server] === server.index)
        cut.push(slot);
    });
    for (const slot of cut) {
      server.responseErrors++;
      if (server.observeMode === "layer7") this.onObserve(server, true);
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
        this.#life.reassign(slot);
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
    if (this.#requests.ints[slot + I.phase] === Phase.Done) this.#requests.release(slot);
  }
}
