// first-backup: without `option allbackups`, every request goes to one backup, HAProxy's `fbck` (§3.12).
//
// HAProxy keeps `lbprm.fbck`, the first usable backup in the backend's server list (declaration
// order), and gives it everything while no active server is usable; the other backups take nothing
// until it goes down. With `option allbackups` the model balances the backups with their own
// instance of the backend's algorithm instead, and this module is not used.

import { isFull, type ServerView, type Strategy } from "./types.js";

/**
 * The backup group's chooser without `allbackups`. `queueWhenBacklogged` is the backend's own
 * algorithm's: whether a new request joins a non-empty backend queue is decided by `balance`,
 * whichever group picks (HAProxy's assign_server tests the backend's algorithm; measured).
 */
export function createFirstBackup(
  backups: ReadonlyArray<ServerView>,
  queueWhenBacklogged: boolean,
): Strategy {
  const usable = new Set<number>();
  return {
    name: "first-backup",
    queueWhenBacklogged,
    ignoresFullness: false,
    /** Usable again: it becomes `fbck` again if it comes first. Idempotent. */
    serverUp: (s) => void usable.add(s.index),
    /** Out; the next usable backup in declaration order takes over. Idempotent. */
    serverDown: (s) => void usable.delete(s.index),
    /** Weights do not matter to a single chosen server. */
    weightChanged: () => {},
    /** Fullness is read live at pick time. */
    taken: () => {},
    released: () => {},
    // `fbck` is returned even to a redispatch that avoids it (fwrr/fwlc `goto out`), and a full
    // `fbck` queues the request rather than spilling to the next backup.
    pick: () => {
      for (const s of backups) if (usable.has(s.index)) return isFull(s) ? undefined : s;
      return undefined;
    },
    /** `fbck`: the first usable backup in declaration order, which takes everything. */
    explainState: () => ({ state: { first: backups.find((s) => usable.has(s.index))?.name ?? null } }),
  };
}
