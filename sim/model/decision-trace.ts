// The decision trace of `lbsim run --explain`: one Decision per server choice, with what was skipped and why.
//
// Built only when the run asks for it (ModelContext.tracer is undefined otherwise), so the request's
// life pays one predictable branch per choice and allocates nothing. Everything here reads the model
// and asks the strategy's optional `explainState`/`explainDraws`; it never changes a count or a
// strategy's state, so a traced run's Results are the untraced run's.
import type { BackendSpec } from "../../scenarios/types.js";
import { leastconnFull } from "../../strategies/leastconn.js";
import type { RequestView, ServerView, Strategy } from "../../strategies/types.js";
import { isFull } from "../../strategies/types.js";
import type { Engine } from "../engine.js";
import { round3 } from "../rounding.js";
import type { BalancerQueues } from "./balancer-queues.js";
import type { ModelContext } from "./context.js";
import { I, N, type RequestTable } from "./requests.js";
import type { Server } from "./server.js";

/** Why a server of the backend could not take the request (DOCS-decision-trace.md). */
export type SkipCause = "DOWN" | "MAINT" | "DRAIN" | "NOLB" | "full" | "maxqueue" | "avoided" | "backup";

/**
 * What the choice was: `pick` a new request's, `redispatch` after a failed connection (the failed
 * server avoided), `requeue` out of the queue of a server that went DOWN, `retry` the same server
 * again (no strategy asked), `dequeue` a freed server taking it from a queue.
 */
export type DecisionStep = "pick" | "redispatch" | "requeue" | "retry" | "dequeue";

/** One line of the `--explain` file. */
export interface Decision {
  readonly atMs: number;
  /** The request id of the `--trace` CSV and the log. */
  readonly id: number;
  /** With several balancer instances: which (1-based). */
  readonly balancer?: number;
  readonly backend: string;
  readonly strategy: string;
  readonly step: DecisionStep;
  /** Servers the strategy could choose among, in declaration order. */
  readonly candidates: ReadonlyArray<string>;
  readonly skipped: Readonly<Record<string, SkipCause>>;
  /** Where the balance hashes: the 32-bit hash looked up, and its map entry or ring point. */
  readonly key?: number;
  readonly slot?: number;
  readonly state: Readonly<Record<string, unknown>>;
  /** A server name; `queue` (waits: `queue` says where); `503` (ended: `termination` says why). */
  readonly chosen: string;
  readonly queue?: string;
  readonly termination?: string;
}

export type DecisionSink = (decision: Decision) => void;

interface Outcome {
  readonly chosen: string;
  readonly queue?: string;
  readonly termination?: string;
  /** The chosen server refused for its full queue: skipped as `maxqueue`. */
  readonly refused?: Server;
}

export class DecisionTracer {
  readonly #sink: DecisionSink;
  readonly #engine: Engine;
  readonly #requests: RequestTable;
  readonly #ctx: ModelContext;
  /** Per model backend: its servers (this instance's copies), in declaration order; built on first use. */
  readonly #serversOf: Server[][] = [];
  /** Set by `requeueing`: the next pick is a requeue. */
  #requeue = false;

  constructor(ctx: ModelContext, sink: DecisionSink) {
    this.#ctx = ctx;
    this.#sink = sink;
    this.#engine = ctx.engine;
    this.#requests = ctx.requests;
  }

  /** The request comes out of the queue of a server gone DOWN: its next pick is a `requeue`. */
  requeueing(): void {
    this.#requeue = true;
  }

  /** No usable server at all: 503 `SC` without asking a strategy. */
  noServer(slot: number, backend: number, strategy: Strategy): void {
    this.#emit(slot, backend, strategy, this.#step(-1), -1, [], {}, {}, undefined, undefined, {
      chosen: "503",
      termination: "SC",
    });
  }

  /**
   * A non-empty backend queue takes the new request without a pick (roundrobin, static-rr, first):
   * the servers are judged as for a pick, none chosen.
   */
  backlogged(slot: number, backend: number, strategy: Strategy, queueLength: number): void {
    this.#emit(
      slot,
      backend,
      strategy,
      this.#step(-1),
      -1,
      [],
      { strategy, chosen: -1 },
      { backendQueue: queueLength },
      undefined,
      undefined,
      { chosen: "queue", queue: "backend" },
    );
  }

  /** The strategy's pick, explained: its state before, the pick itself, its draws, the outcome. */
  pick(
    slot: number,
    backend: number,
    strategy: Strategy,
    request: RequestView,
    avoid: ServerView | undefined,
  ): ServerView | undefined {
    const explained = strategy.explainState?.(request, avoid);
    const view = strategy.pick(request, avoid);
    const draws = strategy.explainDraws?.();
    const state = { ...(explained?.state ?? {}), ...(draws === undefined ? {} : { drawn: draws }) };
    const avoidIndex = avoid === undefined ? -1 : avoid.index;
    const outcome = this.#outcome(view);
    this.#emit(
      slot,
      backend,
      strategy,
      this.#step(avoidIndex),
      avoidIndex,
      [],
      { strategy, chosen: view?.index ?? -1 },
      state,
      explained?.key,
      explained?.slot,
      outcome,
    );
    return view;
  }

  /** A failed connection retried on the same server (no redispatch): no strategy asked. */
  retry(slot: number, server: Server, strategy: Strategy): void {
    const state = { retry: this.#requests.ints[slot + I.retries]! };
    this.#emit(slot, server.backend, strategy, "retry", -1, [server], {}, state, undefined, undefined, {
      chosen: server.spec.name,
    });
  }

  /**
   * `queues` whose `next` (a freed server taking the request out of its own queue or the backend
   * queue) also tells the tracer: `--explain` only, so the model's own loop stays as it is.
   */
  tracedQueues(queues: BalancerQueues, strategyOf: (server: Server) => Strategy): BalancerQueues {
    const next = (server: Server, activeUsable: number, cameUp: boolean): number => {
      const slot = queues.next(server, activeUsable, cameUp);
      if (slot >= 0) this.dequeued(slot, server, strategyOf(server));
      return slot;
    };
    return new Proxy(queues, {
      get(target, key) {
        if (key === "next") return next;
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  /** A freed server took the request out of its own queue or the backend queue. */
  dequeued(slot: number, server: Server, strategy: Strategy): void {
    this.#emit(slot, server.backend, strategy, "dequeue", -1, [server], {}, {}, undefined, undefined, {
      chosen: server.spec.name,
    });
  }

  #step(avoid: number): DecisionStep {
    if (avoid >= 0) return "redispatch";
    if (!this.#requeue) return "pick";
    this.#requeue = false;
    return "requeue";
  }

  /** What request-life.ts `#assign` does with the pick (the same rules, read before it acts). */
  #outcome(view: ServerView | undefined): Outcome {
    if (view === undefined) return { chosen: "queue", queue: "backend" };
    const server = this.#ctx.servers[view.index]!;
    const full = view.maxconn > 0 && (view.served >= view.maxconn || view.queued > 0);
    // A full server is returned only by a hash lookup or leastconn with maxqueue: it queues (§1).
    if (!full) return { chosen: server.spec.name };
    if (view.maxqueue > 0 && view.queued >= view.maxqueue)
      return { chosen: "503", termination: "SQ", refused: server };
    return { chosen: "queue", queue: server.spec.name };
  }

  /** The backend's servers, absent ones included (a dynamic server may be added later). */
  #servers(backend: number): Server[] {
    let own = this.#serversOf[backend];
    if (own === undefined) {
      own = this.#ctx.servers.filter((s) => s.backend === backend);
      this.#serversOf[backend] = own;
    }
    return own;
  }

  #emit(
    slot: number,
    b: number,
    strategy: Strategy,
    step: DecisionStep,
    avoid: number,
    considered: ReadonlyArray<Server>,
    picked: { strategy: Strategy; chosen: number } | Record<string, never>,
    state: Readonly<Record<string, unknown>>,
    key: number | undefined,
    hashSlot: number | undefined,
    outcome: Outcome,
  ): void {
    const ctx = this.#ctx;
    const model = ctx.topology.backends[b]!;
    const spec = model.spec;
    const candidates: string[] = [];
    const skipped: Record<string, SkipCause> = {};
    // noServer: every server skipped, for its state.
    const servers = step === "retry" || step === "dequeue" ? considered : this.#servers(b);
    const balancer = ctx.balancers[b];
    const useActive = balancer === undefined ? true : balancer.activeUsable > 0;
    const first = useActive ? undefined : firstBackup(servers);
    const judging = "strategy" in picked;
    for (const server of servers) {
      // Not in the backend (HAProxy's stats do not list it either).
      if (server.absent) continue;
      const name = server.spec.name;
      const cause =
        server === outcome.refused
          ? "maxqueue"
          : judging
            ? skipCause(server, spec, useActive, first, avoid, picked.chosen, picked.strategy)
            : step === "retry" || step === "dequeue"
              ? undefined
              : (unusable(server) ?? (useActive && server.isBackup ? "backup" : undefined));
      if (cause !== undefined) skipped[name] = cause;
      else candidates.push(name);
    }
    const instances = ctx.topology.instances;
    const decision: Decision = {
      atMs: round3(this.#engine.nowMs),
      id: this.#requests.nums[slot + N.id]!,
      ...(instances > 1 ? { balancer: model.instance + 1 } : {}),
      backend: spec.name,
      // A frontend's stand-in backend for requests routed nowhere has no `balance`.
      strategy: model.unrouted ? "none" : strategy.name,
      step,
      candidates,
      skipped,
      ...(key === undefined ? {} : { key }),
      ...(hashSlot === undefined ? {} : { slot: hashSlot }),
      state,
      chosen: outcome.chosen,
      ...(outcome.queue === undefined ? {} : { queue: outcome.queue }),
      ...(outcome.termination === undefined ? {} : { termination: outcome.termination }),
    };
    this.#sink(decision);
  }
}

/** Why a server is out of the algorithm's set, or undefined when it is in it (§4.2's states). */
function unusable(server: Server): SkipCause | undefined {
  if (server.usable) return undefined;
  if (server.maint) return "MAINT";
  if (!server.healthUp) return "DOWN";
  if (server.drain || server.view.weight === 0) return "DRAIN";
  if (server.stopping) return "NOLB";
  return "DOWN";
}

/** `fbck`: the first usable backup in declaration order (first-backup.ts). */
function firstBackup(servers: ReadonlyArray<Server>): Server | undefined {
  return servers.find((s) => s.isBackup && s.usable);
}

function skipCause(
  server: Server,
  spec: BackendSpec,
  useActive: boolean,
  first: Server | undefined,
  avoid: number,
  chosen: number,
  strategy: Strategy,
): SkipCause | undefined {
  const state = unusable(server);
  if (state !== undefined) return state;
  // The group not asked: backups while an active is usable; without allbackups, all but `fbck`.
  if (server.isBackup !== !useActive) return "backup";
  if (!useActive && !spec.allbackups && server !== first) return "backup";
  if (server.index === chosen) return undefined;
  if (server.index === avoid) return "avoided";
  // Hash lookups ignore fullness (the chosen server queues the request itself).
  if (strategy.ignoresFullness) return undefined;
  const view = server.view;
  if (strategy.name === "leastconn") {
    if (leastconnFull(view)) return view.maxqueue > 0 ? "maxqueue" : "full";
    return undefined;
  }
  return isFull(view) ? "full" : undefined;
}
