// lbsim's own outputs found in a folder given to `lbsim check`: Results, comparison and check JSON, told apart by shape.
import { readFileSync } from "node:fs";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What kind of lbsim output a JSON document is, or undefined when it is not one (a scenario). The
 * keys looked at are those DESIGN.md promises and a scenario never has (a scenario has no
 * `requests`, `runs` or `totals`; its `clients` is what the loader would require).
 */
export function outputKind(document: unknown): string | undefined {
  if (!isRecord(document)) return undefined;
  if (
    isRecord(document.totals) &&
    Array.isArray(document.scenarios) &&
    typeof document.replications === "number"
  ) {
    return "check JSON";
  }
  if (
    Array.isArray(document.runs) &&
    Array.isArray(document.checks) &&
    typeof document.scenario === "string"
  ) {
    return "comparison JSON";
  }
  if (
    isRecord(document.requests) &&
    isRecord(document.latency) &&
    Array.isArray(document.servers) &&
    typeof document.strategy === "string"
  ) {
    return "Results JSON";
  }
  return undefined;
}

/** The kind of lbsim output a `.json` file holds; undefined for anything else (left to the loader to judge). */
export function outputKindOfFile(path: string): string | undefined {
  if (!/\.json$/i.test(path)) return undefined;
  try {
    return outputKind(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return undefined;
  }
}
