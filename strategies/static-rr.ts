// static-rr: weighted round-robin over HAProxy's static server map (lb_map), §3.3.
//
// The map spreads each server's entries by the score rule, so (5,3,2) gives
// s1 s1 s2 s1 s3 s1 s2 s1 s2 s3: the same counts and period as roundrobin, in another order
// (§8 rule 2). A change rebuilds the map but the walking position is kept (§8 rule 14). Static:
// no slowstart ramp, and HAProxy accepts only weight 0 or 100% at run time.

import { StaticMap, staticMembership } from "./shared/index.js";
import type { PickExplanation, RequestView, ServerView, Strategy, StrategyContext } from "./types.js";

export function createStaticRr(servers: ReadonlyArray<ServerView>, _context?: StrategyContext): Strategy {
  const map = new StaticMap(servers);
  const members = staticMembership(servers, map);

  return {
    name: "static-rr",
    queueWhenBacklogged: true,
    ignoresFullness: false,
    dynamic: false,

    /** Usable again: back in the map at the next pick (rebuilt, position kept). Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** Out of the map; whether it was already out does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** Only a new map weight rebuilds the map; a slowstart ramp changes nothing. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** The map walk reads fullness live; nothing to track. */
    taken: () => {},
    released: () => {},

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      const slot = map.next(members.slotOf(avoid));
      return slot < 0 ? undefined : servers[slot];
    },

    /** The map walk: the entry it starts from and the map's size T (the slot is that entry). */
    explainState(): PickExplanation {
      const size = map.size;
      const position = size === 0 || map.walkPosition >= size ? 0 : map.walkPosition;
      return { slot: position, state: { mapSize: size } };
    },
  };
}
