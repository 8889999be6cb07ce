// The strategy interface: what a balance algorithm is told and asked, after HAProxy's `struct lb_ops`.
//
// A strategy sees only what a real balancer could see: connection counts, weights, states, the
// request's address, path and headers, and observed response times. Never a server's hidden
// queue (its `slots`) or a future service time.

/** Read-only view of one server, as the balancer sees it. The model updates it in place. */
export interface ServerView {
  /** 0-based index in declaration order (stable for the whole run). */
  readonly index: number;
  /** HAProxy server id (1-based declaration position unless `id N`); the ring and `first` use it. */
  readonly id: number;
  readonly name: string;
  readonly backup: boolean;
  /** Configured weight, 0..256. */
  readonly initialWeight: number;
  /** Current user weight (`set weight`), 0..256. */
  readonly weight: number;
  /**
   * HAProxy's `cur_eweight`: weight × 16 (BE_WEIGHT_SCALE), scaled down during a slowstart ramp.
   * 0 while the server is not usable by the algorithm.
   */
  readonly effectiveWeight: number;
  /** 0 = unlimited. During slowstart this is the ramped (dynamic) maxconn. */
  readonly maxconn: number;
  /** 0 = unlimited. */
  readonly maxqueue: number;
  /** Requests being served (HAProxy's `served`: connections assigned and not yet released). */
  readonly served: number;
  /** Requests waiting in this server's own queue. */
  readonly queued: number;
  /** Exponentially weighted response time observed by the balancer, ms (0 until the first answer). */
  readonly observedResponseMs: number;
}

/** What a strategy may read of a request. */
export interface RequestView {
  /** Client IPv4 address, dotted (`10.1.2.3`). */
  readonly sourceIp: string;
  /** The same address as a 32-bit unsigned integer (a·2^24 + b·2^16 + c·2^8 + d). */
  readonly sourceKey: number;
  /** Request target as received: path and query string. */
  readonly path: string;
  /** `Host` header value; empty when absent. */
  readonly host: string;
}

export interface Strategy {
  readonly name: string;
  /**
   * True for algorithms that send new requests straight to a non-empty backend queue
   * (roundrobin, static-rr, first: FIFO fairness, haproxy-semantics.md §1 "Queueing").
   */
  readonly queueWhenBacklogged: boolean;
  /** True for hash lookups: they ignore fullness (a full chosen server queues the request itself). */
  readonly ignoresFullness: boolean;
  /**
   * False for HAProxy's static algorithms (static-rr, map-based hashing): slowstart does not ramp
   * their weight and `set weight` accepts only 0 and the initial weight (100%), §3.3, §3.11.
   * Absent = dynamic.
   */
  readonly dynamic?: boolean;
  /** The server became usable (UP after rise, enabled, ready). Idempotent. */
  serverUp(server: ServerView): void;
  /** The server became unusable (DOWN, MAINT, DRAIN, weight 0). Idempotent. */
  serverDown(server: ServerView): void;
  /** `effectiveWeight` changed while usable (set weight, slowstart ramp). */
  weightChanged(server: ServerView): void;
  /** The server's `served` or `queued` grew by one (the counts already include it). */
  taken(server: ServerView): void;
  /** The server's `served` or `queued` shrank by one (the counts are already updated). */
  released(server: ServerView): void;
  /** A response came back after `responseMs` (for latency-aware strategies). Optional. */
  observed?(server: ServerView, responseMs: number): void;
  /**
   * Choose a server for the request, skipping `avoid` unless it is the only choice.
   * `undefined` = none available now (the request waits in the backend queue, or gets 503).
   */
  pick(request: RequestView, avoid?: ServerView): ServerView | undefined;
  /**
   * `lbsim run --explain` only (never called otherwise, so it costs a run nothing): the state that
   * will decide the next `pick` of this request, read just before it and without changing anything
   * (fwrr positions and weights, leastconn counts…). `key` and `slot`, when present, are the hash
   * looked up and its map slot or ring point. Optional: a strategy without it explains nothing.
   */
  explainState?(request: RequestView, avoid?: ServerView): PickExplanation;
  /** `--explain` only, just after `pick`: what the pick drew at random (random(N)'s draws). */
  explainDraws?(): ReadonlyArray<{ readonly hash: number; readonly server: string }>;
}

/** What a strategy says of a pick for `--explain`: its deciding state, and the hash lookup's key and slot. */
export interface PickExplanation {
  readonly key?: number;
  readonly slot?: number;
  readonly state: Readonly<Record<string, unknown>>;
}

/** The hash functions of `hash-type` that lbsim implements (§3.1); `wt6` is not one of them. */
export type HashFunctionName = "sdbm" | "djb2" | "wt6" | "crc32";

export interface StrategyContext {
  /** `hash-type` of the backend. */
  readonly hashType: "map-based" | "consistent";
  /** Uniform [0,1) draws from the strategy's own seeded stream. */
  readonly random: () => number;
  /** `hash-type`'s function when one is named (`hash-type consistent djb2`); absent = sdbm (§3.1). */
  readonly hashFunction?: HashFunctionName;
  /**
   * `hash-type`'s `avalanche` modifier. Absent = HAProxy's default: on for `consistent` with no
   * function named, off otherwise (§3.1). `parseHashType` fills both fields from the config text.
   */
  readonly hashAvalanche?: boolean;
}

/** Builds a strategy over one group of servers (actives, or backups with `allbackups`). */
export type StrategyFactory = (servers: ReadonlyArray<ServerView>, context: StrategyContext) => Strategy;

/** True when the server cannot take one more request without queueing (haproxy-semantics.md §1). */
export function isFull(server: ServerView): boolean {
  return server.maxconn > 0 && (server.served >= server.maxconn || server.queued > 0);
}
