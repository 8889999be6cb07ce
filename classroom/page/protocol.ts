// The messages between the page and its worker (structured-cloned plain data, both ways).
import type { AppliedAction, ControlAction } from "../actions.js";
import type { ScenarioSource } from "../source.js";
import type { Frame } from "./session.js";

export type ToWorker =
  | { readonly type: "load"; readonly source: ScenarioSource; readonly seed?: number; readonly play: boolean }
  | { readonly type: "play" }
  | { readonly type: "pause" }
  | { readonly type: "step"; readonly ms: number }
  | { readonly type: "speed"; readonly speed: number }
  | { readonly type: "apply"; readonly actions: ReadonlyArray<ControlAction> }
  | { readonly type: "export" }
  /** The current scenario again from 0 s, playing: with `seed` when given, else the same seed. */
  | { readonly type: "restart"; readonly seed?: number }
  /** A file the user chose (a scenario or a haproxy.cfg) with the files it names, validated in the worker. */
  | {
      readonly type: "import";
      readonly file: string;
      readonly text: string;
      readonly files: Readonly<Record<string, string>>;
    };

/** What the page needs to build its controls: names of servers (with backend) and clients. */
export interface ScenarioInfo {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly note?: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly servers: ReadonlyArray<{
    readonly name: string;
    readonly backend: string;
    readonly weight: number;
  }>;
  readonly clients: ReadonlyArray<{ readonly name: string; readonly ratePerSecond?: number }>;
  readonly balance: string;
  /**
   * Each backend's `balance` and `option redispatch` interval (null: off) as the scenario sets them,
   * for the switch and redispatch controls (absent: one backend running `balance`, no redispatch).
   */
  readonly backends?: ReadonlyArray<{
    readonly name: string;
    readonly balance: string;
    readonly redispatch: number | null;
  }>;
  /** The scenario's own timeline (its `events:`), for the charts' markers. */
  readonly events: ReadonlyArray<{ readonly atMs: number; readonly text: string }>;
}

export type FromWorker =
  | { readonly type: "loaded"; readonly info: ScenarioInfo; readonly frame: Frame }
  | { readonly type: "frame"; readonly frame: Frame }
  | { readonly type: "applied"; readonly applied: ReadonlyArray<AppliedAction> }
  | { readonly type: "exported"; readonly text: string; readonly fileName: string }
  /** `problems`: each as `file:line:col: message`, shown as text. */
  | { readonly type: "error"; readonly message: string; readonly problems: ReadonlyArray<string> };

/** A ready demo (classroom/demos/demos.json, with its scenario read at build time). */
export interface Demo {
  readonly id: string;
  readonly title: string;
  /** What to watch. */
  readonly caption: string;
  /** A question to ask the class. */
  readonly question: string;
  readonly source: ScenarioSource;
}
