// Outages a log shows without saying: a server that got no request while its backend served many
// (DOWN after a crash, MAINT, drained), found so that the replay can take it out for that time too.
//
// A server that the balancer sends a share p of the requests misses G requests in a row with
// probability (1 − p)^G under a random choice, and never under roundrobin; G = ⌈14 / p⌉ makes that
// below 10^-6 (ln 10^-6 ≈ −13.8, and −ln(1 − p) ≥ p). Balances that choose by key (source, uri,
// hdr…) or fill servers in order (`first`) leave servers idle for long stretches when nothing is
// wrong: no outage is inferred under them.

/** Balances under which every request could go to every UP server (outages are inferred). */
const SPREADING = /^(roundrobin|static-rr|leastconn|random(\(\d+\))?)$/;

export function infersOutages(balance: string): boolean {
  return SPREADING.test(balance.trim());
}

export interface Outage {
  readonly server: string;
  /** From just after its last request before the gap (arrival time in the replay's clock, ms). */
  readonly fromMs: number;
  /** To just before its first request after it; absent when it got none until the end of the log. */
  readonly toMs?: number;
  /** Requests of the backend that arrived meanwhile. */
  readonly requestsElsewhere: number;
}

const MISSED_FACTOR = 14;

/**
 * Requests accepted in the same millisecond come in an order the log does not tell (HAProxy
 * dates a burst read in one event-loop pass alike): only requests strictly between the server's
 * two milliseconds count as missed, so a burst in file order cannot make a gap.
 */
export class OutageFinder {
  readonly #minMissed: ReadonlyMap<string, number>;
  /** Per server: the ms of its last request, and the index of the first request after that ms (-1: not yet known). */
  readonly #last = new Map<string, { atMs: number; afterIndex: number }>();
  /** Servers whose last request is in the current ms: their `afterIndex` is known when the ms ends. */
  #inCurrentMs: string[] = [];
  readonly #outages: Outage[] = [];
  #count = 0;
  #currentMs = Number.NaN;
  /** Index of the first request of the current ms. */
  #currentMsIndex = 0;
  #firstMs = Number.NaN;

  /** `shares`: each server's logged share of the backend's requests that reached a server. */
  constructor(shares: ReadonlyMap<string, number>) {
    const min = new Map<string, number>();
    for (const [server, share] of shares) if (share > 0) min.set(server, Math.ceil(MISSED_FACTOR / share));
    this.#minMissed = min;
  }

  /** Told each request of the backend in arrival order, with its server ("" for none). */
  see(server: string, atMs: number): void {
    const index = this.#count++;
    if (Number.isNaN(this.#firstMs)) this.#firstMs = atMs;
    if (atMs !== this.#currentMs) {
      for (const name of this.#inCurrentMs) this.#last.get(name)!.afterIndex = index;
      this.#inCurrentMs = [];
      this.#currentMs = atMs;
      this.#currentMsIndex = index;
    }
    if (server === "") return;
    const min = this.#minMissed.get(server);
    const last = this.#last.get(server) ?? { atMs: this.#firstMs - 1, afterIndex: 0 };
    if (last.atMs !== atMs) {
      const missed = this.#currentMsIndex - last.afterIndex;
      if (min !== undefined && missed >= min)
        this.#outages.push({ server, fromMs: last.atMs + 1, toMs: atMs - 1, requestsElsewhere: missed });
      this.#inCurrentMs.push(server);
    }
    this.#last.set(server, { atMs, afterIndex: last.atMs === atMs ? last.afterIndex : -1 });
  }

  /** The outages, the ones still running at the end of the log included, by start time. */
  finish(): Outage[] {
    for (const name of this.#inCurrentMs) this.#last.get(name)!.afterIndex = this.#count;
    this.#inCurrentMs = [];
    for (const [server, min] of this.#minMissed) {
      const last = this.#last.get(server);
      if (last === undefined) continue;
      const missed = this.#count - last.afterIndex;
      if (missed >= min) this.#outages.push({ server, fromMs: last.atMs + 1, requestsElsewhere: missed });
    }
    return this.#outages
      .filter((o) => o.toMs === undefined || o.toMs > o.fromMs)
      .sort((a, b) => a.fromMs - b.fromMs || (a.server < b.server ? -1 : 1));
  }
}
