// first: the usable server with the lowest id that still has room, like HAProxy's lb_fas.c (§3.5).
//
// Servers are tried by ascending HAProxy id (not declaration order), so traffic fills one server up
// to its maxconn before the next is used; without maxconn everything goes to the first usable one.
// Weights only count as 0 (out) or not.

import { Membership } from "./shared/index.js";
import type { PickExplanation, RequestView, ServerView, Strategy, StrategyContext } from "./types.js";
import { isFull } from "./types.js";

export function createFirst(servers: ReadonlyArray<ServerView>, _context?: StrategyContext): Strategy {
  // Slots by ascending id; equal ids (which HAProxy refuses) keep declaration order.
  const byId = Int32Array.from(
    servers.map((_, slot) => slot).sort((a, b) => servers[a]!.id - servers[b]!.id || a - b),
  );
  const members = new Membership(servers, { enter: () => {}, leave: () => {}, reweigh: () => {} });
  const weight = members.weight;

  return {
    name: "first",
    queueWhenBacklogged: true,
    ignoresFullness: false,

    /** Usable again: tried in its id's place from the next pick. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** No longer tried; whether it was already out does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** Only 0 or not matters. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** Fullness is read live at pick time; nothing to track. */
    taken: () => {},
    released: () => {},

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      const avoidSlot = members.slotOf(avoid);
      let avoided = -1;
      for (let k = 0; k < byId.length; k++) {
        const slot = byId[k]!;
        if (weight[slot] === 0 || isFull(servers[slot]!)) continue;
        if (slot !== avoidSlot) return servers[slot];
        avoided = slot;
      }
      // §3.0 "Avoid": the failed server only when nothing else can take the request.
      return avoided >= 0 ? servers[avoided] : undefined;
    },

    /** The order servers are tried in (ascending id, weight 0 left out) with their ids. */
    explainState(): PickExplanation {
      const order: Array<Record<string, number | string>> = [];
      for (const slot of byId)
        if (weight[slot] !== 0) order.push({ server: servers[slot]!.name, id: servers[slot]!.id });
      return { state: { order } };
    },
  };
}
