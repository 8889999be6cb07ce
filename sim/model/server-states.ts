// Server states: each backend's strategy groups (active, backup), and the one place that re-derives
// a server's usability, effective weight, dynamic maxconn and HAProxy status after any change.
import { createFirstBackup } from "../../strategies/first-backup.js";
import type { HashTypeSettings } from "../../strategies/hash-type.js";
import type { Strategy, StrategyContext, StrategyFactory } from "../../strategies/types.js";
import { createStream } from "../random.js";
import type { StateChange } from "../results.js";
import { round3 } from "../rounding.js";
import { instancePrefix } from "./checks.js";
import type { ModelContext } from "./context.js";
import { type Server, WEIGHT_SCALE } from "./server.js";

/** A backend's two strategy groups, and the `balance` it runs (empty for an unrouted stand-in). */
export interface StrategyGroups {
  readonly active: Strategy;
  readonly backup: Strategy;
  readonly balance: string;
}

export class ServerStates {
  /**
   * Per backend: its strategies (built first: the balancers take them). A timeline `balance` switch
   * replaces a backend's entry; its `balance` stays the one the run started with (Results' `strategy`).
   */
  readonly groups: StrategyGroups[];
  readonly #resolveStrategy: (balance: string) => StrategyFactory;
  /** Timeline `balance` switches so far per backend: each new strategy draws from its own stream. */
  readonly #switches: number[];
  /** Per server: its status changes, as Results.servers[].states. */
  readonly changes: ReadonlyArray<StateChange[]>;
  readonly #ctx: ModelContext;
  /** Running as far as health and MAINT go (HAProxy's operational state, drain and weight aside). */
  readonly #running: boolean[];
  /** False while the model is built: the first refresh of each server starts no slowstart. */
  #started = false;

  constructor(
    ctx: ModelContext,
    resolveStrategy: (balance: string) => StrategyFactory,
    strategyOverride: string | undefined,
  ) {
    this.#ctx = ctx;
    this.#running = ctx.servers.map(() => false);
    this.changes = ctx.servers.map(() => []);
    this.groups = strategyGroups(ctx, resolveStrategy, strategyOverride);
    this.#resolveStrategy = resolveStrategy;
    this.#switches = this.groups.map(() => 0);
  }

  /**
   * Backend `b` runs `balance` (with `hash` settings) from now on: new strategies built over its
   * servers as they are now (the usable ones come up in declaration order with their current
   * effective weights; in-flight and queued counts are read live), then each server's weight is
   * re-derived (a static algorithm takes no slowstart ramp). Requests already assigned or queued
   * stay where they are. Returns the new groups, which the caller hands to the balancer.
   */
  switchBalance(b: number, balance: string, hash: HashTypeSettings): { active: Strategy; backup: Strategy } {
    const n = ++this.#switches[b]!;
    const groups = groupsOf(this.#ctx, b, this.#resolveStrategy(balance), hash, `:switch${n}`);
    this.groups[b] = { ...groups, balance: this.groups[b]!.balance };
    return groups;
  }

  /** The strategy that picks among `server` and its group (active or backup). */
  groupOf(server: Server): Strategy {
    const group = this.groups[server.backend]!;
    return server.spec.backup ? group.backup : group.active;
  }

  /** A dynamic algorithm takes weight changes and slowstart; a static one only 0 and the initial weight. */
  dynamic(server: Server): boolean {
    return this.groupOf(server).dynamic !== false;
  }

  /**
   * The backend's algorithm is dynamic: HAProxy's `add server` needs one (whichever group the
   * server would join, the backend's `balance` decides).
   */
  backendDynamic(server: Server): boolean {
    return this.groups[server.backend]!.active.dynamic !== false;
  }

  /** Every server's first refresh, at build time; from then on a return to UP starts slowstart. */
  start(): void {
    for (const server of this.#ctx.servers) this.refresh(server);
    this.#started = true;
  }

  /** Re-derives usability, effective weight and status after any state change (§4.2, §5). */
  refresh(server: Server): void {
    const ctx = this.#ctx;
    const checker = ctx.checker;
    const nowUsable = server.shouldBeUsable;
    const view = server.view;
    const balancer = ctx.balancers[server.backend]!;
    // Slowstart follows a return from DOWN or MAINT only, not the end of a drain or weight 0 (§1).
    const nowRunning = !server.maint && server.healthUp;
    if (nowRunning && !this.#running[server.index]! && this.#started) checker.startSlowstart(server);
    this.#running[server.index] = nowRunning;
    // Static algorithms take no slowstart ramp: their map holds whole weights (§1 table).
    const dynamic = this.dynamic(server);
    const ratio = dynamic ? checker.rampRatio(server) : 1;
    const steps = dynamic ? checker.rampSteps(server) : WEIGHT_SCALE;
    const effective = nowUsable ? Math.max(1, view.weight * steps) : 0;
    const maxconn = server.spec.maxconn === 0 ? 0 : Math.max(1, Math.ceil(server.spec.maxconn * ratio));
    const moreRoom = maxconn > view.maxconn;
    view.maxconn = maxconn;
    if (nowUsable !== server.usable) {
      view.effectiveWeight = effective;
      balancer.usabilityChanged(server, nowUsable);
    } else if (nowUsable && effective !== view.effectiveWeight) {
      view.effectiveWeight = effective;
      balancer.weightChanged(server);
    } else if (moreRoom) {
      // The slowstart ramp raised the dynamic maxconn: take queued requests (HAProxy's warmup task).
      balancer.serverFreed(server);
    }
    const status = server.computeStatus();
    if (status !== server.status) {
      server.status = status;
      this.changes[server.index]!.push({ atMs: round3(ctx.engine.nowMs), state: status });
    }
  }
}

function strategyGroups(
  ctx: ModelContext,
  resolveStrategy: (balance: string) => StrategyFactory,
  strategyOverride: string | undefined,
): StrategyGroups[] {
  const { backends } = ctx.topology;
  const factories = new Map<string, StrategyFactory>();
  return backends.map((backend, b): StrategyGroups => {
    if (backend.unrouted)
      return { active: createFirstBackup([], false), backup: createFirstBackup([], false), balance: "" };
    const spec = backend.spec;
    const chosen = strategyOverride ?? spec.balance;
    let factory = factories.get(chosen);
    if (factory === undefined) {
      factory = resolveStrategy(chosen);
      factories.set(chosen, factory);
    }
    return { ...groupsOf(ctx, b, factory, spec, ""), balance: chosen };
  });
}

/**
 * Backend `b`'s active and backup strategies, built by `factory` with `hash` settings; their random
 * streams are named after the backend (and instance), the group and `streamSuffix`.
 */
function groupsOf(
  ctx: ModelContext,
  b: number,
  factory: StrategyFactory,
  hash: HashTypeSettings,
  streamSuffix: string,
): { active: Strategy; backup: Strategy } {
  const { servers, seed } = ctx;
  const { backends, qualified } = ctx.topology;
  const backend = backends[b]!;
  const spec = backend.spec;
  const own = servers.filter((s) => s.backend === b);
  const backups = own.filter((s) => s.spec.backup).map((s) => s.view);
  const { hashType, hashFunction, hashAvalanche } = hash;
  // One backend keeps the stream names it always had, so its results do not change.
  const prefix = `${instancePrefix(backend.instance)}${qualified ? `strategy:${spec.name}:` : "strategy:"}`;
  const context = (group: string): StrategyContext => ({
    hashType,
    ...(hashFunction === undefined ? {} : { hashFunction }),
    ...(hashAvalanche === undefined ? {} : { hashAvalanche }),
    random: createStream(seed, `${prefix}${group}${streamSuffix}`).next,
  });
  const active = factory(
    own.filter((s) => !s.spec.backup).map((s) => s.view),
    context("active"),
  );
  return {
    active,
    // The backend's algorithm decides whether a new request joins a non-empty backend queue,
    // whichever group picks (HAProxy's assign_server tests the backend's `balance`; measured).
    backup: spec.allbackups
      ? factory(backups, context("backup"))
      : createFirstBackup(backups, active.queueWhenBacklogged),
  };
}
