// test-support: a small fake model that owns mutable ServerViews and drives a strategy, for specs.
//
// It follows the Strategy contract the way sim/ does: it mutates a ServerView first and then calls
// the callback; at creation it calls serverUp for every initially usable server in declaration
// order. With `echo`, every callback is delivered twice, to check that callbacks are idempotent.

import { fullHash } from "./shared/index.js";
import type { RequestView, ServerView, Strategy, StrategyContext, StrategyFactory } from "./types.js";

export type MutableServerView = { -readonly [K in keyof ServerView]: ServerView[K] };

export interface FakeServer {
  readonly weight?: number;
  readonly maxconn?: number;
  readonly maxqueue?: number;
  readonly id?: number;
  /** Starts DOWN (no serverUp at creation). */
  readonly down?: boolean;
}

export interface FakeModelOptions {
  readonly seed?: number;
  readonly hashType?: StrategyContext["hashType"];
  readonly hashFunction?: StrategyContext["hashFunction"];
  readonly hashAvalanche?: StrategyContext["hashAvalanche"];
  /** Deliver every callback twice. */
  readonly echo?: boolean;
}

export const noRequest: RequestView = { sourceIp: "10.0.0.1", sourceKey: 0x0a000001, path: "/", host: "" };

/** mulberry32: a tiny seeded [0,1) stream for tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FakeModel {
  readonly servers: MutableServerView[];
  readonly strategy: Strategy;
  private readonly usable: boolean[];
  private readonly echo: boolean;

  constructor(
    factory: StrategyFactory,
    specs: ReadonlyArray<number | FakeServer>,
    options: FakeModelOptions = {},
  ) {
    this.echo = options.echo ?? false;
    this.servers = specs.map((spec, index) => {
      const s: FakeServer = typeof spec === "number" ? { weight: spec } : spec;
      const weight = s.weight ?? 1;
      return {
        index,
        id: s.id ?? index + 1,
        name: `s${index + 1}`,
        backup: false,
        initialWeight: weight,
        weight,
        effectiveWeight: 0,
        maxconn: s.maxconn ?? 0,
        maxqueue: s.maxqueue ?? 0,
        served: 0,
        queued: 0,
        observedResponseMs: 0,
      };
    });
    this.usable = specs.map((spec) => typeof spec === "number" || spec.down !== true);
    const context: StrategyContext = {
      hashType: options.hashType ?? "map-based",
      ...(options.hashFunction === undefined ? {} : { hashFunction: options.hashFunction }),
      ...(options.hashAvalanche === undefined ? {} : { hashAvalanche: options.hashAvalanche }),
      random: seededRandom(options.seed ?? 1),
    };
    this.strategy = factory(this.servers, context);
    this.servers.forEach((server, i) => {
      if (this.usable[i] && server.weight > 0) {
        server.effectiveWeight = server.weight * 16;
        this.call("serverUp", server);
      }
    });
  }

  isUsable(i: number): boolean {
    return this.usable[i]! && this.servers[i]!.weight > 0;
  }

  up(i: number): void {
    const server = this.servers[i]!;
    this.usable[i] = true;
    if (server.weight === 0) return;
    server.effectiveWeight = server.weight * 16;
    this.call("serverUp", server);
  }

  down(i: number): void {
    const server = this.servers[i]!;
    this.usable[i] = false;
    server.effectiveWeight = 0;
    this.call("serverDown", server);
  }

  /** `set weight`: weight 0 takes the server out, and a weight again brings it back. */
  setWeight(i: number, weight: number): void {
    const server = this.servers[i]!;
    const before = server.effectiveWeight;
    server.weight = weight;
    if (!this.usable[i]) return;
    server.effectiveWeight = weight * 16;
    if (weight === 0) this.call("serverDown", server);
    else if (before === 0) this.call("serverUp", server);
    else this.call("weightChanged", server);
  }

  take(i: number): void {
    this.servers[i]!.served++;
    this.call("taken", this.servers[i]!);
  }

  release(i: number): void {
    this.servers[i]!.served--;
    this.call("released", this.servers[i]!);
  }

  enqueue(i: number): void {
    this.servers[i]!.queued++;
    this.call("taken", this.servers[i]!);
  }

  dequeue(i: number): void {
    this.servers[i]!.queued--;
    this.call("released", this.servers[i]!);
  }

  /** The picked server's index, or -1. */
  pick(avoid?: number, request: RequestView = noRequest): number {
    const chosen = this.strategy.pick(request, avoid === undefined ? undefined : this.servers[avoid]);
    return chosen === undefined ? -1 : chosen.index;
  }

  /** `count` picks, each taken and released before the next (sequential traffic); the names. */
  sequence(count: number): string[] {
    const names: string[] = [];
    for (let k = 0; k < count; k++) {
      const i = this.pick();
      names.push(i < 0 ? "-" : this.servers[i]!.name);
      if (i >= 0) {
        this.take(i);
        this.release(i);
      }
    }
    return names;
  }

  /** Picks per server over `count` sequential picks. */
  counts(count: number): number[] {
    const counts = this.servers.map(() => 0);
    for (let k = 0; k < count; k++) {
      const i = this.pick();
      if (i < 0) continue;
      counts[i]!++;
      this.take(i);
      this.release(i);
    }
    return counts;
  }

  private call(
    callback: "serverUp" | "serverDown" | "weightChanged" | "taken" | "released",
    server: ServerView,
  ) {
    this.strategy[callback](server);
    if (this.echo) this.strategy[callback](server);
  }
}

/**
 * Each server's share of the consistent ring (§3.11) when every server is usable: a point owns half
 * the gap to each neighbour, by the nearest-point rule. Brute force, for checking random(N).
 */
export function ringShares(servers: ReadonlyArray<Pick<ServerView, "id" | "weight">>): number[] {
  const points: { hash: number; slot: number }[] = [];
  servers.forEach((server, slot) => {
    for (let j = 0; j < server.weight * 16; j++) points.push({ hash: fullHash(server.id * 4096 + j), slot });
  });
  points.sort((a, b) => a.hash - b.hash);
  const shares = servers.map(() => 0);
  points.forEach((point, i) => {
    const before = points[(i + points.length - 1) % points.length]!;
    const after = points[(i + 1) % points.length]!;
    const owned = ((point.hash - before.hash) >>> 0) / 2 + ((after.hash - point.hash) >>> 0) / 2;
    shares[point.slot] = shares[point.slot]! + owned / 4294967296;
  });
  return shares;
}

/** A RequestView with these fields; `sourceKey` follows `sourceIp` when that is IPv4 (else 0, as the model gives). */
export function request(fields: Partial<Omit<RequestView, "sourceKey">> = {}): RequestView {
  const sourceIp = fields.sourceIp ?? noRequest.sourceIp;
  const parts = sourceIp.split(".").map(Number);
  const ipv4 = parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n <= 255);
  return {
    sourceIp,
    sourceKey: ipv4 ? parts.reduce((key, n) => key * 256 + n, 0) : 0,
    path: fields.path ?? noRequest.path,
    host: fields.host ?? noRequest.host,
  };
}

/**
 * The slot owning 32-bit `hash` on the consistent ring of these servers (all usable), by §3.11's
 * nearest-point rule written out by brute force: the point before wins ties.
 */
export function ringOwner(servers: ReadonlyArray<Pick<ServerView, "id" | "weight">>, hash: number): number {
  const points: { hash: number; slot: number }[] = [];
  servers.forEach((server, slot) => {
    for (let j = 0; j < server.weight * 16; j++) points.push({ hash: fullHash(server.id * 4096 + j), slot });
  });
  points.sort((a, b) => a.hash - b.hash);
  let best = points[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const point of points) {
    const before = (hash - point.hash + 4294967296) % 4294967296;
    const after = (point.hash - hash + 4294967296) % 4294967296;
    // The point before the key at distance d beats the point after at the same distance.
    const distance = Math.min(2 * before, 2 * after + 1);
    if (distance < bestDistance) {
      best = point;
      bestDistance = distance;
    }
  }
  return best.slot;
}

/**
 * A closed loop of `concurrency` requests over fixed per-server latencies (ms): each answer is
 * observed (the model's 0.9/0.1 EWMA in `observedResponseMs`, then `observed`), released, and a new
 * request picked. Returns the picks per server.
 */
export function closedLoop(
  model: FakeModel,
  latencyMs: ReadonlyArray<number>,
  concurrency: number,
  picks: number,
): number[] {
  const counts = model.servers.map(() => 0);
  const pending: { atMs: number; server: number }[] = [];
  let nowMs = 0;
  let made = 0;
  const start = () => {
    const i = model.pick();
    if (i < 0) throw new Error("nothing picked");
    counts[i]!++;
    made++;
    model.take(i);
    pending.push({ atMs: nowMs + latencyMs[i]!, server: i });
  };
  for (let k = 0; k < concurrency; k++) start();
  while (made < picks) {
    pending.sort((a, b) => a.atMs - b.atMs);
    const done = pending.shift()!;
    nowMs = done.atMs;
    const view = model.servers[done.server]!;
    const responseMs = latencyMs[done.server]!;
    view.observedResponseMs =
      view.observedResponseMs === 0 ? responseMs : 0.9 * view.observedResponseMs + 0.1 * responseMs;
    model.strategy.observed?.(view, responseMs);
    model.release(done.server);
    start();
  }
  return counts;
}
