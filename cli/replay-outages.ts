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

export class OutageFinder {
  readonly #minMissed: ReadonlyMap<string, number>;
  readonly #last = new Map<string, { index: number; atMs: number }>();
  readonly #outages: Outage[] = [];
  #count = 0;
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
    if (server === "") return;
    const min = this.#minMissed.get(server);
    const last = this.#last.get(server) ?? { index: -1, atMs: this.#firstMs - 1 };
    const missed = index - last.index - 1;
    if (min !== undefined && missed >= min)
      this.#outages.push({ server, fromMs: last.atMs + 1, toMs: atMs - 1, requestsElsewhere: missed });
    this.#last.set(server, { index, atMs });
  }

  /** The outages, the ones still running at the end of the log included, by start time. */
  finish(): Outage[] {
    for (const [server, min] of this.#minMissed) {
      const last = this.#last.get(server);
      if (last === undefined) continue;
      const missed = this.#count - last.index - 1;
      if (missed >= min) this.#outages.push({ server, fromMs: last.atMs + 1, requestsElsewhere: missed });
    }
    return [...this.#outages].sort((a, b) => a.fromMs - b.fromMs || (a.server < b.server ? -1 : 1));
  }
}
