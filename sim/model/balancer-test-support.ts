// Helpers shared by the balancer's spec files: request order and runtime-command timeline events.
import type { TimelineEvent } from "../../scenarios/types.js";
import type { RequestRecord } from "../run-types.js";

export function byArrival(records: RequestRecord[]): RequestRecord[] {
  return [...records].sort((a, b) => a.atMs - b.atMs || a.id - b.id);
}

export function runtime(
  atMs: number,
  command: Extract<TimelineEvent, { kind: "runtime" }>["command"],
): TimelineEvent {
  return { atMs, kind: "runtime", text: JSON.stringify(command), command };
}
