// Inside a server: its workers (FIFO) or processor sharing, the demand of each job, crash and hang.
//
// The balancer cannot see any of this. A job is the server-side life of a request: it starts when
// the connection is established and ends when the server has done the work, whether or not the
// balancer still waits for it (a request that timed out on the balancer keeps its worker busy, as
// a real server does not learn that nobody listens any more).

import { compileDistribution, type Sampler } from "../distributions.js";
import type { Engine } from "../engine.js";
import { DemandRandom } from "../random.js";
import type { ModelContext } from "./context.js";
import { Kind } from "./kinds.js";
import type { Metrics } from "./metrics.js";
import { I, N, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";

export class Service {
  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #samplers: ReadonlyArray<Sampler | null>;
  readonly #demand: DemandRandom;
  readonly #fifoDoneKind: number;
  readonly #psDoneKind: number;
  readonly #metrics: Metrics;
  /**
   * Per server: the demands it took (ms at speed 1) summed and counted, and how many of them a trace
   * gave. Offered load (sim/offered-load.ts) uses their mean where the distribution cannot tell it.
   */
  readonly demandSumMs: Float64Array;
  readonly demandCount: Float64Array;
  readonly tracedDemands: Float64Array;

  constructor(ctx: ModelContext) {
    // Servers with the same service law share one sampler (a sampler is a pure function of the law
    // and the uniforms): with 10,000 servers, one closure stays in cache instead of 10,000.
    const compiled = new Map<string, Sampler>();
    const samplers = ctx.servers.map((s) => {
      if (s.spec.service === null) return null;
      const key = JSON.stringify(s.spec.service);
      let sampler = compiled.get(key);
      if (sampler === undefined) {
        sampler = compileDistribution(s.spec.service);
        compiled.set(key, sampler);
      }
      return sampler;
    });
    this.#engine = ctx.engine;
    this.#requests = ctx.requests;
    this.#samplers = samplers;
    this.#demand = new DemandRandom();
    this.#fifoDoneKind = Kind.FifoDone;
    this.#psDoneKind = Kind.PsDone;
    this.#metrics = ctx.metrics;
    this.demandSumMs = new Float64Array(samplers.length);
    this.demandCount = new Float64Array(samplers.length);
    this.tracedDemands = new Float64Array(samplers.length);
  }

  /** The work the request asks of this server, in ms at speed 1 (common random numbers). */
  demandOf(server: Server, slot: number): number {
    const index = server.index;
    const fromTrace = this.#requests.nums[slot + N.demandMs]!;
    let demandMs = fromTrace;
    if (Number.isNaN(fromTrace)) {
      const sampler = this.#samplers[index];
      if (sampler === null || sampler === undefined) {
        throw new Error(
          `server ${server.spec.name} has no service model for request ${this.#requests.nums[slot + N.id]}`,
        );
      }
      this.#demand.reset(this.#requests.nums[slot + N.demandSeed]!);
      demandMs = sampler(this.#demand);
    } else this.tracedDemands[index]!++;
    this.demandSumMs[index]! += demandMs;
    this.demandCount[index]!++;
    return demandMs;
  }

  /** A connection was established: the server takes the job (on its station: every instance's work lands there). */
  start(copy: Server, slot: number): void {
    const server = copy.station;
    const r = this.#requests;
    server.accumulate(this.#engine.nowMs);
    r.ints[slot + I.jobActive] = 1;
    r.nums[slot + N.jobSinceMs] = this.#engine.nowMs;
    r.ints[slot + I.jobPrev] = -1;
    r.ints[slot + I.jobNext] = server.jobsHead;
    if (server.jobsHead >= 0) r.ints[server.jobsHead + I.jobPrev] = slot;
    server.jobsHead = slot;
    if (server.ps) {
      this.#psAdvance(server);
      r.nums[slot + N.jobFinish] = server.psVirtual + this.demandOf(server, slot);
      this.#psPush(server, slot);
      server.busy++;
      this.#psReschedule(server);
      // Processor sharing serves every job from the moment it arrives: no job waits for a worker.
      this.#metrics.serverWaited(server, r.nums[slot + N.arrivalMs]!, 0);
      return;
    }
    if (server.busy < server.slots) {
      server.busy++;
      this.#begin(server, slot);
    } else {
      if (server.waitTail - server.waitHead >= server.waiting.length) growWaiting(server);
      server.waiting[server.waitTail % server.waiting.length] = slot;
      server.waitTail++;
    }
  }

  /** A FIFO job finished its service; the worker takes the next waiting job. */
  finishFifo(copy: Server, slot: number): void {
    const server = copy.station;
    server.accumulate(this.#engine.nowMs);
    this.#unlink(server, slot);
    if (server.waitTail > server.waitHead) {
      const next = server.waiting[server.waitHead % server.waiting.length]!;
      server.waitHead++;
      this.#begin(server, next);
    } else server.busy--;
  }

  /** The earliest processor-sharing job of a station finished; returns its slot. */
  finishPs(server: Server): number {
    server.accumulate(this.#engine.nowMs);
    this.#psAdvance(server);
    const slot = this.#psPop(server);
    server.busy--;
    this.#unlink(server, slot);
    server.psEvent = Number.NaN;
    this.#psReschedule(server);
    return slot;
  }

  /** Crash or hang: every job is dropped. Calls `dropped(slot)` for each, newest first. */
  dropAll(server: Server, dropped: (slot: number) => void): void {
    const r = this.#requests;
    server.accumulate(this.#engine.nowMs);
    let slot = server.jobsHead;
    while (slot >= 0) {
      const next = r.ints[slot + I.jobNext]!;
      const event = r.nums[slot + N.jobEvent]!;
      if (!Number.isNaN(event)) this.#engine.cancel(event);
      r.nums[slot + N.jobEvent] = Number.NaN;
      r.ints[slot + I.jobActive] = 0;
      dropped(slot);
      slot = next;
    }
    server.jobsHead = -1;
    server.busy = 0;
    server.waitHead = server.waitTail = 0;
    server.psSize = 0;
    if (!Number.isNaN(server.psEvent)) this.#engine.cancel(server.psEvent);
    server.psEvent = Number.NaN;
  }

  /** Rate changes (slow factor) take effect at once under processor sharing. */
  speedChanged(server: Server): void {
    if (!server.ps) return;
    this.#psAdvance(server);
    this.#psReschedule(server);
  }

  #begin(server: Server, slot: number): void {
    const r = this.#requests;
    this.#metrics.serverWaited(
      server,
      r.nums[slot + N.arrivalMs]!,
      this.#engine.nowMs - r.nums[slot + N.jobSinceMs]!,
    );
    const durationMs = (this.demandOf(server, slot) * server.faults.slowFactor) / server.speed;
    r.nums[slot + N.jobEvent] = this.#engine.schedule(
      this.#engine.nowMs + durationMs,
      this.#fifoDoneKind,
      slot,
    );
  }

  #unlink(server: Server, slot: number): void {
    const r = this.#requests;
    const prev = r.ints[slot + I.jobPrev]!;
    const next = r.ints[slot + I.jobNext]!;
    if (prev >= 0) r.ints[prev + I.jobNext] = next;
    else server.jobsHead = next;
    if (next >= 0) r.ints[next + I.jobPrev] = prev;
    r.ints[slot + I.jobActive] = 0;
    r.nums[slot + N.jobEvent] = Number.NaN;
  }

  /** Work rate of each job under processor sharing: `slots` workers shared by `busy` jobs. */
  #psRate(server: Server): number {
    const share = server.busy <= server.slots ? 1 : server.slots / server.busy;
    return (share * server.speed) / server.faults.slowFactor;
  }

  #psAdvance(server: Server): void {
    const now = this.#engine.nowMs;
    if (server.busy > 0) server.psVirtual += (now - server.psUpdatedMs) * this.#psRate(server);
    server.psUpdatedMs = now;
  }

  #psReschedule(server: Server): void {
    if (!Number.isNaN(server.psEvent)) this.#engine.cancel(server.psEvent);
    server.psEvent = Number.NaN;
    if (server.psSize === 0) return;
    const head = server.psHeap[0]!;
    const remaining = Math.max(0, this.#requests.nums[head + N.jobFinish]! - server.psVirtual);
    const at = this.#engine.nowMs + remaining / this.#psRate(server);
    server.psEvent = this.#engine.schedule(at, this.#psDoneKind, server.index);
  }

  #psPush(server: Server, slot: number): void {
    if (server.psSize === server.psHeap.length) {
      const bigger = new Int32Array(server.psHeap.length * 2);
      bigger.set(server.psHeap);
      server.psHeap = bigger;
    }
    const heap = server.psHeap;
    const r = this.#requests;
    let i = server.psSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (r.nums[heap[parent]! + N.jobFinish]! <= r.nums[slot + N.jobFinish]!) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = slot;
  }

  #psPop(server: Server): number {
    const heap = server.psHeap;
    const r = this.#requests;
    const top = heap[0]!;
    const last = heap[--server.psSize]!;
    const size = server.psSize;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child =
        right < size && r.nums[heap[right]! + N.jobFinish]! < r.nums[heap[left]! + N.jobFinish]!
          ? right
          : left;
      if (r.nums[heap[child]! + N.jobFinish]! >= r.nums[last + N.jobFinish]!) break;
      heap[i] = heap[child]!;
      i = child;
    }
    if (size > 0) heap[i] = last;
    return top;
  }
}

function growWaiting(server: Server): void {
  const size = server.waiting.length;
  const bigger = new Int32Array(size * 2);
  for (let k = 0; k < size; k++) bigger[k] = server.waiting[(server.waitHead + k) % size]!;
  server.waiting = bigger;
  server.waitTail -= server.waitHead;
  server.waitHead = 0;
}
