// `lbsim compare --backend NAME`: the compared strategies balance one backend while the others keep their own.
import { InputError } from "../errors/index.js";
import type { Scenario } from "../scenarios/index.js";
import { didYouMean } from "./suggest.js";

/** The scenario's backends' names, in the order written. */
export function backendNames(scenario: Scenario): string[] {
  return (scenario.backends ?? [scenario.backend]).map((b) => b.name);
}

/** An unknown `--backend` is bad input (exit 2), with the nearest name or the list. */
export function checkBackend(name: string, scenario: Scenario, scenarioArg: string): void {
  const names = backendNames(scenario);
  if (names.includes(name)) return;
  const near = didYouMean(name, names);
  throw InputError.one({
    code: "bad-value",
    file: "",
    line: 0,
    column: 0,
    path: "--backend",
    message: `unknown backend "${name}": ${scenarioArg} has ${names.map((n) => `"${n}"`).join(", ")}`,
    hint: near === undefined ? `--backend takes one of ${names.join(", ")}` : `did you mean "${near}"?`,
  });
}

/** The scenario with `backend` balancing with `balance`, every other backend as written. */
export function withBalance(scenario: Scenario, backend: string, balance: string): Scenario {
  const backends = (scenario.backends ?? [scenario.backend]).map((b) =>
    b.name === backend ? { ...b, balance } : b,
  );
  const [first] = backends;
  return {
    ...scenario,
    ...(first === undefined ? {} : { backend: first }),
    ...(scenario.backends === undefined ? {} : { backends }),
  };
}

/**
 * The table's line about which backends the strategies balance, when the scenario has several:
 * without --backend every backend runs the compared strategy (as `--strategy` does for `run`).
 */
export function scopeLine(scenario: Scenario, backend: string | undefined): string | undefined {
  const all = scenario.backends ?? [scenario.backend];
  if (all.length < 2) return undefined;
  if (backend === undefined) {
    return (
      `Every backend (${all.map((b) => b.name).join(", ")}) balances with the compared strategy; ` +
      "--backend NAME compares one backend's."
    );
  }
  const others = all.filter((b) => b.name !== backend).map((b) => `${b.name} ${b.balance}`);
  return `The strategies balance backend ${backend}; the others keep their own: ${others.join(", ")}.`;
}
