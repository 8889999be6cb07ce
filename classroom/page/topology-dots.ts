// The requests drawn moving: how many requests a dot stands for (a budget of dots on screen), each server's rate since the last snapshot, and a fixed pool of dots travelling clients → balancer → server. Pure: the topology writes the positions into its pool of circles.
import type { Snapshot } from "../../sim/index.js";
import { niceCeiling } from "./topology-labels.js";
import { takesTraffic } from "./view-style.js";

/** At most this many dots on screen at once: the pool's size, whatever the rate. */
export const DOT_CAP = 150;
/** A dot's journey from the clients to its server, in wall-clock ms. */
export const TRAVEL_MS = 900;
/** The share of the journey spent reaching the balancer, then inside it (hidden), then on to the server. */
export const TO_BALANCER = 0.3;
export const IN_BALANCER = 0.1;

/**
 * How many requests one dot stands for so that no more than `cap` dots are on screen when
 * `perSecond` requests a (wall-clock) second are drawn: 1 while they fit, else 2, 5, 10, 20…
 */
export function requestsPerDot(perSecond: number, cap = DOT_CAP, travelMs = TRAVEL_MS): number {
  const onScreen = (perSecond * travelMs) / 1000;
  if (!(onScreen > cap)) return 1;
  const needed = onScreen / cap;
  return needed <= 2 ? 2 : niceCeiling(needed);
}

/**
 * A server's snapshot with what the page may add: `served`, the requests it answered or failed so
 * far (the worker's tally), and `maxconn` (the scenario's; 0 = unlimited).
 */
export type ServedSnapshot = Snapshot["servers"][number] & {
  readonly served?: number;
  readonly maxconn?: number;
};

/**
 * Requests each server took per wall-clock second between two snapshots `wallMs` apart, in `next`'s
 * order. With `served` counts (the worker's per-server tally) it is their difference; without them
 * (or while they stand still but requests finish: counts from the warm-up on) it is an estimate: the requests that finished in between (`recent`, or the steady-state count)
 * shared out by what each server has in flight, servers that take traffic getting a share by
 * weight too so that a lightly loaded backend still shows its spread.
 */
export function serverRates(
  prev: Snapshot | undefined,
  next: Snapshot,
  wallMs: number,
): { perSecond: number[]; estimated: boolean } {
  const servers = next.servers as ReadonlyArray<ServedSnapshot>;
  if (prev === undefined || !(wallMs > 0) || !(next.nowMs > prev.nowMs))
    return { perSecond: servers.map(() => 0), estimated: false };
  const before = new Map((prev.servers as ReadonlyArray<ServedSnapshot>).map((s) => [s.name, s.served]));
  const finishedSinceRecent = next.recent.filter((r) => r.atMs > prev.nowMs).length;
  const finished = Math.max(finishedSinceRecent, next.requests.total - prev.requests.total);
  if (servers.every((s) => s.served !== undefined && before.get(s.name) !== undefined)) {
    const counts = servers.map((s) => Math.max(0, s.served! - before.get(s.name)!));
    // Counts that start after the warm-up (Results' `requests`) stand still during it while
    // requests finish: then the estimate below draws them.
    if (counts.some((c) => c > 0) || finished === 0)
      return { perSecond: counts.map((c) => (c * 1000) / wallMs), estimated: false };
  }
  const maxWeight = Math.max(1, ...servers.map((s) => s.weight));
  const shares = servers.map((s) => s.inFlight + (takesTraffic(s.state) ? s.weight / maxWeight : 0));
  const sum = shares.reduce((a, b) => a + b, 0);
  const perSecond = shares.map((share) => (sum > 0 ? (finished * share * 1000) / (sum * wallMs) : 0));
  return { perSecond, estimated: true };
}

/** A point on a dot's way; `visible` false while it is inside the balancer. */
export interface DotPoint {
  readonly x: number;
  readonly y: number;
  readonly visible: boolean;
}

/** The ends of a dot's two legs: clients → balancer (straight), balancer → server (the link's curve). */
export interface DotRoute {
  readonly from: { readonly x: number; readonly y: number };
  readonly balancerIn: { readonly x: number; readonly y: number };
  readonly balancerOut: { readonly x: number; readonly y: number };
  readonly to: { readonly x: number; readonly y: number };
}

/**
 * Where a dot is at `progress` (0–1) of its journey. The second leg is the cubic curve d3-shape's
 * `linkHorizontal` draws (control points at mid-x), so the dots ride on the drawn links.
 */
export function dotPoint(route: DotRoute, progress: number): DotPoint {
  const u = Math.max(0, Math.min(1, progress));
  if (u < TO_BALANCER) {
    const t = u / TO_BALANCER;
    const { from, balancerIn: to } = route;
    return { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t, visible: true };
  }
  if (u < TO_BALANCER + IN_BALANCER) return { ...route.balancerOut, visible: false };
  const t = (u - TO_BALANCER - IN_BALANCER) / (1 - TO_BALANCER - IN_BALANCER);
  const { balancerOut: p0, to: p3 } = route;
  const mx = (p0.x + p3.x) / 2;
  const a = (1 - t) ** 3;
  const b = 3 * (1 - t) ** 2 * t;
  const c = 3 * (1 - t) * t ** 2;
  const d = t ** 3;
  return { x: a * p0.x + b * mx + c * mx + d * p3.x, y: (a + b) * p0.y + (c + d) * p3.y, visible: true };
}

/**
 * The dots in flight: a fixed pool (typed arrays, no allocation per dot) fed at each server's rate.
 * `step` launches the dots due since the last frame, spread evenly over it, and retires those that
 * arrived; a full pool drops new dots (counted in `dropped`) rather than growing.
 */
export class DotField {
  readonly capacity: number;
  /** Live dots are packed in [0, count): their launch time and their server's row. */
  readonly startMs: Float64Array;
  readonly row: Int32Array;
  count = 0;
  dropped = 0;
  #dotsPerSecond: Float64Array = new Float64Array(0);
  #owed: Float64Array = new Float64Array(0);
  #ratesUntilMs = Number.NEGATIVE_INFINITY;
  #lastStepMs: number | undefined;

  constructor(capacity = DOT_CAP) {
    this.capacity = capacity;
    this.startMs = new Float64Array(capacity);
    this.row = new Int32Array(capacity);
  }

  /**
   * Dots per second to launch toward each row from `atMs` on, until `untilMs`: past it (the
   * page stopped sending snapshots: paused, or the tab hidden) no more are launched.
   */
  setRates(dotsPerSecond: ReadonlyArray<number>, untilMs: number): void {
    if (dotsPerSecond.length !== this.#dotsPerSecond.length) {
      this.#dotsPerSecond = new Float64Array(dotsPerSecond.length);
      this.#owed = new Float64Array(dotsPerSecond.length);
    }
    this.#dotsPerSecond.set(dotsPerSecond);
    this.#ratesUntilMs = untilMs;
  }

  /** Rows renumbered (servers added or removed): `newRow[old]` is a dot's new row, −1 drops it. */
  remap(newRow: ReadonlyArray<number>): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const row = newRow[this.row[i]!] ?? -1;
      if (row < 0) continue;
      this.startMs[kept] = this.startMs[i]!;
      this.row[kept] = row;
      kept++;
    }
    this.count = kept;
    this.#owed = new Float64Array(newRow.reduce((n, r) => Math.max(n, r + 1), 0));
    this.#dotsPerSecond = new Float64Array(this.#owed.length);
  }

  /** Advances to `nowMs`: retires arrived dots, launches those due. Returns whether any dot is live. */
  step(nowMs: number): boolean {
    const lastMs = this.#lastStepMs ?? nowMs;
    this.#lastStepMs = nowMs;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (nowMs - this.startMs[i]! >= TRAVEL_MS) continue;
      this.startMs[kept] = this.startMs[i]!;
      this.row[kept] = this.row[i]!;
      kept++;
    }
    this.count = kept;
    // A long gap (a hidden tab) launches nothing for it: the dots would all start at once.
    const frameMs = Math.min(Math.max(0, Math.min(nowMs, this.#ratesUntilMs) - lastMs), 100);
    if (frameMs > 0)
      for (let r = 0; r < this.#dotsPerSecond.length; r++) {
        const owed = this.#owed[r]! + (this.#dotsPerSecond[r]! * frameMs) / 1000;
        const due = Math.floor(owed);
        this.#owed[r] = owed - due;
        for (let k = 0; k < due; k++) {
          if (this.count >= this.capacity) {
            this.dropped++;
            continue;
          }
          // Spread over the frame, so that a burst does not travel as one clump.
          this.startMs[this.count] = nowMs - (frameMs * (k + 0.5)) / due;
          this.row[this.count] = r;
          this.count++;
        }
      }
    return this.count > 0;
  }

  /** Whether dots are still being launched at `nowMs` (the last rates have not run out). */
  hasRates(nowMs: number): boolean {
    return nowMs < this.#ratesUntilMs && this.#dotsPerSecond.some((r) => r > 0);
  }

  /** The progress (0–1) of live dot `i`. */
  progress(i: number, nowMs: number): number {
    return (nowMs - this.startMs[i]!) / TRAVEL_MS;
  }
}
