// Open-loop arrival times (poisson, constant, ramp) at a client's current rate, which the timeline's
// `rate` and `spike` events change (DESIGN.md "Failure modes").
import type { Arrivals } from "../../scenarios/types.js";
import type { RandomStream } from "../random.js";

/** An open-loop client's arrival process as it is now. */
export interface OpenLoop {
  /** The written arrivals, until a `rate` event replaces them. */
  arrivals: Arrivals;
  /** The factors of the spikes running now; the rate is multiplied by all of them. */
  readonly spikes: number[];
  factor: number;
  lastArrivalMs: number;
}

export function openLoop(arrivals: Arrivals): OpenLoop {
  return { arrivals, spikes: [], factor: 1, lastArrivalMs: Number.NEGATIVE_INFINITY };
}

/** The rate becomes `ratePerSecond`; a ramp's arrivals are Poisson, so a ramp goes on as Poisson arrivals. */
export function setRate(state: OpenLoop, ratePerSecond: number): void {
  state.arrivals =
    state.arrivals.kind === "constant"
      ? { kind: "constant", ratePerSecond }
      : { kind: "poisson", ratePerSecond };
}

/** A spike of `factor` starts (`on`) or ends. */
export function setSpike(state: OpenLoop, factor: number, on: boolean): void {
  if (on) state.spikes.push(factor);
  else {
    const at = state.spikes.indexOf(factor);
    if (at < 0) throw new Error(`a spike ×${factor} ends but never started`);
    state.spikes.splice(at, 1);
  }
  // The product again from the running spikes, not a division: a factor of 0 is allowed.
  state.factor = state.spikes.reduce((product, f) => product * f, 1);
}

/**
 * The next arrival after `nowMs` (the first one when `first`); Infinity at a rate of 0. Poisson and
 * ramp arrivals take one uniform from `stream`, constant ones none.
 */
export function nextArrivalMs(state: OpenLoop, stream: RandomStream, nowMs: number, first: boolean): number {
  const arrivals = state.arrivals;
  const factor = state.factor;
  switch (arrivals.kind) {
    case "poisson": {
      const u = stream.next();
      const rate = arrivals.ratePerSecond * factor;
      return rate > 0 ? nowMs - (1000 * Math.log(1 - u)) / rate : Number.POSITIVE_INFINITY;
    }
    case "constant": {
      const rate = arrivals.ratePerSecond * factor;
      if (rate <= 0) return Number.POSITIVE_INFINITY;
      return first ? 0 : nowMs + 1000 / rate;
    }
    case "ramp":
      return nextRampArrival(
        arrivals.fromPerSecond * factor,
        arrivals.toPerSecond * factor,
        arrivals.overMs,
        nowMs,
        -Math.log(1 - stream.next()),
      );
    default:
      throw new Error(`not an open-loop arrival process: ${arrivals.kind}`);
  }
}

/**
 * The pending arrival drawn again after a rate change at `nowMs`. Poisson (and ramp) arrivals are
 * memoryless: a fresh inter-arrival time from now has the right law. Constant arrivals keep their
 * rhythm from the last arrival, at the new spacing (at once if that is already past).
 */
export function redrawnArrivalMs(state: OpenLoop, stream: RandomStream, nowMs: number): number {
  const arrivals = state.arrivals;
  if (arrivals.kind !== "constant") return nextArrivalMs(state, stream, nowMs, false);
  const rate = arrivals.ratePerSecond * state.factor;
  if (rate <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(nowMs, state.lastArrivalMs + 1000 / rate);
}

/**
 * Non-homogeneous Poisson arrivals with a rate going linearly from `from` to `to` (per second)
 * over `overMs`, then staying at `to`: solve Λ(t) − Λ(now) = e for the cumulative intensity Λ.
 */
export function nextRampArrival(from: number, to: number, overMs: number, nowMs: number, e: number): number {
  const perMs = (rate: number) => rate / 1000;
  const slope = overMs > 0 ? (perMs(to) - perMs(from)) / overMs : 0;
  if (nowMs < overMs) {
    const rateNow = perMs(from) + slope * nowMs;
    const remainingMass = rateNow * (overMs - nowMs) + (slope * (overMs - nowMs) ** 2) / 2;
    if (e <= remainingMass) {
      if (Math.abs(slope) < 1e-15) return nowMs + e / rateNow;
      // rateNow·d + slope·d²/2 = e  →  d = (−rateNow + √(rateNow² + 2·slope·e)) / slope
      const d = (-rateNow + Math.sqrt(Math.max(0, rateNow * rateNow + 2 * slope * e))) / slope;
      return nowMs + d;
    }
    if (to <= 0) return Number.POSITIVE_INFINITY;
    return overMs + (e - remainingMass) / perMs(to);
  }
  return to <= 0 ? Number.POSITIVE_INFINITY : nowMs + e / perMs(to);
}
