// The browser tests' page (bundled by harness-page.ts): the topology and the live charts in a 1280×720-like layout, fed by the test, with frame times recorded as performance measures.
// First: the frame timing wraps requestAnimationFrame before d3-timer (the transitions') takes hold of it.
import "./frame-timing-test-support.js";
import type { Snapshot } from "../../../sim/index.js";
import { createLiveCharts } from "../live-charts.js";
import type { LiveAction } from "../live-charts-view.js";
import type { LiveSeries } from "../live-series.js";
import { createTopology } from "../topology.js";
import { FRAME, frameWorkMs, nativeRaf } from "./frame-timing-test-support.js";

// `#large` presenter mode; `#narrow` the width the page leaves the drawing beside its controls.
const flags = location.hash.slice(1).split(",");
const large = flags.includes("large");
document.documentElement.classList.toggle("large", large);
document.documentElement.classList.toggle("narrow", flags.includes("narrow"));
// The page's layout, set through the CSSOM: the page's policy refuses <style> and style="…".
const narrow = flags.includes("narrow");
Object.assign(document.body.style, { margin: "0", fontFamily: "DejaVu Sans, Verdana, Arial, sans-serif" });
Object.assign(document.getElementById("topology")!.style, {
  padding: "8px 12px 0",
  height: narrow ? "auto" : large ? "640px" : "430px",
  width: narrow ? (large ? "720px" : "900px") : "auto",
});
Object.assign(document.getElementById("charts")!.style, {
  padding: "0 12px",
  fontSize: large ? "20px" : "13px",
});
const maxconn = JSON.parse(document.getElementById("maxconn")?.textContent ?? "{}") as Record<string, number>;
const topology = createTopology(document.getElementById("topology")!, { large, maxconn });
const charts = createLiveCharts(document.getElementById("charts")!, {
  large,
  strategy: "roundrobin",
  minRedrawMs: 0,
});

/** What the tests call (through page.evaluate). */
const harness = {
  feed(snapshot: Snapshot, dtMs: number): void {
    topology.update(snapshot, dtMs);
  },
  charts(series: LiveSeries, actions: ReadonlyArray<LiveAction>, weights?: Record<string, number>): void {
    charts.update(series, actions, weights);
  },
  /**
   * Feeds `snapshots` one every `everyMs` (as the worker posts them) while the page animates, then
   * returns the frames' work (ms, from the measures) and their intervals (ms between rAF callbacks),
   * and the most dots seen at once.
   */
  async play(
    snapshots: ReadonlyArray<Snapshot>,
    everyMs: number,
  ): Promise<{ workMs: number[]; intervalsMs: number[]; maxDots: number }> {
    performance.clearMeasures(FRAME);
    const stamps: number[] = [];
    let maxDots = 0;
    let recording = true;
    const record = (time: number) => {
      stamps.push(time);
      maxDots = Math.max(maxDots, document.querySelectorAll('g.dots circle[visibility="visible"]').length);
      if (recording) nativeRaf(record);
    };
    nativeRaf(record);
    for (const snapshot of snapshots) {
      topology.update(snapshot, everyMs);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    recording = false;
    const workMs = frameWorkMs();
    const intervalsMs = stamps.slice(1).map((t, i) => t - stamps[i]!);
    return { workMs, intervalsMs, maxDots };
  },
  /**
   * Feeds `count` growing prefixes of `series` to fresh live charts with the default redraw limit,
   * one every `everyMs`, and returns how many times they were drawn (each draw replaces the SVGs).
   */
  async throttled(series: LiveSeries, count: number, everyMs: number): Promise<number> {
    const box = document.createElement("div");
    document.body.appendChild(box);
    const live = createLiveCharts(box, { large: false });
    let draws = 0;
    // One draw = a new SVG in the latency chart's box.
    const observer = new MutationObserver((records) => {
      for (const r of records)
        if ((r.target as Element).parentElement?.getAttribute("data-chart") === "latency-over-time")
          draws += Array.from(r.addedNodes).filter((node) => node.nodeName === "svg").length;
    });
    observer.observe(box, { childList: true, subtree: true });
    for (let i = 1; i <= count; i++) {
      const n = Math.min(series.atMs.length, i);
      const cut = <T>(values: ReadonlyArray<T>) => values.slice(0, n);
      live.update(
        {
          ...series,
          atMs: cut(series.atMs),
          requests: cut(series.requests),
          errors: cut(series.errors),
          p50Ms: cut(series.p50Ms),
          p90Ms: cut(series.p90Ms),
          p99Ms: cut(series.p99Ms),
          serverRequests: Object.fromEntries(
            Object.entries(series.serverRequests).map(([k, v]) => [k, cut(v)]),
          ),
        },
        [],
      );
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    observer.disconnect();
    live.destroy();
    box.remove();
    return draws;
  },
  /**
   * Feeds `snapshots` one per animation frame (the page at ×100 draws a new sampled state every
   * frame) and returns the most transitions any card held at once (d3-transition keeps a node's
   * scheduled and running ones in its `__transition`), then how many it still holds `settleMs` later.
   */
  async burst(
    snapshots: ReadonlyArray<Snapshot>,
    settleMs: number,
  ): Promise<{ most: number; after: number }> {
    const held = () =>
      Math.max(
        0,
        ...Array.from(document.querySelectorAll("g.server"), (g) => {
          const schedules = (g as Element & { __transition?: object }).__transition;
          return schedules === undefined ? 0 : Object.keys(schedules).length;
        }),
      );
    let most = 0;
    for (const snapshot of snapshots) {
      topology.update(snapshot, 16);
      most = Math.max(most, held());
      await new Promise((resolve) => nativeRaf(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return { most, after: held() };
  },
  resize(): void {
    topology.resize();
  },
};

export type Harness = typeof harness;
(window as unknown as { harness: Harness }).harness = harness;
