// The page's controls: what each does, its key, and whether the model can do it yet.
import type { AppliedAction, ControlAction } from "../actions.js";
import { backendConfig, redispatchOn } from "./backend-config.js";
import type { ScenarioInfo } from "./protocol.js";
import type { UiState } from "./state.js";

export interface Control {
  readonly id: string;
  readonly label: string;
  /** The key that triggers it (as KeyboardEvent.key). */
  readonly key: string;
  readonly help: string;
  /**
   * Builds the action for the selected server/client (`applied`: what took effect so far); absent
   * for controls that are not there yet.
   */
  readonly build?: (
    state: UiState,
    info: ScenarioInfo,
    applied: ReadonlyArray<AppliedAction>,
  ) => ControlAction | undefined;
  /** What the button shows beside its label now (the backend's current algorithm, redispatch on/off). */
  readonly status?: (state: UiState, info: ScenarioInfo, applied: ReadonlyArray<AppliedAction>) => string;
}

/** Said on a control that has no `build` (none today: every control acts on the model). */
export const COMING = "coming with issue 11/12 model work";

type ServerInfo = ScenarioInfo["servers"][number];

/** A control acting on the selected server: `make` builds its action (none when no server is selected). */
function withServer(make: (server: ServerInfo, state: UiState) => ControlAction) {
  return (state: UiState, info: ScenarioInfo): ControlAction | undefined => {
    const s = info.servers[state.selected];
    return s === undefined ? undefined : make(s, state);
  };
}

function onServer(kind: "crash" | "hang" | "restore" | "partition" | "heal" | "reset") {
  return withServer((s) => ({ kind, server: s.name }));
}

function runtime(kind: "drain" | "maint" | "ready") {
  return withServer((s) => ({ kind, server: s.name, backend: s.backend }));
}

/** The selected server's backend, now (after the applied and pending switches). */
function selectedBackend(state: UiState, info: ScenarioInfo, applied: ReadonlyArray<AppliedAction>) {
  const s = info.servers[state.selected];
  return s === undefined
    ? undefined
    : { name: s.backend, ...backendConfig(info, s.backend, applied, state.pending) };
}

/**
 * The controls that change the selected server's backend from now on, as a reload of an edited
 * haproxy.cfg would (HAProxy has no runtime command for either).
 */
const BACKEND_CONTROLS: ReadonlyArray<Control> = [
  {
    id: "strategy",
    label: "Switch strategy",
    key: "g",
    help: "switch the selected server's backend to the algorithm chosen in the strategy list (balance …)",
    build: (state, info) => {
      const s = info.servers[state.selected];
      return s === undefined
        ? undefined
        : { kind: "balance", backend: s.backend, balance: state.settings.strategy };
    },
    status: (state, info, applied) => `now ${selectedBackend(state, info, applied)?.balance ?? "?"}`,
  },
  {
    id: "redispatch",
    label: "Redispatch",
    key: "i",
    help: "turn option redispatch on or off for the selected server's backend (retries go to another server)",
    build: (state, info, applied) => {
      const backend = selectedBackend(state, info, applied);
      if (backend === undefined) return undefined;
      const interval = backend.redispatch === null ? redispatchOn(info, backend.name) : null;
      return { kind: "redispatch", backend: backend.name, interval };
    },
    status: (state, info, applied) =>
      selectedBackend(state, info, applied)?.redispatch === null ? "off" : "on",
  },
];

export const CONTROLS: ReadonlyArray<Control> = [
  {
    id: "crash",
    label: "Crash",
    key: "c",
    help: "crash the selected server: connections refused",
    build: onServer("crash"),
  },
  { id: "hang", label: "Hang", key: "h", help: "hang it: accepts, never answers", build: onServer("hang") },
  {
    id: "slow",
    label: "Slow",
    key: "s",
    help: "multiply its service time by the slow factor",
    build: withServer((s, state) => ({ kind: "slow", server: s.name, factor: state.settings.slowFactor })),
  },
  {
    id: "errors",
    label: "Errors",
    key: "e",
    help: "answer that share of requests with 500",
    build: withServer((s, state) => ({ kind: "errors", server: s.name, rate: state.settings.errorRate })),
  },
  {
    id: "partition",
    label: "Partition",
    key: "p",
    help: "cut the network to it: connects time out",
    build: onServer("partition"),
  },
  {
    id: "restore",
    label: "Restore",
    key: "r",
    help: "restore a crashed, hung, slow, erroring, resetting or lossy server",
    build: onServer("restore"),
  },
  { id: "heal", label: "Heal", key: "l", help: "heal a partition", build: onServer("heal") },
  { id: "drain", label: "Drain", key: "d", help: "set server … state drain", build: runtime("drain") },
  { id: "maint", label: "Maint", key: "m", help: "set server … state maint", build: runtime("maint") },
  { id: "ready", label: "Ready", key: "y", help: "set server … state ready", build: runtime("ready") },
  {
    id: "weight",
    label: "Set weight",
    key: "w",
    help: "set server … weight N (the weight field)",
    build: withServer((s, state) => ({
      kind: "weight",
      server: s.name,
      backend: s.backend,
      weight: state.settings.weight,
    })),
  },
  {
    id: "rate",
    label: "Set rate",
    key: "a",
    help: "change the selected client's arrival rate (requests/s field)",
    build: (state, info) => {
      const c = info.clients[state.client];
      return c === undefined || c.ratePerSecond === undefined
        ? undefined
        : { kind: "rate", client: c.name, ratePerSecond: state.settings.ratePerSecond };
    },
  },
  {
    id: "spike",
    label: "Spike ×3",
    key: "k",
    help: "triple the selected client's rate for 10 s",
    build: (state, info) => {
      const c = info.clients[state.client];
      return c === undefined || c.ratePerSecond === undefined
        ? undefined
        : { kind: "spike", client: c.name, factor: 3, forMs: 10_000 };
    },
  },
  {
    id: "reset",
    label: "Reset",
    key: "t",
    help: "reset every connection to the selected server before it answers (502 SH)",
    build: onServer("reset"),
  },
  {
    id: "loss",
    label: "Packet loss",
    key: "o",
    help: "lose that share of the SYNs to the selected server (re-sent after 1 s, 3 s, 7 s)",
    build: withServer((s, state) => ({ kind: "loss", server: s.name, rate: state.settings.lossRate })),
  },
  // --- add / remove a server (HAProxy 2.6 dynamic servers; classroom/page/session-membership.ts) ---
  {
    id: "add",
    label: "Add server",
    key: "n",
    help: "add server + state ready: the selected server if it is absent, else the next one declared with added: false",
    build: (state, info) => {
      const s = info.servers[state.selected] ?? info.servers[0];
      return s === undefined ? undefined : { kind: "add", backend: s.backend, prefer: s.name };
    },
  },
  {
    id: "remove",
    label: "Remove server",
    key: "x",
    help: "remove the selected server: state maint now, del server once its last request ended",
    build: withServer((s) => ({ kind: "remove", server: s.name, backend: s.backend })),
  },
  ...BACKEND_CONTROLS,
];

/** Keys of the page itself (not timeline actions), for the help overlay. */
export const PAGE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["Space", "play / pause"],
  [".", "step (pauses)"],
  ["+ / -", "faster / slower"],
  ["1 … 9, [ ]", "select a server (by number, previous / next)"],
  ["{ }", "select the previous / next client"],
  ["Enter", "apply the pending actions now"],
  ["u / Ctrl+Z", "undo the last pending action"],
  ["Shift+U / Ctrl+Y", "redo"],
  ["f", "presenter mode (large type, high contrast)"],
  ["?", "this help; Esc closes it"],
];
