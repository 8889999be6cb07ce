// Reading a baseline file: a check JSON (`lbsim check --json` or `--update-baseline`), checked for the shape a comparison needs.
import { readFileSync } from "node:fs";
import { InputError } from "../errors/index.js";
import type { BaselineScenario } from "./baseline.js";
import type { Figure, RunFigures } from "./check-figures.js";

function bad(file: string, message: string, hint?: string): InputError {
  return InputError.one({
    code: "unreadable",
    file,
    line: 0,
    column: 0,
    path: "",
    message,
    ...(hint === undefined ? {} : { hint }),
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");

function isFigure(v: unknown): v is Figure {
  if (!isRecord(v) || typeof v.mean !== "number" || !isNumbers(v.values)) return false;
  return (
    v.ci95 === undefined ||
    (isRecord(v.ci95) && typeof v.ci95.low === "number" && typeof v.ci95.high === "number")
  );
}

/** Reads a baseline (a check JSON, `lbsim check --json`); anything else is bad input (exit 2). */
export function readBaseline(path: string, shown: string): BaselineScenario[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw InputError.one({
        code: "file-not-found",
        file: shown,
        line: 0,
        column: 0,
        path: "",
        message: "baseline file not found",
        hint: "write it first with --update-baseline, then commit it",
      });
    }
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw bad(
      shown,
      `is not JSON (${error instanceof Error ? error.message : String(error)})`,
      "a baseline is a check JSON, written by lbsim check --update-baseline or --json",
    );
  }
  if (!isRecord(document) || !Array.isArray(document.scenarios) || !isRecord(document.totals)) {
    throw bad(
      shown,
      "is not a check JSON (no scenarios and totals)",
      "a baseline is written by lbsim check --update-baseline or --json",
    );
  }
  return document.scenarios.map((entry, index): BaselineScenario => {
    const where = `scenarios[${index}]`;
    if (
      !isRecord(entry) ||
      typeof entry.file !== "string" ||
      typeof entry.scenario !== "string" ||
      !isNumbers(entry.seeds)
    ) {
      throw bad(shown, `${where} is not a scenario of a check JSON (file, scenario, seeds)`);
    }
    if (entry.figures === undefined)
      return { file: entry.file, scenario: entry.scenario, seeds: entry.seeds };
    if (!isRecord(entry.figures)) throw bad(shown, `${where}.figures is not an object`);
    const figures: Record<string, RunFigures> = {};
    for (const [run, byName] of Object.entries(entry.figures)) {
      if (!isRecord(byName) || !Object.values(byName).every(isFigure)) {
        throw bad(shown, `${where}.figures.${run} is not a set of figures ({mean, ci95?, values})`);
      }
      figures[run] = byName as RunFigures;
    }
    return { file: entry.file, scenario: entry.scenario, seeds: entry.seeds, figures };
  });
}
