// The retry policy's one decision: redispatch a failed connection or retry the same server (§2 4.2).
import type { BackendSpec } from "../../scenarios/types.js";

/**
 * Step 4.2 of haproxy-semantics.md §2, conditions (a), (b), (c), for the `retry`-th retry of a
 * connection that failed on a server that is (`serverUsable`) or is not usable any more.
 * `ignoresFullness` is the failed server's strategy's; `activeUsable` counts usable active servers.
 */
export function shouldRedispatch(
  backend: BackendSpec,
  serverUsable: boolean,
  retry: number,
  ignoresFullness: boolean,
  activeUsable: number,
): boolean {
  const redispatch = backend.redispatch;
  if (redispatch === null) return false;
  if (!serverUsable) return true;
  const p = redispatch.interval;
  if (p > 0 && retry % p === 0) return true;
  if (p < 0) {
    const every = backend.retries + 1 + p;
    if (every > 0 && retry % every === 0) return true;
  }
  // (c) counts active servers only (HAProxy's `srv_act > 1`): a backup is retried, not redispatched.
  return !ignoresFullness && activeUsable > 1;
}
