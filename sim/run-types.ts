// What a caller hands to `run` and what it gets per request: the seam between sim/ and its callers.
import type { StrategyFactory } from "../strategies/types.js";
import type { Decision } from "./model/decision-trace.js";

/** One row of an arrivals trace (DESIGN.md "trace file"); optional columns are undefined when absent. */
export interface TraceRow {
  readonly atMs: number;
  readonly sourceIp?: string;
  readonly path?: string;
  readonly host?: string;
  readonly demandMs?: number;
}

/** One finished request, for per-request output (`--trace`, `--log`). Streamed, never held. */
export interface RequestRecord {
  readonly id: number;
  readonly client: string;
  /** Arrival at the balancer. */
  readonly atMs: number;
  readonly sourceIp: string;
  readonly path: string;
  readonly host: string;
  /** The last server tried, named as in Results (`<backend>/<server>` with several backends); "" when none was. */
  readonly server: string;
  /** The frontend it reached and the backend it was routed to (HAProxy's `%ft` and `%b`). */
  readonly frontend?: string;
  readonly backend?: string;
  /** True when no `use_backend` rule routed it and its frontend has no `default_backend`. */
  readonly unrouted?: boolean;
  /** The balancer instance it reached (`lb1`, `lb2`…), only when the scenario has `balancers:`. */
  readonly balancer?: string;
  /** Connections on every frontend (HAProxy's `actconn`, `%ac`); absent = `frontendConnections`. */
  readonly processConnections?: number;
  /**
   * Status the client received; -1 when the client gave up before any answer and HAProxy ended the
   * request then too (in a frontend's backlog, or with `abortonclose`). When HAProxy went on with a
   * request whose client had gone (`gaveUpMs` present), the status HAProxy logged: the server's.
   */
  readonly status: number;
  /** HAProxy's four-character termination state (`----`, `SC--`, `sH--`…). */
  readonly termination: string;
  /** Retries (connection attempts after the first). */
  readonly retries: number;
  /** True when a retry went to another server (`+` in HAProxy's log). */
  readonly redispatched: boolean;
  /** HAProxy's Tw, Tc, Tr and Ta; -1 for a stage never reached. */
  readonly queueMs: number;
  readonly connectMs: number;
  readonly responseMs: number;
  readonly totalMs: number;
  /**
   * Present only when the client gave up (its `timeout`) and HAProxy went on with the request: when
   * it gave up, in ms after `atMs`. The record is then HAProxy's view (status, termination, timers
   * as HAProxy logs them); the client's view is this: it waited `gaveUpMs` and received nothing.
   */
  readonly gaveUpMs?: number;
  /** With `gaveUpMs`: the client's termination state when it gave up (`CQ--`, `CC--`, `CH--`). */
  readonly gaveUpTermination?: string;
  /** With `gaveUpMs`: the time it had waited in a queue when it gave up. */
  readonly gaveUpQueueMs?: number;
  /**
   * Connection counters at logging time, for httplog's `ac/fc/bc/sc` and `sq/bq`: the frontend's
   * (this request's client connection included), the backend's (active and queued) and the
   * server's (this request's server connection no longer counted, as HAProxy logs them).
   */
  readonly frontendConnections: number;
  readonly backendConnections: number;
  readonly serverConnections: number;
  /** Requests ahead of this one when it entered its server's queue / the backend queue (0 if never). */
  readonly serverQueue: number;
  readonly backendQueue: number;
}

export interface RunOptions {
  /** Turns a `balance` value (`roundrobin`, `random(2)`…) into a strategy; throws on unknown names. */
  readonly resolveStrategy: (balance: string) => StrategyFactory;
  /** Overrides the scenario's `balance`. */
  readonly strategy?: string;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Reads a trace file named by `arrivals: {trace: file}` as a stream of rows in time order. */
  readonly readTrace?: (file: string) => Iterable<TraceRow>;
  /** Called once per finished request, in the order they finish (requests still open at the end are not reported). */
  readonly onRequest?: (record: RequestRecord) => void;
  /**
   * `run --explain`: called once per server choice (sim/model/decision-trace.ts), in the order they
   * are made. Absent: no trace, and the choices cost nothing more.
   */
  readonly onDecision?: (decision: Decision) => void;
  /** Called now and then with the simulated time reached (for a progress bar). */
  readonly onProgress?: (simulatedMs: number) => void;
  /** Asked now and then; returning true stops the run early (Ctrl-C): the Results are then partial. */
  readonly shouldStop?: () => boolean;
  /** Leave `engine.wallMs` at 0 so that two runs are byte-identical. */
  readonly deterministic?: boolean;
}
