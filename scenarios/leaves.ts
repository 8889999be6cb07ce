// Zod leaves shared by the scenario schema and the timeline events: durations and rates in HAProxy units.
import { describe, fail, type Result } from "./problem.js";
import { DURATION_EXPECTED, RATE_EXPECTED, tryParseDuration, tryParseRate } from "./units.js";
import { fromResult } from "./zod-glue.js";

export const DURATION_JSON = { type: ["string", "number"] };
export const duration = fromResult(tryParseDuration, DURATION_EXPECTED, DURATION_JSON);
/** `warmup:`: a duration, or `auto` (MSER-5 on the run's own series: cli/warmup-auto.ts). */
export const warmupDuration = fromResult<number | "auto">(
  (value) => (value === "auto" ? { ok: true, value: "auto" } : tryParseDuration(value)),
  `${DURATION_EXPECTED}, or auto`,
  DURATION_JSON,
);
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
const SHARE_EXPECTED = "a share from 0% to 100% (30%, or 0.3)";

function tryParseShare(value: unknown): Result<number> {
  const found = `found ${describe(value)}, expected ${SHARE_EXPECTED}`;
  let fraction: number;
  if (typeof value === "number") fraction = value;
  else if (typeof value === "string" && /^\s*[0-9]+(\.[0-9]+)?\s*%\s*$/.test(value))
    fraction = Number.parseFloat(value) / 100;
  else return fail("bad-value", found);
  if (!(fraction >= 0 && fraction <= 1)) return fail("bad-value", found);
  return { ok: true, value: fraction };
}

/** A share in [0, 1], written `30%` or `0.3` (a SYN loss rate). */
export const share = fromResult(tryParseShare, SHARE_EXPECTED, { type: ["string", "number"] });

/** A rate ≥ 0 (0 = the client sends nothing). */
export const rate = fromResult(tryParseRate, RATE_EXPECTED, DURATION_JSON);
