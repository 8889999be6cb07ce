// leastconn: fewest requests in flight per weight, like HAProxy 2.6's lb_fwlc.c (§3.4).
//
// One tree keyed by 0 when idle, else ⌊(inflight + 1) × 4096 / ew⌋, equal keys in insertion order.
// Every idle server has key 0 whatever its weight, so sequential traffic rotates evenly through the
// idle FIFO (§8 rule 1) and weights only matter under concurrency. HAProxy 3.2 breaks ties at
// random instead; lbsim targets 2.6 (§9).

import { KeyedBuckets, Membership } from "./shared/index.js";
import type { PickExplanation, RequestView, ServerView, Strategy, StrategyContext } from "./types.js";

/** SRV_EWGHT_MAX: 256 × BE_WEIGHT_SCALE. */
const WEIGHT_MAX = 4096;

/**
 * leastconn's own fullness test (§3.4): the server's queue limit counts too, so a server with
 * `maxqueue` set is still chosen (and queues the request itself) until served + queued reaches
 * maxconn + maxqueue. With maxqueue 0 this is served + queued ≥ maxconn.
 */
export function leastconnFull(server: ServerView): boolean {
  return server.maxconn > 0 && server.served + server.queued >= server.maxconn + server.maxqueue;
}

export function createLeastconn(servers: ReadonlyArray<ServerView>, _context?: StrategyContext): Strategy {
  // Equal keys share one FIFO (shared/keyed-buckets.ts): O(1) per request with many idle servers.
  const tree = new KeyedBuckets(servers.length);
  const members = new Membership(servers, {
    // A server (back) in the tree, or with a new weight, goes behind its key's FIFO (§8 rule 15).
    enter: (slot) => tree.insert(slot, keyOf(slot)),
    leave: (slot) => tree.remove(slot),
    reweigh: (slot) => tree.insert(slot, keyOf(slot)),
  });
  const ew = members.weight;

  function keyOf(slot: number): number {
    const server = servers[slot]!;
    const inflight = server.served + server.queued;
    return inflight === 0 ? 0 : Math.floor(((inflight + 1) * WEIGHT_MAX) / ew[slot]!);
  }

  /** Taken and released share one rule: requeue at the back only when the key changed. */
  function reposition(server: ServerView): void {
    const slot = members.slotOf(server);
    if (slot < 0 || !tree.has(slot)) return;
    const key = keyOf(slot);
    if (key !== tree.keyOf(slot)) tree.insert(slot, key);
  }

  return {
    name: "leastconn",
    queueWhenBacklogged: false,
    ignoresFullness: false,

    /** Usable again: enters at the back of its key's FIFO. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** Out of the tree; whether it was already down does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** Reinserted at the back even when its key is unchanged (§8 rule 15). Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** Recomputes the key from the counts; calling it again changes nothing. */
    taken: reposition,
    /** Recomputes the key from the counts; calling it again changes nothing. */
    released: reposition,

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      const avoidSlot = members.slotOf(avoid);
      let avoided = -1;
      for (let slot = tree.walkStart(); slot >= 0; slot = tree.walkNext()) {
        if (leastconnFull(servers[slot]!)) continue;
        if (slot !== avoidSlot) return servers[slot];
        avoided = slot;
      }
      // §3.0 "Avoid": the failed server only when nothing else can take the request.
      return avoided >= 0 ? servers[avoided] : undefined;
    },

    /** The tree in walk order (the pick takes the first not full, not avoided): counts, weights, keys. */
    explainState(): PickExplanation {
      const order: Array<Record<string, number | string>> = [];
      for (let slot = tree.walkStart(); slot >= 0; slot = tree.walkNext()) {
        const server = servers[slot]!;
        order.push({
          server: server.name,
          served: server.served,
          queued: server.queued,
          weight: ew[slot]!,
          key: tree.keyOf(slot),
        });
      }
      return { state: { tree: order } };
    },
  };
}
