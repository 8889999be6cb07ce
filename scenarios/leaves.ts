// Zod leaves shared by the scenario schema and the timeline events: durations and rates in HAProxy units.
import { describe, fail } from "./problem.js";
import { DURATION_EXPECTED, RATE_EXPECTED, tryParseDuration, tryParseRate } from "./units.js";
import { fromResult } from "./zod-glue.js";

export const DURATION_JSON = { type: ["string", "number"] };
export const duration = fromResult(tryParseDuration, DURATION_EXPECTED, DURATION_JSON);
export const positiveDuration = fromResult(
  (value) => {
    const ms = tryParseDuration(value);
    return ms.ok && ms.value === 0
      ? fail<number>("bad-duration", `found ${describe(value)}, expected a duration > 0`)
      : ms;
  },
  `${DURATION_EXPECTED}, > 0`,
  DURATION_JSON,
);
/** A rate ≥ 0 (0 = the client sends nothing). */
export const rate = fromResult(tryParseRate, RATE_EXPECTED, DURATION_JSON);
