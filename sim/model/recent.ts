// The last N finished requests (end time, latency, status) in a ring, for the stepping API's
// snapshot: bounded memory, three typed-array writes per request, nothing when N is 0.

/** One finished request as a snapshot shows it. */
export interface RecentRequest {
  /** When it finished (simulated ms). */
  readonly atMs: number;
  readonly latencyMs: number;
  /** Status the client received; -1 when it gave up before any answer. */
  readonly status: number;
}

export class RecentRequests {
  readonly capacity: number;
  readonly #atMs: Float64Array;
  readonly #latencyMs: Float64Array;
  readonly #status: Int16Array;
  /** Requests recorded so far; the ring holds the last min(count, capacity). */
  #count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#atMs = new Float64Array(capacity);
    this.#latencyMs = new Float64Array(capacity);
    this.#status = new Int16Array(capacity);
  }

  add(atMs: number, latencyMs: number, status: number): void {
    const i = this.#count % this.capacity;
    this.#atMs[i] = atMs;
    this.#latencyMs[i] = latencyMs;
    this.#status[i] = status;
    this.#count++;
  }

  /** The requests held, oldest first. */
  list(): RecentRequest[] {
    const held = Math.min(this.#count, this.capacity);
    const out: RecentRequest[] = [];
    for (let k = this.#count - held; k < this.#count; k++) {
      const i = k % this.capacity;
      out.push({ atMs: this.#atMs[i]!, latencyMs: this.#latencyMs[i]!, status: this.#status[i]! });
    }
    return out;
  }
}
