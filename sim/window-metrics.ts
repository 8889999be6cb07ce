// Request metrics over a time window (`errors during 10s..20s`), read from Results.windows.

import type { TimeWindow } from "../scenarios/types.js";
import { requestMetric } from "./request-metrics.js";
import type { Results, WindowResults } from "./results.js";

/** The entry of Results.windows for `window`; undefined when the run did not tally it. */
function windowOf(results: Results, window: TimeWindow): WindowResults | undefined {
  const toMs = window.toMs ?? results.durationMs;
  return results.windows?.find((w) => w.fromMs === window.fromMs && w.toMs === toMs);
}

/** A request metric over the requests that arrived in a window (sim/model/windows.ts tallies them). */
export function windowMetric(
  results: Results,
  name: string,
  argument: string | null,
  window: TimeWindow,
): number | undefined {
  const tally = windowOf(results, window);
  if (tally === undefined) return undefined;
  return name === "share"
    ? windowShare(results, tally, argument ?? "")
    : requestMetric(tally, name, argument);
}

/** A server's share of what its backend's servers finished among the window's requests, as `share` is over the run. */
function windowShare(results: Results, tally: WindowResults, server: string): number | undefined {
  const own = results.servers.find((s) => s.name === server);
  const count = tally.servers[server];
  if (own === undefined || count === undefined) return undefined;
  const peers = results.servers.filter((s) => s.backend === own.backend);
  const served = peers.reduce((n, s) => n + (tally.servers[s.name] ?? 0), 0);
  return served === 0 ? 0 : count / served;
}
