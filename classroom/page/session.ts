// The worker's simulation: a stepping model of the scenario, advanced by the clock at a speed,
// the controls applied at the simulated time they take effect, and the frames the page draws.
import type { Scenario } from "../../scenarios/index.js";
import { createModel, type Model, type Results, type Snapshot } from "../../sim/index.js";
import { resolveStrategy } from "../../strategies/index.js";
import type { AppliedAction, ControlAction } from "../actions.js";
import { toTimelineActions } from "../timeline-action.js";
import { type LiveSeries, LiveSeriesBuilder } from "./live-series.js";
import { ABSENT, addRefusal, chooseAdded, PendingRemovals } from "./session-membership.js";

/** Finished requests a snapshot carries (for the drawing's moving requests); few keeps frames small. */
export const RECENT_IN_FRAME = 50;

/** What the worker posts to the page for one drawn frame. */
export interface Frame {
  readonly snapshot: Snapshot;
  /**
   * The charts' data; absent when no bucket closed since the last frame that carried it (the page
   * keeps that one): most frames at ×1 are a snapshot only.
   */
  readonly series?: LiveSeries;
  readonly applied: ReadonlyArray<AppliedAction>;
  readonly playing: boolean;
  readonly speed: number;
  /**
   * Per server, the requests it answered or failed since the warm-up: `Results.servers[].requests`
   * (at the end of the run, from the Results themselves; before, counted from finished requests).
   */
  readonly serverRequests: Readonly<Record<string, number>>;
  /** Per server, every request it answered or failed so far, warm-up included (the drawing's rates). */
  readonly served: Readonly<Record<string, number>>;
}

function resolve(balance: string) {
  const factory = resolveStrategy(balance);
  if (factory === undefined) throw new Error(`unknown balance "${balance}"`);
  return factory;
}

/** Why a scenario cannot run in the page (a trace file cannot be read from a browser), or undefined. */
export function unsupported(scenario: Scenario): string | undefined {
  const traced = scenario.clients.find((c) => c.arrivals.kind === "trace");
  return traced === undefined
    ? undefined
    : `client "${traced.name}" replays a trace file, which the classroom page cannot read; use lbsim run`;
}

export class Session {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly #model: Model;
  readonly #series: LiveSeriesBuilder;
  readonly #applied: AppliedAction[] = [];
  #final: Readonly<Record<string, number>> | undefined;
  readonly #served: Record<string, number> = {};
  /** Closed buckets in the last series a frame carried (-1: none yet). */
  #bucketsSent = -1;
  playing = false;
  speed = 1;
  /** Removed servers waiting to be idle for their `del server` (session-membership.ts). */
  readonly #removals = new PendingRemovals();
  /** What the teacher should be told about the last actions (an add with nothing to add…); taken by `takeNotices`. */
  #notices: string[] = [];

  constructor(scenario: Scenario, seed: number = scenario.seed) {
    const why = unsupported(scenario);
    if (why !== undefined) throw new Error(why);
    this.scenario = scenario;
    this.seed = seed;
    const first = createModel(scenario, { resolveStrategy: resolve, seed, recentRequests: 0 });
    const servers = first.snapshot().servers.map((s) => s.name);
    first.finish();
    this.#series = new LiveSeriesBuilder(servers, scenario.warmupMs, scenario.durationMs);
    this.#model = createModel(scenario, {
      resolveStrategy: resolve,
      seed,
      deterministic: true,
      recentRequests: RECENT_IN_FRAME,
      onRequest: (r) => {
        this.#series.add(r);
        if (r.server !== "") this.#served[r.server] = (this.#served[r.server] ?? 0) + 1;
      },
    });
  }

  get nowMs(): number {
    return this.#model.nowMs;
  }

  get done(): boolean {
    return this.#model.nowMs >= this.#model.durationMs;
  }

  get applied(): ReadonlyArray<AppliedAction> {
    return this.#applied;
  }

  /** Runs the model to `ms` (capped at the end). */
  advanceTo(ms: number): void {
    if (this.done) return;
    this.#model.advanceTo(Math.max(this.#model.nowMs, ms));
    if (this.#removals.size > 0) this.#settleRemovals();
  }

  /** The notices since the last call (and forgets them). */
  takeNotices(): string[] {
    const notices = this.#notices;
    this.#notices = [];
    return notices;
  }

  /**
   * Applies the controls in order at the simulated time now, the time the export writes: the model
   * puts each where the scenario's `{at: now}` event would act (sim/stepping.ts `apply`), so the
   * export replays exactly. Returns what was applied; nothing at or after the end of the run.
   */
  apply(actions: ReadonlyArray<ControlAction>): ReadonlyArray<AppliedAction> {
    const done: AppliedAction[] = [];
    for (const given of actions) {
      const atMs = this.#model.nowMs;
      if (atMs >= this.#model.durationMs) break;
      const action = this.#chosen(given);
      if (action === undefined) continue;
      for (const t of toTimelineActions(action, this.scenario)) this.#model.apply(t);
      const applied = { atMs, action };
      this.#applied.push(applied);
      done.push(applied);
      this.#afterMembership(action);
    }
    if (this.#removals.size > 0) done.push(...this.#settleRemovals());
    return done;
  }

  // --- add / remove a server (session-membership.ts) ---

  /** An add with its server chosen now (undefined, with a notice, when there is none to add). */
  #chosen(action: ControlAction): ControlAction | undefined {
    if (action.kind === "remove") {
      const state = this.#model.snapshot().servers.find((s) => s.name === action.server)?.state;
      if (state !== ABSENT) return action;
      this.#notices.push(
        `Remove server: ${action.server} is not in the backend (HAProxy: "No such server.")`,
      );
      return undefined;
    }
    if (action.kind !== "add") return action;
    const chosen = chooseAdded(action, this.#model.snapshot());
    if (typeof chosen !== "string") return chosen;
    // No declared server to add: the worker declares a spare and replays (spare-server.ts), or says why not.
    this.#wantsSpare ??= { add: action, why: chosen };
    return undefined;
  }

  #wantsSpare: { readonly add: Extract<ControlAction, { kind: "add" }>; readonly why: string } | undefined;

  /** The add that found no declared server to add since the last call, with the sentence saying so. */
  takeWantedSpare():
    | { readonly add: Extract<ControlAction, { kind: "add" }>; readonly why: string }
    | undefined {
    const wanted = this.#wantsSpare;
    this.#wantsSpare = undefined;
    return wanted;
  }

  /**
   * Applies `applied` (another session's actions) at their own times, then runs to `untilMs`: the
   * same run as that session's when this one's scenario differs only by a server not added yet.
   */
  replay(applied: ReadonlyArray<AppliedAction>, untilMs: number): void {
    for (const a of applied) {
      this.#model.advanceTo(a.atMs);
      for (const t of toTimelineActions(a.action, this.scenario)) this.#model.apply(t);
      this.#applied.push(a);
      if (a.action.kind === "remove") this.#removals.add(a.action);
    }
    this.#model.advanceTo(Math.max(this.#model.nowMs, untilMs));
  }

  #afterMembership(action: ControlAction): void {
    if (action.kind === "remove") this.#removals.add(action);
    if (action.kind === "add") {
      const backend = (this.scenario.backends ?? [this.scenario.backend]).find(
        (b) => b.name === action.backend,
      );
      const refusal = addRefusal(action, this.#model.snapshot(), backend?.balance ?? "");
      if (refusal !== undefined) this.#notices.push(refusal);
    }
  }

  /**
   * `del server` for each removed server that is idle now, at now: the model's `apply` acts before
   * the events at now (sim/stepping.ts), so the server is still as idle as the snapshot shows.
   */
  #settleRemovals(): AppliedAction[] {
    const done: AppliedAction[] = [];
    for (const del of this.#removals.due(this.#model.snapshot())) {
      const atMs = this.#model.nowMs;
      if (atMs >= this.#model.durationMs) break;
      for (const t of toTimelineActions(del, this.scenario)) this.#model.apply(t);
      const applied = { atMs, action: del };
      this.#applied.push(applied);
      done.push(applied);
    }
    return done;
  }

  /** The model's Results now (a run's at the end; partial before it). */
  results(): Results {
    return this.#model.results();
  }

  /** The frame to draw now; `full`: with the series even when it did not change (a page starting). */
  frame(full = false): Frame {
    const snapshot = this.#model.snapshot();
    const series = this.#series.series(snapshot.nowMs);
    const changed = full || series.atMs.length !== this.#bucketsSent;
    if (changed) this.#bucketsSent = series.atMs.length;
    return {
      snapshot,
      ...(changed ? { series } : {}),
      applied: [...this.#applied],
      playing: this.playing && !snapshot.done,
      speed: this.speed,
      serverRequests: this.#serverRequests(series),
      served: { ...this.#served },
    };
  }

  #serverRequests(series: LiveSeries): Readonly<Record<string, number>> {
    if (!this.done) return series.serverTotals;
    if (this.#final === undefined) {
      const results = this.#model.results();
      this.#final = Object.fromEntries(results.servers.map((s) => [s.name, s.requests]));
    }
    return this.#final;
  }
}
