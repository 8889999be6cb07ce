// The live charts' data: per-second buckets of latency percentiles, requests per server and errors,
// built in the worker from each finished request and posted to the page (the contract with live-charts.ts).

/**
 * What the worker posts for the charts: closed buckets only (the one still filling is left out
 * so a bucket never changes once drawn), columnar like `Results.series` so viz/charts read it
 * the same way. Every array has one entry per bucket, oldest first; `atMs[i]` is the bucket's start.
 */
export interface LiveSeries {
  readonly bucketMs: number;
  /** Start of each closed bucket (0, 1000, 2000… for 1 s buckets). */
  readonly atMs: ReadonlyArray<number>;
  /** Requests that finished in the bucket, and of those the failed ones (status ≥ 500 or gave up). */
  readonly requests: ReadonlyArray<number>;
  readonly errors: ReadonlyArray<number>;
  /** Latency percentiles of the requests that finished in the bucket (0 when none did). */
  readonly p50Ms: ReadonlyArray<number>;
  readonly p90Ms: ReadonlyArray<number>;
  readonly p99Ms: ReadonlyArray<number>;
  /** Server names in the snapshot's order (`<backend>/<server>` with several backends). */
  readonly servers: ReadonlyArray<string>;
  /** Per server: the requests of `requests` it answered or failed (a request with no server counts in none). */
  readonly serverRequests: Readonly<Record<string, ReadonlyArray<number>>>;
  /**
   * Per server: every request it answered or failed that arrived at or after the warm-up, up to
   * now (open bucket included): `Results.servers[].requests` at the end of the run.
   */
  readonly serverTotals: Readonly<Record<string, number>>;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** The simulated time the series reaches. */
  readonly nowMs: number;
}

/** One finished request as the builder needs it (a subset of sim's RequestRecord). */
export interface FinishedRequest {
  /** Arrival at the balancer (ms). */
  readonly atMs: number;
  /** Arrival to last byte (ms; < 0 when never answered). */
  readonly totalMs: number;
  /** Server named as in Results; "" when none was tried. */
  readonly server: string;
  /** Status the client received; -1 when it gave up. */
  readonly status: number;
}

export const LIVE_BUCKET_MS = 1000;

/** Whether a request counts as an error in the charts (as Results.requests.failed counts it). */
export function isFailed(status: number): boolean {
  return status < 0 || status >= 500;
}

/** The percentile `q` (0–1) of sorted values, nearest rank; 0 for none. */
export function percentile(sorted: ReadonlyArray<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

interface OpenBucket {
  readonly latenciesMs: number[];
  errors: number;
  readonly perServer: Map<string, number>;
}

/** Accumulates finished requests into buckets by finish time; `series(nowMs)` closes those before now. */
export class LiveSeriesBuilder {
  readonly #servers: ReadonlyArray<string>;
  readonly #warmupMs: number;
  readonly #durationMs: number;
  readonly #bucketMs: number;
  readonly #open = new Map<number, OpenBucket>();
  readonly #atMs: number[] = [];
  readonly #requests: number[] = [];
  readonly #errors: number[] = [];
  readonly #p50: number[] = [];
  readonly #p90: number[] = [];
  readonly #p99: number[] = [];
  readonly #serverRequests: Record<string, number[]> = {};
  readonly #totals: Record<string, number> = {};
  /** Start of the next bucket to close. */
  #nextMs = 0;

  constructor(
    servers: ReadonlyArray<string>,
    warmupMs: number,
    durationMs: number,
    bucketMs = LIVE_BUCKET_MS,
  ) {
    this.#servers = servers;
    this.#warmupMs = warmupMs;
    this.#durationMs = durationMs;
    this.#bucketMs = bucketMs;
    for (const name of servers) {
      this.#serverRequests[name] = [];
      this.#totals[name] = 0;
    }
  }

  add(request: FinishedRequest): void {
    if (request.server !== "" && request.atMs >= this.#warmupMs)
      this.#totals[request.server] = (this.#totals[request.server] ?? 0) + 1;
    const endMs = request.atMs + Math.max(0, request.totalMs);
    const startMs = Math.max(this.#nextMs, Math.floor(endMs / this.#bucketMs) * this.#bucketMs);
    let bucket = this.#open.get(startMs);
    if (bucket === undefined) {
      bucket = { latenciesMs: [], errors: 0, perServer: new Map() };
      this.#open.set(startMs, bucket);
    }
    bucket.latenciesMs.push(Math.max(0, request.totalMs));
    if (isFailed(request.status)) bucket.errors += 1;
    if (request.server !== "")
      bucket.perServer.set(request.server, (bucket.perServer.get(request.server) ?? 0) + 1);
  }

  /** The series with every bucket that ended at or before `nowMs` closed (the last one at the end of the run). */
  series(nowMs: number): LiveSeries {
    // At the end the last bucket closes too, even when the duration ends inside it.
    const closeToMs =
      nowMs >= this.#durationMs ? Math.ceil(this.#durationMs / this.#bucketMs) * this.#bucketMs : nowMs;
    while (this.#nextMs + this.#bucketMs <= closeToMs) {
      this.#close(this.#nextMs);
      this.#nextMs += this.#bucketMs;
    }
    return {
      bucketMs: this.#bucketMs,
      atMs: [...this.#atMs],
      requests: [...this.#requests],
      errors: [...this.#errors],
      p50Ms: [...this.#p50],
      p90Ms: [...this.#p90],
      p99Ms: [...this.#p99],
      servers: this.#servers,
      serverRequests: Object.fromEntries(this.#servers.map((s) => [s, [...(this.#serverRequests[s] ?? [])]])),
      serverTotals: { ...this.#totals },
      warmupMs: this.#warmupMs,
      durationMs: this.#durationMs,
      nowMs,
    };
  }

  #close(startMs: number): void {
    const bucket = this.#open.get(startMs);
    this.#open.delete(startMs);
    const sorted = bucket === undefined ? [] : bucket.latenciesMs.sort((a, b) => a - b);
    this.#atMs.push(startMs);
    this.#requests.push(sorted.length);
    this.#errors.push(bucket?.errors ?? 0);
    this.#p50.push(percentile(sorted, 0.5));
    this.#p90.push(percentile(sorted, 0.9));
    this.#p99.push(percentile(sorted, 0.99));
    for (const name of this.#servers) this.#serverRequests[name]?.push(bucket?.perServer.get(name) ?? 0);
  }
}
