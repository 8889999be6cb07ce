// The name of the strategy a scenario runs with when nothing overrides it (Results.strategy).
import type { Scenario } from "../scenarios/types.js";

/**
 * Its backends' `balance`: the distinct ones joined by "+" in backend order when backends balance
 * differently (`roundrobin+leastconn`), which no `--strategy` or `compare:` name can be.
 */
export function ownStrategy(scenario: Scenario): string {
  return [...new Set((scenario.backends ?? [scenario.backend]).map((b) => b.balance))].join("+");
}
