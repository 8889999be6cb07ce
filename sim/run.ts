// run: builds the model of a Scenario, advances it to the end (looking at progress and Ctrl-C now
// and then), and returns its Results. The stepping API (sim/stepping.ts) does the work.
import type { Scenario } from "../scenarios/types.js";
import type { Results } from "./results.js";
import type { RunOptions } from "./run-types.js";
import { createModel } from "./stepping.js";

/** Simulated time between two looks at `shouldStop` / `onProgress`. */
const SLICE_MS = 1000;

export function run(scenario: Scenario, options: RunOptions): Results {
  const model = createModel(scenario, { ...options, recentRequests: 0 });
  const durationMs = scenario.durationMs;
  // A slice per bucket at least: a sparse run of 2·10^9 s would otherwise spend minutes in 2·10^9 slices.
  const sliceMs = Math.max(SLICE_MS, scenario.bucketMs);
  let endMs = 0;
  while (endMs < durationMs) {
    endMs = Math.min(durationMs, endMs + sliceMs);
    model.advanceTo(endMs);
    options.onProgress?.(endMs);
    if (endMs < durationMs && options.shouldStop?.() === true) break;
  }
  return model.finish();
}
