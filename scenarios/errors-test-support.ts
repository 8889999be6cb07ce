// Test support for the scenario error specs: the issues a text gives, and a small valid scenario.
import { expect } from "vitest";
import { InputError, type InputIssue } from "../errors/index.js";
import { parseScenario } from "./parse.js";

export function issuesOf(text: string, file = "s.yaml"): ReadonlyArray<InputIssue> {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

/** The one issue of a text, without its message (asserted separately where it matters). */
export function only(text: string): Omit<InputIssue, "message"> {
  const issues = issuesOf(text);
  expect(issues).toHaveLength(1);
  const { message: _, ...rest } = issues[0] as InputIssue;
  return rest;
}

export const BASE = `duration: 10s
backend:
  service: {exponential: 10ms}
  servers:
    - {name: web01}
    - name: web02
      weight: 2
clients:
  - name: c
    arrivals: {poisson: 10/s}
`;
