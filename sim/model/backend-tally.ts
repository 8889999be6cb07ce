// What the requests routed to one backend (or one balancer instance) add up to, beside Metrics' totals.
import { LatencyHistogram } from "../histogram.js";

/** What the requests routed to one backend add up to (steady state), when there are several. */
export class BackendTally {
  readonly latency = new LatencyHistogram();
  readonly queue = new LatencyHistogram();
  total = 0;
  ok = 0;
  failed = 0;
  readonly byStatus = new Map<number, number>();
  maxQueue = 0;
  /** As Metrics' own: requests routed here that a server answered after their client had given up. */
  gaveUpServed = 0;
  /** As Metrics' own: unfinished requests routed here, and `latency` plus their ages. */
  unfinished = 0;
  latencyLowerBound: LatencyHistogram | null = null;

  openAtEnd(ageMs: number): void {
    this.unfinished++;
    if (this.latencyLowerBound === null) this.latencyLowerBound = this.latency.clone();
    this.latencyLowerBound.record(ageMs);
  }

  finished(totalMs: number, queueMs: number, status: number, failed: boolean): void {
    this.total++;
    if (failed) this.failed++;
    else this.ok++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    this.latency.record(totalMs);
    this.queue.record(queueMs);
  }
}
