// Metrics: what finished requests and servers add up to, in memory that does not grow with requests.
import { LatencyHistogram } from "../histogram.js";
import type { Series } from "../results.js";
import { round3 } from "../rounding.js";
import { BackendTally } from "./backend-tally.js";
import { RecentRequests } from "./recent.js";
import { I, N, Phase, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import { newTerminationTally, TERMINATION_CODES, Termination, terminationCounts } from "./termination.js";
import type { WindowTallies } from "./windows.js";

/** Statuses below this are tallied in an array (every HTTP status, and 0). */
const STATUS_TALLY = 1000;

/** The percentiles of each bucket's latency in the time series (p50Ms, p90Ms, p99Ms), in one pass. */
const SERIES_PERCENTILES: ReadonlyArray<number> = [50, 90, 99];

/**
 * The percentiles of `Results.latencyDistribution`, for a "nines" plot (HdrHistogram's percentile
 * plot): HdrHistogram's outputPercentileDistribution with 5 ticks per half distance to 100 (0, 10…
 * 50, then 55…75, 77.5…87.5 and so on, each halving the step) up to 100 − 100/64 = 98.4375; then
 * each of 99, 99.9, 99.99, 99.999 and the point halfway from it to 100; then 99.9999 and 100.
 * 41 points, every one of Results.latency's percentiles among them.
 */
export const DISTRIBUTION_PERCENTILES: ReadonlyArray<number> = [
  0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 77.5, 80, 82.5, 85, 87.5, 88.75, 90, 91.25, 92.5, 93.75, 94.375,
  95, 95.625, 96.25, 96.875, 97.1875, 97.5, 97.8125, 98.125, 98.4375, 99, 99.5, 99.9, 99.95, 99.99, 99.995,
  99.999, 99.9995, 99.9999, 100,
];

export class Metrics {
  readonly warmupMs: number;
  readonly bucketMs: number;
  readonly latency = new LatencyHistogram();
  readonly queue = new LatencyHistogram();
  /** Wait inside servers, behind busy workers, of steady-state jobs a worker took (Results.wait). */
  readonly serverWait = new LatencyHistogram();
  readonly #bucketLatency = new LatencyHistogram();
  total = 0;
  ok = 0;
  failed = 0;
  warmup = 0;
  retried = 0;
  redispatched = 0;
  /** Steady-state requests a server answered after their client had given up (Results.requests.gaveUpServed). */
  gaveUpServed = 0;
  /**
   * Requests by status: 0 … 999 in an array, others (−1) in a Map; `byStatus` builds the Map when
   * asked. Counting one request: 3.4–4.0 ns here against 13–15 ns for a Map get and set (Node 20,
   * 2·10^7 counts, 2% of them 503; DOCS-speed.md).
   */
  readonly #statusTally = new Float64Array(STATUS_TALLY);
  readonly #otherStatuses = new Map<number, number>();
  readonly #byTermination = newTerminationTally();

  // Time series, one entry per closed bucket.
  readonly #atMs: number[] = [];
  readonly #requests: number[] = [];
  readonly #errors: number[] = [];
  readonly #p50: number[] = [];
  readonly #p90: number[] = [];
  readonly #p99: number[] = [];
  readonly #inFlight: number[][];
  readonly #queued: number[][];
  readonly #serverRequests: number[][];
  readonly #backendQueue: number[] = [];
  /** Failed health checks per server, by bucket index (floor(atMs / bucketMs)); only buckets with one. */
  readonly #checksFailed: Array<Map<number, number>>;
  /** Failed requests per status and per termination state, each array made on the status's first failure. */
  readonly #errorsByStatus = new Map<number, number[]>();
  readonly #errorsByTermination: Array<number[] | null> = TERMINATION_CODES.map(() => null);
  #bucketRequests = 0;
  #bucketErrors = 0;
  /** The bucket being filled: finished requests per server index, failed ones per status and termination. */
  readonly #bucketServerRequests: Float64Array;
  readonly #bucketErrorsByStatus = new Map<number, number>();
  readonly #bucketErrorsByTermination = new Float64Array(TERMINATION_CODES.length);
  #bucketStartMs = 0;
  /** Σ over backend queues of length × time since the bucket started (queues are added up). */
  backendQueueArea = 0;
  readonly #backendQueueSinceMs: Float64Array;
  /** The longest any one backend queue got. */
  maxBackendQueue = 0;
  /** Per backend, only when the model has several (Results.backends); null otherwise. */
  readonly backends: ReadonlyArray<BackendTally> | null;
  /**
   * Per balancer instance, only when the scenario has `balancers:` (Results.balancers); null otherwise. Requests carry
   * their instance's backend index, i·backendCount + b: `finished` and `openAtEnd` split it.
   */
  readonly instances: ReadonlyArray<BackendTally> | null;
  readonly #perInstance: number;
  /** Steady-state requests still open at the end, counted by `openAtEnd` (per backend index). */
  unfinished = 0;
  readonly unfinishedByBackend: Float64Array;
  /** `latency` plus each unfinished request at its age; null until one is counted. */
  #bound: LatencyHistogram | null = null;
  /** The time windows expectations name (sim/model/windows.ts); null when none does. */
  readonly #windows: WindowTallies | null;
  /** The last finished requests, warm-up ones included, for the stepping API; null when not asked for. */
  readonly recent: RecentRequests | null;

  constructor(
    warmupMs: number,
    bucketMs: number,
    serverCount: number,
    backendCount = 1,
    windows: WindowTallies | null = null,
    recentCount = 0,
    instances = 0,
    /** Results say per backend (several frontends or backends), even when there is one backend. */
    perBackend = backendCount > 1,
  ) {
    this.#perInstance = backendCount;
    this.instances = instances > 0 ? Array.from({ length: instances }, () => new BackendTally()) : null;
    this.#windows = windows;
    this.recent = recentCount > 0 ? new RecentRequests(recentCount) : null;
    this.warmupMs = warmupMs;
    this.bucketMs = bucketMs;
    this.#inFlight = Array.from({ length: serverCount }, () => []);
    this.#queued = Array.from({ length: serverCount }, () => []);
    this.#serverRequests = Array.from({ length: serverCount }, () => []);
    this.#checksFailed = Array.from({ length: serverCount }, () => new Map());
    this.#bucketServerRequests = new Float64Array(serverCount);
    // One queue per backend of each instance.
    this.#backendQueueSinceMs = new Float64Array(backendCount * Math.max(1, instances));
    this.backends = perBackend ? Array.from({ length: backendCount }, () => new BackendTally()) : null;
    this.unfinishedByBackend = new Float64Array(backendCount);
  }

  /**
   * End-of-run accounting: every request still open at `endMs`, from the live slots of the request
   * table, so that their ages need no per-request history. A `Done` slot was answered (only its
   * server still works on it); a `Pending` one is a client retry not sent yet. The run's figures
   * take the steady-state ones; a time window takes those that arrived in it, warm-up or not.
   */
  countOpen(requests: RequestTable, endMs: number): void {
    requests.forEachOpen((slot) => {
      const phase = requests.ints[slot + I.phase];
      if (phase === Phase.Done || phase === Phase.Pending) return;
      // Its client gave up: finished on the client's side, still open only in HAProxy.
      if (!Number.isNaN(requests.nums[slot + N.gaveUpAtMs]!)) return;
      const arrivalMs = requests.nums[slot + N.arrivalMs]!;
      if (arrivalMs >= this.warmupMs) this.openAtEnd(endMs - arrivalMs, requests.ints[slot + I.backend]!);
      this.#windows?.open(arrivalMs, endMs - arrivalMs);
    });
  }

  /** Steady-state arrivals routed to each backend: each has either finished or is still open (after countOpen). */
  arrivalsByBackend(): number[] {
    return Array.from(this.unfinishedByBackend, (open, b) => {
      const finished = this.backends === null ? this.total : this.backends[b]!.total;
      return finished + open;
    });
  }

  /**
   * Once per steady-state request still open: its age (end − arrival) is
   * a lower bound of the latency it will have, so percentiles over finished requests plus these
   * ages are lower bounds of the true ones (a hung request can only get older). The copies of the
   * finished histograms are made on the first call: a run that ends with nothing open pays nothing.
   */
  openAtEnd(ageMs: number, modelBackend = 0): void {
    let backend = modelBackend;
    if (this.instances !== null) {
      const i = Math.floor(backend / this.#perInstance);
      this.instances[i]!.openAtEnd(ageMs);
      backend -= i * this.#perInstance;
    }
    this.unfinished++;
    this.unfinishedByBackend[backend]!++;
    if (this.#bound === null) this.#bound = this.latency.clone();
    this.#bound.record(ageMs);
    if (this.backends !== null) this.backends[backend]!.openAtEnd(ageMs);
  }

  /** Latency over finished requests and unfinished ones at their age; null when none was unfinished. */
  get latencyLowerBound(): LatencyHistogram | null {
    return this.#bound;
  }

  /** The balancer instance running model backend `backend` (i·backendCount + b). */
  instanceOf(backend: number): number {
    return Math.floor(backend / this.#perInstance);
  }

  /** Called when the request arrives (warm-up requests are counted, not measured). */
  arrived(arrivalMs: number): void {
    if (arrivalMs < this.warmupMs) this.warmup++;
  }

  finished(
    arrivalMs: number,
    nowMs: number,
    status: number,
    termination: Termination,
    queueMs: number,
    server: Server | undefined,
    retried: boolean,
    redispatched: boolean,
    backend = 0,
  ): void {
    const totalMs = nowMs - arrivalMs;
    const failed = status < 100 || status >= 500 || status === -1;
    this.#bucketRequests++;
    if (server !== undefined) this.#bucketServerRequests[server.index]!++;
    if (failed) this.#failedInBucket(status, termination);
    this.#bucketLatency.record(totalMs);
    if (this.recent !== null) this.recent.add(nowMs, totalMs, status);
    if (this.#windows !== null)
      this.#windows.finished(
        arrivalMs,
        totalMs,
        status,
        failed,
        termination,
        queueMs,
        retried,
        redispatched,
        server?.index ?? -1,
      );
    if (arrivalMs < this.warmupMs) return;
    this.total++;
    if (failed) this.failed++;
    else this.ok++;
    if (retried) this.retried++;
    if (redispatched) this.redispatched++;
    if (status >= 0 && status < STATUS_TALLY && Number.isInteger(status)) this.#statusTally[status]!++;
    else this.#otherStatuses.set(status, (this.#otherStatuses.get(status) ?? 0) + 1);
    this.#byTermination[termination]!++;
    this.latency.record(totalMs);
    this.queue.record(queueMs);
    if (server !== undefined) server.requests++;
    let b = backend;
    if (this.instances !== null) {
      const i = Math.floor(b / this.#perInstance);
      this.instances[i]!.finished(totalMs, queueMs, status, failed);
      b -= i * this.#perInstance;
    }
    if (this.backends !== null) this.backends[b]!.finished(totalMs, queueMs, status, failed);
  }

  /** Steady-state requests by status (each status seen at least once), in increasing order. */
  get byStatus(): Map<number, number> {
    const out = new Map<number, number>();
    for (const status of [...this.#otherStatuses.keys()].filter((s) => s < 0).sort((a, b) => a - b))
      out.set(status, this.#otherStatuses.get(status)!);
    for (let status = 0; status < STATUS_TALLY; status++) {
      const n = this.#statusTally[status]!;
      if (n > 0) out.set(status, n);
    }
    for (const status of [...this.#otherStatuses.keys()].filter((s) => !(s < 0)).sort((a, b) => a - b))
      out.set(status, this.#otherStatuses.get(status)!);
    return out;
  }

  /**
   * HAProxy's end of a request whose client had given up (counted by `finished` then): a server
   * answered it (`----`) or HAProxy ended it otherwise (sQ, sH…). Steady-state requests only, as
   * `finished` counts them.
   */
  gaveUpEnded(arrivalMs: number, termination: Termination, server: Server | undefined, backend = 0): void {
    if (arrivalMs < this.warmupMs || termination !== Termination.Normal) return;
    this.gaveUpServed++;
    if (server !== undefined) server.gaveUpServed++;
    // Several instances: `backend` is the instance's copy (i·backendCount + b), as in `finished`.
    const b = this.instances === null ? backend : backend - this.instanceOf(backend) * this.#perInstance;
    if (this.instances !== null) this.instances[this.instanceOf(backend)]!.gaveUpServed++;
    if (this.backends !== null) this.backends[b]!.gaveUpServed++;
  }

  /**
   * A worker of `server` took a job that waited `waitMs` behind busy workers (0 when one was free,
   * and always 0 under processor sharing, where no job waits for a worker).
   */
  serverWaited(server: Server, arrivalMs: number, waitMs: number): void {
    if (arrivalMs < this.warmupMs) return;
    this.serverWait.record(waitMs);
    server.waitedJobs++;
    server.waitedMs += waitMs;
  }

  /**
   * A failed health check of server `serverIndex` (one `chkfail`) at `nowMs`, whenever in the run:
   * it goes to the bucket holding `nowMs`, or the last bucket for one at the very end of the run.
   */
  checkFailed(serverIndex: number, nowMs: number): void {
    const counts = this.#checksFailed[serverIndex]!;
    const bucket = Math.floor(nowMs / this.bucketMs);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }

  /** Backend `backend`'s queue is about to change length (time-average bookkeeping). */
  backendQueueChanging(nowMs: number, length: number, backend = 0): void {
    this.backendQueueArea += length * (nowMs - this.#backendQueueSinceMs[backend]!);
    this.#backendQueueSinceMs[backend] = nowMs;
  }

  /** Closes the bucket ending at `nowMs`; `backendQueueLengths` by backend. */
  closeBucket(
    nowMs: number,
    servers: ReadonlyArray<Server>,
    backendQueueLengths: ReadonlyArray<number>,
  ): void {
    const width = nowMs - this.#bucketStartMs;
    if (width <= 0) return;
    backendQueueLengths.forEach((length, backend) => {
      this.backendQueueChanging(nowMs, length, backend);
    });
    this.#atMs.push(this.#bucketStartMs);
    this.#requests.push(this.#bucketRequests);
    this.#errors.push(this.#bucketErrors);
    const [p50, p90, p99] = this.#bucketLatency.percentilesMs(SERIES_PERCENTILES);
    this.#p50.push(round3(p50!));
    this.#p90.push(round3(p90!));
    this.#p99.push(round3(p99!));
    for (const server of servers) {
      server.accumulate(nowMs);
      server.queueChanging(nowMs);
      this.#inFlight[server.index]!.push(round3(server.servedArea / width));
      this.#queued[server.index]!.push(round3(server.queuedArea / width));
      this.#serverRequests[server.index]!.push(this.#bucketServerRequests[server.index]!);
      server.servedArea = 0;
      server.queuedArea = 0;
    }
    this.#bucketServerRequests.fill(0);
    this.#closeErrors();
    this.#backendQueue.push(round3(this.backendQueueArea / width));
    this.backendQueueArea = 0;
    this.#bucketLatency.reset();
    this.#bucketRequests = 0;
    this.#bucketErrors = 0;
    this.#bucketStartMs = nowMs;
  }

  /** A failed request finished in this bucket (kept out of `finished`, which most requests take without it). */
  #failedInBucket(status: number, termination: Termination): void {
    this.#bucketErrors++;
    this.#bucketErrorsByStatus.set(status, (this.#bucketErrorsByStatus.get(status) ?? 0) + 1);
    this.#bucketErrorsByTermination[termination]!++;
  }

  /**
   * Appends this bucket's failed requests per status and termination state; a key seen for the
   * first time gets an array with zeros for the buckets before, so every array spans every bucket.
   */
  #closeErrors(): void {
    const closed = this.#atMs.length - 1;
    for (const [status, n] of this.#bucketErrorsByStatus) {
      if (n > 0 && !this.#errorsByStatus.has(status)) this.#errorsByStatus.set(status, zeros(closed));
    }
    for (const [status, counts] of this.#errorsByStatus) {
      counts.push(this.#bucketErrorsByStatus.get(status) ?? 0);
      this.#bucketErrorsByStatus.set(status, 0);
    }
    this.#errorsByTermination.forEach((counts, t) => {
      const n = this.#bucketErrorsByTermination[t]!;
      if (counts !== null) counts.push(n);
      else if (n > 0) this.#errorsByTermination[t] = [...zeros(closed), n];
    });
    this.#bucketErrorsByTermination.fill(0);
  }

  /** Every termination state the model produces, 0 included, and `cD` (DESIGN.md's example). */
  byTermination(): Record<string, number> {
    return terminationCounts(this.#byTermination);
  }

  series(servers: ReadonlyArray<Server>): Series {
    const inFlight: Record<string, number[]> = {};
    const queued: Record<string, number[]> = {};
    const serverRequests: Record<string, number[]> = {};
    const checksFailed: Record<string, number[]> = {};
    const buckets = this.#atMs.length;
    for (const server of servers) {
      const counts = zeros(buckets);
      // A check at the very end of the run (or after a partial run's last bucket) goes in the last one.
      for (const [bucket, n] of this.#checksFailed[server.index]!)
        if (buckets > 0) counts[Math.min(bucket, buckets - 1)]! += n;
      if (server.station !== server) {
        // Another instance's copy of a server: its figures add to the server's (all instances).
        addInto(inFlight[server.name]!, this.#inFlight[server.index]!);
        addInto(queued[server.name]!, this.#queued[server.index]!);
        addInto(serverRequests[server.name]!, this.#serverRequests[server.index]!);
        addInto(checksFailed[server.name]!, counts);
        continue;
      }
      inFlight[server.name] = this.#inFlight[server.index]!;
      queued[server.name] = this.#queued[server.index]!;
      serverRequests[server.name] = this.#serverRequests[server.index]!;
      checksFailed[server.name] = counts;
    }
    const errorsByStatus: Record<string, number[]> = {};
    for (const status of [...this.#errorsByStatus.keys()].sort((a, b) => a - b))
      errorsByStatus[String(status)] = this.#errorsByStatus.get(status)!;
    const errorsByTermination: Record<string, number[]> = {};
    this.#errorsByTermination.forEach((counts, t) => {
      if (counts !== null) errorsByTermination[TERMINATION_CODES[t]!] = counts;
    });
    return {
      bucketMs: this.bucketMs,
      atMs: this.#atMs,
      requests: this.#requests,
      errors: this.#errors,
      p50Ms: this.#p50,
      p99Ms: this.#p99,
      inFlight,
      backendQueue: this.#backendQueue,
      p90Ms: this.#p90,
      errorsByStatus,
      errorsByTermination,
      serverRequests,
      queued,
      checksFailed,
    };
  }
}

/** `into[k] += more[k]`, each sum rounded as the series' own figures are. */
function addInto(into: number[], more: ReadonlyArray<number>): void {
  for (let k = 0; k < into.length; k++) into[k] = round3(into[k]! + more[k]!);
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}
