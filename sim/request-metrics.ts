// The metrics counted over requests (`p99`, `errors`, `status(503)`…), read alike from the whole run and from a time window.
import { judgedLatency, LATENCY_FIELDS } from "./latency-fields.js";
import type { Results, WindowResults } from "./results.js";

/** What the run's Results and each of Results.windows both have: the figures a request metric reads. */
type RequestFigures = Pick<Results | WindowResults, "requests" | "latency" | "latencyLowerBound" | "queue">;

/** unfinished / (total + unfinished): the share of the arrivals counted that were left unanswered. */
export function unfinishedShare(total: number, unfinished: number): number {
  return total + unfinished === 0 ? 0 : unfinished / (total + unfinished);
}

/** A request metric of `figures`; undefined when `name` is none (`share` differs by source: the caller's). */
export function requestMetric(
  figures: RequestFigures,
  name: string,
  argument: string | null,
): number | undefined {
  const { requests } = figures;
  const ratio = (n: number) => (requests.total === 0 ? 0 : n / requests.total);
  const latencyField = LATENCY_FIELDS[name];
  if (latencyField !== undefined)
    return judgedLatency(figures.latency, figures.latencyLowerBound, latencyField);
  switch (name) {
    case "unfinished":
      return requests.unfinished;
    case "unfinished.share":
      return unfinishedShare(requests.total, requests.unfinished);
    case "queue.mean":
      return figures.queue.meanMs;
    case "queue.p99":
      return figures.queue.p99Ms;
    case "errors":
      return ratio(requests.failed);
    case "requests":
      return requests.total;
    case "failed":
      return requests.failed;
    case "retried":
      return ratio(requests.retried);
    case "redispatched":
      return ratio(requests.redispatched);
    case "status":
      return ratio(requests.byStatus[argument ?? ""] ?? 0);
    case "termination":
      return ratio(requests.byTermination[argument ?? ""] ?? 0);
    default:
      return undefined;
  }
}
