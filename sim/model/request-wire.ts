// A request's time on the wire between the balancer and a server: lost SYNs re-sent, round trips (network.ts).
//
// Only requests to a server with an `rtt` or a SYN loss come here (request-life.ts connects the
// others at once). The wire holds the request's one phase timer while the SYNs or the answer
// travel, and hands the request back to its life when they arrive: `reached` (the SYN got through,
// the server's faults answer it), `connectFailed` (the kernel gave up), `deliver` (the response
// is in) and `reset` (the RST is in).
import type { Engine } from "../engine.js";
import type { ModelContext } from "./context.js";
import { Kind } from "./kinds.js";
import { SYN_GIVE_UP_MS, SYN_SEND_MS, synIndexAt } from "./network.js";
import { I, N, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";

/** What the wire hands back to the request's life (request-life.ts), made once per backend. */
export interface WireEnds {
  /** The SYN that got through is answered: what the server's faults say. */
  reached(slot: number, server: Server): void;
  /** The connect failed (`refused`: an error such as the kernel giving up, else a timeout). */
  connectFailed(slot: number, refused: boolean): void;
  /** The response is in; false when it was lost on the way (a partition). */
  deliver(server: Server, slot: number): boolean;
  /** The RST of a `reset` server is in. */
  reset(slot: number, server: Server): void;
}

/** The backend's timeouts as the wire needs them: values in ms and the engine's lanes (−1: none). */
export interface WireTimeouts {
  readonly connectMs: number;
  readonly serverMs: number;
  readonly connectLane: number;
  readonly serverLane: number;
}

export class RequestWire {
  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #servers: ReadonlyArray<Server>;
  readonly #timeouts: WireTimeouts;
  readonly #ends: WireEnds;

  constructor(ctx: ModelContext, timeouts: WireTimeouts, ends: WireEnds) {
    this.#engine = ctx.engine;
    this.#requests = ctx.requests;
    this.#servers = ctx.servers;
    this.#timeouts = timeouts;
    this.#ends = ends;
  }

  /** Does the path to the server delay nothing now (no `rtt`, no SYN loss): connect at once. */
  static instant(server: Server): boolean {
    return !server.hasRtt && server.faults.lossRate === 0;
  }

  /** The attempt (begun at `attemptAtMs`) sends its first SYN. */
  connect(slot: number, server: Server): void {
    this.#sendSyn(slot, server, 0);
  }

  /** A lost SYN's retransmission time has come: send it again (or, after the last, the kernel gives up). */
  synResent(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    const elapsedMs = this.#engine.nowMs - r.nums[slot + N.attemptAtMs]!;
    // Every SYN lost and no `timeout connect` before: the kernel itself gives up (ETIMEDOUT), an error.
    if (elapsedMs >= SYN_GIVE_UP_MS - 1e-6) {
      this.#ends.connectFailed(slot, true);
      return;
    }
    this.#sendSyn(slot, this.#servers[r.ints[slot + I.server]!]!, synIndexAt(elapsedMs));
  }

  /** The SYN that got through reached the server and its answer is back (one RTT). */
  connectReached(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    this.#ends.reached(slot, this.#servers[r.ints[slot + I.server]!]!);
  }

  /** Arms `timeout connect` to fire at `deadlineMs` (none when it is infinite). */
  connectTimeoutAt(slot: number, deadlineMs: number): void {
    const { connectLane } = this.#timeouts;
    if (connectLane < 0) return;
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] =
      r.nums[slot + N.attemptAtMs] === this.#engine.nowMs
        ? this.#engine.arm(connectLane, slot)
        : this.#engine.schedule(deadlineMs, Kind.ConnectTimeout, slot);
  }

  /** The server has sent its response: it arrives one RTT from now. */
  respond(slot: number, server: Server): void {
    this.#arriveLater(slot, server.network.rttMs(), Kind.ResponseArrived);
  }

  /** The request reached a `reset` server: its RST arrives `rttMs` from now. */
  resetLater(slot: number, rttMs: number): void {
    this.#arriveLater(slot, rttMs, Kind.ResetArrived);
  }

  /** The response sent one RTT ago arrives. */
  responseArrived(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    const server = this.#servers[r.ints[slot + I.server]!]!;
    if (this.#ends.deliver(server, slot)) return;
    // Lost on its way: `timeout server` decides again, from the connect.
    const { serverLane, serverMs } = this.#timeouts;
    if (serverLane >= 0)
      r.nums[slot + N.phaseTimer] = this.#engine.schedule(
        r.nums[slot + N.connectedAtMs]! + serverMs,
        Kind.ServerTimeout,
        slot,
      );
  }

  /** The RST of a `reset` server arrives. */
  resetArrived(slot: number): void {
    const r = this.#requests;
    r.nums[slot + N.phaseTimer] = Number.NaN;
    this.#ends.reset(slot, this.#servers[r.ints[slot + I.server]!]!);
  }

  /**
   * SYN number `k` of the attempt leaves now. Lost (drawn at the loss rate of this moment), it is
   * sent again at Linux's next retransmission time; through, it is answered one RTT later; either
   * way `timeout connect`, running since the attempt began, may come first (sC).
   */
  #sendSyn(slot: number, server: Server, k: number): void {
    const r = this.#requests;
    const network = server.network;
    const attemptAtMs = r.nums[slot + N.attemptAtMs]!;
    const deadlineMs = attemptAtMs + this.#timeouts.connectMs;
    if (network.synLost(server.faults.lossRate)) {
      const nextAtMs = attemptAtMs + (k + 1 < SYN_SEND_MS.length ? SYN_SEND_MS[k + 1]! : SYN_GIVE_UP_MS);
      if (nextAtMs >= deadlineMs) this.connectTimeoutAt(slot, deadlineMs);
      else r.nums[slot + N.phaseTimer] = this.#engine.schedule(nextAtMs, Kind.SynResent, slot);
      return;
    }
    const answeredAtMs = this.#engine.nowMs + network.rttMs();
    if (answeredAtMs >= deadlineMs) this.connectTimeoutAt(slot, deadlineMs);
    else r.nums[slot + N.phaseTimer] = this.#engine.schedule(answeredAtMs, Kind.ConnectReached, slot);
  }

  /**
   * The response (or a RST) arrives `delayMs` from now, unless `timeout server` (running since the
   * connect) expires first: then its timer stays armed and decides (504 `sH`).
   */
  #arriveLater(slot: number, delayMs: number, kind: number): void {
    const r = this.#requests;
    const atMs = this.#engine.nowMs + delayMs;
    const { serverLane, serverMs } = this.#timeouts;
    if (serverLane >= 0 && atMs >= r.nums[slot + N.connectedAtMs]! + serverMs) return;
    if (!Number.isNaN(r.nums[slot + N.phaseTimer]!)) this.#engine.cancel(r.nums[slot + N.phaseTimer]!);
    r.nums[slot + N.phaseTimer] = this.#engine.schedule(atMs, kind, slot);
  }
}
