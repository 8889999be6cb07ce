// The per-request record (`--trace`, `--log`): a finished request as HAProxy's log would show it.
import type { RequestRecord } from "../run-types.js";
import type { RequestCursor } from "./request-cursor.js";
import { I, N, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import { Termination, terminationCode } from "./termination.js";

export interface Counters {
  /** The last server tried, if any. */
  readonly server: Server | undefined;
  readonly servers: ReadonlyArray<Server>;
  /** The request's backend (index, name) and the length of its queue. */
  readonly backend: number;
  readonly backendName: string;
  /** The backend stands for a frontend that routed the request nowhere. */
  readonly unrouted: boolean;
  readonly backendQueue: number;
  /** The request's frontend, and its connections, this request's client connection included. */
  readonly frontend: string;
  readonly frontendConnections: number;
  /** Every frontend's connections (HAProxy's `actconn`), this request's included. */
  readonly processConnections: number;
  /** The request still counts in its server's `served`. */
  readonly assigned: boolean;
  /** The balancer instance it reached, when the scenario has `balancers:`. */
  readonly instance?: number;
}

/**
 * Built only when someone asked for per-request output. Counters as HAProxy logs them (measured:
 * a lone request logs `1/1/0/0/0`): the frontend counts still hold this request's client
 * connection, the backend and server counts no longer hold its server connection.
 */
export function requestRecord(
  r: RequestTable,
  slot: number,
  cursor: RequestCursor,
  client: string,
  nowMs: number,
  status: number,
  termination: Termination,
  counters: Counters,
): RequestRecord {
  const { server } = counters;
  let backendConnections = counters.backendQueue;
  for (const s of counters.servers)
    if (s.backend === counters.backend) backendConnections += s.view.served + s.view.queued;
  const own = counters.assigned && server !== undefined ? 1 : 0;
  const connectSince = r.nums[slot + N.connectSinceMs]!;
  const connectedAt = r.nums[slot + N.connectedAtMs]!;
  const gaveUpAt = r.nums[slot + N.gaveUpAtMs]!;
  return {
    id: r.nums[slot + N.id]!,
    client,
    atMs: r.nums[slot + N.arrivalMs]!,
    sourceIp: cursor.sourceIp,
    path: cursor.path,
    host: cursor.host,
    server: server === undefined ? "" : server.name,
    status,
    termination: `${terminationCode(termination)}--`,
    retries: r.ints[slot + I.retries]!,
    redispatched: r.ints[slot + I.redispatched] === 1,
    queueMs: r.nums[slot + N.queueMs]! > 0 || connectSince >= 0 ? r.nums[slot + N.queueMs]! : -1,
    connectMs: connectedAt >= 0 ? connectedAt - connectSince : -1,
    responseMs: connectedAt >= 0 && termination === Termination.Normal ? nowMs - connectedAt : -1,
    totalMs: nowMs - r.nums[slot + N.arrivalMs]!,
    ...(Number.isNaN(gaveUpAt)
      ? {}
      : {
          gaveUpMs: gaveUpAt - r.nums[slot + N.arrivalMs]!,
          gaveUpTermination: `${terminationCode(r.ints[slot + I.gaveUpTermination]! as Termination)}--`,
          gaveUpQueueMs: r.nums[slot + N.gaveUpQueueMs]!,
        }),
    frontend: counters.frontend,
    backend: counters.backendName,
    ...(counters.unrouted ? { unrouted: true } : {}),
    ...(counters.instance === undefined ? {} : { balancer: `lb${counters.instance + 1}` }),
    processConnections: counters.processConnections,
    frontendConnections: counters.frontendConnections,
    backendConnections: backendConnections - own,
    serverConnections: server === undefined ? 0 : server.view.served - own,
    serverQueue: r.ints[slot + I.serverQueuePos]!,
    backendQueue: r.ints[slot + I.backendQueuePos]!,
  };
}
