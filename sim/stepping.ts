// The stepping API: a model built from a Scenario that its caller advances, acts on and looks at
// (the classroom page drives one from a Web Worker); `run()` is this, advanced to the end at once.
import type { Scenario, TimelineAction, TimelineEvent } from "../scenarios/types.js";
import { buildModel } from "./model/build.js";
import type { ModelContext } from "./model/context.js";
import type { RecentRequest } from "./model/recent.js";
import type { Server } from "./model/server.js";
import { ownStrategy } from "./own-strategy.js";
import type { Results } from "./results.js";
import { statusCounts } from "./results-build.js";
import { collectResults } from "./results-collect.js";
import type { RunOptions } from "./run-types.js";

/** How many finished requests a snapshot shows by default. */
export const RECENT_REQUESTS = 200;

export interface ModelOptions extends RunOptions {
  /** How many of the last finished requests `snapshot().recent` holds (default 200; 0 = none). */
  readonly recentRequests?: number;
}

/**
 * An action applied now: a timeline action as the scenario types write it (`{kind: "crash",
 * server: "s1"}`), or a runtime-API command as written in a scenario (`set server be/s1 state drain`).
 */
/**
 * What `apply` takes: a timeline action as the scenario types write it. A runtime-API command
 * written as text becomes one with `runtimeAction(text, scenario)` from scenarios/.
 */
export type ModelAction = TimelineAction;

export interface ServerSnapshot {
  /** As in Results (`<backend>/<server>` with several backends). */
  readonly name: string;
  readonly backend: string;
  /** HAProxy's status word, as Results.servers[].states writes it (`UP`, `DOWN 1/2`, `MAINT`…). */
  readonly state: string;
  /** Requests on the server now (connections it serves), and waiting in its own queue. */
  readonly inFlight: number;
  readonly queued: number;
  /** Health counter in [0, rise + fall − 1] (UP while ≥ rise); rise and fall are 0 without checks. */
  readonly health: number;
  readonly rise: number;
  readonly fall: number;
  /** Failed checks so far (HAProxy's `chkfail`, active and passive). */
  readonly checksFailed: number;
  /** The weight set now (initial, or as a runtime command set it), before slowstart. */
  readonly weight: number;
}

export interface Snapshot {
  readonly nowMs: number;
  readonly durationMs: number;
  /** True once the model reached its duration (or was finished early). */
  readonly done: boolean;
  readonly servers: ReadonlyArray<ServerSnapshot>;
  /** Per backend, requests waiting in its queue now. */
  readonly backends: ReadonlyArray<{ readonly name: string; readonly queued: number }>;
  /** Finished requests since warm-up, as Results.requests counts them. */
  readonly requests: {
    readonly total: number;
    readonly ok: number;
    readonly failed: number;
    readonly byStatus: Record<string, number>;
  };
  /** The last finished requests (warm-up ones included), oldest first, at most `recentRequests`. */
  readonly recent: ReadonlyArray<RecentRequest>;
  /**
   * Present only when the scenario has `balancers:`: each instance's own view of its servers and
   * backend queues. `servers` and `backends` above then count all instances together (in flight,
   * queued, failed checks), with instance 1's state, health and weight.
   */
  readonly balancers?: ReadonlyArray<BalancerSnapshot>;
}

/** One balancer instance's view (`Snapshot.balancers`, with a scenario's `balancers:`). */
export interface BalancerSnapshot {
  readonly index: number;
  readonly name: string;
  readonly servers: ReadonlyArray<ServerSnapshot>;
  readonly backends: ReadonlyArray<{ readonly name: string; readonly queued: number }>;
}

export interface Model {
  readonly durationMs: number;
  /** The simulated time reached. */
  readonly nowMs: number;
  /**
   * Runs every event before `ms` and moves the clock to `ms` (capped at the duration); never
   * backwards. The events at exactly `ms` stay pending until the next advance (or `results`,
   * `finish`), so that an action applied at `ms` comes before them as a scenario's `{at: ms}`
   * event would; at the duration, every event at it runs (the run is over).
   */
  advanceTo(ms: number): void;
  /**
   * Applies an action at the current simulated time exactly as a timeline event `{at: nowMs, …}`
   * written last under the scenario's `events:` would act (so a run of that scenario gives
   * byte-identical Results): after the scenario's own timeline events at now, before the other
   * events at now. It runs at once: a snapshot shows its effect.
   */
  apply(action: ModelAction): void;
  /** A plain-data view of the model now, for drawing. */
  snapshot(): Snapshot;
  /**
   * Results at the current time: at the end, the run's Results; before it, the Results a run
   * stopped here would give (`partial: true`, `endedAtMs`), and the model can go on.
   */
  results(): Results;
  /** Ends the model where it is and returns its Results (partial before the end); nothing can follow. */
  finish(): Results;
}

export function createModel(scenario: Scenario, options: ModelOptions): Model {
  return new SteppedModel(scenario, options);
}

class SteppedModel implements Model {
  readonly durationMs: number;
  readonly #scenario: Scenario;
  readonly #options: ModelOptions;
  readonly #ctx: ModelContext;
  readonly #startedAtMs = performance.now();
  /** What `apply` did, and when: a partial `results()` replays it on a copy of the model. */
  readonly #applied: Array<{ readonly atMs: number; readonly action: ModelAction }> = [];
  #finished: Results | null = null;

  constructor(scenario: Scenario, options: ModelOptions) {
    this.#scenario = scenario;
    this.#options = options;
    this.durationMs = scenario.durationMs;
    this.#ctx = buildModel(scenario, options, options.recentRequests ?? RECENT_REQUESTS);
  }

  get nowMs(): number {
    return this.#ctx.engine.nowMs;
  }

  advanceTo(ms: number): void {
    this.#live("advance");
    if (!(ms >= this.nowMs))
      throw new RangeError(`cannot advance to ${ms} ms: the model is at ${this.nowMs} ms`);
    if (ms >= this.durationMs) this.#ctx.engine.runUntil(this.durationMs);
    else this.#ctx.engine.runBefore(ms);
  }

  apply(action: ModelAction): void {
    this.#live("apply an action");
    const event = this.#event(action);
    this.#applied.push({ atMs: this.nowMs, action });
    const timeline = this.#ctx.timeline;
    const index = timeline.applyNow(event);
    // Run the events at now up to the action itself (those a scenario would run first), and it.
    const engine = this.#ctx.engine;
    while (!timeline.ran(index) && engine.step(this.nowMs)) {}
  }

  snapshot(): Snapshot {
    const ctx = this.#ctx;
    const metrics = ctx.metrics;
    const instances = metrics.instances;
    const perInstance = ctx.topology.perInstance;
    return {
      nowMs: this.nowMs,
      durationMs: this.durationMs,
      done: this.#finished !== null || this.nowMs >= this.durationMs,
      ...(instances === null
        ? {
            servers: ctx.servers.map((server) => serverSnapshot(server)),
            backends: ctx.balancers.map((b) => ({ name: b.name, queued: b.backendQueue.length })),
          }
        : {
            servers: ctx.servers.filter((s) => s.station === s).map((s) => serverSnapshot(s, s.replicas)),
            backends: ctx.balancers.slice(0, perInstance).map((b, k) => ({
              name: b.name,
              queued: ctx.balancers.reduce(
                (n, other, j) => (j % perInstance === k ? n + other.backendQueue.length : n),
                0,
              ),
            })),
          }),
      requests: {
        total: metrics.total,
        ok: metrics.ok,
        failed: metrics.failed,
        byStatus: statusCounts(metrics.byStatus),
      },
      recent: metrics.recent === null ? [] : metrics.recent.list(),
      ...(instances === null
        ? {}
        : {
            balancers: instances.map((_, i) => ({
              index: i,
              name: `lb${i + 1}`,
              servers: ctx.servers.filter((s) => s.instance === i).map((s) => serverSnapshot(s)),
              backends: ctx.balancers
                .slice(i * perInstance, (i + 1) * perInstance)
                .map((b) => ({ name: b.name, queued: b.backendQueue.length })),
            })),
          }),
    };
  }

  results(): Results {
    if (this.#finished !== null || this.nowMs >= this.durationMs) return this.finish();
    // Collecting closes the last bucket and counts open requests, which changes the model: a copy
    // built the same way, with the same actions at the same times, is in the same state.
    const copy = new SteppedModel(this.#scenario, {
      ...this.#options,
      onRequest: undefined,
      recentRequests: 0,
    });
    for (const { atMs, action } of this.#applied) {
      copy.advanceTo(atMs);
      copy.apply(action);
    }
    copy.advanceTo(this.nowMs);
    return copy.finish();
  }

  finish(): Results {
    if (this.#finished === null) {
      const endMs = this.nowMs;
      // The events at now that advanceTo left pending: a run stopped here has run them.
      this.#ctx.engine.runUntil(endMs);
      this.#finished = collectResults(this.#ctx, {
        endMs,
        partial: endMs < this.durationMs,
        strategy: this.#options.strategy ?? ownStrategy(this.#scenario),
        wallMs: this.#options.deterministic === true ? 0 : Math.round(performance.now() - this.#startedAtMs),
      });
    }
    return this.#finished;
  }

  #live(what: string): void {
    if (this.#finished !== null) throw new Error(`cannot ${what}: the model has finished`);
  }

  /** A `balance` or `redispatch` change names a backend of the model, and a known algorithm. */
  #checkSwitch(action: Extract<ModelAction, { kind: "balance" | "redispatch" }>): void {
    const backends = this.#ctx.balancers.filter((b) => !b.unrouted).map((b) => b.name);
    if (!backends.includes(action.backend))
      throw new Error(`${action.kind}: no backend named "${action.backend}"`);
    if (action.kind !== "balance") return;
    let known: boolean;
    try {
      known = this.#options.resolveStrategy(action.balance) !== undefined;
    } catch {
      known = false;
    }
    if (!known) throw new Error(`balance: unknown algorithm "${action.balance}"`);
  }

  /** The action as a timeline event at now, its names checked against the model. */
  #event(action: ModelAction): TimelineEvent {
    const atMs = this.nowMs;
    if ("server" in action && this.#ctx.timeline.serverNamed(action.server) === undefined)
      throw new Error(`${action.kind}: no server named "${action.server}"`);
    if (action.kind === "loss" && !(action.rate >= 0 && action.rate <= 1))
      throw new Error(`loss: rate is a share from 0 to 1, got ${action.rate}`);
    if (action.kind === "refuse-first" && !(Number.isInteger(action.count) && action.count >= 1))
      throw new Error(`refuse-first: count is a whole number ≥ 1, got ${action.count}`);
    if ("client" in action && !this.#scenario.clients.some((c) => c.name === action.client))
      throw new Error(`${action.kind}: no client named "${action.client}"`);
    if (action.kind === "balance" || action.kind === "redispatch") this.#checkSwitch(action);
    return { atMs, ...action };
  }
}

/** A server as one instance sees it; with `copies`, its in-flight, queued and failed checks of all of them. */
function serverSnapshot(server: Server, copies: ReadonlyArray<Server> = [server]): ServerSnapshot {
  const check = server.spec.check;
  return {
    name: server.name,
    backend: server.backendName,
    state: server.status,
    inFlight: copies.reduce((n, s) => n + s.view.served, 0),
    queued: copies.reduce((n, s) => n + s.view.queued, 0),
    health: server.health,
    rise: check === null ? 0 : check.rise,
    fall: check === null ? 0 : check.fall,
    checksFailed: copies.reduce((n, s) => n + s.checksFailed, 0),
    weight: server.view.weight,
  };
}
