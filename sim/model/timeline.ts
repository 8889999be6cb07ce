// The failure timeline: crash, hang, slow, errors, partition, restore, HAProxy runtime-API commands,
// traffic changes (rate, spike), and rolling upgrades that wait for each server to be idle.
import type { RuntimeCommand, TimelineEvent } from "../../scenarios/types.js";
import type { Engine } from "../engine.js";
import type { TimelineEntry } from "../results.js";
import { round3 } from "../rounding.js";
import { switchBalance, switchRedispatch } from "./backend-switch.js";
import type { ModelContext } from "./context.js";
import { applyFault, clearFault, clearFaults } from "./faults.js";
import { Kind } from "./kinds.js";
import type { Server } from "./server.js";
import { entryOf } from "./timeline-entries.js";

/** How often a rolling upgrade looks whether a draining server is idle, as an operator's script would. */
export const UPGRADE_POLL_MS = 100;

type UpgradeEvent = Extract<TimelineEvent, { kind: "upgrade" }>;

/** Where a rolling upgrade is: which server, and what it waits for next. */
interface UpgradeState {
  position: number;
  phase: "draining" | "down" | "gap";
  drainSinceMs: number;
}

/** What a Timeline event payload asks: apply event i, end it (a spike's `for`), or step upgrade i. */
const APPLY = 0;
const END = 1;
const UPGRADE_STEP = 2;
const PAYLOAD_KINDS = 3;
/** Seq fraction between actions applied now (2^-20: a million actions between two build seqs, exactly). */
const APPLIED_SEQ_STEP = 2 ** -20;

export class Timeline {
  /** The scenario's events, then those applied through the stepping API, by index. */
  readonly #events: TimelineEvent[];
  readonly #byName: ReadonlyMap<string, Server>;
  readonly #ctx: ModelContext;
  readonly #engine: Engine;
  #text = "";
  readonly #upgrades = new Map<number, UpgradeState>();
  /** Seq of the first build-time timeline event, and of the last each scenario event took (its spike end). */
  #firstSeq = 0;
  readonly #lastSeqs: number[] = [];
  /** Actions applied through the stepping API so far, and the highest event index that ran. */
  #appliedCount = 0;
  #lastRan = -1;
  /** Runtime commands HAProxy would have refused, with its message (they change nothing). */
  readonly warnings: string[] = [];
  /** Each action as applied, in order (`Results.timeline`): a rolling upgrade's steps one by one. */
  readonly applied: TimelineEntry[] = [];

  constructor(ctx: ModelContext) {
    const { engine, servers } = ctx;
    this.#ctx = ctx;
    this.#engine = engine;
    this.#events = [...ctx.scenario.events];
    // By name, the server itself (with several balancer instances, its station: faults act on it once).
    this.#byName = new Map(servers.filter((s) => s.station === s).map((s) => [s.name, s]));
    // Payload 3i: apply event i; 3i + 1: the end of event i (a spike's `for`); 3i + 2: the next
    // step of upgrade i.
    engine.on(Kind.Timeline, (payload) => {
      const index = Math.floor(payload / PAYLOAD_KINDS);
      const what = payload - index * PAYLOAD_KINDS;
      if (what === APPLY) {
        if (index > this.#lastRan) this.#lastRan = index;
        this.#apply(this.#events[index]!, index);
      } else if (what === END) this.#end(this.#events[index]!);
      else this.#upgradeStep(index);
    });
    this.#firstSeq = engine.nextSeq;
    this.#events.forEach((event, index) => {
      engine.schedule(event.atMs, Kind.Timeline, index * PAYLOAD_KINDS + APPLY);
      if (event.kind === "spike")
        engine.schedule(event.atMs + event.forMs, Kind.Timeline, index * PAYLOAD_KINDS + END);
      this.#lastSeqs.push(engine.nextSeq - 1);
    });
  }

  /**
   * Schedules `event` now, through the same event a scenario's timeline action takes (so it counts
   * as one engine event and its spike end or upgrade steps follow as they would). Its `atMs` is
   * ignored: it happens at the current simulated time. Returns its index: `ran(index)` tells when
   * the engine ran it.
   *
   * Its place among the events at now is the one it would have in a run of the scenario with it
   * written last under `events:` (the export): the scenario's timeline events are scheduled first
   * at build, so it goes after the last of them at or before now and before anything else at now
   * (a check, an arrival); actions applied one after another keep their order. The seq between
   * two build seqs says so; the caller must not have run the events at now yet (`runBefore`).
   */
  applyNow(event: TimelineEvent): number {
    const now = this.#engine.nowMs;
    const index = this.#events.push({ ...event, atMs: now }) - 1;
    let base = this.#firstSeq - 1;
    this.#lastSeqs.forEach((seq, i) => {
      if (this.#events[i]!.atMs <= now && seq > base) base = seq;
    });
    const seq = base + ++this.#appliedCount * APPLIED_SEQ_STEP;
    this.#engine.scheduleWithSeq(now, Kind.Timeline, index * PAYLOAD_KINDS + APPLY, seq);
    if (event.kind === "spike")
      this.#engine.scheduleWithSeq(
        now + event.forMs,
        Kind.Timeline,
        index * PAYLOAD_KINDS + END,
        seq + APPLIED_SEQ_STEP / 2,
      );
    return index;
  }

  /** True once the engine ran event `index` (see `applyNow`). */
  ran(index: number): boolean {
    return this.#lastRan >= index;
  }

  /** A server by its model name (as in Results), or undefined. */
  serverNamed(name: string): Server | undefined {
    return this.#byName.get(name);
  }

  #atMs(): number {
    return this.#engine.nowMs;
  }

  #server(name: string): Server {
    const server = this.#byName.get(name);
    if (server === undefined) throw new Error(`timeline names an unknown server: ${name}`);
    return server;
  }

  /** Adds an action to `applied`; `server` is the model's name, which is the one Results use. */
  #record(action: string, text: string, server?: Server): void {
    const atMs = round3(this.#engine.nowMs);
    this.applied.push(
      server === undefined ? { atMs, action, text } : { atMs, action, server: server.name, text },
    );
  }

  #apply(event: TimelineEvent, index: number): void {
    const entry = entryOf(event, round3(this.#engine.nowMs), this.#ctx.topology.qualified);
    if (entry !== null) this.applied.push(entry);
    switch (event.kind) {
      case "crash":
      case "hang":
      case "slow":
      case "errors":
      case "partition":
      case "reset":
      case "loss":
      case "refuse-first":
        applyFault(this.#ctx, this.#server(event.server), event);
        return;
      case "restore":
        clearFaults(this.#ctx, this.#server(event.server));
        return;
      case "heal":
        clearFault(this.#server(event.server), "partition");
        return;
      case "runtime":
        this.#text = event.text;
        this.#runtime(event.command);
        return;
      case "rate":
        this.#ctx.clients.setRate(event.client, event.ratePerSecond);
        return;
      case "spike":
        this.#ctx.clients.spike(event.client, event.factor, true);
        return;
      case "upgrade":
        this.#upgrades.set(index, { position: 0, phase: "gap", drainSinceMs: 0 });
        this.#upgradeStep(index);
        return;
      case "balance":
        switchBalance(this.#ctx, event);
        return;
      case "redispatch":
        switchRedispatch(this.#ctx, event);
        return;
      default:
        assertNever(event);
    }
  }

  /** The end of an event that lasts (only a spike does). */
  #end(event: TimelineEvent): void {
    if (event.kind !== "spike") throw new Error(`timeline event ${event.kind} has no end`);
    this.#record(event.kind, `spike ${event.client} ends`);
    this.#ctx.clients.spike(event.client, event.factor, false);
  }

  /** One step of a rolling upgrade (haproxy-semantics.md §5: drain, maint, ready). */
  #upgradeStep(index: number): void {
    const event = this.#events[index] as UpgradeEvent;
    const state = this.#upgrades.get(index)!;
    const now = this.#engine.nowMs;
    const server = this.#server(event.servers[state.position]!);
    const next = (atMs: number) =>
      this.#engine.schedule(atMs, Kind.Timeline, index * PAYLOAD_KINDS + UPGRADE_STEP);
    switch (state.phase) {
      case "gap":
        this.#state(server, "drain");
        state.phase = "draining";
        state.drainSinceMs = now;
        this.#upgradeStep(index);
        return;
      case "draining": {
        // Idle on every balancer instance (an operator's script waits for all of them).
        const idle = server.replicas.every((copy) => copy.view.served === 0 && copy.view.queued === 0);
        const limit = state.drainSinceMs + event.drainLimitMs;
        if (!idle && now < limit) {
          next(Math.min(now + UPGRADE_POLL_MS, limit));
          return;
        }
        this.#state(server, "maint");
        state.phase = "down";
        next(now + event.downtimeMs);
        return;
      }
      case "down":
        this.#state(server, "ready");
        state.position++;
        if (state.position >= event.servers.length) {
          this.#upgrades.delete(index);
          return;
        }
        state.phase = "gap";
        if (event.gapMs > 0) next(now + event.gapMs);
        else this.#upgradeStep(index);
        return;
    }
  }

  #state(server: Server, state: "drain" | "maint" | "ready"): void {
    this.#text = `set server ${server.backendName}/${server.spec.name} state ${state}`;
    this.#record("upgrade", this.#text, server);
    this.#runtime({ op: "state", server: server.name, state });
  }

  /**
   * haproxy-semantics.md §5. With several balancer instances an admin command is a configuration
   * rollout: it applies to every instance's copy of the server, in instance order.
   */
  #runtime(command: RuntimeCommand): void {
    const server = this.#server(command.server);
    if (command.op === "add" || command.op === "del") {
      this.#membership(server, command.op);
      return;
    }
    // A server not in the backend is unknown to HAProxy's runtime API.
    if (server.absent) {
      this.#refuse(NO_SUCH_SERVER);
      return;
    }
    for (const copy of server.replicas) if (!this.#runtimeOn(copy, command)) return;
  }

  /** Adds a warning: HAProxy refused the command being applied, with its message; nothing changes. */
  #refuse(message: string): void {
    this.warnings.push(`${this.#atMs()}ms: "${this.#text}": ${message}`);
  }

  /**
   * `add server` / `del server` (HAProxy 2.6 dynamic servers, management.txt): checked on every
   * balancer instance's copy first, so that a refusal leaves all of them as they were.
   */
  #membership(server: Server, op: "add" | "del"): void {
    const refusal = op === "add" ? this.#addRefusal(server) : deleteRefusal(server);
    if (refusal !== undefined) {
      this.#refuse(refusal);
      return;
    }
    for (const copy of server.replicas) {
      if (op === "add") joinInMaint(copy);
      else copy.absent = true;
      this.#ctx.states.refresh(copy);
    }
  }

  /** Why HAProxy would refuse `add server` (its messages, measured on 2.6.12); undefined: it adds. */
  #addRefusal(server: Server): string | undefined {
    if (!this.#ctx.states.backendDynamic(server))
      return "Backend must use a dynamic load balancing to support dynamic servers.";
    if (!server.absent) return "Already exists a server with the same name in backend.";
    return undefined;
  }

  /** The command on one instance's copy of the server; false when it was refused (a warning says why). */
  #runtimeOn(server: Server, command: RuntimeCommand): boolean {
    switch (command.op) {
      case "state":
        if (command.state === "maint") {
          if (!server.maint) {
            server.maint = true;
            this.#ctx.checker.stop(server);
          }
        } else {
          server.drain = command.state === "drain";
          if (server.maint) {
            server.maint = false;
            // Leaving MAINT: checks resume at once with health = rise (UP, one failure from DOWN).
            if (server.checked) this.#ctx.checker.resume(server);
          }
        }
        break;
      case "weight": {
        // `N%` of the initial weight in C integer arithmetic (truncated), N capped at 25600 (§5).
        const weight = command.percent
          ? Math.floor((server.spec.weight * Math.min(command.weight, 25600)) / 100)
          : command.weight;
        const capped = Math.min(256, Math.max(0, weight));
        // A static algorithm (static-rr, map-based hashing) refuses any weight but 0 and the initial one.
        if (!this.#ctx.states.dynamic(server) && capped !== 0 && capped !== server.spec.weight) {
          this.warnings.push(
            `${this.#atMs()}ms: "${this.#text}": Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.`,
          );
          return false;
        }
        server.view.weight = capped;
        break;
      }
      case "add":
      case "del":
        throw new Error(`${command.op} server is applied by #membership`);
      case "health": {
        const check = server.spec.check;
        const full = check === null ? 1 : check.rise + check.fall - 1;
        if (command.health === "down") {
          if (server.healthUp) server.downs++;
          server.health = 0;
          server.stopping = false;
        } else {
          server.health = full;
          server.stopping = command.health === "stopping";
        }
        break;
      }
      default:
        assertNever(command);
    }
    this.#ctx.states.refresh(server);
    return true;
  }
}

/** HAProxy's answer to a command naming a server that is not in the backend. */
const NO_SUCH_SERVER = "No such server.";

/** Why HAProxy would refuse `del server` (its messages, measured on 2.6.12); undefined: it deletes. */
function deleteRefusal(server: Server): string | undefined {
  if (server.absent) return NO_SUCH_SERVER;
  if (server.replicas.some((copy) => !copy.maint)) return "Only servers in maintenance mode can be deleted.";
  // In flight or waiting in its own queue ("active or idle connection or its connection queue").
  if (server.replicas.some((copy) => copy.view.served > 0 || copy.view.queued > 0))
    return "Server still has connections attached to it, cannot remove it.";
  return undefined;
}

/**
 * A new server as `add server` makes it: in MAINT (HAProxy 2.6 creates dynamic servers in
 * maintenance; `enable server` / `state ready` puts them in service), with its configured weight
 * and a fresh health counter; checks start when it leaves MAINT.
 */
function joinInMaint(server: Server): void {
  server.absent = false;
  server.maint = true;
  server.drain = false;
  server.stopping = false;
  server.health = server.spec.check === null ? 1 : server.spec.check.rise;
  server.view.weight = server.spec.weight;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(value)}`);
}
