// `baseline:` in a scenario file: the tolerances of `lbsim check --baseline`, with file:line:col errors.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { parseScenario } from "./index.js";

const base = `duration: 10s
backend:
  servers:
    - {name: web01, service: {exponential: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 10/s}}
`;

function issuesOf(text: string) {
  try {
    parseScenario(text, "x.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.issues.map((i) => ({
      line: i.line,
      column: i.column,
      path: i.path,
      message: i.message,
      hint: i.hint,
    }));
  }
}

describe("baseline: tolerances", () => {
  it("reads a percentage as a share of the baseline's figure, for every figure and per figure", () => {
    const scenario = parseScenario(`${base}baseline: {tolerance: 5%, p99: 12.5%, errors: 0%}\n`, "x.yaml");
    expect(scenario.baseline).toEqual({ tolerance: 0.05, p99: 0.125, errors: 0 });
  });

  it("is absent from the Scenario when the file has no baseline:", () => {
    expect(parseScenario(base, "x.yaml").baseline).toBeUndefined();
  });

  it("reports a bare number at its line and column, with a did-you-mean", () => {
    expect(issuesOf(`${base}baseline:\n  p99: 5\n`)).toEqual([
      {
        line: 8,
        column: 8,
        path: "baseline.p99",
        message: "found 5, expected a percentage such as 10% (of the baseline's figure)",
        hint: "did you mean 5%?",
      },
    ]);
  });

  it("reports a figure that no baseline compares, with the nearest name", () => {
    const [problem] = issuesOf(`${base}baseline:\n  p98: 5%\n`);
    expect(problem).toMatchObject({ line: 8, column: 3, path: "baseline.p98" });
    expect(problem?.hint).toMatch(/p99|p90/);
  });
});
