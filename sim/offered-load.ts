// Offered load per backend (Results.offeredLoad): steady-state arrivals against what its servers can serve.
import { meanOf } from "./distributions.js";
import type { Server } from "./model/server.js";
import type { ModelBackend } from "./model/topology.js";
import type { OfferedLoad } from "./results.js";
import { round3, round6 } from "./rounding.js";

/**
 * At ρ ≥ 1 no queue has a steady state: it grows for as long as the run lasts, and the requests
 * still waiting at the end are exactly the ones the latency figures leave out.
 */
export const OVERLOADED_RATIO = 1;
/**
 * From ρ = 0.9 a queue is long and slow to settle: M/M/1's mean time in system is S/(1 − ρ), ten
 * service times, and its relaxation time grows as 1/(1 − ρ)², about a hundred times the service
 * time at 0.9 against four at 0.5. A run of a few minutes then reads noisy, start-dependent figures,
 * and a slightly faster arrival stream (Poisson noise alone moves 60 s of 100/s by ±1.3%) tips it over.
 */
export const NEAR_CAPACITY_RATIO = 0.9;

/** What the model knows at the end of a run for offered load. */
export interface LoadInput {
  readonly backends: ReadonlyArray<ModelBackend>;
  readonly servers: ReadonlyArray<Server>;
  /** Balancer instances sharing the servers (scenario `balancers`); 1 when absent. */
  readonly instances?: number;
  /** Steady-state arrivals routed to each backend (finished + unfinished, by backend index). */
  readonly arrivals: ArrayLike<number>;
  /** Length of the steady-state period: end of the run − warm-up. */
  readonly steadyMs: number;
  /** Per server: the demands it took (ms at speed 1), how many, and how many a trace gave (sim/model/service.ts). */
  readonly demandSumMs: ArrayLike<number>;
  readonly demandCount: ArrayLike<number>;
  readonly tracedDemands: ArrayLike<number>;
}

/**
 * Arrivals, not completions: under overload completions are capped by capacity (a saturated
 * server answers exactly as fast as it can), so a ratio of completions would sit at ≤ 1 precisely
 * when the load is too high. Every steady-state arrival has either finished or is still open at the
 * end, so arrivals = finished + unfinished, counted without any work per request.
 *
 * Capacity is what the backend's servers can serve when every worker is busy: Σ min(slots, maxconn)
 * × speed / mean demand (HAProxy never sends a server more than `maxconn` at once, so slots beyond
 * it stay idle). Processor-sharing servers share the same `slots × speed` of work. Backup servers
 * take traffic only when no active server is usable (haproxy-semantics.md §3.12), so they count only
 * in a backend that has no active server. Failures (crash, hang, slow, drain) take capacity away for
 * a while and are not subtracted: this is the configured capacity.
 */
export function offeredLoad(input: LoadInput): { load: OfferedLoad[]; warnings: string[] } {
  const load: OfferedLoad[] = [];
  const warnings: string[] = [];
  input.backends.forEach((backend, b) => {
    // A frontend standing in for a backend has no server and answers 503 at once: no capacity to weigh.
    if (backend.unrouted) return;
    const own = input.servers.filter((s) => s.backend === b);
    const active = own.filter((s) => !s.spec.backup);
    const serving = active.length > 0 ? active : own;
    const pooled = pooledMean(own, input);
    let capacityPerSecond = 0;
    for (const server of serving) {
      const meanMs = meanDemandMs(server, input, pooled);
      if (meanMs === undefined || meanMs <= 0) continue;
      const { slots, maxconn, speed } = server.spec;
      // Each balancer instance holds up to `maxconn` connections of its own on the server.
      const workers = maxconn > 0 ? Math.min(slots, maxconn * (input.instances ?? 1)) : slots;
      capacityPerSecond += (workers * speed * 1000) / meanMs;
    }
    const arrivalsPerSecond = input.steadyMs > 0 ? (input.arrivals[b]! * 1000) / input.steadyMs : 0;
    const ratio = capacityPerSecond > 0 ? arrivalsPerSecond / capacityPerSecond : 0;
    const entry = {
      backend: backend.spec.name,
      arrivalsPerSecond: round3(arrivalsPerSecond),
      capacityPerSecond: round3(capacityPerSecond),
      ratio: round6(ratio),
    };
    load.push(entry);
    const warning = loadWarning(entry);
    if (warning !== undefined) warnings.push(warning);
  });
  return { load, warnings };
}

/** The sentence `Results.warnings` carries for a backend at or near capacity; undefined below that. */
export function loadWarning(entry: OfferedLoad): string | undefined {
  const figures = `offered load ${entry.ratio.toFixed(2)}× capacity (${perSecond(entry.arrivalsPerSecond)} arrivals, ${perSecond(entry.capacityPerSecond)} capacity)`;
  if (entry.ratio >= OVERLOADED_RATIO) {
    return `backend "${entry.backend}": ${figures}: queues grow without bound, so a longer run would wait longer and leave more requests unanswered`;
  }
  if (entry.ratio >= NEAR_CAPACITY_RATIO) {
    return `backend "${entry.backend}": ${figures}: near capacity, queues are long and slow to settle; figures vary much from run to run`;
  }
  return undefined;
}

/**
 * The distribution's mean when it has one and every demand the server took came from it; otherwise
 * (a trace's demands, pareto with shape ≤ 1) the mean of the demands it took, or of the backend's
 * servers when it took none.
 */
function meanDemandMs(server: Server, input: LoadInput, pooled: number | undefined): number | undefined {
  const i = server.index;
  const service = server.spec.service;
  if (service !== null && input.tracedDemands[i] === 0) {
    const meanMs = meanOf(service);
    if (Number.isFinite(meanMs)) return meanMs;
  }
  const count = input.demandCount[i]!;
  return count > 0 ? input.demandSumMs[i]! / count : pooled;
}

function pooledMean(servers: ReadonlyArray<Server>, input: LoadInput): number | undefined {
  let sumMs = 0;
  let count = 0;
  for (const s of servers) {
    sumMs += input.demandSumMs[s.index]!;
    count += input.demandCount[s.index]!;
  }
  return count > 0 ? sumMs / count : undefined;
}

/** `120/s`, `3.5/s`: three significant digits, no more than whole requests past 100/s. */
function perSecond(rate: number): string {
  return `${rate >= 100 ? Math.round(rate) : Number(rate.toPrecision(3))}/s`;
}
