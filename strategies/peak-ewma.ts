// peak-ewma: power of two choices on a peak-sensitive latency EWMA × (in flight + 1), as Finagle and Linkerd (not HAProxy).
//
// Each server has a cost: an observed response time above the cost replaces it at once (the peak),
// a lower one pulls it down as an EWMA, and the cost also decays toward 0 while nothing is observed
// (Finagle's `observe(0)` on every read), so a server that had one slow answer is tried again later.
// A pick draws two distinct usable servers and takes the lower cost × (served + queued + 1) per
// effective weight (for equal weights exactly Finagle's load). A server with requests in flight and
// no answer yet costs a large penalty, an idle unmeasured one costs 0 (Finagle's rule).
//
// Time: strategies have no clock, so time is counted in picks of this strategy. The time constant is
// DECAY_PICKS_PER_SERVER picks per usable server: with traffic spread evenly, about ten of a
// server's own turns. Under a steady arrival rate this is a fixed span of simulated time, as
// Finagle's 10 s decay is.

import { Membership } from "./shared/index.js";
import type { RequestView, ServerView, Strategy, StrategyContext } from "./types.js";
import { isFull } from "./types.js";

/** The EWMA's time constant, in picks per usable server. */
export const DECAY_PICKS_PER_SERVER = 10;
/** Cost (ms) of a server with requests in flight and no answer yet: worse than any measured one. */
const PENALTY_MS = 1e12;

/** Finagle's update: a response slower than the cost replaces it, a faster one keeps `keep` of the cost. */
export function nextCost(cost: number, responseMs: number, keep: number): number {
  return responseMs > cost ? responseMs : cost * keep + responseMs * (1 - keep);
}

export function createPeakEwma(servers: ReadonlyArray<ServerView>, context: StrategyContext): Strategy {
  const n = servers.length;
  const cost = new Float64Array(n);
  /** Clock reading when the cost was last brought up to date. */
  const stamp = new Float64Array(n);
  let clock = 0;
  // The usable slots, for drawing in O(1); `place` is each slot's position in it (-1 = absent).
  const usable = new Int32Array(n);
  const place = new Int32Array(n).fill(-1);
  let usableCount = 0;
  const random = context.random;

  const members = new Membership(servers, {
    enter(slot) {
      // A returning server starts unmeasured, as a new endpoint does in Finagle and Linkerd.
      cost[slot] = 0;
      stamp[slot] = clock;
      place[slot] = usableCount;
      usable[usableCount++] = slot;
    },
    leave(slot) {
      const at = place[slot]!;
      const last = usable[--usableCount]!;
      usable[at] = last;
      place[last] = at;
      place[slot] = -1;
    },
    reweigh() {},
  });
  const ew = members.weight;

  /** exp(−elapsed / τ): how much of the cost survives since its stamp. */
  function survival(slot: number): number {
    const elapsed = clock - stamp[slot]!;
    stamp[slot] = clock;
    return elapsed > 0 ? Math.exp(-elapsed / (DECAY_PICKS_PER_SERVER * Math.max(1, usableCount))) : 1;
  }

  /** The server's load per weight; brings its cost up to date (decay toward 0), as Finagle's read does. */
  function load(slot: number): number {
    const current = cost[slot]! * survival(slot);
    cost[slot] = current;
    const server = servers[slot]!;
    const pending = server.served + server.queued;
    const raw = current === 0 ? (pending === 0 ? 0 : PENALTY_MS + pending) : current * (pending + 1);
    return raw / ew[slot]!;
  }

  const eligible = (slot: number, avoid: number) => slot !== avoid && !isFull(servers[slot]!);

  /** Both draws were full or avoided: the least loaded server that can take it, in declaration order. */
  function fallback(avoid: number): number {
    let best = -1;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let slot = 0; slot < n; slot++) {
      if (ew[slot] === 0 || !eligible(slot, avoid)) continue;
      const value = load(slot);
      if (value < bestLoad) {
        best = slot;
        bestLoad = value;
      }
    }
    // §3.0 "Avoid": the failed server only when nothing else can take the request.
    if (best < 0 && avoid >= 0 && ew[avoid]! > 0 && !isFull(servers[avoid]!)) return avoid;
    return best;
  }

  return {
    name: "peak-ewma",
    queueWhenBacklogged: false,
    ignoresFullness: false,

    /** Usable again, unmeasured. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** No longer drawn; whether it was already out does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** The weight divides the load; nothing else changes. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** Loads read `served` and `queued` live; nothing to track. */
    taken: () => {},
    released: () => {},

    /** A new peak replaces the cost; a lower time pulls it down with weight 1 − exp(−elapsed / τ). */
    observed(server: ServerView, responseMs: number): void {
      const slot = members.slotOf(server);
      if (slot < 0 || !(responseMs >= 0)) return;
      cost[slot] = nextCost(cost[slot]!, responseMs, survival(slot));
    },

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      clock++;
      const avoidSlot = members.slotOf(avoid);
      let chosen: number;
      if (usableCount < 2) {
        chosen = usableCount === 1 && !isFull(servers[usable[0]!]!) ? usable[0]! : -1;
      } else {
        // Two distinct draws: the second among the other usableCount − 1 servers.
        const first = Math.floor(random() * usableCount);
        let second = Math.floor(random() * (usableCount - 1));
        if (second >= first) second++;
        const a = usable[first]!;
        const b = usable[second]!;
        const okA = eligible(a, avoidSlot);
        const okB = eligible(b, avoidSlot);
        if (okA && okB) chosen = load(b) < load(a) ? b : a;
        else if (okA) chosen = a;
        else if (okB) chosen = b;
        else chosen = fallback(avoidSlot);
      }
      return chosen < 0 ? undefined : servers[chosen];
    },
  };
}
