// Failure modes: one entry per mode saying what a connect, a response and a check meet while it is on,
// and what turning it on does, like HAProxy's lb_ops table for algorithms (DESIGN.md "Failure modes").
//
// The balancer, the checks and the service ask this table (through a server's `ServerFaults`); none
// of them tests for a particular mode. A new mode is one entry in `FAULT_MODES` plus its scenario
// syntax (a TimelineEvent kind whose name is the entry's `event`).
import type { TimelineEvent } from "../../scenarios/types.js";
import type { RandomStream } from "../random.js";
import type { CheckStatus } from "../results.js";
import type { ModelContext } from "./context.js";
import type { Server } from "./server.js";

/** What a connection attempt meets. */
export const Connect = {
  /** Accepted, and the server works on the request. */
  Accept: 0,
  /** Refused at once (a RST to the SYN): a connect error, `SC` when no retry is left. */
  Refuse: 1,
  /** No answer to the SYN: the attempt waits for `timeout connect` (`sC`). */
  NoAnswer: 2,
  /** Accepted by the kernel, but the process never reads it: nothing is ever answered. */
  Silent: 3,
  /** Accepted, then closed with a RST before any response: 502 `SH` (no retry: it was connected). */
  Reset: 4,
} as const;
export type Connect = (typeof Connect)[keyof typeof Connect];

/** `onResponse`'s answer when the mode has no say (the next mode, or a plain 200, decides). */
export const NO_SAY = 0;
/** `onResponse`'s answer when the response never reaches the balancer. */
export const LOST = -1;

/** When a failing check is judged: at once, when its connect times out, or when it times out waiting for the response. */
export const CheckWait = { None: 0, Connect: 1, Response: 2 } as const;
export type CheckWait = (typeof CheckWait)[keyof typeof CheckWait];

/** A check's outcome as a mode decides it. `status` null: the check's own success status (L4OK/L7OK). */
export interface CheckOutcome {
  readonly pass: boolean;
  readonly status: CheckStatus | null;
  readonly wait: CheckWait;
}

/** The outcomes, made once: a check asks per start and must not allocate. */
export const CheckOutcomes = {
  pass: { pass: true, status: null, wait: CheckWait.None },
  refused: { pass: false, status: "L4CON", wait: CheckWait.None },
  connectTimeout: { pass: false, status: "L4TOUT", wait: CheckWait.Connect },
  responseTimeout: { pass: false, status: "L7TOUT", wait: CheckWait.Response },
  badStatus: { pass: false, status: "L7STS", wait: CheckWait.None },
  /** An HTTP check whose connection is reset: HAProxy 2.6.12 shows `SOCKERR` "Connection reset by peer". */
  responseReset: { pass: false, status: "SOCKERR", wait: CheckWait.None },
} as const satisfies Record<string, CheckOutcome>;

/** The scenario's fault actions (timeline kinds), each the `event` of one mode. */
export type FaultEvent = Extract<
  TimelineEvent,
  { kind: "crash" | "hang" | "slow" | "errors" | "partition" | "reset" | "loss" | "refuse-first" }
>;

/** One failure mode. Entries are asked in `FAULT_MODES` order: the first that has a say decides. */
export interface FaultMode {
  /** The timeline action that turns it on (its scenario syntax). */
  readonly event: FaultEvent["kind"];
  /** Its parameter from that action (an error rate, a slow-down factor); 1 when it has none. */
  level(event: FaultEvent): number;
  /** Modes that turning this one on turns off (a crashed process is no longer hung). */
  readonly replaces: ReadonlyArray<FaultEvent["kind"]>;
  /** What a connection attempt meets while it is on (`Accept`: no say). */
  readonly onConnect: Connect;
  /**
   * Its level counts the connection attempts it answers (requests' and checks'): each one it decides
   * uses one, and at 0 the mode turns itself off (`refuse-first`).
   */
  readonly counted: boolean;
  /** The probability that a SYN to the server is lost while it is on (0: none). */
  synLoss(level: number): number;
  /** What happens to a response the server sends: NO_SAY, LOST, or the status it becomes. */
  onResponse(level: number, errors: RandomStream): number;
  /** The outcome of an active check starting while it is on; null: no say. */
  onCheck(level: number, http: boolean, checks: RandomStream): CheckOutcome | null;
  /** How much slower the server works (service time × factor); 1: no effect. */
  slowdown(level: number): number;
  /** What turning it on does to the work in progress (the mode is already on when it runs). */
  applied(ctx: ModelContext, server: Server): void;
}

const noResponseSay = (): number => NO_SAY;
const noCheckSay = (): CheckOutcome | null => null;
const noSlowdown = (): number => 1;
const noLevel = (): number => 1;
const noLoss = (): number => 0;
const nothing = (): void => {};

/** Drops every job of the server: a finished request's slot can go. */
function dropJobs(ctx: ModelContext, server: Server): void {
  const balancer = ctx.balancers[server.backend]!;
  ctx.service.dropAll(server, (slot) => balancer.jobDropped(slot));
}

/** Drops the jobs and cuts the requests awaiting a response: 502 `SH`. */
function cutConnections(ctx: ModelContext, server: Server): void {
  dropJobs(ctx, server);
  // Every balancer instance's connections to the server are cut (its copies: itself with one instance).
  for (const copy of server.replicas) ctx.balancers[copy.backend]!.crashCut(copy);
}

/** The modes, in precedence order (a crash's refusal wins over a partition's silence, which wins over a hang). */
export const FAULT_MODES: ReadonlyArray<FaultMode> = [
  {
    // The process is gone: the kernel refuses (RST), requests in flight are cut (502 `SH`).
    event: "crash",
    level: noLevel,
    replaces: ["hang", "reset", "refuse-first"],
    onConnect: Connect.Refuse,
    counted: false,
    synLoss: noLoss,
    onResponse: noResponseSay,
    onCheck: () => CheckOutcomes.refused,
    slowdown: noSlowdown,
    applied: cutConnections,
  },
  {
    // The path is cut: SYNs and responses are lost; checks time out on connect, whatever their type.
    event: "partition",
    level: noLevel,
    replaces: [],
    onConnect: Connect.NoAnswer,
    counted: false,
    synLoss: noLoss,
    onResponse: () => LOST,
    onCheck: () => CheckOutcomes.connectTimeout,
    slowdown: noSlowdown,
    applied: nothing,
  },
  {
    // A server still starting up: the kernel refuses (RST) the next `count` connects, requests' and
    // checks' alike (it cannot tell them apart), then the process answers. A starting process, so
    // it ends a crash, a hang or a reset; behind a partition no SYN arrives, so none is counted.
    event: "refuse-first",
    level: (event) => (event.kind === "refuse-first" ? event.count : 0),
    replaces: ["crash", "hang", "reset"],
    onConnect: Connect.Refuse,
    counted: true,
    synLoss: noLoss,
    onResponse: noResponseSay,
    onCheck: () => CheckOutcomes.refused,
    slowdown: noSlowdown,
    applied: nothing,
  },
  {
    // Accepted, then reset before any response: HAProxy 2.6.12 logs 502 SH (Tc 0, Tr -1, no retry);
    // an L4 check passes (its connect succeeds), an HTTP check fails with SOCKERR. Requests in flight
    // are reset too (502 SH).
    event: "reset",
    level: noLevel,
    replaces: ["crash", "hang"],
    onConnect: Connect.Reset,
    counted: false,
    synLoss: noLoss,
    onResponse: noResponseSay,
    onCheck: (_level, http) => (http ? CheckOutcomes.responseReset : CheckOutcomes.pass),
    slowdown: noSlowdown,
    applied: cutConnections,
  },
  {
    // A frozen process: the kernel accepts, nothing is answered, even after `restore` for the work
    // it had. An L4 check passes (the connect succeeds); an HTTP check times out.
    event: "hang",
    level: noLevel,
    replaces: ["crash", "reset"],
    onConnect: Connect.Silent,
    counted: false,
    synLoss: noLoss,
    onResponse: noResponseSay,
    onCheck: (_level, http) => (http ? CheckOutcomes.responseTimeout : CheckOutcomes.pass),
    slowdown: noSlowdown,
    applied: dropJobs,
  },
  {
    // That share of responses (and of HTTP checks) are 500.
    event: "errors",
    level: (event) => (event.kind === "errors" ? event.rate : 0),
    replaces: [],
    onConnect: Connect.Accept,
    counted: false,
    synLoss: noLoss,
    onResponse: (rate, errors) => (rate > 0 && errors.next() < rate ? 500 : NO_SAY),
    onCheck: (rate, http, checks) =>
      http && rate > 0 ? (checks.next() >= rate ? CheckOutcomes.pass : CheckOutcomes.badStatus) : null,
    slowdown: noSlowdown,
    applied: nothing,
  },
  {
    // Service times multiplied by the factor.
    event: "slow",
    level: (event) => (event.kind === "slow" ? event.factor : 1),
    replaces: [],
    onConnect: Connect.Accept,
    counted: false,
    synLoss: noLoss,
    onResponse: noResponseSay,
    onCheck: noCheckSay,
    slowdown: (factor) => factor,
    applied: (ctx, server) => ctx.service.speedChanged(server),
  },
  {
    // Each SYN is lost at that rate (network.ts re-sends it as Linux does); what gets through is
    // answered normally. Combines with the server's own `loss`.
    event: "loss",
    level: (event) => (event.kind === "loss" ? event.rate : 0),
    replaces: [],
    onConnect: Connect.Accept,
    counted: false,
    synLoss: (rate) => rate,
    onResponse: noResponseSay,
    onCheck: noCheckSay,
    slowdown: noSlowdown,
    applied: nothing,
  },
];

const modeIndex = new Map(FAULT_MODES.map((mode, index) => [mode.event, index]));

/** The mode a timeline action turns on, or undefined when the action is not a fault. */
export function faultModeOf(kind: TimelineEvent["kind"]): number | undefined {
  return modeIndex.get(kind as FaultEvent["kind"]);
}

/**
 * A server's faults: which modes are on and their levels. Writes go through `applyFault`,
 * `clearFault` and `clearFaults`, which re-derive what the hot path reads (`connect`, `slowFactor`).
 */
export class ServerFaults {
  /** Bit i: mode i is on. 0, the common case, lets every question skip the table. */
  mask = 0;
  readonly level = new Float64Array(FAULT_MODES.length);
  /** What a connect meets now (the first mode that has a say). */
  connect: Connect = Connect.Accept;
  /** The mode that decides `connect` (−1: none). */
  connectMode = -1;
  /** Service time × this (the product of the modes' slow-downs). */
  slowFactor = 1;
  /** The server's own SYN loss (its `loss` field), whatever the modes. */
  baseLoss = 0;
  /** The probability that a SYN is lost now: the base and every mode's, independent. */
  lossRate = 0;

  /** Is the mode on. */
  has(mode: number): boolean {
    return (this.mask & (1 << mode)) !== 0;
  }

  /**
   * What this connection attempt meets (a request's; a check asks `check`). Asked once per attempt:
   * a counted mode (`refuse-first`) uses one of its count when it decides.
   */
  attempt(): Connect {
    if (this.mask === 0) return Connect.Accept;
    const connect = this.connect;
    this.#count();
    return connect;
  }

  /** The deciding mode, if counted, has answered one more attempt; at 0 it turns off. */
  #count(): void {
    const mode = this.connectMode;
    if (mode < 0 || !FAULT_MODES[mode]!.counted) return;
    this.level[mode]! -= 1;
    if (this.level[mode]! > 0) return;
    this.mask &= ~(1 << mode);
    this.level[mode] = 0;
    this.derive();
  }

  /** What becomes of a response: LOST, or its status (200 when no mode has a say). */
  response(errors: RandomStream): number {
    if (this.mask === 0) return 200;
    for (let mode = 0; mode < FAULT_MODES.length; mode++) {
      if ((this.mask & (1 << mode)) === 0) continue;
      const say = FAULT_MODES[mode]!.onResponse(this.level[mode]!, errors);
      if (say !== NO_SAY) return say;
    }
    return 200;
  }

  /** The outcome of a check starting now; null: no mode has a say (the server answers it). */
  check(http: boolean, checks: RandomStream): CheckOutcome | null {
    if (this.mask === 0) return null;
    const counted = this.connectMode >= 0 && FAULT_MODES[this.connectMode]!.counted;
    if (counted) {
      // The counted mode answers this connect (its outcome is the refusal); the count goes down.
      const outcome = FAULT_MODES[this.connectMode]!.onCheck(this.level[this.connectMode]!, http, checks);
      this.#count();
      return outcome;
    }
    for (let mode = 0; mode < FAULT_MODES.length; mode++) {
      if ((this.mask & (1 << mode)) === 0) continue;
      const outcome = FAULT_MODES[mode]!.onCheck(this.level[mode]!, http, checks);
      if (outcome !== null) return outcome;
    }
    return null;
  }

  /** Re-derives `connect`, `slowFactor` and `lossRate` after a change. */
  derive(): void {
    let connect: Connect = Connect.Accept;
    let connectMode = -1;
    let slowFactor = 1;
    let through = 1 - this.baseLoss;
    for (let mode = 0; mode < FAULT_MODES.length; mode++) {
      if ((this.mask & (1 << mode)) === 0) continue;
      const entry = FAULT_MODES[mode]!;
      if (connect === Connect.Accept && entry.onConnect !== Connect.Accept) {
        connect = entry.onConnect;
        connectMode = mode;
      }
      slowFactor *= entry.slowdown(this.level[mode]!);
      through *= 1 - entry.synLoss(this.level[mode]!);
    }
    this.connect = connect;
    this.connectMode = connectMode;
    this.slowFactor = slowFactor;
    this.lossRate = 1 - through;
  }
}

/** Turns a fault action's mode on (replacing those it replaces), then lets it act on the work in progress. */
export function applyFault(ctx: ModelContext, server: Server, event: FaultEvent): void {
  const mode = faultModeOf(event.kind);
  if (mode === undefined) throw new Error(`not a fault action: ${event.kind}`);
  const entry = FAULT_MODES[mode]!;
  const faults = server.faults;
  for (const replaced of entry.replaces) faults.mask &= ~(1 << faultModeOf(replaced)!);
  faults.mask |= 1 << mode;
  faults.level[mode] = entry.level(event);
  faults.derive();
  entry.applied(ctx, server);
}

/** Turns one mode off (`heal` ends a partition); what it did to work in progress stays done. */
export function clearFault(server: Server, kind: FaultEvent["kind"]): void {
  const faults = server.faults;
  faults.mask &= ~(1 << faultModeOf(kind)!);
  faults.derive();
}

/**
 * `restore`: every mode off. The service is told the speed may have changed whatever was on
 * (under processor sharing it re-plans the jobs in progress).
 */
export function clearFaults(ctx: ModelContext, server: Server): void {
  const faults = server.faults;
  faults.mask = 0;
  faults.level.fill(0);
  faults.derive();
  ctx.service.speedChanged(server);
}
