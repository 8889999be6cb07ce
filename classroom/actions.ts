// The classroom's controls as data: each one a scenario timeline action (what the model applies,
// what the export writes as an event), so a page's session replays with `lbsim run`.
import type { TimelineEvent } from "../scenarios/index.js";
import { switchText } from "../scenarios/switch-text.js";

/** A control the page can apply now; server names as the snapshot and Results write them. */
export type ControlAction =
  | { readonly kind: "crash" | "hang" | "restore" | "partition" | "heal" | "reset"; readonly server: string }
  | { readonly kind: "loss"; readonly server: string; readonly rate: number }
  | { readonly kind: "slow"; readonly server: string; readonly factor: number }
  | { readonly kind: "errors"; readonly server: string; readonly rate: number }
  | { readonly kind: "drain" | "maint" | "ready"; readonly server: string; readonly backend: string }
  | { readonly kind: "weight"; readonly server: string; readonly backend: string; readonly weight: number }
  | { readonly kind: "rate"; readonly client: string; readonly ratePerSecond: number }
  | { readonly kind: "spike"; readonly client: string; readonly factor: number; readonly forMs: number }
  // --- add / remove a server (HAProxy 2.6 dynamic servers; see membershipEvents) ---
  /**
   * `add server` then `state ready` at the same time. Built by the page with `prefer` (the selected
   * server, added if it is absent); the session sets `server` to the one it added (the first absent).
   */
  | { readonly kind: "add"; readonly backend: string; readonly server?: string; readonly prefer?: string }
  /** `set server … state maint` now; the session follows with a `del` once nothing is on the server. */
  | { readonly kind: "remove"; readonly server: string; readonly backend: string }
  /** `del server <backend>/<server>`: the second step of a remove, when the server is idle. */
  | { readonly kind: "del"; readonly server: string; readonly backend: string }
  | BackendControl;

/**
 * A control that changes a backend's configuration from now on (what a reload would): its
 * algorithm, or `option redispatch` (`interval` as the backend writes it: −1 on the last retry;
 * null = off). Exported as `{at, balance: …, backend}` and `{at, redispatch: …, backend}`.
 */
export type BackendControl =
  | { readonly kind: "balance"; readonly backend: string; readonly balance: string }
  | { readonly kind: "redispatch"; readonly backend: string; readonly interval: number | null };

/** An action the model applied, at the simulated time it took effect. */
export interface AppliedAction {
  readonly atMs: number;
  readonly action: ControlAction;
}

/** `web01` of backend `web`, or `web/web01` with several backends (as Results name it) → `web01`. */
function plainServer(server: string, backend: string): string {
  return server.startsWith(`${backend}/`) ? server.slice(backend.length + 1) : server;
}

/** The runtime-API command of a drain/maint/ready/weight control, as a scenario's `runtime:` writes it. */
export function runtimeText(action: ControlAction): string | undefined {
  switch (action.kind) {
    case "drain":
    case "maint":
    case "ready":
      return `set server ${action.backend}/${plainServer(action.server, action.backend)} state ${action.kind}`;
    case "weight":
      return `set server ${action.backend}/${plainServer(action.server, action.backend)} weight ${action.weight}`;
    case "remove":
      return `set server ${action.backend}/${plainServer(action.server, action.backend)} state maint`;
    case "del":
      return `del server ${action.backend}/${plainServer(action.server, action.backend)}`;
    default:
      return undefined;
  }
}

/** `5012.5ms`: a time the scenario parser reads back to the same number. */
export function durationText(ms: number): string {
  return `${ms}ms`;
}

/** The runtime commands of an add, in order: `add server` (in MAINT, as HAProxy 2.6), then `state ready`. */
export function addCommands(action: Extract<ControlAction, { kind: "add" }>): string[] {
  if (action.server === undefined) throw new Error("add server: no server chosen yet");
  const target = `${action.backend}/${plainServer(action.server, action.backend)}`;
  return [`add server ${target}`, `set server ${target} state ready`];
}

/** The control as scenario events: one, or two for an add (`add server`, then `state ready`, at the same time). */
export function eventObjects(applied: AppliedAction): Array<Record<string, unknown>> {
  const { atMs, action } = applied;
  if (action.kind !== "add") return [eventObject(applied)];
  return addCommands(action).map((runtime) => ({ at: durationText(atMs), runtime }));
}

/** The control as a scenario event (`{at: 5012.5ms, crash: web02}`), for the export. */
export function eventObject(applied: AppliedAction): Record<string, unknown> {
  const { atMs, action } = applied;
  const at = durationText(atMs);
  const text = runtimeText(action);
  if (text !== undefined) return { at, runtime: text };
  switch (action.kind) {
    case "slow":
      return { at, slow: { server: action.server, factor: action.factor } };
    case "errors":
      return { at, errors: { server: action.server, rate: action.rate } };
    case "loss":
      return { at, loss: { server: action.server, rate: action.rate } };
    case "rate":
      return { at, rate: { client: action.client, to: `${action.ratePerSecond}/s` } };
    case "spike":
      return { at, spike: { client: action.client, factor: action.factor, for: durationText(action.forMs) } };
    case "crash":
    case "hang":
    case "restore":
    case "partition":
    case "heal":
    case "reset":
      return { at, [action.kind]: action.server };
    case "balance":
      return { at, balance: action.balance, backend: action.backend };
    case "redispatch":
      return { at, redispatch: redispatchValue(action.interval), backend: action.backend };
    default:
      throw new Error(`no event for ${action.kind}`);
  }
}

/** What the pending list and the action log show (`crash web02`, `slow web01 ×3`). */
export function describeAction(action: ControlAction): string {
  if (action.kind === "add")
    return action.server === undefined
      ? `add a server${action.prefer === undefined ? "" : ` (${action.prefer} if absent)`}`
      : `add server ${action.backend}/${plainServer(action.server, action.backend)} + ready`;
  if (action.kind === "remove") return `remove ${action.server} (maint, del server once idle)`;
  const text = runtimeText(action);
  if (text !== undefined) return text;
  switch (action.kind) {
    case "slow":
      return `slow ${action.server} ×${action.factor}`;
    case "errors":
      return `errors ${action.server} ${Math.round(action.rate * 1000) / 10}%`;
    case "loss":
      return `loss ${action.server} ${Math.round(action.rate * 1000) / 10}%`;
    case "rate":
      return `rate ${action.client} ${action.ratePerSecond}/s`;
    case "spike":
      return `spike ${action.client} ×${action.factor} for ${action.forMs / 1000} s`;
    case "balance":
      return `${action.backend}: balance ${action.balance}`;
    case "redispatch":
      return `${action.backend}: ${action.interval === null ? "no option redispatch" : `option redispatch${action.interval === -1 ? "" : ` ${action.interval}`}`}`;
    default:
      return `${action.kind} ${"server" in action ? action.server : ""}`;
  }
}

/** `redispatch:` as a scenario writes it: true (−1, on the last retry), false (off), or P. */
function redispatchValue(interval: number | null): boolean | number {
  return interval === null ? false : interval === -1 ? true : interval;
}

/** A scenario's own timeline event as the charts mark it (`crash web02`, `set server … state drain`). */
export function describeEvent(event: TimelineEvent): string {
  switch (event.kind) {
    case "runtime":
      return event.text;
    case "slow":
      return `slow ${event.server} ×${event.factor}`;
    case "errors":
      return `errors ${event.server} ${Math.round(event.rate * 1000) / 10}%`;
    case "rate":
      return `rate ${event.client} ${event.ratePerSecond}/s`;
    case "spike":
      return `spike ${event.client} ×${event.factor} for ${event.forMs / 1000} s`;
    case "loss":
      return `loss ${event.server} ${Math.round(event.rate * 1000) / 10}%`;
    case "refuse-first":
      return `refuse-first ${event.server} ×${event.count}`;
    case "upgrade":
      return `rolling upgrade ${event.servers.join(", ")}`;
    case "balance":
    case "redispatch":
      return switchText(event, false);
    default:
      return `${event.kind} ${event.server}`;
  }
}
