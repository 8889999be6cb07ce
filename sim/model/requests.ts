// The request table: every open request as one slot in a struct of typed arrays, recycled via a free list.
//
// The hot path never allocates a request object: a request is a slot index, and a slot's
// `generation` changes when it is freed, so a stale reference (a queue entry, a job) can tell.

/** Where a request is on its way through the balancer (haproxy-semantics.md §2). */
export const Phase = {
  Free: 0,
  /** Waiting for the frontend to accept it (frontend `maxconn` reached). */
  Frontend: 1,
  BackendQueue: 2,
  ServerQueue: 3,
  /** Assigned to a server, waiting the turn-around delay before retrying the connection. */
  TurnAround: 4,
  /** Assigned, the connection attempt has not completed yet (an unreachable server). */
  Connecting: 5,
  /** Connected; waiting for the response headers. */
  AwaitingResponse: 6,
  /**
   * Finished (HAProxy's end; a client that gave up earlier finished its own side then, see
   * `gaveUpAtMs`); the slot lives on only while a server still works on it.
   */
  Done: 7,
  /** Created by a client that will send it later (a client retry after its backoff). */
  Pending: 8,
  /** Released from a server that refused it, waiting the turn-around before a redispatch (§2 4.3). */
  RedispatchWait: 9,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export class RequestTable {
  capacity = 0;
  /** Sequential request number (1-based), for ids in traces and logs. */
  id = new Float64Array(0);
  client = new Int32Array(0);
  /** The frontend it reached and the backend it was routed to (indices in the model's lists). */
  frontend = new Uint16Array(0);
  backend = new Uint16Array(0);
  /** Closed-loop user that sent it, or −1. */
  user = new Int32Array(0);
  /** Client-side attempt number (0 = first send; client retries count up). */
  attempt = new Int32Array(0);
  phase = new Uint8Array(0);
  generation = new Uint32Array(0);
  arrivalMs = new Float64Array(0);
  sourceIndex = new Int32Array(0);
  sourceKey = new Uint32Array(0);
  pathIndex = new Int32Array(0);
  /** The request's own seed for its service demand (common random numbers). */
  demandSeed = new Uint32Array(0);
  /** Demand given by a trace row; NaN when drawn from the server's distribution. */
  demandMs = new Float64Array(0);
  /** Trace rows carry their own strings; index into the model's string side table, or −1. */
  traceText = new Int32Array(0);
  /** Server of the current or last attempt, −1 when none. */
  server = new Int32Array(0);
  retries = new Int32Array(0);

  redispatched = new Uint8Array(0);
  /** Accounting in ms: when the current queue wait began, total queued, connect start, connected at. */
  queueSinceMs = new Float64Array(0);
  queueMs = new Float64Array(0);
  /** Ticket of the queue entry the request currently holds (see WaitQueue). */
  queueOrder = new Float64Array(0);
  /**
   * The last queue ticket given (`queueOrder`): one counter for every queue of the model, so that a
   * ticket names one request in one queue, and a stale entry left in another queue by a reused slot
   * can never pass for a member of it.
   */
  lastTicket = 0;
  /**
   * httplog's %sq/%bq as HAProxy logs them: for each pass through a server queue / the backend
   * queue, 1 + the requests a freed server took out of that queue while this one waited.
   */
  serverQueuePos = new Int32Array(0);
  backendQueuePos = new Int32Array(0);
  /** The queue's count of ordinary dequeues when the request entered the queue it is in. */
  queueEntryCount = new Float64Array(0);
  connectSinceMs = new Float64Array(0);
  connectedAtMs = new Float64Array(0);
  /** When the current connection attempt began (its `timeout connect` runs from there). */
  attemptAtMs = new Float64Array(0);
  /** Pending timers: the client's patience, and the current phase's timeout (queue/connect/server). */
  clientTimer = new Float64Array(0);
  phaseTimer = new Float64Array(0);
  /**
   * When its client gave up on it (its `timeout`) while HAProxy went on with it (no `abortonclose`):
   * the client's view ended then, HAProxy's ends at `finish`. NaN while the client still waits.
   */
  gaveUpAtMs = new Float64Array(0);
  /** The client's view when it gave up: its termination (CQ, CC, CH) and its wait in a queue so far. */
  gaveUpTermination = new Uint8Array(0);
  gaveUpQueueMs = new Float64Array(0);
  /** Server-side job: 1 while a server holds work for this request (in service or its hidden queue). */
  jobActive = new Uint8Array(0);
  jobEvent = new Float64Array(0);
  jobPrev = new Int32Array(0);
  jobNext = new Int32Array(0);
  /** Processor sharing: virtual time at which the job completes. */
  jobFinish = new Float64Array(0);
  /** When the server took the job (connection established), for the wait behind its busy workers. */
  jobSinceMs = new Float64Array(0);

  #free: Int32Array = new Int32Array(0);
  #freeCount = 0;
  #used = 0;
  #nextId = 1;

  constructor(initialCapacity = 1024) {
    this.#resize(initialCapacity);
  }

  /** Open requests (slots not free). */
  get open(): number {
    return this.#used - this.#freeCount;
  }

  allocate(): number {
    let slot: number;
    if (this.#freeCount > 0) slot = this.#free[--this.#freeCount]!;
    else {
      if (this.#used === this.capacity) this.#resize(this.capacity * 2);
      slot = this.#used++;
    }
    this.id[slot] = this.#nextId++;
    this.user[slot] = -1;
    this.frontend[slot] = 0;
    this.backend[slot] = 0;
    this.attempt[slot] = 0;
    this.server[slot] = -1;
    this.retries[slot] = 0;

    this.redispatched[slot] = 0;
    this.queueMs[slot] = 0;
    this.queueOrder[slot] = -1;
    this.serverQueuePos[slot] = 0;
    this.backendQueuePos[slot] = 0;
    this.connectSinceMs[slot] = -1;
    this.connectedAtMs[slot] = -1;
    this.clientTimer[slot] = Number.NaN;
    this.phaseTimer[slot] = Number.NaN;
    this.gaveUpAtMs[slot] = Number.NaN;
    this.jobActive[slot] = 0;
    this.jobEvent[slot] = Number.NaN;
    this.demandMs[slot] = Number.NaN;
    this.traceText[slot] = -1;
    return slot;
  }

  release(slot: number): void {
    this.phase[slot] = Phase.Free;
    this.generation[slot] = (this.generation[slot]! + 1) >>> 0;
    if (this.#freeCount === this.#free.length) this.#free = growInt32(this.#free);
    this.#free[this.#freeCount++] = slot;
  }

  /** Calls `visit` for every open slot (end-of-run accounting only). */
  forEachOpen(visit: (slot: number) => void): void {
    for (let slot = 0; slot < this.#used; slot++) if (this.phase[slot] !== Phase.Free) visit(slot);
  }

  #resize(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    this.id = copy(this.id);
    this.client = copy(this.client);
    this.frontend = copy(this.frontend);
    this.backend = copy(this.backend);
    this.user = copy(this.user);
    this.attempt = copy(this.attempt);
    this.phase = copy(this.phase);
    this.generation = copy(this.generation);
    this.arrivalMs = copy(this.arrivalMs);
    this.sourceIndex = copy(this.sourceIndex);
    this.sourceKey = copy(this.sourceKey);
    this.pathIndex = copy(this.pathIndex);
    this.demandSeed = copy(this.demandSeed);
    this.demandMs = copy(this.demandMs);
    this.traceText = copy(this.traceText);
    this.server = copy(this.server);
    this.retries = copy(this.retries);

    this.redispatched = copy(this.redispatched);
    this.queueSinceMs = copy(this.queueSinceMs);
    this.queueMs = copy(this.queueMs);
    this.queueOrder = copy(this.queueOrder);
    this.serverQueuePos = copy(this.serverQueuePos);
    this.backendQueuePos = copy(this.backendQueuePos);
    this.queueEntryCount = copy(this.queueEntryCount);
    this.connectSinceMs = copy(this.connectSinceMs);
    this.connectedAtMs = copy(this.connectedAtMs);
    this.attemptAtMs = copy(this.attemptAtMs);
    this.clientTimer = copy(this.clientTimer);
    this.phaseTimer = copy(this.phaseTimer);
    this.gaveUpAtMs = copy(this.gaveUpAtMs);
    this.gaveUpTermination = copy(this.gaveUpTermination);
    this.gaveUpQueueMs = copy(this.gaveUpQueueMs);
    this.jobActive = copy(this.jobActive);
    this.jobEvent = copy(this.jobEvent);
    this.jobPrev = copy(this.jobPrev);
    this.jobNext = copy(this.jobNext);
    this.jobFinish = copy(this.jobFinish);
    this.jobSinceMs = copy(this.jobSinceMs);
    this.capacity = capacity;
  }
}

function growInt32(a: Int32Array): Int32Array {
  const b = new Int32Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}
