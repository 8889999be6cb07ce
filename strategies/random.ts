// random / random(N): N random draws on the consistent ring, the least loaded per weight wins (§3.10).
//
// HAProxy always places random draws on the consistent-hash ring (§3.11), whatever `hash-type`
// says, so a server's chance is its share of the ring, not exactly its weight. Among the draws the
// newest wins unless an earlier one is less loaded relative to its weight ("power of N choices").
// HAProxy's own PRNG cannot be reproduced: the draws come from the strategy's seeded stream, so only
// the distribution of choices matches HAProxy, not the sequence.

import { ConsistentRing, Membership } from "./shared/index.js";
import type { PickExplanation, RequestView, ServerView, Strategy, StrategyContext } from "./types.js";
import { isFull } from "./types.js";

/** `random` alone means `random(2)`. */
export const DEFAULT_DRAWS = 2;

export function createRandom(
  servers: ReadonlyArray<ServerView>,
  context: StrategyContext,
  draws: number = DEFAULT_DRAWS,
): Strategy {
  if (!(Number.isInteger(draws) && draws >= 1)) throw new Error(`random(${draws}): draws must be ≥ 1`);
  const ring = new ConsistentRing(servers.map((server) => server.id));
  const members = new Membership(servers, {
    enter: (slot, weight) => ring.setPoints(slot, weight),
    leave: (slot) => ring.setPoints(slot, 0),
    // A weight change keeps exactly the points j < new ew (§3.11).
    reweigh: (slot, _old, weight) => ring.setPoints(slot, weight),
  });
  const ew = members.weight;
  const random = context.random;
  // The last pick's draws (hash and slot), kept for `--explain`: two stores per draw, no allocation.
  const drawnHashes = new Float64Array(draws);
  const drawnSlots = new Int32Array(draws);
  let drawnCount = 0;

  return {
    name: draws === DEFAULT_DRAWS ? "random" : `random(${draws})`,
    queueWhenBacklogged: false,
    ignoresFullness: false,

    /** Usable again: its ew points return to the ring. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** Its points leave the ring; whether it was already down does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** The ring keeps exactly points j < new ew. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** The comparison reads `served` live at pick time; nothing to track. */
    taken: () => {},
    released: () => {},

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      const avoidSlot = members.slotOf(avoid);
      let best = -1;
      drawnCount = 0;
      for (let draw = 0; draw < draws; draw++) {
        const hash = Math.floor(random() * 4294967296) >>> 0;
        const slot = ring.lookup(hash, avoidSlot);
        if (slot < 0) break;
        drawnHashes[draw] = hash;
        drawnSlots[draw] = slot;
        drawnCount = draw + 1;
        // The newer draw wins ties: keep the best only if strictly less loaded per weight.
        if (best < 0 || !(servers[slot]!.served * ew[best]! > servers[best]!.served * ew[slot]!)) best = slot;
      }
      if (best < 0) return undefined;
      const chosen = servers[best]!;
      // A full final choice waits in the backend queue (§3.10) rather than trying elsewhere.
      return isFull(chosen) ? undefined : chosen;
    },

    /** The load per weight the draws are compared by (served, effective weight), before the pick. */
    explainState(): PickExplanation {
      const load: Record<string, Record<string, number>> = {};
      servers.forEach((server, slot) => {
        if (ew[slot]! > 0) load[server.name] = { served: server.served, weight: ew[slot]! };
      });
      return { state: { draws, load } };
    },

    /** The pick's draws in order: the ring hash drawn and the server it landed on. */
    explainDraws() {
      const drawn: Array<{ hash: number; server: string }> = [];
      for (let i = 0; i < drawnCount; i++)
        drawn.push({ hash: drawnHashes[i]!, server: servers[drawnSlots[i]!]!.name });
      return drawn;
    },
  };
}
