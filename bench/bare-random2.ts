// The bare loop with random(2) and no timeouts: how much any event loop of the reference model
// slows down from 10 to 10,000 servers, with nothing in it but what the model cannot do without.
//
// bare-loop.ts picks the least-loaded server by a scan (O(n): hopeless at 10,000 servers) and
// arms its timeouts in the heap (9 M pending at 10,000 servers' rate); this one picks the less
// loaded of two random servers (O(1)) and arms no timer, so what still grows with the server count
// is only the model's own state: the departures pending in the heap (one per busy server: a deeper
// heap) and the per-server counts and FIFOs spread over more memory (cache misses). lbsim's
// 10,000-server ratio is read against this loop's own ratio (docs/performance.md).

import type { BareResult } from "./bare-loop.js";

// The 4-ary heap below is bare-loop.ts's, written out again on purpose: each bare loop keeps its
// heap in closures over its own typed arrays, the fastest form found, and bare-loop.ts is the
// baseline every bench run since issue 3 divides by, so it is not rewritten to share code.

/** Per-server FIFO capacity: at 90% load random(2) queues stay far shorter (checked: it throws). */
const RING = 64;

export function bareRandom2(
  requests: number,
  servers: number,
  meanServiceMs: number,
  load: number,
  seed: number,
): BareResult {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  const arrivalRatePerMs = (load * servers) / meanServiceMs;
  // Pending events: at most one arrival and one departure per server.
  let capacity = 16;
  while (capacity < servers + 2) capacity *= 2;
  const time = new Float64Array(capacity);
  const kind = new Uint8Array(capacity); // 0 arrival, 1 departure
  const payload = new Int32Array(capacity);
  let size = 0;
  const push = (t: number, k: number, p: number): void => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (time[parent]! <= t) break;
      time[i] = time[parent]!;
      kind[i] = kind[parent]!;
      payload[i] = payload[parent]!;
      i = parent;
    }
    time[i] = t;
    kind[i] = k;
    payload[i] = p;
  };
  let topTime = 0;
  let topKind = 0;
  let topPayload = 0;
  const pop = (): void => {
    topTime = time[0]!;
    topKind = kind[0]!;
    topPayload = payload[0]!;
    const t = time[--size]!;
    const k = kind[size]!;
    const p = payload[size]!;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= size) break;
      let best = first;
      const end = Math.min(first + 4, size);
      for (let c = first + 1; c < end; c++) if (time[c]! < time[best]!) best = c;
      if (time[best]! >= t) break;
      time[i] = time[best]!;
      kind[i] = kind[best]!;
      payload[i] = payload[best]!;
      i = best;
    }
    time[i] = t;
    kind[i] = k;
    payload[i] = p;
  };
  const inFlight = new Int32Array(servers);
  const fifo = new Int32Array(servers * RING);
  const head = new Int32Array(servers);
  const tail = new Int32Array(servers);
  const window = (1 << 20) - 1;
  const arrivedAt = new Float64Array(window + 1);
  let now = 0;
  let sent = 0;
  let done = 0;
  let events = 0;
  let latencySum = 0;
  push(-Math.log(uniform()) / arrivalRatePerMs, 0, 0);
  while (done < requests && size > 0) {
    pop();
    now = topTime;
    events++;
    if (topKind === 0) {
      const id = sent & window;
      sent++;
      if (sent < requests) push(now - Math.log(uniform()) / arrivalRatePerMs, 0, 0);
      const a = Math.floor(uniform() * servers);
      const b = Math.floor(uniform() * servers);
      const s = inFlight[b]! < inFlight[a]! ? b : a;
      if (inFlight[s]! >= RING) throw new Error("a server's FIFO overflowed in the bare random(2) loop");
      inFlight[s]!++;
      arrivedAt[id] = now;
      fifo[s * RING + (tail[s]! & (RING - 1))] = id;
      tail[s]!++;
      if (inFlight[s] === 1) push(now - meanServiceMs * Math.log(uniform()), 1, s);
    } else {
      const s = topPayload;
      const id = fifo[s * RING + (head[s]! & (RING - 1))]!;
      latencySum += now - arrivedAt[id]!;
      head[s]!++;
      inFlight[s]!--;
      done++;
      if (inFlight[s]! > 0) push(now - meanServiceMs * Math.log(uniform()), 1, s);
    }
  }
  return { requests: done, events, meanLatencyMs: latencySum / done };
}
