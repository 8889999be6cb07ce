// Where a loaded scenario wrote its strategy names (`backend.balance`, `backends[i].balance`,
// `compare[i]`), so that the CLI, which resolves those names, can point at them like every other
// error. Kept beside the Scenario (a WeakMap), not in it: Results and sim/ never see positions.
import type { InputIssue } from "../errors/index.js";
import type { Place } from "./source.js";
import type { Scenario } from "./types.js";

const placesOf = new WeakMap<Scenario, ReadonlyMap<string, Place>>();

export function recordPlaces(scenario: Scenario, places: ReadonlyMap<string, Place>): void {
  placesOf.set(scenario, places);
}

/**
 * `issue` with the file, line and column of its path in the scenario's files, when it has none
 * yet (line 0) and the loader recorded that path; otherwise `issue` as it is.
 */
export function placeIssue(scenario: Scenario, issue: InputIssue): InputIssue {
  if (issue.line !== 0) return issue;
  const place = placesOf.get(scenario)?.get(issue.path);
  return place === undefined ? issue : { ...issue, file: place.file, line: place.line, column: place.column };
}
