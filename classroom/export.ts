// Export: the scenario the page ran, with its seed and the controls applied as timeline events at
// the times they took effect, as YAML that `lbsim run` replays to the same counts.
import { isSeq, parseDocument } from "yaml";
import { type AppliedAction, eventObjects } from "./actions.js";
import type { ScenarioSource } from "./source.js";

export function exportScenario(
  source: ScenarioSource,
  seed: number,
  applied: ReadonlyArray<AppliedAction>,
): string {
  const doc = parseDocument(source.text);
  doc.set("seed", seed);
  const events = applied.flatMap((a) => eventObjects(a).map((e) => doc.createNode(e, { flow: true })));
  const existing = doc.get("events", true);
  if (isSeq(existing)) for (const event of events) existing.add(event);
  else if (events.length > 0) doc.set("events", doc.createNode(events));
  const needs = Object.keys(source.files);
  const header = [
    ` Exported by the lbsim classroom page from ${source.file}: seed ${seed}, ${applied.length} action(s) added to events.`,
    " lbsim run on this file gives the counts the page showed at the end of the run.",
    ...(needs.length === 0 ? [] : [` It names ${needs.join(", ")}: keep this file beside them.`]),
  ].join("\n");
  doc.commentBefore =
    doc.commentBefore === null || doc.commentBefore === undefined
      ? header
      : `${header}\n${doc.commentBefore}`;
  return doc.toString({ lineWidth: 0 });
}
