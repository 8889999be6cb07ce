// A metric's value in a run's Results (`p99`, `share(web01)`, `backend.errors(api)`), over the run or a time window.

import type { TimeWindow } from "../scenarios/types.js";
import { FAILOVER_METRICS, failoverMetric } from "./failover-metrics.js";
import { judgedLatency, LATENCY_FIELDS } from "./latency-fields.js";
import { requestMetric, unfinishedShare } from "./request-metrics.js";
import type { Results } from "./results.js";
import { windowMetric } from "./window-metrics.js";

/** The value of a metric in a run's Results (over `window` when given); undefined when the run has no such figure. */
export function metricValue(
  results: Results,
  name: string,
  argument: string | null,
  window: TimeWindow | null = null,
): number | undefined {
  if (window !== null) return windowMetric(results, name, argument, window);
  if (FAILOVER_METRICS.has(name)) return failoverMetric(results, name, argument ?? "").value;
  if (name.startsWith("backend.")) return backendMetric(results, name, argument);
  const server = argument === null ? undefined : results.servers.find((s) => s.name === argument);
  switch (name) {
    case "share":
      return server?.share;
    case "utilization":
      return server?.utilization;
    case "maxinflight":
      return server?.maxInFlight;
    case "maxqueued":
      return server?.maxQueued;
    default:
      return requestMetric(results, name, argument);
  }
}

/** A `backend.*` metric; a run with one backend has no `Results.backends`: its backend is the whole run. */
function backendMetric(results: Results, name: string, argument: string | null): number | undefined {
  const backend = results.backends?.find((b) => b.name === argument);
  if (backend === undefined) {
    if (results.backends !== undefined) return undefined;
    // One backend: its figures are the whole run's.
    return name === "backend.share" ? 1 : metricValue(results, name.slice("backend.".length), null);
  }
  const { requests, latency } = backend;
  const latencyField = LATENCY_FIELDS[name.slice("backend.".length)];
  if (latencyField !== undefined) return judgedLatency(latency, backend.latencyLowerBound, latencyField);
  // Results written before `unfinished` was counted per backend have no such figure.
  const unfinished = requests.unfinished;
  switch (name) {
    case "backend.unfinished":
      return unfinished;
    case "backend.unfinished.share":
      return unfinished === undefined ? undefined : unfinishedShare(requests.total, unfinished);
    case "backend.errors":
      return requests.total === 0 ? 0 : requests.failed / requests.total;
    case "backend.requests":
      return requests.total;
    case "backend.share":
      return requests.share;
    default:
      return undefined;
  }
}
