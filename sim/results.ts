// Results: the JSON contract of a run (DESIGN.md "Results"). Pure data; every duration in ms, named …Ms.

/** One change of a server's HAProxy status (`UP`, `UP 2/3`, `DOWN`, `DOWN 1/2`, `DRAIN`, `MAINT`, `NOLB`, `no check`). */
export interface StateChange {
  readonly atMs: number;
  readonly state: string;
}

/**
 * The `check_status` codes of HAProxy's stats (management manual, `show stat` field 36) that the
 * model produces: L4 (TCP) check passed, refused, connect timed out; HTTP check passed, response
 * timed out, error status.
 */
export type CheckStatus = "L4OK" | "L4CON" | "L4TOUT" | "L7OK" | "L7TOUT" | "L7STS" | "SOCKERR";

export interface ServerResults {
  /** The server's name; `<backend>/<server>` when the scenario has several backends. */
  readonly name: string;
  /** Its backend's name; present only when the scenario has several frontends or backends. */
  readonly backend?: string;
  /** Requests this server answered or failed (steady state: arrived at or after warm-up). */
  readonly requests: number;
  /** requests / Σ requests over all servers (0 when nothing was served). */
  readonly share: number;
  /** Busy slot-time over the steady-state period, divided by slots × that period. */
  readonly utilization: number;
  /** Most requests assigned at once (HAProxy's `smax`). */
  readonly maxInFlight: number;
  /** Longest queue of the server's own balancer queue (HAProxy's `qmax`). */
  readonly maxQueued: number;
  /**
   * Mean time a job waited inside the server, behind its busy workers (`slots`), before a worker
   * took it; over the steady-state jobs a worker took. Always 0 under processor sharing (`ps`).
   */
  readonly waitMeanMs: number;
  /** Status timeline over the whole run, starting at 0. */
  readonly states: ReadonlyArray<StateChange>;
  /** Connection attempts (`stot`), picks (`lbtot`), same-server retries (`wretr`), redispatches away (`wredis`). */
  readonly attempts: number;
  readonly picks: number;
  readonly retries: number;
  readonly redispatches: number;
  /** Failed connections at give-up (`econ`), aborted/timed-out responses (`eresp`), 5xx it sent. */
  readonly connectErrors: number;
  readonly responseErrors: number;
  readonly serverErrors: number;
  /** Failed health checks (`chkfail`) and UP→DOWN transitions (`chkdown`), over the whole run (warm-up included). */
  readonly checksFailed: number;
  readonly downs: number;
  /** Its configured weight (`weight N` on its `server` line; HAProxy's default 1). */
  readonly weight: number;
  /**
   * Its user weight at the end of the run: `weight`, as changed by `set server … weight N[%]`
   * runtime commands (0 after `set weight … 0`). This is HAProxy's `uweight`, what `show servers
   * state` lists as `srv_uweight`; the stats page's `weight` column shows the effective weight,
   * which also follows a `slowstart` ramp. The ramp is left out here on purpose: it is a transient
   * the series and `states` already show, and the end-of-run figure should say what the operator
   * set, not where a ramp happened to be when the run stopped. DRAIN and MAINT do not change it
   * either (they do not in HAProxy: the stats page keeps showing the weight).
   */
  readonly weightAtEnd: number;
  /** Whether it is a `backup` server (HAProxy's `bck` column): always present. */
  readonly backup: boolean;
  /**
   * At the end of the run, the requests assigned to it (HAProxy's `scur`: connecting, waiting for or
   * receiving its answer), and those waiting in its own balancer queue behind `maxconn` (`qcur`).
   * A request the balancer already answered (a timeout's 504) no longer counts, even if the server
   * still works on it.
   */
  readonly inFlightAtEnd: number;
  readonly queuedAtEnd: number;
  /**
   * HAProxy's `check_status` of its last completed active health check: `L4OK` (TCP check
   * connected), `L4CON` (connection refused: a crashed server), `L4TOUT` (connect timed out: a
   * partitioned server, whatever the check's type), `L7OK` (HTTP check answered 2xx/3xx), `L7TOUT`
   * (HTTP check's response timed out: a hung server; a TCP check still gets `L4OK` there, as the
   * kernel accepts the connection), `L7STS` (HTTP check answered an error status), `SOCKERR` (HTTP
   * check's connection reset: a `reset` server; HAProxy 2.6.12's "Connection reset by peer"). Absent when the
   * server has no `check`, or no check completed before the end of the run. In MAINT checks stop,
   * and a check running when MAINT began is dropped: the last completed one stays. Passive
   * `observe` failures do not change it.
   */
  readonly lastCheck?: CheckStatus;
  /**
   * Total time it was stopped over the whole run, in ms (HAProxy's `downtime`, which counts the time
   * the server's operational state is stopped): every span of `states` that is `DOWN`, `DOWN n/m`
   * (going up, not yet UP) or `MAINT` (HAProxy's maintenance also stops the server), an ongoing one
   * counted to the end of the run. DRAIN, NOLB and `UP n/m` are running states and do not count.
   */
  readonly downtimeMs: number;
  /**
   * Present only when some client has a `timeout`: steady-state requests this server answered
   * after their client had given up (HAProxy went on with them: no `abortonclose`). Work done for
   * nobody; each also counts in `requests` as the client's failure.
   */
  readonly gaveUpServed?: number;
}

export interface Series {
  readonly bucketMs: number;
  /** Start of each bucket. */
  readonly atMs: ReadonlyArray<number>;
  /** Requests that finished in the bucket, and of those the failed ones. */
  readonly requests: ReadonlyArray<number>;
  readonly errors: ReadonlyArray<number>;
  /** Percentiles of the latency of requests that finished in the bucket (0 when none did). */
  readonly p50Ms: ReadonlyArray<number>;
  readonly p99Ms: ReadonlyArray<number>;
  /** Time-average of each server's requests in flight over the bucket. */
  readonly inFlight: Readonly<Record<string, ReadonlyArray<number>>>;
  /** Time-average length of the backend queue over the bucket. */
  readonly backendQueue: ReadonlyArray<number>;
  /** As p50Ms and p99Ms: the 90th percentile of the latency of requests that finished in the bucket. */
  readonly p90Ms: ReadonlyArray<number>;
  /**
   * The failed requests of `errors`, by the status the client received and by termination state
   * (keyed as `Results.requests.byStatus` / `byTermination`); only keys with a failure in the run
   * appear, each with one count per bucket. Per bucket, each sums to `errors`.
   */
  readonly errorsByStatus: Readonly<Record<string, ReadonlyArray<number>>>;
  readonly errorsByTermination: Readonly<Record<string, ReadonlyArray<number>>>;
  /** Per server: the requests of `requests` it answered or failed (a request with no server counts in none). */
  readonly serverRequests: Readonly<Record<string, ReadonlyArray<number>>>;
  /** Per server: time-average length of its own balancer queue (behind `maxconn`, as `maxQueued`) over the bucket. */
  readonly queued: Readonly<Record<string, ReadonlyArray<number>>>;
  /**
   * Per server (named as in `inFlight`): the failed health checks counted in the bucket, exactly as
   * `servers[].checksFailed` counts them (HAProxy's `chkfail`, over the whole run, warm-up
   * included: each health decrement of an active check, and of a passive `observe` failure), so
   * that each server's array sums to its `checksFailed`. A failure counts in the bucket holding the
   * moment the check completed (or the passive error was seen); one at the very end of the run in
   * the last bucket. All zeros for a server without checks.
   */
  readonly checksFailed: Readonly<Record<string, ReadonlyArray<number>>>;
}

/** `Results.latencyDistribution`: latency at fixed percentiles, for a "nines" plot. */
export interface LatencyDistribution {
  /** Always the same 41 percentiles, ascending, 0 to 100 (sim/model/metrics.ts DISTRIBUTION_PERCENTILES). */
  readonly percentiles: ReadonlyArray<number>;
  /** The latency at each, in ms; all 0 when no request finished. */
  readonly valuesMs: ReadonlyArray<number>;
}

/** One backend's figures, when the scenario has several frontends or backends (`Results.backends`). */
export interface BackendResults {
  readonly name: string;
  /**
   * Its `balance` (or the `--strategy` every backend ran with), as the run started: a timeline
   * `balance` switch is in `Results.timeline` (action `balance`).
   */
  readonly strategy: string;
  /** Its servers, as named in `Results.servers`. */
  readonly servers: ReadonlyArray<string>;
  /** The requests routed to it (steady state, finished): as `Results.requests`, without the extras. */
  readonly requests: {
    readonly total: number;
    readonly ok: number;
    readonly failed: number;
    /** requests routed here / requests routed anywhere (0 when none were). */
    readonly share: number;
    readonly byStatus: Readonly<Record<string, number>>;
    /** Routed here, arrived at or after warm-up, still open at the end of the run (always written by a run). */
    readonly unfinished?: number;
    /** As `Results.requests.gaveUpServed`, for the requests routed here (present in the same case). */
    readonly gaveUpServed?: number;
  };
  readonly latency: Results["latency"];
  /** As `Results.latencyLowerBound`, over the requests routed here; present only when some were unfinished. */
  readonly latencyLowerBound?: LatencyLowerBound;
  readonly queue: Results["queue"];
}

/** One balancer instance's figures (`Results.balancers`, with a scenario's `balancers:`). */
export interface BalancerResults {
  /** 0, 1, … in the order requests are spread over them; `name` is `lb1`, `lb2`, … */
  readonly index: number;
  readonly name: string;
  /** The requests that reached this instance (steady state), as `Results.backends[].requests`. */
  readonly requests: BackendResults["requests"];
  readonly latency: Results["latency"];
  readonly latencyLowerBound?: LatencyLowerBound;
  /** Its own queues (`maxBackendQueue`: the longest of its backend queues). */
  readonly queue: Results["queue"];
  /** Active health checks it ran, every server together (each instance checks every server). */
  readonly checks: number;
  /** Each server as this instance sees it: its own connections, queue, checks and states. */
  readonly servers: ReadonlyArray<BalancerServerResults>;
}

/** A server as one balancer instance saw it (`Results.balancers[].servers`). */
export interface BalancerServerResults {
  readonly name: string;
  /** Steady-state requests this instance finished on it, and their share of the instance's requests on its backend's servers. */
  readonly requests: number;
  readonly share: number;
  /** The most of this instance's connections on it at once, and of its requests in its queue here. */
  readonly maxInFlight: number;
  readonly maxQueued: number;
  /** Active checks this instance ran on it, the failed ones (passive included), and its UP→DOWN transitions. */
  readonly checks: number;
  readonly checksFailed: number;
  readonly downs: number;
  readonly connectErrors: number;
  readonly responseErrors: number;
  readonly serverErrors: number;
  /** Its status changes as this instance saw them (each instance's checks run on their own schedule). */
  readonly states: ReadonlyArray<StateChange>;
}

/** One frontend's figures, when the scenario has several frontends or backends (`Results.frontends`). */
export interface FrontendResults {
  readonly name: string;
  /** Requests that reached it at or after warm-up. */
  readonly requests: number;
  /** Most connections it held at once (HAProxy's frontend `smax`). */
  readonly maxConnections: number;
  /** Requests it had to queue in its backlog because it was at `maxconn`, at or after warm-up. */
  readonly backlogged: number;
}

/**
 * Latency over the finished requests plus each unfinished one counted at its age at the end of the
 * run (end − arrival). An unfinished request can only end later, so each figure is a lower bound of
 * what the run's latency would be had every request been answered.
 */
export interface LatencyLowerBound {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** How many requests were counted at their age. */
  readonly unfinished: number;
}

/** One backend's offered load: steady-state arrivals against what its servers can serve. */
export interface OfferedLoad {
  readonly backend: string;
  /** Requests routed to it that arrived at or after warm-up, per second of that period. */
  readonly arrivalsPerSecond: number;
  /** Σ over its active servers (backups when it has none) of min(slots, maxconn) × speed × 1000 / mean demand ms. */
  readonly capacityPerSecond: number;
  /** arrivalsPerSecond / capacityPerSecond: ≥ 1 means the backend's queues grow without bound (0 when unknown). */
  readonly ratio: number;
}

export interface CheckResult {
  readonly name: string;
  readonly pass: boolean;
  readonly actual: number;
  /**
   * What `actual` was compared with: the right side's value (a number, or another metric's value),
   * or for `in` the bound a failed value lies beyond (the nearer bound when it passed). Absent on a
   * line that has no value (`note`).
   */
  readonly limit?: number;
  /** Why the line failed without a value of its own (`detected(web02)` when web02 was never marked DOWN). */
  readonly note?: string;
}

/** One timeline action as the model applied it (`Results.timeline`), a rolling upgrade's steps included. */
export interface TimelineEntry {
  readonly atMs: number;
  /** The scenario event's kind: `crash`, `hang`, `restore`, `slow`, `errors`, `partition`, `heal`, `reset`, `loss`, `refuse-first`, `runtime`, `rate`, `spike`, `upgrade`, `balance`, `redispatch`. */
  readonly action: string;
  /** The server it targets, named as in `Results.servers[].name`; absent when it targets none. */
  readonly server?: string;
  /** A short label for charts and tables: `crash web02`, `set server web_servers/web02 state drain`. */
  readonly text: string;
}

/** The figures of the requests that arrived in one time window `[fromMs, toMs)` named by an expectation. */
export interface WindowResults {
  readonly fromMs: number;
  readonly toMs: number;
  readonly requests: {
    /** Arrived in the window and finished before the end of the run: ok + failed. */
    readonly total: number;
    readonly ok: number;
    readonly failed: number;
    /** Arrived in the window, still open at the end of the run. */
    readonly unfinished: number;
    readonly byStatus: Readonly<Record<string, number>>;
    readonly byTermination: Readonly<Record<string, number>>;
    readonly retried: number;
    readonly redispatched: number;
  };
  /** Latency of the finished ones. */
  readonly latency: Results["latency"];
  /**
   * Present only when `requests.unfinished > 0`: the same figures with each unfinished request
   * counted at its age at the end of the run (a lower bound of its latency); windowed latency
   * expectations are judged on these.
   */
  readonly latencyLowerBound?: Results["latency"];
  /** Time the finished ones spent in queues. */
  readonly queue: { readonly meanMs: number; readonly p99Ms: number };
  /** The finished ones by the server that answered or failed them (named as in `Results.servers`); none = no server. */
  readonly servers: Readonly<Record<string, number>>;
}

export interface Results {
  readonly scenario: string;
  readonly seed: number;
  /** The algorithm the run started with; timeline `balance` switches are in `timeline`. */
  readonly strategy: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Present (true) only when the run was stopped early (Ctrl-C); `endedAtMs` says when. */
  readonly partial?: boolean;
  readonly endedAtMs?: number;
  readonly requests: {
    /** Requests that arrived at or after warm-up and finished before the end: ok + failed. */
    readonly total: number;
    /** Answered with 1xx–3xx. */
    readonly ok: number;
    readonly failed: number;
    /** Arrived at or after warm-up, still open at the end of the run. */
    readonly unfinished: number;
    /** Arrived during warm-up (not in any steady-state figure). */
    readonly warmup: number;
    /** Status the client received; "-1" when the client gave up before any answer. */
    readonly byStatus: Readonly<Record<string, number>>;
    /** HAProxy termination state, first two characters (`--`, `sC`, `SC`, `sQ`, `sH`, `SH`, `CH`…). */
    readonly byTermination: Readonly<Record<string, number>>;
    /** Requests that needed at least one retry, and those redispatched. */
    readonly retried: number;
    readonly redispatched: number;
    /**
     * Present only when some client has a `timeout`: steady-state requests whose client gave up
     * (counted in `failed` with status -1 and CQ, CC or CH) that a server answered all the same,
     * as HAProxy does without `abortonclose`.
     */
    readonly gaveUpServed?: number;
  };
  /** Latency seen by clients (arrival at the balancer to the end), over every finished request. */
  readonly latency: {
    readonly meanMs: number;
    readonly p50Ms: number;
    readonly p90Ms: number;
    readonly p99Ms: number;
    readonly p999Ms: number;
    readonly maxMs: number;
  };
  /** Present only when `requests.unfinished` > 0: `latency` with the unfinished requests counted at their age. */
  readonly latencyLowerBound?: LatencyLowerBound;
  /** The same latency (steady state, every finished request) at many percentiles, up to 100 (= `latency.maxMs`). */
  readonly latencyDistribution: LatencyDistribution;
  /** Per backend of the scenario: arrivals against capacity; a ratio ≥ 1 also adds a sentence to `warnings`. */
  readonly offeredLoad: ReadonlyArray<OfferedLoad>;
  /**
   * Time finished requests spent in the balancer's queues (a server's queue behind its `maxconn`,
   * or the backend queue); the wait inside a server, behind its busy workers, is `wait`.
   */
  readonly queue: { readonly meanMs: number; readonly p99Ms: number; readonly maxBackendQueue: number };
  /**
   * Time spent INSIDE the servers, behind busy workers (`slots`), before a worker took the job: the
   * queue the balancer cannot see. Over the jobs of steady-state requests that a worker took (a job
   * still waiting at the end, or dropped by a crash, is not counted). 0 under processor sharing.
   */
  readonly wait: { readonly meanMs: number; readonly p99Ms: number };
  readonly servers: ReadonlyArray<ServerResults>;
  /** Present only when the scenario has several frontends or backends: figures per frontend and backend. */
  readonly frontends?: ReadonlyArray<FrontendResults>;
  readonly backends?: ReadonlyArray<BackendResults>;
  /**
   * Present only when the scenario has `balancers:` (several balancer instances): each instance's
   * own figures. Every other field counts all instances together.
   */
  readonly balancers?: ReadonlyArray<BalancerResults>;
  readonly series: Series;
  /**
   * With `warmup: auto` only (cli/warmup-auto.ts): the warm-up MSER-5 found on a first run of the
   * same seed, applied to this one (`warmupMs` equals `ms`), and the series that set it.
   */
  readonly warmupAuto?: { readonly method: "MSER-5"; readonly ms: number; readonly metric: string };
  readonly checks: ReadonlyArray<CheckResult>;
  /** Each timeline action as it was applied, in order (empty without events). */
  readonly timeline: ReadonlyArray<TimelineEntry>;
  /** Present only when an expectation names a time window (`errors during 10s..20s`): one entry per window. */
  readonly windows?: ReadonlyArray<WindowResults>;
  /**
   * Present only when there is something to say: a backend offered at or near its capacity
   * (`offeredLoad`), something refused as HAProxy would (a runtime command), with its message.
   */
  readonly warnings?: ReadonlyArray<string>;
  readonly engine: { readonly events: number; readonly wallMs: number };
}
