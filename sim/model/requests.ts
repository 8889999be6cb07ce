// The request table: every open request as one record in two typed arrays, recycled via a free list.
//
// The hot path never allocates a request object: a request is a slot, and a slot's `generation`
// changes when it is freed, so a stale reference (a queue entry, a job) can tell.
//
// A slot is the first index of the request's record: its fields are `nums[slot + N.field]` (doubles)
// and `ints[slot + I.field]` (Int32s). One record per request rather than one typed array per
// field, because a request's fields are read and written together (at its arrival, its connection,
// its end), and with thousands of requests open (10,000 servers) the table is megabytes: one array
// per field put each of a request's ~40 fields on its own cache line, ~40 misses at its start and
// as many at its end (cachegrind: 84 last-level misses a request at 10,000 servers, see
// docs/performance.md). A record spans 5 lines. Code outside this file treats a slot as opaque.

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

/**
 * A request's double fields: `nums[slot + N.field]`. Uint32 values (source keys, seeds,
 * generations) are doubles here, which hold them exactly; their writers store values already in
 * 0..2^32−1, as the Uint32Arrays they replaced required.
 */
export const N = {
  /** Sequential request number (1-based), for ids in traces and logs. */
  id: 0,
  arrivalMs: 1,
  sourceKey: 2,
  /** The request's own seed for its service demand (common random numbers). */
  demandSeed: 3,
  generation: 4,
  /** Demand given by a trace row; NaN when drawn from the server's distribution. */
  demandMs: 5,
  /** Accounting in ms: when the current queue wait began, total queued, connect start, connected at. */
  queueSinceMs: 6,
  queueMs: 7,
  /** Ticket of the queue entry the request currently holds (see WaitQueue). */
  queueOrder: 8,
  /** The queue's count of ordinary dequeues when the request entered the queue it is in. */
  queueEntryCount: 9,
  connectSinceMs: 10,
  connectedAtMs: 11,
  /** When the current connection attempt began (its `timeout connect` runs from there). */
  attemptAtMs: 12,
  /** Pending timers: the client's patience, and the current phase's timeout (queue/connect/server). */
  clientTimer: 13,
  phaseTimer: 14,
  /**
   * When its client gave up on it (its `timeout`) while HAProxy went on with it (no `abortonclose`):
   * the client's view ended then, HAProxy's ends at `finish`. NaN while the client still waits.
   */
  gaveUpAtMs: 15,
  /** The client's wait in a queue when it gave up. */
  gaveUpQueueMs: 16,
  jobEvent: 17,
  /** Processor sharing: virtual time at which the job completes. */
  jobFinish: 18,
  /** When the server took the job (connection established), for the wait behind its busy workers. */
  jobSinceMs: 19,
} as const;

/** A request's integer fields: `ints[slot + I.field]`. */
export const I = {
  client: 0,
  /** The frontend it reached and the backend it was routed to (indices in the model's lists). */
  frontend: 1,
  backend: 2,
  /** Closed-loop user that sent it, or −1. */
  user: 3,
  /** Client-side attempt number (0 = first send; client retries count up). */
  attempt: 4,
  phase: 5,
  sourceIndex: 6,
  pathIndex: 7,
  /** Trace rows carry their own strings; index into the model's string side table, or −1. */
  traceText: 8,
  /** Server of the current or last attempt, −1 when none. */
  server: 9,
  retries: 10,
  redispatched: 11,
  /**
   * httplog's %sq/%bq as HAProxy logs them: for each pass through a server queue / the backend
   * queue, 1 + the requests a freed server took out of that queue while this one waited.
   */
  serverQueuePos: 12,
  backendQueuePos: 13,
  /** The client's view when it gave up: its termination (CQ, CC, CH). */
  gaveUpTermination: 14,
  /** Server-side job: 1 while a server holds work for this request (in service or its hidden queue). */
  jobActive: 15,
  jobPrev: 16,
  jobNext: 17,
} as const;

/** Entries a record takes in each array (a power of two, so a slot is the record number shifted). */
const RECORD_SHIFT = 5;
const RECORD_ENTRIES = 1 << RECORD_SHIFT;

/** The record number of `slot`: 0, 1, 2…, for side tables kept beside the table (trace rows). */
export function recordOf(slot: number): number {
  return slot >>> RECORD_SHIFT;
}

export class RequestTable {
  /** Records the arrays hold now. */
  capacity = 0;
  /** The double fields of every record (replaced when the table grows: never keep it across an `allocate`). */
  nums = new Float64Array(0);
  /** The Int32 fields of every record (as `nums`). */
  ints = new Int32Array(0);
  /**
   * The last queue ticket given (`queueOrder`): one counter for every queue of the model, so that a
   * ticket names one request in one queue, and a stale entry left in another queue by a reused slot
   * can never pass for a member of it.
   */
  lastTicket = 0;

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
      slot = this.#used++ << RECORD_SHIFT;
    }
    const nums = this.nums;
    nums[slot + N.id] = this.#nextId++;
    nums[slot + N.queueMs] = 0;
    nums[slot + N.queueOrder] = -1;
    nums[slot + N.connectSinceMs] = -1;
    nums[slot + N.connectedAtMs] = -1;
    nums[slot + N.clientTimer] = Number.NaN;
    nums[slot + N.phaseTimer] = Number.NaN;
    nums[slot + N.gaveUpAtMs] = Number.NaN;
    nums[slot + N.jobEvent] = Number.NaN;
    nums[slot + N.demandMs] = Number.NaN;
    const ints = this.ints;
    ints[slot + I.user] = -1;
    ints[slot + I.frontend] = 0;
    ints[slot + I.backend] = 0;
    ints[slot + I.attempt] = 0;
    ints[slot + I.server] = -1;
    ints[slot + I.retries] = 0;
    ints[slot + I.redispatched] = 0;
    ints[slot + I.serverQueuePos] = 0;
    ints[slot + I.backendQueuePos] = 0;
    ints[slot + I.jobActive] = 0;
    ints[slot + I.traceText] = -1;
    return slot;
  }

  release(slot: number): void {
    this.ints[slot + I.phase] = Phase.Free;
    this.nums[slot + N.generation] = (this.nums[slot + N.generation]! + 1) >>> 0;
    if (this.#freeCount === this.#free.length) this.#free = growInt32(this.#free);
    this.#free[this.#freeCount++] = slot;
  }

  /** Calls `visit` for every open slot (end-of-run accounting only). */
  forEachOpen(visit: (slot: number) => void): void {
    const end = this.#used << RECORD_SHIFT;
    for (let slot = 0; slot < end; slot += RECORD_ENTRIES)
      if (this.ints[slot + I.phase] !== Phase.Free) visit(slot);
  }

  #resize(capacity: number): void {
    const nums = new Float64Array(capacity * RECORD_ENTRIES);
    nums.set(this.nums);
    this.nums = nums;
    const ints = new Int32Array(capacity * RECORD_ENTRIES);
    ints.set(this.ints);
    this.ints = ints;
    this.capacity = capacity;
  }
}

function growInt32(a: Int32Array): Int32Array {
  const b = new Int32Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}
