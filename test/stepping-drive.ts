// Drives a stepping model as the classroom page would (steps, a crash applied now, a snapshot per
// step): bundled into the browser-worker test and run in Node, so both sides do exactly the same.
import type { Model, Snapshot } from "../sim/stepping.js";

export function drive(model: Model): { snapshots: Snapshot[]; results: ReturnType<Model["results"]> } {
  const snapshots: Snapshot[] = [];
  for (let t = 250; t <= model.durationMs; t += 250) {
    model.advanceTo(t);
    if (t === 1500) model.apply({ kind: "crash", server: "web01" });
    snapshots.push(model.snapshot());
  }
  return { snapshots, results: model.results() };
}
