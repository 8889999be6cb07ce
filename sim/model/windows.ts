// Time windows (`errors during 10s..20s`): tallies of the requests that arrived in each window an expectation names.
import { LatencyHistogram } from "../histogram.js";
import type { WindowResults } from "../results.js";
import { latencyResults, statusCounts } from "../results-build.js";
import { round3 } from "../rounding.js";
import { newTerminationTally, type Termination, terminationCounts } from "./termination.js";

/** A window of simulated time, `[fromMs, toMs)`, over request arrivals. */
export interface WindowSpan {
  readonly fromMs: number;
  readonly toMs: number;
}

/** What the requests that arrived in one window add up to. */
class WindowTally {
  readonly fromMs: number;
  readonly toMs: number;
  readonly latency = new LatencyHistogram();
  readonly queue = new LatencyHistogram();
  total = 0;
  ok = 0;
  failed = 0;
  retried = 0;
  redispatched = 0;
  readonly byStatus = new Map<number, number>();
  readonly byTermination = newTerminationTally();
  /** Ages at the end of the run of the requests still open (each a lower bound of its latency). */
  readonly openAgesMs: number[] = [];
  /** Finished requests by the server that answered or failed them, by server index. */
  readonly byServer: Float64Array;

  constructor(span: WindowSpan, serverCount: number) {
    this.fromMs = span.fromMs;
    this.toMs = span.toMs;
    this.byServer = new Float64Array(serverCount);
  }
}

/**
 * Only built when an expectation names a window (the run's hot path then costs a null check). A
 * window overrides warm-up: it counts every request that arrived in it, warm-up or not, since the
 * user named its times.
 */
export class WindowTallies {
  readonly #tallies: ReadonlyArray<WindowTally>;

  constructor(spans: ReadonlyArray<WindowSpan>, serverCount: number) {
    this.#tallies = spans.map((span) => new WindowTally(span, serverCount));
  }

  /** A request ended (any status): added to each window its arrival falls in; `serverIndex` −1 = no server. */
  finished(
    arrivalMs: number,
    totalMs: number,
    status: number,
    failed: boolean,
    termination: Termination,
    queueMs: number,
    retried: boolean,
    redispatched: boolean,
    serverIndex: number,
  ): void {
    for (const tally of this.#tallies) {
      if (arrivalMs < tally.fromMs || arrivalMs >= tally.toMs) continue;
      tally.total++;
      if (failed) tally.failed++;
      else tally.ok++;
      if (retried) tally.retried++;
      if (redispatched) tally.redispatched++;
      tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
      tally.byTermination[termination]!++;
      tally.latency.record(totalMs);
      tally.queue.record(queueMs);
      if (serverIndex >= 0) tally.byServer[serverIndex]!++;
    }
  }

  /** A request still open at the end of the run, `ageMs` old. */
  open(arrivalMs: number, ageMs: number): void {
    for (const tally of this.#tallies) {
      if (arrivalMs >= tally.fromMs && arrivalMs < tally.toMs) tally.openAgesMs.push(ageMs);
    }
  }

  /** `serverNames` by server index, as Results name them. */
  results(serverNames: ReadonlyArray<string>): WindowResults[] {
    return this.#tallies.map((tally) => {
      const servers: Record<string, number> = {};
      serverNames.forEach((name, index) => {
        // Every instance's copy of a server has its name: they add up.
        servers[name] = (servers[name] ?? 0) + tally.byServer[index]!;
      });
      return {
        fromMs: tally.fromMs,
        toMs: tally.toMs,
        requests: {
          total: tally.total,
          ok: tally.ok,
          failed: tally.failed,
          unfinished: tally.openAgesMs.length,
          byStatus: statusCounts(tally.byStatus),
          byTermination: terminationCounts(tally.byTermination),
          retried: tally.retried,
          redispatched: tally.redispatched,
        },
        latency: latencyResults(tally.latency),
        ...(tally.openAgesMs.length > 0 ? { latencyLowerBound: latencyResults(lowerBound(tally)) } : {}),
        queue: { meanMs: round3(tally.queue.meanMs), p99Ms: round3(tally.queue.percentileMs(99)) },
        servers,
      };
    });
  }
}

/** The window's latency with each request still open at its age: a lower bound of the true figures. */
function lowerBound(tally: WindowTally): LatencyHistogram {
  const bound = tally.latency.clone();
  for (const ageMs of tally.openAgesMs) bound.record(ageMs);
  return bound;
}
