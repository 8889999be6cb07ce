// The bare loop: the benchmark's reference model hand-coded with nothing but a typed-array 4-ary heap.
//
// Poisson arrivals into n single-slot FIFO servers, each request sent to the server with the
// fewest requests in flight (a scan: the fastest choice for 10 servers), a `timeout server` timer
// armed in the heap for every request and cancelled (flagged, skipped when popped) when it is
// answered. No metrics beyond a latency sum: the ceiling lbsim's full model is measured against.

export interface BareResult {
  readonly requests: number;
  readonly events: number;
  readonly meanLatencyMs: number;
}

export function bareLoop(
  requests: number,
  servers: number,
  meanServiceMs: number,
  load: number,
  timeoutMs: number,
  seed: number,
): BareResult {
  let state = seed >>> 0 || 1;
  // xorshift32: the cheapest decent generator, so the loop measures the model, not the RNG.
  const uniform = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  const arrivalRatePerMs = (load * servers) / meanServiceMs;
  const capacity = 1 << 16;
  const time = new Float64Array(capacity);
  const kind = new Uint8Array(capacity); // 0 arrival, 1 departure, 2 timeout
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
  // Per-server FIFO of request numbers (ring buffers), and per request its arrival and timer flag.
  const ringSize = 1 << 14;
  const fifo = new Int32Array(servers * ringSize);
  const window = (1 << 20) - 1;
  const arrivedAt = new Float64Array(window + 1);
  const answered = new Uint8Array(window + 1);
  const head = new Int32Array(servers);
  const tail = new Int32Array(servers);
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
    if (topKind === 2) {
      if (answered[topPayload] === 1) continue;
      throw new Error("a request timed out in the bare loop");
    }
    if (topKind === 0) {
      const id = sent & window;
      sent++;
      if (sent < requests) push(now - Math.log(uniform()) / arrivalRatePerMs, 0, 0);
      let s = 0;
      for (let k = 1; k < servers; k++) if (inFlight[k]! < inFlight[s]!) s = k;
      inFlight[s]!++;
      arrivedAt[id] = now;
      answered[id] = 0;
      if (timeoutMs < Number.POSITIVE_INFINITY) push(now + timeoutMs, 2, id);
      fifo[s * ringSize + (tail[s]! & (ringSize - 1))] = id;
      tail[s]!++;
      if (inFlight[s] === 1) push(now - meanServiceMs * Math.log(uniform()), 1, s);
    } else {
      const s = topPayload;
      const id = fifo[s * ringSize + (head[s]! & (ringSize - 1))]!;
      answered[id] = 1;
      latencySum += now - arrivedAt[id]!;
      head[s]!++;
      inFlight[s]!--;
      done++;
      if (inFlight[s]! > 0) push(now - meanServiceMs * Math.log(uniform()), 1, s);
    }
  }
  return { requests: done, events, meanLatencyMs: latencySum / done };
}
