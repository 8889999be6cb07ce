// Add and remove a server from the page (HAProxy 2.6 dynamic servers): which server an Add brings
// in, and the `del server` that follows a Remove as soon as nothing is on the server.
import type { Snapshot } from "../../sim/index.js";
import type { ControlAction } from "../actions.js";

/** The model's state word for a server that is not in the backend (sim/model/server.ts). */
export const ABSENT = "ABSENT";

type Add = Extract<ControlAction, { kind: "add" }>;
type Remove = Extract<ControlAction, { kind: "remove" }>;

/**
 * The add with its server chosen: `prefer` (the selected server) when it is absent, else the
 * backend's first absent server in declaration order. A sentence for the teacher when there is none:
 * the page cannot invent a server's service model, the scenario declares it.
 */
export function chooseAdded(action: Add, snapshot: Snapshot): Add | string {
  if (action.server !== undefined) return action;
  const absent = snapshot.servers.filter((s) => s.state === ABSENT && s.backend === action.backend);
  const chosen = absent.find((s) => s.name === action.prefer) ?? absent[0];
  if (chosen === undefined)
    return (
      `Add server: every server the scenario declares for backend "${action.backend}" is in it already. ` +
      "A server that can join later is declared in backend.servers with added: false (its service, " +
      "slots…), e.g. {name: web04, added: false}: import a scenario with one."
    );
  return { kind: "add", backend: action.backend, server: chosen.name };
}

/** Why the model left an added server out (HAProxy refused the add), for the teacher; undefined when it joined. */
export function addRefusal(action: Add, snapshot: Snapshot, balance: string): string | undefined {
  const server = snapshot.servers.find((s) => s.name === action.server);
  if (server === undefined || server.state !== ABSENT) return undefined;
  return (
    `HAProxy refuses add server under balance ${balance}: "Backend must use a dynamic load balancing ` +
    'to support dynamic servers." (static-rr and hash-type map-based are static)'
  );
}

/**
 * Servers the class removed, waiting for their last request: HAProxy deletes only a server in MAINT
 * with nothing in flight or queued, so the page puts it in MAINT at once and deletes it when idle.
 */
export class PendingRemovals {
  readonly #pending: Remove[] = [];

  get size(): number {
    return this.#pending.length;
  }

  add(action: Remove): void {
    if (!this.#pending.some((p) => p.server === action.server)) this.#pending.push(action);
  }

  /**
   * The `del` to apply now for each pending server that is idle in `snapshot`; a server no longer in
   * MAINT (the class made it ready again) is no longer waited for.
   */
  due(snapshot: Snapshot): Array<Extract<ControlAction, { kind: "del" }>> {
    const due: Array<Extract<ControlAction, { kind: "del" }>> = [];
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const pending = this.#pending[i]!;
      const server = snapshot.servers.find((s) => s.name === pending.server);
      if (server === undefined || server.state !== "MAINT") {
        this.#pending.splice(i, 1);
        continue;
      }
      if (server.inFlight === 0 && server.queued === 0) {
        this.#pending.splice(i, 1);
        due.unshift({ kind: "del", server: pending.server, backend: pending.backend });
      }
    }
    return due;
  }
}
