// Timeline actions that change a backend's configuration from then on (what a reload with an edited
// haproxy.cfg would change): `balance` (a new algorithm) and `redispatch` (`option redispatch`).
// With several balancer instances every instance's copy of the backend changes at the same time.
import type { TimelineEvent } from "../../scenarios/types.js";
import type { ModelContext } from "./context.js";

type BalanceEvent = Extract<TimelineEvent, { kind: "balance" }>;
type RedispatchEvent = Extract<TimelineEvent, { kind: "redispatch" }>;

/** The model's backends (one per instance) named `name`, by index; unrouted stand-ins excepted. */
function backendsNamed(ctx: ModelContext, name: string): number[] {
  const found: number[] = [];
  ctx.topology.backends.forEach((backend, b) => {
    if (backend.spec.name === name && !ctx.balancers[b]!.unrouted) found.push(b);
  });
  if (found.length === 0) throw new Error(`timeline names an unknown backend: ${name}`);
  return found;
}

/**
 * The backend's algorithm from now on: strategies built fresh over the servers as they are now
 * (ServerStates.switchBalance), the usable ones brought up in declaration order as at a start, then
 * every server's weight re-derived (static ↔ dynamic changes the slowstart ramp). Requests already
 * on a server or in a queue stay there; the next pick is the new algorithm's.
 */
export function switchBalance(ctx: ModelContext, event: BalanceEvent): void {
  for (const b of backendsNamed(ctx, event.backend)) {
    const spec = ctx.topology.backends[b]!.spec;
    const hash =
      event.hashType === undefined
        ? spec
        : {
            hashType: event.hashType,
            ...(event.hashFunction === undefined ? {} : { hashFunction: event.hashFunction }),
            ...(event.hashAvalanche === undefined ? {} : { hashAvalanche: event.hashAvalanche }),
          };
    const groups = ctx.states.switchBalance(b, event.balance, {
      hashType: hash.hashType,
      ...(hash.hashFunction === undefined ? {} : { hashFunction: hash.hashFunction }),
      ...(hash.hashAvalanche === undefined ? {} : { hashAvalanche: hash.hashAvalanche }),
    });
    ctx.balancers[b]!.switchStrategies(groups);
    const own = ctx.servers.filter((s) => s.backend === b);
    for (const server of own) {
      if (server.usable) (server.spec.backup ? groups.backup : groups.active).serverUp(server.view);
    }
    for (const server of own) ctx.states.refresh(server);
  }
}

/** `option redispatch` from now on: retries decided later, and queues of servers going DOWN later, follow it. */
export function switchRedispatch(ctx: ModelContext, event: RedispatchEvent): void {
  for (const b of backendsNamed(ctx, event.backend)) ctx.balancers[b]!.setRedispatch(event.redispatch);
}
