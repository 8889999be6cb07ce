// The path between the balancer and one server: its round-trip time (`rtt`) and its SYN loss.
//
// A connect takes one RTT (the SYN out, the SYN-ACK or RST back), after the SYNs lost on the way: a
// lost SYN is re-sent as Linux does (initial RTO 1 s, doubling: re-sent 1 s, 3 s, 7 s… after the
// first, `tcp_syn_retries` 6, then the connect fails at 127 s). A response arrives one RTT after the
// request was sent, plus the service time. The draws come from the server's own seeded streams
// (`server:<name>:rtt`, `server:<name>:loss`), made on first use so that a server that never meets a
// delay costs nothing.
import type { Distribution } from "../../scenarios/types.js";
import { compileDistribution, type Sampler } from "../distributions.js";
import { createStream, type RandomStream } from "../random.js";

/** When each SYN of one connect is sent, from the first (Linux: 1 s initial RTO, doubled each time). */
export const SYN_SEND_MS: ReadonlyArray<number> = [0, 1000, 3000, 7000, 15000, 31000, 63000];
/** When Linux gives up a connect whose SYNs were all lost (ETIMEDOUT after the 7th SYN's 64 s). */
export const SYN_GIVE_UP_MS = 127_000;

/** Which SYN of an attempt is sent `elapsedMs` after its first (a retransmission time). */
export function synIndexAt(elapsedMs: number): number {
  for (let k = SYN_SEND_MS.length - 1; k > 0; k--) if (elapsedMs >= SYN_SEND_MS[k]! - 1e-6) return k;
  return 0;
}

export class ServerNetwork {
  /** The RTT's sampler; null: no `rtt` (the hot path reads this). */
  readonly rtt: Sampler | null;
  readonly #seed: number;
  readonly #name: string;
  #rttStream: RandomStream | null = null;
  #lossStream: RandomStream | null = null;

  constructor(seed: number, name: string, rtt: Distribution | undefined) {
    this.#seed = seed;
    this.#name = name;
    this.rtt = rtt === undefined ? null : compileDistribution(rtt);
  }

  /** One round trip, ms (0 without `rtt`). */
  rttMs(): number {
    if (this.rtt === null) return 0;
    this.#rttStream ??= createStream(this.#seed, `server:${this.#name}:rtt`);
    return Math.max(0, this.rtt(this.#rttStream));
  }

  /** Is a SYN lost, at `lossRate` (no draw when it is 0). */
  synLost(lossRate: number): boolean {
    if (lossRate <= 0) return false;
    this.#lossStream ??= createStream(this.#seed, `server:${this.#name}:loss`);
    return this.#lossStream.next() < lossRate;
  }

  /**
   * A check's connect, decided when it starts: when the SYN that gets through is sent, from the first one, with each lost at `lossRate`; SYNs
   * sent at or after `limitMs` are not drawn (the connect has timed out by then): the answer is then
   * ≥ `limitMs`. Every SYN lost: SYN_GIVE_UP_MS (the kernel's own failure).
   */
  synOffsetMs(lossRate: number, limitMs: number): number {
    if (lossRate <= 0) return 0;
    for (const sentMs of SYN_SEND_MS) {
      if (sentMs >= limitMs) return sentMs;
      if (!this.synLost(lossRate)) return sentMs;
    }
    return SYN_GIVE_UP_MS;
  }
}

/** A server's network before buildModel sets its own: no RTT (a Server built alone, in specs). */
export const NO_NETWORK = new ServerNetwork(0, "", undefined);
