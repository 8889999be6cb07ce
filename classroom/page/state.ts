// The page's UI state (pending actions with undo/redo before they take effect, the chosen server,
// settings), changed only through these immer recipes, so every change is a new immutable state.
import { produce } from "immer";
import type { ControlAction } from "../actions.js";

export interface Settings {
  readonly speed: number;
  readonly presenter: boolean;
  /** Simulated time one press of "step" advances. */
  readonly stepMs: number;
  /** Parameters the controls use. */
  readonly slowFactor: number;
  readonly errorRate: number;
  /** Share of SYNs lost under "Packet loss". */
  readonly lossRate: number;
  readonly weight: number;
  readonly ratePerSecond: number;
  /** The algorithm "Switch strategy" applies (one of backend-config.ts's STRATEGY_CHOICES). */
  readonly strategy: string;
}

export interface UiState {
  /** Actions chosen but not yet applied (applied when the run plays or steps). */
  readonly pending: ReadonlyArray<ControlAction>;
  /** What undo took back, most recent last, for redo (cleared by a new action). */
  readonly undone: ReadonlyArray<ControlAction>;
  /** Index of the server the controls act on, in the scenario's order. */
  readonly selected: number;
  readonly client: number;
  readonly settings: Settings;
  readonly help: boolean;
  /** The seed the run uses (the scenario's, or the one typed in the seed field); undefined before a load. */
  readonly seed: number | undefined;
}

export const INITIAL_STATE: UiState = {
  pending: [],
  undone: [],
  selected: 0,
  client: 0,
  help: false,
  seed: undefined,
  settings: {
    speed: 1,
    presenter: false,
    stepMs: 1000,
    slowFactor: 5,
    errorRate: 0.5,
    lossRate: 0.3,
    weight: 50,
    ratePerSecond: 100,
    strategy: "leastconn",
  },
};

export const addPending = (state: UiState, action: ControlAction): UiState =>
  produce(state, (draft) => {
    draft.pending.push(action);
    draft.undone = [];
  });

export const undo = (state: UiState): UiState =>
  produce(state, (draft) => {
    const last = draft.pending.pop();
    if (last !== undefined) draft.undone.push(last);
  });

export const redo = (state: UiState): UiState =>
  produce(state, (draft) => {
    const back = draft.undone.pop();
    if (back !== undefined) draft.pending.push(back);
  });

/** The pending actions handed to the worker; undo cannot reach them any more. */
export const takePending = (state: UiState): UiState =>
  produce(state, (draft) => {
    draft.pending = [];
    draft.undone = [];
  });

export const select = (state: UiState, index: number, count: number): UiState =>
  produce(state, (draft) => {
    if (count > 0) draft.selected = ((index % count) + count) % count;
  });

export const selectClient = (state: UiState, index: number, count: number): UiState =>
  produce(state, (draft) => {
    if (count > 0) draft.client = ((index % count) + count) % count;
  });

export const setSetting = <K extends keyof Settings>(state: UiState, key: K, value: Settings[K]): UiState =>
  produce(state, (draft) => {
    (draft.settings as Settings)[key] = value;
  });

export const toggleHelp = (state: UiState, open?: boolean): UiState =>
  produce(state, (draft) => {
    draft.help = open ?? !draft.help;
  });

/** The run's seed: the loaded scenario's, or the one the seed field restarted it with. */
export const setSeed = (state: UiState, seed: number): UiState =>
  produce(state, (draft) => {
    draft.seed = seed;
  });

/** Clears the pending actions and the selection for a newly loaded scenario; settings stay. */
export const reset = (state: UiState): UiState =>
  produce(state, (draft) => {
    draft.pending = [];
    draft.undone = [];
    draft.selected = 0;
    draft.client = 0;
  });
