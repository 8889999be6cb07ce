// The typed Scenario: pure data produced by the loader and read (with `import type`) by sim/.
//
// Every duration is in milliseconds (a number); `Infinity` stands for an unset HAProxy timeout
// (haproxy-semantics.md §1: an unset timeout is infinite). Nothing here has behaviour.

/** A distribution of times, parsed from `{exponential: 20ms}` and friends (DESIGN.md). */
export type Distribution =
  | { readonly kind: "exponential"; readonly meanMs: number }
  | { readonly kind: "constant"; readonly valueMs: number }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: "lognormal"; readonly medianMs: number; readonly sigma: number }
  | { readonly kind: "erlang"; readonly k: number; readonly meanMs: number }
  | { readonly kind: "pareto"; readonly scaleMs: number; readonly shape: number }
  | {
      readonly kind: "mix";
      readonly parts: ReadonlyArray<{ readonly p: number; readonly dist: Distribution }>;
    };

/** Health-check parameters of one server (haproxy-semantics.md §4). */
export interface CheckParams {
  /** `tcp` = L4 (connection established); `http` = L7 (`option httpchk`, pass on 2xx/3xx). */
  readonly type: "tcp" | "http";
  readonly interMs: number;
  readonly fastinterMs: number;
  readonly downinterMs: number;
  readonly rise: number;
  readonly fall: number;
  /** `timeout check`; `null` when unset: then the whole check must finish within `inter`. */
  readonly timeoutMs: number | null;
  /**
   * lbsim's `phase: random`: each server's first check at a seeded offset within its interval,
   * so that replications meet a failure at different points of the check cycle. Absent: HAProxy's
   * startup spread (server k of N at k·inter/N), the same on every seed.
   */
  readonly phase?: "random";
}

/** Passive health checking from live traffic (`observe`, `error-limit`, `on-error`). */
export interface ObserveParams {
  readonly mode: "layer4" | "layer7";
  /** Consecutive errors that trigger `onError` (HAProxy's default is 10). */
  readonly errorLimit: number;
  readonly onError: "fastinter" | "fail-check" | "sudden-death" | "mark-down";
}

export interface ServerSpec {
  readonly name: string;
  /** HAProxy server id: 1-based declaration position unless given (`id N`). */
  readonly id: number;
  /** Initial (configured) weight, integer 0..256. */
  readonly weight: number;
  /** Max concurrent requests; 0 = unlimited (excess requests queue). */
  readonly maxconn: number;
  /** Server queue limit; 0 = unlimited. */
  readonly maxqueue: number;
  /** Concurrent workers inside the server (its hidden capacity, not visible to the balancer). */
  readonly slots: number;
  /** `fifo`: `slots` workers with a FIFO queue behind them; `ps`: processor sharing over `slots`. */
  readonly discipline: "fifo" | "ps";
  /** Service-rate multiplier: a demand of d ms takes d / speed ms. */
  readonly speed: number;
  /** Service-time distribution; `null` only when every request carries its own demand (trace). */
  readonly service: Distribution | null;
  readonly backup: boolean;
  /** Active health checks; `null` = no `check` (always considered UP, status "no check"). */
  readonly check: CheckParams | null;
  /** `slowstart` ramp in ms; 0 = off. */
  readonly slowstartMs: number;
  readonly observe: ObserveParams | null;
  /** Starts in MAINT (`disabled`). */
  readonly disabled: boolean;
  /**
   * `added: false`: declared so that the model knows it (service, slots…), but not in the backend
   * until a runtime `add server <backend>/<server>` (HAProxy's dynamic servers). Absent = true.
   */
  readonly added?: boolean;
  /** Round-trip time between the balancer and the server, per connect and per response; absent = none. */
  readonly rtt?: Distribution;
  /** Probability (0..1) that a SYN to the server is lost (re-sent after 1 s, 3 s, 7 s); absent = 0. */
  readonly loss?: number;
}

export interface BackendSpec {
  readonly name: string;
  /** Exactly what haproxy.cfg accepts after `balance` (e.g. `roundrobin`, `random(2)`). */
  readonly balance: string;
  readonly hashType: "map-based" | "consistent";
  /** The hash function after `hash-type <method>`; absent = HAProxy's default (sdbm). */
  readonly hashFunction?: "sdbm" | "djb2" | "wt6" | "crc32";
  /** The `avalanche` modifier; absent = HAProxy's default (on for `consistent` alone). */
  readonly hashAvalanche?: boolean;
  readonly timeout: {
    readonly connectMs: number;
    readonly serverMs: number;
    /** Defaults to `connectMs` (haproxy-semantics.md §1). */
    readonly queueMs: number;
  };
  readonly retries: number;
  /** `option redispatch [P]`: `null` = off; otherwise the interval P (default −1: last retry). */
  readonly redispatch: { readonly interval: number } | null;
  /** `option allbackups`: balance over all usable backups instead of the first one. */
  readonly allbackups: boolean;
  /**
   * `option abortonclose` (in `defaults` or a `listen` section: measured on HAProxy 2.6.12, a
   * `backend` section's alone does not act on the client side): a client that gives up ends its
   * request in HAProxy too. Absent or false: HAProxy serves it anyway (docs/haproxy-model.md "A client that gives up").
   */
  readonly abortonclose?: boolean;
  readonly servers: ReadonlyArray<ServerSpec>;
}

/** What an ACL reads from a request (HAProxy's sample fetches; configuration manual §7.3). */
export type AclFetch =
  /** The path without the query string (`path`, `path_beg`, `path_end`, `path_sub`, `path_dir`, `path_reg`…). */
  | { readonly kind: "path" }
  /** The whole request target: path and query string (`url`, `url_beg`…). */
  | { readonly kind: "url" }
  /** A header's value (`hdr(host)`, `hdr_beg(host)`…); `header` in lower case. */
  | { readonly kind: "hdr"; readonly header: string }
  /** The client's IPv4 address (`src`). */
  | { readonly kind: "src" };

/** HAProxy's pattern matching methods (`-m str|beg|end|sub|dir|dom|reg|ip|found|len`). */
export type AclMethod = "str" | "beg" | "end" | "sub" | "dir" | "dom" | "reg" | "ip" | "found" | "len";

/** One ACL criterion: a fetch, a matching method and its patterns (any pattern matching = true). */
export interface AclMatch {
  readonly fetch: AclFetch;
  readonly method: AclMethod;
  /** `-i`: case-insensitive string matching. */
  readonly ignoreCase: boolean;
  /** Patterns as written (addresses or CIDR networks for `ip`; integers or ranges for `len`). */
  readonly patterns: ReadonlyArray<string>;
}

/** One term of a condition: a named ACL (the frontend's, or HAProxy's predefined TRUE, FALSE…) or an anonymous one (`{ path_beg /api }`). */
export interface AclTerm {
  readonly negate: boolean;
  readonly acl: string | AclMatch;
}

/** `if`/`unless` and its terms: terms of a group are ANDed, groups (`||`, `or`) are ORed. */
export interface Condition {
  readonly unless: boolean;
  readonly anyOf: ReadonlyArray<ReadonlyArray<AclTerm>>;
}

/** `use_backend <backend> [if|unless <condition>]`. */
export interface UseBackendRule {
  readonly backend: string;
  /** `null`: unconditional. */
  readonly condition: Condition | null;
  /** As written after `use_backend`, for messages. */
  readonly text: string;
}

/** A named ACL: HAProxy ORs the criteria of every `acl` line with the same name. */
export interface NamedAcl {
  readonly name: string;
  readonly matches: ReadonlyArray<AclMatch>;
}

export interface FrontendSpec {
  readonly name: string;
  /** Max concurrent connections on the frontend; 0 = unlimited. Excess clients wait (SYN backlog). */
  readonly maxconn: number;
  /** `timeout client`: Infinity when unset. */
  readonly clientTimeoutMs: number;
  /** Absent = none. */
  readonly acls?: ReadonlyArray<NamedAcl>;
  /** Evaluated in order; the first whose condition holds routes the request. Absent = none. */
  readonly useBackends?: ReadonlyArray<UseBackendRule>;
  /**
   * `default_backend`; `null` when there is none: a request no rule routes gets HAProxy's 503
   * (`SC`, logged as `<frontend> <frontend>/<NOSRV>`). Absent = the scenario's first backend.
   */
  readonly defaultBackend?: string | null;
}

export type Arrivals =
  | { readonly kind: "poisson"; readonly ratePerSecond: number }
  | { readonly kind: "constant"; readonly ratePerSecond: number }
  /** Rate changes linearly from `fromPerSecond` to `toPerSecond` over `overMs` (default: the run). */
  | {
      readonly kind: "ramp";
      readonly fromPerSecond: number;
      readonly toPerSecond: number;
      readonly overMs: number;
    }
  /** Closed loop: `count` users, each sends, waits for the answer, thinks, sends again. */
  | { readonly kind: "users"; readonly count: number; readonly think: Distribution }
  /** Replay rows of a CSV trace; the file is read through the runner's trace reader. */
  | { readonly kind: "trace"; readonly file: string };

/** A population of values drawn uniformly or by a Zipf law of exponent `zipf`. */
export interface Population {
  readonly count: number;
  readonly zipf: number | null;
}

export interface ClientRetry {
  /** Extra attempts after a failed answer (5xx or client timeout). */
  readonly count: number;
  readonly backoffMs: number;
  /** Exponential backoff cap. */
  readonly maxBackoffMs: number;
  /** 0..1: the share of the backoff that is randomised ("full jitter" = 1). */
  readonly jitter: number;
}

export interface ClientSpec {
  readonly name: string;
  readonly arrivals: Arrivals;
  readonly sources: Population;
  readonly paths: Population;
  /** Generated paths are `<pathPrefix><index>`; absent = `/item/`. */
  readonly pathPrefix?: string;
  /** The `Host` header its requests carry; absent or "" = none. */
  readonly host?: string;
  /** The frontend its requests reach (by name); absent = the first frontend. */
  readonly frontend?: string;
  /** The client gives up after this long (Infinity = never). */
  readonly timeoutMs: number;
  readonly retry: ClientRetry | null;
}

/** A runtime-API command, already parsed and checked against the topology (haproxy-semantics.md §5). */
export type RuntimeCommand =
  | { readonly op: "state"; readonly server: string; readonly state: "ready" | "drain" | "maint" }
  | { readonly op: "weight"; readonly server: string; readonly weight: number; readonly percent: boolean }
  | { readonly op: "health"; readonly server: string; readonly health: "up" | "down" | "stopping" }
  /** `add server <backend>/<server>`: a server declared with `added: false` joins, in MAINT (HAProxy 2.6). */
  | { readonly op: "add"; readonly server: string }
  /** `del server <backend>/<server>`: leaves the backend; refused unless in MAINT with nothing on it. */
  | { readonly op: "del"; readonly server: string };

export type TimelineAction =
  | { readonly kind: "crash"; readonly server: string }
  | { readonly kind: "hang"; readonly server: string }
  | { readonly kind: "restore"; readonly server: string }
  | { readonly kind: "slow"; readonly server: string; readonly factor: number }
  | { readonly kind: "errors"; readonly server: string; readonly rate: number }
  | { readonly kind: "partition"; readonly server: string }
  | { readonly kind: "heal"; readonly server: string }
  /** Connections are accepted, then reset before any response (502 `SH`), until `restore`. */
  | { readonly kind: "reset"; readonly server: string }
  /** Each SYN to the server is lost with probability `rate` (0..1), until `restore`. */
  | { readonly kind: "loss"; readonly server: string; readonly rate: number }
  /** The next `count` connection attempts to the server (requests' and checks') are refused. */
  | { readonly kind: "refuse-first"; readonly server: string; readonly count: number }
  /**
   * An open-loop client's rate becomes `ratePerSecond` from now on (a ramp stops ramping); the
   * pending arrival is drawn again from the new rate.
   */
  | { readonly kind: "rate"; readonly client: string; readonly ratePerSecond: number }
  /** An open-loop client's rate is multiplied by `factor` for `forMs`, then divided back. */
  | { readonly kind: "spike"; readonly client: string; readonly factor: number; readonly forMs: number }
  /** `text` is the command as written, e.g. `set server backend/web02 state drain`. */
  | { readonly kind: "runtime"; readonly text: string; readonly command: RuntimeCommand }
  /**
   * `{at, balance: leastconn}`: the backend's algorithm from now on (every balancer instance's copy
   * of it), built over its servers as they are now; `balance` as the backend's own `balance` writes
   * it. The `hash-type` fields replace the backend's when given (absent: the backend's own).
   * HAProxy has no runtime command for this: it is a reload with a new `balance` line (see docs).
   */
  | {
      readonly kind: "balance";
      readonly backend: string;
      readonly balance: string;
      readonly hashType?: BackendSpec["hashType"];
      readonly hashFunction?: BackendSpec["hashFunction"];
      readonly hashAvalanche?: boolean;
    }
  /**
   * `{at, redispatch: true | false | P}`: `option redispatch [P]` for the backend's retry decisions
   * from now on (`null`: off), as the backend's `redispatch` writes it.
   */
  | { readonly kind: "redispatch"; readonly backend: string; readonly redispatch: BackendSpec["redispatch"] }
  /**
   * A rolling upgrade (from the `rolling-upgrade` macro), run by the timeline because its steps
   * depend on the run: for each server in turn `set server <backend>/<s> state drain`, then
   * `state maint` as soon as the server is idle (no request in flight or queued on it) or after
   * `drainLimitMs`, then `state ready` after `downtimeMs`, then `gapMs` before the next server.
   */
  | {
      readonly kind: "upgrade";
      readonly backend: string;
      readonly servers: ReadonlyArray<string>;
      readonly drainLimitMs: number;
      readonly downtimeMs: number;
      readonly gapMs: number;
    };

export type TimelineEvent = { readonly atMs: number } & TimelineAction;

/** Several balancer instances in front of one server pool (HAProxy pods or processes behind DNS/ECMP). */
export interface BalancerInstances {
  /** How many, 1 to 64. */
  readonly count: number;
  /** `roundrobin`: each request (a new connection) to the next instance; `source`: by a hash of its address. */
  readonly spread: "roundrobin" | "source";
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** `warmup: auto`: `warmupMs` is 0 here; each run finds its own (MSER-5) and runs again with it (cli/warmup-auto.ts). */
  readonly warmupAuto?: true;
  /** Width of the Results' time-series buckets. */
  readonly bucketMs: number;
  /**
   * `global: {maxconn}`: connections the whole process holds at once, every frontend together
   * (HAProxy's `actconn` limit); absent or 0 = unlimited.
   */
  readonly globalMaxconn?: number;
  /**
   * `balancers: {count, spread}`: several balancer instances sharing the servers (absent: one).
   * Present only when the scenario gives it, so a scenario without it is unchanged.
   */
  readonly balancers?: BalancerInstances;
  /** The first of `frontends`. */
  readonly frontend: FrontendSpec;
  /** The first of `backends`. */
  readonly backend: BackendSpec;
  /** Every frontend, in the order written; absent = `[frontend]`. */
  readonly frontends?: ReadonlyArray<FrontendSpec>;
  /**
   * Every backend, in the order written; absent = `[backend]`. With more than one, servers are
   * named `<backend>/<server>` in events, Results, traces and logs.
   */
  readonly backends?: ReadonlyArray<BackendSpec>;
  readonly clients: ReadonlyArray<ClientSpec>;
  readonly events: ReadonlyArray<TimelineEvent>;
  /** Strategies to compare on the same request stream (`compare:`). */
  readonly compare: ReadonlyArray<string>;
  /** Expectations checked by `lbsim check`, as written. */
  readonly expect: ReadonlyArray<string>;
  /**
   * The same lines parsed once, when the scenario was loaded (scenarios/expectation-grammar.ts), in
   * the order written; each keeps its text (trimmed), the name Results.checks show.
   */
  readonly expectations: ReadonlyArray<Expectation>;
  /**
   * `baseline:`: relative tolerances of `lbsim check --baseline` (0.1 = 10%), `tolerance` for every
   * figure and one per figure name (`p99`); absent when the file has no `baseline:`.
   */
  readonly baseline?: Readonly<Record<string, number>>;
}

/** `[fromMs, toMs)` of simulated time in an expectation (`during 10s..20s`); `toMs` null = the end of the run (`after 18s`). */
export interface TimeWindow {
  readonly fromMs: number;
  readonly toMs: number | null;
}

/**
 * What a metric measures decides how a bare number next to it reads: ms for times, a fraction for
 * ratios. A "count or share" metric (`unfinished`) is a count beside a bare number and a share
 * beside a percentage (`unfinished < 1%`).
 */
export type MetricUnit = "time" | "ratio" | "count" | "count or share";

/** What a metric's argument names: `share(web01)` a server, `backend.p99(api)` a backend, `status(503)` a word. */
export type MetricArgument = "none" | "server" | "word" | "backend";

/** A metric in an expectation (`leastconn.p99`, `share(web01)`, `errors during 10s..20s`). */
export interface MetricRef {
  readonly kind: "metric";
  /** `leastconn.p99`: the figure of that strategy's run (with `compare:`); null = this run. */
  readonly strategy: string | null;
  readonly name: string;
  readonly argument: string | null;
  readonly unit: MetricUnit;
  /** What `argument` names, so that a reader finds the servers and backends without the grammar's table. */
  readonly argumentKind: MetricArgument;
  /** `errors during 10s..20s`: the figure over the requests that arrived in that window; null = the run's. */
  readonly window: TimeWindow | null;
}

export type Operand =
  | MetricRef
  | { readonly kind: "number"; readonly value: number; readonly explicitUnit: boolean };

/** One `expect:` line, parsed: `text` is the line as written (trimmed), the name of its check in Results. */
export type Expectation =
  | {
      readonly text: string;
      readonly op: "<" | "<=" | ">" | ">=" | "==";
      readonly left: MetricRef;
      readonly right: Operand;
    }
  | {
      readonly text: string;
      readonly op: "in";
      readonly left: MetricRef;
      readonly low: Operand;
      readonly high: Operand;
    };
