// Health checks: active checks on HAProxy's timing and health counter, passive `observe`, slowstart.
//
// haproxy-semantics.md §4: the outcome of a check follows the server's faults at the moment it
// starts, as their entries in faults.ts say (a crashed server refuses at once, a hung one lets the
// check time out, an unreachable one times out on connect, an erroring one fails HTTP checks).
import type { CheckParams } from "../../scenarios/types.js";
import type { Engine } from "../engine.js";
import { lazyStream, type RandomStream } from "../random.js";
import type { CheckStatus } from "../results.js";
import type { ModelContext } from "./context.js";
import { CheckWait } from "./faults.js";
import { Kind } from "./kinds.js";
import { type Server, WEIGHT_SCALE } from "./server.js";

export class HealthChecker {
  readonly #engine: Engine;
  readonly #servers: ReadonlyArray<Server>;
  readonly #streams: ReadonlyArray<RandomStream>;
  /** Pending check start (or completion) per server; NaN when none. */
  readonly #timer: number[];
  /** Outcome of the check in flight, decided when it started, and its `check_status`. */
  readonly #inFlightPass: boolean[];
  readonly #inFlightStatus: CheckStatus[];
  readonly #slowstartTimer: number[];
  readonly #ctx: ModelContext;

  constructor(ctx: ModelContext) {
    const { engine, servers, seed } = ctx;
    this.#ctx = ctx;
    this.#engine = engine;
    this.#servers = servers;
    this.#streams = servers.map((s) =>
      lazyStream(seed, `${instancePrefix(s.instance)}server:${s.name}:checks`),
    );
    this.#timer = servers.map(() => Number.NaN);
    this.#inFlightPass = servers.map(() => false);
    this.#inFlightStatus = servers.map(() => "L4OK");
    this.#slowstartTimer = servers.map(() => Number.NaN);
    this.#nextAtMs = servers.map(() => Number.NEGATIVE_INFINITY);
    // A check's connect times out with its backend's `timeout connect` when that is below `inter`.
    this.#connectTimeout = servers.map((s) => ctx.topology.backends[s.backend]!.spec.timeout.connectMs);
    engine.on(Kind.CheckStart, (index) => this.#start(this.#servers[index]!));
    engine.on(Kind.CheckDone, (index) => this.#done(this.#servers[index]!));
    engine.on(Kind.SlowstartTick, (index) => this.#slowstartTick(this.#servers[index]!));
  }

  /**
   * Startup spread: server k of N checked servers first checks at k·m/N, m the smallest interval
   * (§4.3). As in HAProxy's `start_check_task`, the interval is the one for the starting health
   * (`rise`: `fastinter`, or `inter` when that is full health), and never below the server's own.
   */
  start(): void {
    const checked = this.#servers.filter((s) => s.spec.check !== null && !s.maint);
    if (checked.length === 0) return;
    const startInter = (s: Server): number => {
      const check = s.spec.check!;
      return check.fall === 1 ? check.interMs : check.fastinterMs;
    };
    const m = Math.min(...checked.map(startInter));
    checked.forEach((server, k) => {
      // `phase: random` (lbsim's): a seeded offset within the server's own interval instead.
      const delayMs =
        server.spec.check!.phase === "random"
          ? this.#streams[server.index]!.next() * startInter(server)
          : (k * Math.max(m, startInter(server))) / checked.length;
      this.#schedule(server, delayMs);
    });
  }

  /** Leaving MAINT: checks resume at once with health = rise (§5 `state ready`). */
  resume(server: Server): void {
    const check = server.spec.check;
    if (check === null) return;
    server.health = check.rise;
    this.#cancel(server);
    this.#schedule(server, 0);
  }

  /** Entering MAINT: checks stop. */
  stop(server: Server): void {
    this.#cancel(server);
  }

  /** Passive health (`observe`): an error or a success seen on live traffic. */
  observe(server: Server, error: boolean): void {
    const observe = server.spec.observe;
    const check = server.spec.check;
    if (observe === null || check === null || server.maint) return;
    if (!error) {
      server.consecutiveErrors = 0;
      return;
    }
    if (++server.consecutiveErrors < observe.errorLimit) return;
    server.consecutiveErrors = 0;
    switch (observe.onError) {
      case "fastinter":
        break;
      case "fail-check":
        this.#apply(server, false);
        break;
      case "sudden-death":
        // A pre-fatal failed check (health = rise + 1, then one failure): one more marks it DOWN.
        if (server.health > check.rise) server.health = check.rise + 1;
        this.#apply(server, false);
        break;
      case "mark-down":
        // HAProxy sets health = rise and applies a failed check: DOWN, one more `chkfail`.
        this.#failed(server);
        if (server.health >= check.rise) this.#markedDown(server);
        server.health = 0;
        break;
    }
    this.#ctx.states.refresh(server);
    // Every on-error action forces `fastinter` for the next check: it can only come sooner.
    if (this.#inFlight(server)) return;
    const nextAt = this.#engine.nowMs + check.fastinterMs;
    if (!(nextAt < this.#nextAtMs[server.index]!)) return;
    this.#cancel(server);
    this.#schedule(server, check.fastinterMs);
  }

  /**
   * The server came back (UP from DOWN, or out of MAINT; not at startup): ramp its weight over
   * `slowstart` (§1 table). Called from the state refresh, which applies the first step itself.
   */
  startSlowstart(server: Server): void {
    if (server.spec.slowstartMs <= 0) return;
    server.upSinceMs = this.#engine.nowMs;
    const timer = this.#slowstartTimer[server.index]!;
    if (!Number.isNaN(timer)) this.#engine.cancel(timer);
    this.#scheduleSlowstartTick(server);
  }

  /** The server's weight on its slowstart ramp, in sixteenths of its weight (see slowstartSteps). */
  rampSteps(server: Server): number {
    return slowstartSteps(server.spec.slowstartMs, this.#engine.nowMs - server.upSinceMs);
  }

  /** Where the server is on its slowstart ramp: 0..1 (1 = full; its dynamic maxconn follows it). */
  rampRatio(server: Server): number {
    const slowstart = server.spec.slowstartMs;
    if (slowstart <= 0) return 1;
    const elapsed = this.#engine.nowMs - server.upSinceMs;
    return elapsed >= slowstart ? 1 : Math.max(0, elapsed / slowstart);
  }

  #slowstartTick(server: Server): void {
    this.#slowstartTimer[server.index] = Number.NaN;
    this.#ctx.states.refresh(server);
    // The ramp goes on while the server is drained too, so that it is right when traffic returns.
    if (this.rampRatio(server) < 1 || this.rampSteps(server) < WEIGHT_SCALE)
      this.#scheduleSlowstartTick(server);
  }

  #scheduleSlowstartTick(server: Server): void {
    // HAProxy's warmup task runs every max(1 s, slowstart / 20), whatever the checks do.
    const step = Math.max(1000, server.spec.slowstartMs / 20);
    const at = this.#engine.nowMs + step;
    this.#slowstartTimer[server.index] = this.#engine.schedule(at, Kind.SlowstartTick, server.index);
  }

  #inFlight(server: Server): boolean {
    return !Number.isNaN(this.#timer[server.index]!) && this.#checkRunning[server.index] === true;
  }

  readonly #checkRunning: boolean[] = [];

  /** When the next check starts; −Infinity while one runs or checks are stopped (nothing to advance). */
  readonly #nextAtMs: number[];

  #schedule(server: Server, delayMs: number): void {
    this.#checkRunning[server.index] = false;
    this.#nextAtMs[server.index] = this.#engine.nowMs + delayMs;
    this.#timer[server.index] = this.#engine.schedule(
      this.#engine.nowMs + delayMs,
      Kind.CheckStart,
      server.index,
    );
  }

  #cancel(server: Server): void {
    const timer = this.#timer[server.index]!;
    if (!Number.isNaN(timer)) this.#engine.cancel(timer);
    this.#timer[server.index] = Number.NaN;
    this.#checkRunning[server.index] = false;
    this.#nextAtMs[server.index] = Number.NEGATIVE_INFINITY;
  }

  #start(server: Server): void {
    this.#timer[server.index] = Number.NaN;
    this.#nextAtMs[server.index] = Number.NEGATIVE_INFINITY;
    const check = server.spec.check as CheckParams;
    if (server.maint) return;
    server.checksRun++;
    let pass = true;
    let durationMs = 0;
    const http = check.type === "http";
    // HAProxy's check_status for each outcome (§7): a refused connect is L4CON and a connect
    // timeout L4TOUT whatever the check's type; past the connect, an HTTP check is judged at L7.
    let status: CheckStatus = http ? "L7OK" : "L4OK";
    const connectLimit =
      check.timeoutMs === null
        ? check.interMs
        : Math.min(check.interMs, this.#connectTimeout[server.index] ?? Number.POSITIVE_INFINITY);
    const responseLimit = check.timeoutMs === null ? check.interMs : check.timeoutMs;
    const outcome = server.faults.check(http, this.#streams[server.index]!);
    if (outcome !== null) {
      pass = outcome.pass;
      if (outcome.status !== null) status = outcome.status;
      durationMs =
        outcome.wait === CheckWait.Connect
          ? connectLimit
          : outcome.wait === CheckWait.Response
            ? responseLimit
            : 0;
    }
    const network = server.network;
    if ((network.rtt !== null || server.faults.lossRate > 0) && outcome?.wait !== CheckWait.Connect) {
      // On the wire (network.ts): the check's SYNs may be lost, its connect takes one RTT and an
      // HTTP check's response one more; each stage against its limit (§4.1).
      const connectMs = network.synOffsetMs(server.faults.lossRate, connectLimit) + network.rttMs();
      const responseDeadlineMs = check.timeoutMs === null ? check.interMs : connectMs + check.timeoutMs;
      if (connectMs >= connectLimit) {
        pass = false;
        status = "L4TOUT";
        durationMs = connectLimit;
      } else if (status === "L4CON" || !http) durationMs = connectMs;
      else if (outcome?.wait === CheckWait.Response) durationMs = responseDeadlineMs;
      else {
        durationMs = connectMs + network.rttMs();
        if (durationMs >= responseDeadlineMs) {
          pass = false;
          status = "L7TOUT";
          durationMs = responseDeadlineMs;
        }
      }
    }
    if (durationMs === 0) {
      this.#complete(server, pass, status);
      return;
    }
    this.#inFlightStatus[server.index] = status;
    this.#inFlightPass[server.index] = pass;
    this.#checkRunning[server.index] = true;
    this.#timer[server.index] = this.#engine.schedule(
      this.#engine.nowMs + durationMs,
      Kind.CheckDone,
      server.index,
    );
  }

  /** `timeout connect` of each server's backend, limiting a check's connect when `timeout check` is set (§4.1). */
  readonly #connectTimeout: ReadonlyArray<number>;

  #done(server: Server): void {
    this.#timer[server.index] = Number.NaN;
    this.#checkRunning[server.index] = false;
    if (server.maint) return;
    this.#complete(server, this.#inFlightPass[server.index]!, this.#inFlightStatus[server.index]!);
  }

  /** Applies the result, then schedules the next check one interval after this one completed (§4.3). */
  #complete(server: Server, pass: boolean, status: CheckStatus): void {
    const check = server.spec.check as CheckParams;
    server.lastCheck = status;
    this.#apply(server, pass);
    this.#ctx.states.refresh(server);
    const full = check.rise + check.fall - 1;
    const interval =
      server.health === full ? check.interMs : server.health === 0 ? check.downinterMs : check.fastinterMs;
    this.#schedule(server, interval);
  }

  /** The health counter of §4.2. */
  #apply(server: Server, pass: boolean): void {
    const check = server.spec.check as CheckParams;
    const { rise, fall } = check;
    const full = rise + fall - 1;
    if (pass) {
      server.consecutiveErrors = 0;
      if (server.health < full) {
        server.health++;
        if (server.health >= rise) server.health = full;
      }
      return;
    }
    if (server.health > 0) {
      this.#failed(server);
      const wasUp = server.health >= rise;
      server.health--;
      if (server.health < rise) {
        server.health = 0;
        if (wasUp) this.#markedDown(server);
      }
    }
  }

  /** One more `chkfail`, told to the series. */
  #failed(server: Server): void {
    server.checksFailed++;
    this.#ctx.metrics.checkFailed(server.index, this.#engine.nowMs);
  }

  /** UP → DOWN (`chkdown`); a stopping (NOLB) server is stopped, and comes back running, not NOLB. */
  #markedDown(server: Server): void {
    server.downs++;
    server.stopping = false;
  }
}

/**
 * A slowstart ramp's weight in sixteenths of the server's weight (1..16), `elapsedMs` after the
 * server came up, as HAProxy 2.6 computes it: slowstart kept in whole seconds S (rounded up), e
 * whole seconds elapsed, floor(16·e / S) + 1 until e reaches S. Measured on 2.6.12 (`show stat`
 * weight every 250 ms after `set server … state ready`, weight 100, `slowstart 10s`): 7, 13, 25,
 * 32, 44, 57, 63, 75, 82, 94, 100 a second apart, that is ⌈100 × steps / 16⌉.
 */
export function slowstartSteps(slowstartMs: number, elapsedMs: number): number {
  if (slowstartMs <= 0) return WEIGHT_SCALE;
  const seconds = Math.ceil(slowstartMs / 1000);
  // Ticks land on whole seconds after the start; the epsilon keeps float noise from missing one.
  const elapsed = Math.floor(elapsedMs / 1000 + 1e-6);
  if (elapsed >= seconds) return WEIGHT_SCALE;
  return Math.floor((WEIGHT_SCALE * Math.max(0, elapsed)) / seconds) + 1;
}

/** Streams of instance i > 0 are its own (`balancer:2:…`); instance 0 keeps the names one balancer has. */
export function instancePrefix(instance: number): string {
  return instance === 0 ? "" : `balancer:${instance + 1}:`;
}
