// Support for the engine specs (engine-*.spec.ts): an engine that records what it fires.
import { Engine } from "./engine.js";

/** An engine whose every kind in `kinds` records its payload in `fired` (and the clock in `clock`). */
export function recordingEngine(kinds: ReadonlyArray<number> = [0, 1, 2, 3]): {
  engine: Engine;
  fired: number[];
  clock: number[];
} {
  const engine = new Engine();
  const fired: number[] = [];
  const clock: number[] = [];
  for (const kind of kinds) {
    engine.on(kind, (payload) => {
      fired.push(payload);
      clock.push(engine.nowMs);
    });
  }
  return { engine, fired, clock };
}
