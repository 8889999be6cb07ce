// least-response-time: fewest (in flight + 1) × average response time per weight (not HAProxy; like NGINX Plus's least_time).
//
// The average is the balancer's own EWMA of observed response times (`ServerView.observedResponseMs`,
// kept by the model). A server not measured yet counts as fast as the fastest measured one, so it
// gets tried; with nothing measured at all every server counts the same and this is "fewest in
// flight per weight". Ties go to the server declared first.

import { Membership } from "./shared/index.js";
import type { PickExplanation, RequestView, ServerView, Strategy, StrategyContext } from "./types.js";
import { isFull } from "./types.js";

export function createLeastResponseTime(
  servers: ReadonlyArray<ServerView>,
  _context?: StrategyContext,
): Strategy {
  const n = servers.length;
  const members = new Membership(servers, { enter: () => {}, leave: () => {}, reweigh: () => {} });
  const ew = members.weight;

  return {
    name: "least-response-time",
    queueWhenBacklogged: false,
    ignoresFullness: false,

    /** Usable again. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** No longer picked; whether it was already out does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** The weight divides the score. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** Scores read the counts and the EWMA live; nothing to track. */
    taken: () => {},
    released: () => {},

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      const avoidSlot = members.slotOf(avoid);
      let fastestMs = Number.POSITIVE_INFINITY;
      for (let slot = 0; slot < n; slot++) {
        const ms = servers[slot]!.observedResponseMs;
        if (ew[slot]! > 0 && ms > 0 && ms < fastestMs) fastestMs = ms;
      }
      if (fastestMs === Number.POSITIVE_INFINITY) fastestMs = 1;
      let best = -1;
      let bestScore = Number.POSITIVE_INFINITY;
      let avoided = -1;
      for (let slot = 0; slot < n; slot++) {
        const server = servers[slot]!;
        if (ew[slot] === 0 || isFull(server)) continue;
        if (slot === avoidSlot) {
          avoided = slot;
          continue;
        }
        const ms = server.observedResponseMs > 0 ? server.observedResponseMs : fastestMs;
        const score = ((server.served + server.queued + 1) * ms) / ew[slot]!;
        if (score < bestScore) {
          best = slot;
          bestScore = score;
        }
      }
      // §3.0 "Avoid": the failed server only when nothing else can take the request.
      const chosen = best >= 0 ? best : avoided;
      return chosen < 0 ? undefined : servers[chosen];
    },

    /** Each usable server's score as the pick computes it: (in flight + 1) × response ms / weight. */
    explainState(): PickExplanation {
      let fastestMs = Number.POSITIVE_INFINITY;
      for (let slot = 0; slot < n; slot++) {
        const ms = servers[slot]!.observedResponseMs;
        if (ew[slot]! > 0 && ms > 0 && ms < fastestMs) fastestMs = ms;
      }
      if (fastestMs === Number.POSITIVE_INFINITY) fastestMs = 1;
      const scores: Record<string, Record<string, number>> = {};
      for (let slot = 0; slot < n; slot++) {
        const server = servers[slot]!;
        if (ew[slot] === 0) continue;
        const responseMs = server.observedResponseMs > 0 ? server.observedResponseMs : fastestMs;
        const score = ((server.served + server.queued + 1) * responseMs) / ew[slot]!;
        scores[server.name] = {
          served: server.served,
          queued: server.queued,
          responseMs,
          weight: ew[slot]!,
          score,
        };
      }
      return { state: { scores } };
    },
  };
}
