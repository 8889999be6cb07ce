// A server: what the balancer sees of it (ServerView), its HAProxy state, its faults and its counters;
// with several balancer instances, one copy per instance, sharing the first copy's work and faults.
import type { ServerSpec } from "../../scenarios/types.js";
import type { ServerView } from "../../strategies/types.js";
import type { CheckStatus } from "../results.js";
import { ServerFaults } from "./faults.js";
import { NO_NETWORK, type ServerNetwork } from "./network.js";
import { WaitQueue } from "./queue.js";

/** HAProxy's BE_WEIGHT_SCALE: effective weights are user weights × 16 (haproxy-semantics.md §3.0). */
export const WEIGHT_SCALE = 16;

/** Where each server's figures sit among its eight doubles (Server.doubles). */
const SERVED_AREA = 0;
const BUSY_AREA = 1;
const AREA_SINCE = 2;
const QUEUED_AREA = 3;
const QUEUED_SINCE = 4;
const WAITED = 5;
const DOUBLES_PER_SERVER = 8;

/**
 * One buffer for every server's doubles (eight each, 64 bytes: one cache line when aligned), which
 * the model allocates once for its servers; a server built alone (in a test) gets its own.
 */
export class ServerDoubles {
  readonly values: Float64Array;
  #next = 0;

  constructor(servers: number) {
    this.values = new Float64Array(servers * DOUBLES_PER_SERVER);
  }

  /** The offset of the next server's doubles. */
  claim(): number {
    const at = this.#next;
    if (at >= this.values.length) throw new RangeError("ServerDoubles: more servers than it was made for");
    this.#next += DOUBLES_PER_SERVER;
    return at;
  }
}

/** The ServerView the model hands to strategies, mutated in place (never re-created). */
export class MutableServerView implements ServerView {
  readonly index: number;
  readonly id: number;
  readonly name: string;
  readonly backup: boolean;
  readonly initialWeight: number;
  readonly maxqueue: number;
  weight: number;
  effectiveWeight = 0;
  maxconn: number;
  served = 0;
  queued = 0;
  observedResponseMs = 0;

  constructor(index: number, spec: ServerSpec) {
    this.index = index;
    this.id = spec.id;
    this.name = spec.name;
    this.backup = spec.backup;
    this.initialWeight = spec.weight;
    this.weight = spec.weight;
    this.maxconn = spec.maxconn;
    this.maxqueue = spec.maxqueue;
  }
}

/** lbsim's status word for a server not in the backend (HAProxy's stats do not list it at all). */
export const ABSENT = "ABSENT";

export class Server {
  // --- touched by every request: declared first, because V8 lays an object's fields out in the
  // order they are declared, and with 10,000 servers each cache line of a server costs a miss ---
  readonly index: number;
  /** Its backend's index in the model. */
  readonly backend: number;
  /**
   * The copy that holds the server itself: its workers, jobs and faults (the service and the faults
   * read it). Instance 0's copy, which is `this` with one instance.
   */
  readonly station: Server;
  readonly view: MutableServerView;
  /** What is wrong with the server process or the path to it (faults.ts; DESIGN.md "Failure modes"). */
  readonly faults: ServerFaults;
  /**
   * The server's fractional figures (time integrals, times, the wait total), kept in `doubles` at
   * `at`: eight per server, every server's in one buffer (ServerDoubles). As fields, each double
   * would be a separate heap box; with 10,000 servers those boxes cost a cache miss per request each.
   */
  readonly doubles: Float64Array;
  readonly at: number;
  /** Workers busy (fifo), or jobs present (ps). */
  busy = 0;
  /** The spec's figures the hot path reads, copied here (one object less to load per request). */
  readonly slots: number;
  readonly speed: number;
  readonly ps: boolean;
  readonly isBackup: boolean;
  /** Has an `rtt` (its `network` then delays connects and responses). */
  readonly hasRtt: boolean;
  /** `observe layer4|layer7` (passive checks), null without. */
  readonly observeMode: "layer4" | "layer7" | null;
  /** Head of the doubly linked list of jobs (through RequestTable.jobPrev/jobNext), −1 when none. */
  jobsHead = -1;
  /** Hidden FIFO of jobs waiting for a worker (request slots). */
  waiting = new Int32Array(8);
  waitHead = 0;
  waitTail = 0;
  /** Several instances: this copy is one of them (its station counts every instance's connections). */
  shared = false;
  attempts = 0;
  picks = 0;
  requests = 0;
  maxInFlight = 0;
  /** Steady-state jobs a worker took (waitMeanMs = waitedMs / waitedJobs). */
  waitedJobs = 0;

  // --- the rest ---
  readonly spec: ServerSpec;
  /** Its name in events and Results: `spec.name`, or `<backend>/<server>` when there are several backends. */
  readonly name: string;
  /** Its backend's name. */
  readonly backendName: string;
  /** The balancer's queue for this server (requests waiting for a `maxconn` slot). */
  readonly queue = new WaitQueue();

  // --- state (haproxy-semantics.md §4.2, §5) ---
  /** Not in the backend: declared `added: false` and not yet added, or deleted (`del server`). Also in MAINT. */
  absent: boolean;
  maint: boolean;
  drain = false;
  /** `set server … health stopping` (NOLB). */
  stopping = false;
  /** Health counter in [0, rise + fall − 1]; UP while ≥ rise. Without checks: rise (always UP). */
  health: number;
  /** Is the server in its strategy group's usable set right now. */
  usable = false;
  /** When the server last came UP (for slowstart); −Infinity = at startup (no ramp). */
  upSinceMs = Number.NEGATIVE_INFINITY;
  status = "";

  /** Its round-trip time and SYN loss (network.ts); set by buildModel, which knows the seed. */
  network: ServerNetwork = NO_NETWORK;

  // --- several balancer instances (scenario `balancers`) ---
  /**
   * The balancer instance this server object belongs to. With several instances each one holds its
   * own copy of every server (view, queue, health, counters); they share one `station`.
   */
  readonly instance: number;
  /** On the station: every instance's copy, by instance (`[this]` with one instance). */
  readonly replicas: Server[] = [];
  /** On the station, with several instances only: connections and queued requests of all instances. */
  allServed = 0;
  allQueued = 0;
  maxAllServed = 0;
  maxAllQueued = 0;
  /** Active checks this copy started (each instance checks the server on its own). */
  checksRun = 0;

  // --- hidden service (not visible to strategies) ---
  /** Processor sharing: virtual time, its last update, the min-heap of jobs by finish, the pending event. */
  psVirtual = 0;
  psUpdatedMs = 0;
  psHeap = new Int32Array(8);
  psSize = 0;
  psEvent = Number.NaN;

  // --- passive checks ---
  consecutiveErrors = 0;

  // --- counters (haproxy-semantics.md §7) ---
  /** Requests a freed slot took out of its own queue (HAProxy's queue index, for %sq). */
  queueDequeues = 0;
  retries = 0;
  redispatches = 0;
  connectErrors = 0;
  responseErrors = 0;
  serverErrors = 0;
  checksFailed = 0;
  downs = 0;
  /** HAProxy's `check_status` of the last completed active check; null before the first one. */
  lastCheck: CheckStatus | null = null;
  /** Steady-state requests it answered after their client had given up (ServerResults.gaveUpServed). */
  gaveUpServed = 0;

  /** `station`: instance 0's copy of the same server, for the copies of the other instances. */
  constructor(
    index: number,
    spec: ServerSpec,
    backend = 0,
    backendName = "backend",
    qualified = false,
    station?: Server,
    instance = 0,
    store: ServerDoubles = new ServerDoubles(1),
  ) {
    this.index = index;
    this.station = station ?? this;
    this.instance = instance;
    this.faults = station === undefined ? new ServerFaults() : station.faults;
    this.station.replicas.push(this);
    this.spec = spec;
    this.slots = spec.slots;
    this.speed = spec.speed;
    this.ps = spec.discipline === "ps";
    this.isBackup = spec.backup;
    this.observeMode = spec.observe?.mode ?? null;
    this.hasRtt = spec.rtt !== undefined;
    this.doubles = store.values;
    this.at = store.claim();
    this.backend = backend;
    this.backendName = backendName;
    this.name = qualified ? `${backendName}/${spec.name}` : spec.name;
    this.view = new MutableServerView(index, spec);
    this.absent = spec.added === false;
    this.maint = spec.disabled || this.absent;
    this.health = spec.check === null ? 1 : spec.check.rise;
    if (spec.loss !== undefined) {
      this.faults.baseLoss = spec.loss;
      this.faults.derive();
    }
  }

  get checked(): boolean {
    return this.spec.check !== null;
  }

  /** UP as far as health goes (checks, or forced by the runtime API). */
  get healthUp(): boolean {
    return this.spec.check === null ? this.health > 0 : this.health >= this.spec.check.rise;
  }

  /** Usable by the load-balancing algorithm (haproxy-semantics.md §2 step 2). */
  get shouldBeUsable(): boolean {
    return !this.maint && !this.drain && !this.stopping && this.healthUp && this.view.weight > 0;
  }

  /** Workers in service now (fifo: busy; ps: min(jobs, slots)), for utilization. */
  get workersBusy(): number {
    return Math.min(this.busy, this.slots);
  }

  /** Σ served·dt since the last bucket. */
  get servedArea(): number {
    return this.doubles[this.at + SERVED_AREA]!;
  }
  set servedArea(value: number) {
    this.doubles[this.at + SERVED_AREA] = value;
  }
  /** Σ busy workers·dt since warm-up (utilization). */
  get busyArea(): number {
    return this.doubles[this.at + BUSY_AREA]!;
  }
  set busyArea(value: number) {
    this.doubles[this.at + BUSY_AREA] = value;
  }
  /** Until when `servedArea` and `busyArea` are added up. */
  get areaSinceMs(): number {
    return this.doubles[this.at + AREA_SINCE]!;
  }
  /** Σ queued·dt (its own balancer queue) since the last bucket. */
  get queuedArea(): number {
    return this.doubles[this.at + QUEUED_AREA]!;
  }
  set queuedArea(value: number) {
    this.doubles[this.at + QUEUED_AREA] = value;
  }
  /** The steady-state jobs' total wait behind busy workers. */
  get waitedMs(): number {
    return this.doubles[this.at + WAITED]!;
  }
  set waitedMs(value: number) {
    this.doubles[this.at + WAITED] = value;
  }

  /** Adds Σ queued·dt up to `nowMs`; call before any change to `view.queued`. */
  queueChanging(nowMs: number): void {
    const d = this.doubles;
    const at = this.at;
    d[at + QUEUED_AREA]! += this.view.queued * (nowMs - d[at + QUEUED_SINCE]!);
    d[at + QUEUED_SINCE] = nowMs;
  }

  /** Adds Σ served·dt and Σ busy·dt up to `nowMs`; call before any change to `served` or `busy`. */
  accumulate(nowMs: number): void {
    const d = this.doubles;
    const at = this.at;
    const dt = nowMs - d[at + AREA_SINCE]!;
    if (dt > 0) {
      d[at + SERVED_AREA]! += this.view.served * dt;
      d[at + BUSY_AREA]! += Math.min(this.busy, this.slots) * dt;
      d[at + AREA_SINCE] = nowMs;
    }
  }

  /** HAProxy's status word for `show stat` (haproxy-semantics.md §4.2 table). */
  computeStatus(): string {
    if (this.absent) return ABSENT;
    if (this.maint) return "MAINT";
    const check = this.spec.check;
    if (check === null) {
      if (this.health === 0) return "DOWN";
      if (this.drain) return "DRAIN";
      if (this.stopping) return "NOLB";
      return "no check";
    }
    const { rise, fall } = check;
    const full = rise + fall - 1;
    if (this.health === 0) return "DOWN";
    if (this.health < rise) return `DOWN ${this.health}/${rise}`;
    const suffix = this.health === full ? "" : ` ${this.health - rise + 1}/${fall}`;
    if (this.drain || this.view.weight === 0) return `DRAIN${suffix}`;
    if (this.stopping) return `NOLB${suffix}`;
    return `UP${suffix}`;
  }
}
