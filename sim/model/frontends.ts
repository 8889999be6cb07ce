// The frontends: where requests arrive, are routed to a backend (the frontend's ACLs and
// `use_backend` rules), wait in the frontend's backlog while it is at `maxconn`, and are counted off
// when they end. Each backend is a Balancer; a request's frontend and backend are columns of the
// request table, set on arrival. With several balancer instances each runs its own copy of every
// frontend (its own connections, `maxconn`, backlog and `global maxconn`), as HAProxy processes do.
import type { RequestView } from "../../strategies/types.js";
import type { Balancer } from "./balancer.js";
import type { ModelContext } from "./context.js";
import { WaitQueue } from "./queue.js";
import type { RequestCursor } from "./request-cursor.js";
import { I, N, Phase, type RequestTable } from "./requests.js";

/** Routes a request to a backend index (see sim/routing.ts for the ACLs). */
export type Route = (request: RequestView) => number;

export interface FrontendModel {
  readonly name: string;
  /** 0 = unlimited. */
  readonly maxconn: number;
  readonly route: Route;
}

export class Frontends {
  readonly names: ReadonlyArray<string>;
  /** Connections accepted and not yet ended, by frontend of each instance (i·frontends + f). */
  readonly active: Int32Array;
  /** Most connections a frontend (of one instance) held at once, by i·frontends + f. */
  readonly maxActive: Int32Array;
  /** Requests that reached each frontend at or after warm-up, and of those the ones it backlogged. */
  readonly arrived: Float64Array;
  readonly backlogged: Float64Array;
  /** Per instance: Σ active over its frontends (HAProxy's process-wide `actconn`). */
  readonly totals: Int32Array;
  /**
   * Several instances only: connections of each frontend, every instance together, and the most at
   * once (Results.frontends[].maxConnections then); `maxActive` is per instance's copy.
   */
  readonly allActive: Int32Array;
  readonly maxAllActive: Int32Array;
  /** The model's balancers, by backend index (the context's array, filled after the frontends are built). */
  readonly balancers: ReadonlyArray<Balancer>;
  /** The frontend each client's requests reach, by client index. */
  readonly frontendOfClient: ReadonlyArray<number>;

  readonly #requests: RequestTable;
  readonly #cursor: RequestCursor;
  readonly #maxconn: ReadonlyArray<number>;
  readonly #routes: ReadonlyArray<Route>;
  readonly #backlogs: ReadonlyArray<WaitQueue>;
  readonly #admitting: Uint8Array;
  readonly #warmupMs: number;
  /** `global maxconn`: every frontend's connections together; 0 = unlimited. */
  readonly #globalMaxconn: number;
  #admittingAcross = false;
  /** Balancer instances (scenario `balancers`), each running every backend; 1 without. */
  readonly #instances: number;
  readonly #perInstance: number;
  readonly #bySource: boolean;
  readonly #frontendCount: number;
  /** `spread: roundrobin`: the instance the next request goes to. */
  #nextInstance = 0;

  constructor(ctx: ModelContext) {
    const { requests, cursor, scenario, topology } = ctx;
    const frontends: ReadonlyArray<FrontendModel> = topology.frontends.map((f, index) => ({
      name: f.name,
      maxconn: f.maxconn,
      route: topology.routes[index]!,
    }));
    this.balancers = ctx.balancers;
    this.#instances = topology.instances;
    this.#perInstance = topology.perInstance;
    this.#bySource = scenario.balancers?.spread === "source";
    this.#requests = requests;
    this.#globalMaxconn = scenario.globalMaxconn ?? 0;
    this.#warmupMs = scenario.warmupMs;
    this.#cursor = cursor;
    this.names = frontends.map((f) => f.name);
    this.#maxconn = frontends.map((f) => f.maxconn);
    this.#routes = frontends.map((f) => f.route);
    const listeners = frontends.length * topology.instances;
    this.#frontendCount = frontends.length;
    this.#backlogs = Array.from({ length: listeners }, () => new WaitQueue());
    this.active = new Int32Array(listeners);
    this.maxActive = new Int32Array(listeners);
    this.totals = new Int32Array(topology.instances);
    this.allActive = new Int32Array(frontends.length);
    this.maxAllActive = new Int32Array(frontends.length);
    this.arrived = new Float64Array(frontends.length);
    this.backlogged = new Float64Array(frontends.length);
    this.#admitting = new Uint8Array(listeners);
    const names = this.names;
    this.frontendOfClient = scenario.clients.map((c) =>
      Math.max(0, names.indexOf(c.frontend ?? names[0] ?? "")),
    );
  }

  /** A new request reaches its client's frontend: routed, then accepted or left in the backlog. */
  arrive(slot: number): void {
    const r = this.#requests;
    const f = this.frontendOfClient[r.ints[slot + I.client]!] ?? 0;
    r.ints[slot + I.frontend] = f;
    const steady = r.nums[slot + N.arrivalMs]! >= this.#warmupMs;
    if (steady) this.arrived[f]!++;
    this.#cursor.slot = slot;
    r.ints[slot + I.backend] = this.#routes[f]!(this.#cursor);
    // Several instances: the request goes to its instance's copy of its frontend and of the backend
    // it was routed to.
    let listener = f;
    let instance = 0;
    if (this.#instances > 1) {
      instance = this.#instanceOf(slot);
      r.ints[slot + I.backend] = r.ints[slot + I.backend]! + this.#perInstance * instance;
      listener += this.#frontendCount * instance;
    }
    const maxconn = this.#maxconn[f]!;
    const full = maxconn > 0 && this.active[listener]! >= maxconn;
    if (full || (this.#globalMaxconn > 0 && this.totals[instance]! >= this.#globalMaxconn)) {
      if (steady) this.backlogged[f]!++;
      r.ints[slot + I.phase] = Phase.Frontend;
      const ticket = ++r.lastTicket;
      r.nums[slot + N.queueOrder] = ticket;
      this.#backlogs[listener]!.push(slot, ticket);
      return;
    }
    this.#accept(listener, instance);
    this.balancers[r.ints[slot + I.backend]!]!.admit(slot);
  }

  /** The request's instance (0 with one), from its backend (i·perInstance + b). */
  #instanceOfRequest(slot: number): number {
    return this.#instances === 1 ? 0 : Math.floor(this.#requests.ints[slot + I.backend]! / this.#perInstance);
  }

  /** The request's frontend as its instance runs it (i·frontends + f). */
  #listenerOf(slot: number): number {
    return this.#requests.ints[slot + I.frontend]! + this.#frontendCount * this.#instanceOfRequest(slot);
  }

  /** HAProxy's `actconn` for the request's log line: its instance's connections, every frontend together. */
  processConnectionsOf(slot: number): number {
    return this.totals[this.#instanceOfRequest(slot)]!;
  }

  /** The frontend connections of the request's frontend, this request's own included when accepted. */
  connectionsOf(slot: number): number {
    return this.active[this.#listenerOf(slot)]!;
  }

  /** A request ends in `phase`: out of the backlog, or counted off its frontend (then it admits another). */
  ended(slot: number, phase: number): void {
    const listener = this.#listenerOf(slot);
    if (phase === Phase.Frontend) {
      this.#backlogs[listener]!.removed();
      return;
    }
    this.active[listener]!--;
    this.totals[this.#instanceOfRequest(slot)]!--;
    if (this.#instances > 1) this.allActive[this.#requests.ints[slot + I.frontend]!]!--;
  }

  /** After a request counted off frontend `slot`'s frontend: admit from its backlog while below maxconn. */
  admitAfter(slot: number): void {
    const instance = this.#instanceOfRequest(slot);
    if (this.#globalMaxconn > 0) {
      this.#admitAcross(instance);
      return;
    }
    const f = this.#requests.ints[slot + I.frontend]!;
    const listener = f + this.#frontendCount * instance;
    // A request answered at once (503) finishes inside the loop and would admit the next one
    // recursively: the running loop does that instead, so the stack does not grow with the backlog.
    const maxconn = this.#maxconn[f]!;
    // Without maxconn nothing ever waits in the backlog.
    if (maxconn === 0 || this.#admitting[listener] === 1) return;
    this.#admitting[listener] = 1;
    const backlog = this.#backlogs[listener]!;
    const r = this.#requests;
    while (this.active[listener]! < maxconn) {
      const next = backlog.peek(this.#isInBacklog);
      if (next < 0) break;
      backlog.shift();
      // Accepted: out of the backlog (phase Pending), so finishing it counts it off `active`.
      r.nums[next + N.queueOrder] = -1;
      r.ints[next + I.phase] = Phase.Pending;
      this.#accept(listener, instance);
      this.balancers[r.ints[next + I.backend]!]!.admit(next);
    }
    this.#admitting[listener] = 0;
  }

  /**
   * Under `global maxconn` a freed connection may go to any frontend: the oldest waiting request of
   * a frontend below its own maxconn is accepted first, while the process is below the global limit.
   * (HAProxy resumes every paused listener and accepts in event-loop order; oldest first is the
   * deterministic reading of that.)
   */
  #admitAcross(instance: number): void {
    if (this.#admittingAcross) return;
    this.#admittingAcross = true;
    const r = this.#requests;
    const first = this.#frontendCount * instance;
    while (this.totals[instance]! < this.#globalMaxconn) {
      let best = -1;
      let bestOrder = Number.POSITIVE_INFINITY;
      for (let f = first; f < first + this.#frontendCount; f++) {
        const maxconn = this.#maxconn[f - first]!;
        if (maxconn > 0 && this.active[f]! >= maxconn) continue;
        const backlog = this.#backlogs[f]!;
        if (backlog.peek(this.#isInBacklog) < 0) continue;
        const order = backlog.headOrder();
        if (order < bestOrder) {
          bestOrder = order;
          best = f;
        }
      }
      if (best < 0) break;
      const backlog = this.#backlogs[best]!;
      const next = backlog.peek(this.#isInBacklog);
      backlog.shift();
      r.nums[next + N.queueOrder] = -1;
      r.ints[next + I.phase] = Phase.Pending;
      this.#accept(best, instance);
      this.balancers[r.ints[next + I.backend]!]!.admit(next);
    }
    this.#admittingAcross = false;
  }

  /**
   * The balancer instance a request reaches. `roundrobin`: the next one for each request, as DNS
   * round robin or ECMP spread new connections (lbsim's requests each open their own); `source`: a
   * hash of the client's address (a client always reaches the same instance, as ECMP hashing on
   * the source address does).
   */
  #instanceOf(slot: number): number {
    if (this.#bySource) return mix32(this.#requests.nums[slot + N.sourceKey]!) % this.#instances;
    const instance = this.#nextInstance;
    this.#nextInstance = instance + 1 === this.#instances ? 0 : instance + 1;
    return instance;
  }

  /** `listener`: frontend f of instance i, at i·frontends + f. */
  #accept(listener: number, instance: number): void {
    const now = ++this.active[listener]!;
    if (now > this.maxActive[listener]!) this.maxActive[listener] = now;
    this.totals[instance]!++;
    if (this.#instances > 1) {
      const f = listener % this.#frontendCount;
      const all = ++this.allActive[f]!;
      if (all > this.maxAllActive[f]!) this.maxAllActive[f] = all;
    }
  }

  readonly #isInBacklog = (slot: number, order: number): boolean =>
    this.#requests.ints[slot + I.phase] === Phase.Frontend &&
    this.#requests.nums[slot + N.queueOrder] === order;
}

/** MurmurHash3's 32-bit finalizer: spreads nearby addresses (10.0.0.1, 10.0.0.2…) over the instances. */
export function mix32(key: number): number {
  let h = key >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
