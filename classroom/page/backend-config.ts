// What each backend runs as the page sees it: its `balance` and `option redispatch` as the scenario
// set them, after the switches applied so far and those still pending (the controls show and
// toggle this; the model itself is the worker's).
import type { AppliedAction, BackendControl, ControlAction } from "../actions.js";
import type { ScenarioInfo } from "./protocol.js";

/** The algorithms the "Switch strategy" control offers, in the order its list shows them. */
export const STRATEGY_CHOICES = [
  "roundrobin",
  "leastconn",
  "random(2)",
  "source",
  "first",
  "static-rr",
] as const;

export interface BackendConfig {
  readonly balance: string;
  /** `option redispatch`'s interval (−1: on the last retry); null: off. */
  readonly redispatch: number | null;
}

/** Backend `name`'s configuration after `applied`, then `pending`, in order. */
export function backendConfig(
  info: ScenarioInfo,
  name: string,
  applied: ReadonlyArray<AppliedAction>,
  pending: ReadonlyArray<ControlAction>,
): BackendConfig {
  const own = info.backends?.find((b) => b.name === name);
  let config: BackendConfig = { balance: own?.balance ?? info.balance, redispatch: own?.redispatch ?? null };
  const changes = [...applied.map((a) => a.action), ...pending].filter(
    (a): a is BackendControl => (a.kind === "balance" || a.kind === "redispatch") && a.backend === name,
  );
  for (const change of changes)
    config =
      change.kind === "balance"
        ? { ...config, balance: change.balance }
        : { ...config, redispatch: change.interval };
  return config;
}

/**
 * The interval "Redispatch" turns on: the backend's own `option redispatch P` when the scenario
 * had one, else HAProxy's default (−1, on the last retry).
 */
export function redispatchOn(info: ScenarioInfo, name: string): number {
  return info.backends?.find((b) => b.name === name)?.redispatch ?? -1;
}
