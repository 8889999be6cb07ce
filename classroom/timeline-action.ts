// A classroom control as the timeline action the model applies (runtime commands parsed against
// the scenario); apart from actions.ts so the page's own bundle needs no scenario parser.
import { runtimeAction, type Scenario, type TimelineAction } from "../scenarios/index.js";
import { addCommands, type ControlAction, runtimeText } from "./actions.js";

/** The timeline actions of a control, in order: two for an add (`add server`, `state ready`), else one. */
export function toTimelineActions(action: ControlAction, scenario: Scenario): TimelineAction[] {
  if (action.kind === "add") return addCommands(action).map((text) => runtimeAction(text, scenario));
  return [toTimelineAction(action, scenario)];
}

/** The timeline action the model applies for a control (runtime commands parsed against the scenario). */
export function toTimelineAction(action: ControlAction, scenario: Scenario): TimelineAction {
  const text = runtimeText(action);
  if (text !== undefined) return runtimeAction(text, scenario);
  switch (action.kind) {
    case "slow":
      return { kind: "slow", server: action.server, factor: action.factor };
    case "errors":
      return { kind: "errors", server: action.server, rate: action.rate };
    case "loss":
      return { kind: "loss", server: action.server, rate: action.rate };
    case "rate":
      return { kind: "rate", client: action.client, ratePerSecond: action.ratePerSecond };
    case "spike":
      return { kind: "spike", client: action.client, factor: action.factor, forMs: action.forMs };
    case "balance":
      return { kind: "balance", backend: action.backend, balance: action.balance };
    case "redispatch":
      return {
        kind: "redispatch",
        backend: action.backend,
        redispatch: action.interval === null ? null : { interval: action.interval },
      };
    case "crash":
    case "hang":
    case "restore":
    case "partition":
    case "heal":
    case "reset":
      return { kind: action.kind, server: action.server };
    default:
      throw new Error(`no timeline action for ${action.kind}`);
  }
}
