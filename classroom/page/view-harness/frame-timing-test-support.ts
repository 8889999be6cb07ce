// Times every requestAnimationFrame callback of the harness page (the topology's dots and d3-timer's frame, which runs the transitions), summed per frame: the drawing's cost per frame. Imported before anything else, since d3-timer keeps the requestAnimationFrame it finds when it loads.

/** The measure each animation frame callback's work is recorded under, with the frame's time as its detail. */
export const FRAME = "lbsim-frame";

export const nativeRaf = window.requestAnimationFrame.bind(window);

window.requestAnimationFrame = (callback) =>
  nativeRaf((time) => {
    const startMs = performance.now();
    callback(time);
    performance.measure(FRAME, { start: startMs, detail: time });
  });

/** The work (ms) of each frame measured since `clearMeasures(FRAME)`: its callbacks' durations summed. */
export function frameWorkMs(): number[] {
  const byFrame = new Map<number, number>();
  for (const entry of performance.getEntriesByName(FRAME) as PerformanceMeasure[]) {
    const time = entry.detail as number;
    byFrame.set(time, (byFrame.get(time) ?? 0) + entry.duration);
  }
  return [...byFrame.values()];
}
