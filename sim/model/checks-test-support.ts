// Helpers of the health-check specs: check parameters, a 20-requests-per-second run, state lookups.
import type { CheckParams, Scenario, ServerSpec, TimelineEvent } from "../../scenarios/types.js";
import type { StateChange } from "../results.js";
import { client, scenario, simulateWithRecords } from "../test-support.js";

export function check(fields: Partial<CheckParams> = {}): CheckParams {
  const interMs = fields.interMs ?? 1000;
  return {
    type: "http",
    interMs,
    fastinterMs: interMs,
    downinterMs: interMs,
    rise: 2,
    fall: 3,
    timeoutMs: null,
    ...fields,
  };
}

/** 20 requests per second (one every 50 ms from 0), timeout connect 1 s. */
export function run(
  servers: ServerSpec[],
  events: TimelineEvent[],
  parts: Omit<Partial<Scenario>, "backend"> & { backend?: Partial<Scenario["backend"]> } = {},
) {
  const { backend, ...rest } = parts;
  return simulateWithRecords(
    scenario({
      durationMs: 20000,
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
      events,
      ...rest,
      backend: { timeout: { connectMs: 1000, serverMs: 5000, queueMs: 1000 }, ...backend, servers },
    }),
  );
}

export const constant5ms = { kind: "constant", valueMs: 5 } as const;

export const statesFrom = (states: ReadonlyArray<StateChange>, fromMs: number) =>
  states.filter((c) => c.atMs >= fromMs);
export { round3 } from "../rounding.js";
