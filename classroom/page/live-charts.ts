// The report's charts, live: latency over time (p50/p90/p99), requests per second per server and each server's share, redrawn from the worker's LiveSeries at most a few times a second, the actions marked.
import { latencyOverTimeChart, sharesChart } from "../../viz/index.js";
import type { ChartOptions } from "../../viz/view.js";
import { throughputChart } from "./live-charts-throughput.js";
import { type LiveAction, liveLatencyView, liveSharesView, liveThroughputView } from "./live-charts-view.js";
import type { LiveSeries } from "./live-series.js";

export interface LiveChartsOptions {
  /** Presenter mode: the charts' text at 20 px (the report's large type) instead of 12. */
  readonly large: boolean;
  /** The strategy's name for the legends (`roundrobin p99`); default none (`p99`). */
  readonly strategy?: string;
  /** At most one redraw per this many ms (default 250: 4 a second). */
  readonly minRedrawMs?: number;
}

export interface LiveCharts {
  /**
   * Draws `series` with `actions` marked (their simulated time and text). `weights` (the last
   * snapshot's, by server) marks each server's ideal share. Calls closer together than
   * `minRedrawMs` are merged: the latest is drawn when the time comes.
   */
  update(
    series: LiveSeries,
    actions: ReadonlyArray<LiveAction>,
    weights?: Readonly<Record<string, number>>,
  ): void;
  setLarge(large: boolean): void;
  destroy(): void;
}

/** The charts' base font sizes (px), as the report's: normal and large type. */
export const FONT_SIZE = 12;
export const LARGE_FONT_SIZE = 20;
/** A chart is never drawn narrower than this; below it, its box scrolls sideways. */
const MIN_CHART_WIDTH = 320;

type ChartName = "latency-over-time" | "throughput" | "shares";

const CAPTIONS: Readonly<Record<ChartName, string>> = {
  "latency-over-time":
    "Latency over time: p99 solid, p90 dashed, p50 dotted; dashed markers are the actions.",
  throughput:
    "Requests per second per server, stacked: when a server fails, its band thins and the others widen.",
  shares: "Requests per server so far (after the warm-up); the black notch is its share by weight.",
};

export function createLiveCharts(container: HTMLElement, options: LiveChartsOptions): LiveCharts {
  let large = options.large;
  const strategy = options.strategy ?? "";
  const minRedrawMs = options.minRedrawMs ?? 250;
  const root = document.createElement("div");
  root.className = "lbsim-live-charts";
  root.style.display = "flex";
  root.style.flexWrap = "wrap";
  root.style.gap = "8px";
  const boxes = new Map<ChartName, HTMLElement>();
  for (const name of ["latency-over-time", "throughput", "shares"] as const) {
    const figure = document.createElement("figure");
    figure.className = "live-chart";
    figure.dataset.chart = name;
    figure.style.margin = "0";
    figure.style.flex = name === "shares" ? "1 1 100%" : "1 1 480px";
    figure.style.minWidth = "0";
    figure.style.overflowX = "auto";
    const box = document.createElement("div");
    box.className = "chart";
    const caption = document.createElement("figcaption");
    caption.textContent = CAPTIONS[name];
    caption.style.color = "#57606a";
    figure.append(box, caption);
    root.appendChild(figure);
    boxes.set(name, box);
  }
  container.appendChild(root);

  let pending:
    | { series: LiveSeries; actions: ReadonlyArray<LiveAction>; weights?: Readonly<Record<string, number>> }
    | undefined;
  let drawnKey = "";
  let lastDrawMs = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const draw = (): void => {
    timer = undefined;
    if (destroyed || pending === undefined) return;
    const { series, actions, weights } = pending;
    const widths = [...boxes.values()].map((b) => Math.max(MIN_CHART_WIDTH, Math.floor(b.clientWidth)));
    // Nothing new (no bucket closed, no action, same size): the same charts, not drawn again.
    const key = `${series.atMs.length}|${series.nowMs >= series.durationMs}|${actions.length}|${widths.join(",")}|${large}|${JSON.stringify(weights ?? {})}`;
    if (key === drawnKey) return;
    drawnKey = key;
    lastDrawMs = performance.now();
    const fontSize = large ? LARGE_FONT_SIZE : FONT_SIZE;
    const at = (name: ChartName): ChartOptions => ({
      width: Math.max(MIN_CHART_WIDTH, Math.floor(boxes.get(name)!.clientWidth)),
      fontSize,
    });
    place(
      boxes.get("latency-over-time")!,
      latencyOverTimeChart(liveLatencyView(series, actions, strategy), at("latency-over-time")),
    );
    place(boxes.get("throughput")!, throughputChart(liveThroughputView(series, actions), at("throughput")));
    place(boxes.get("shares")!, sharesChart(liveSharesView(series, strategy, weights), at("shares")));
  };

  const request = (): void => {
    if (destroyed || timer !== undefined) return;
    const waitMs = Math.max(0, lastDrawMs + minRedrawMs - performance.now());
    timer = setTimeout(draw, waitMs);
  };

  const observer = typeof ResizeObserver === "undefined" ? undefined : new ResizeObserver(() => request());
  observer?.observe(root);

  return {
    update(series, actions, weights) {
      pending = { series, actions, ...(weights === undefined ? {} : { weights }) };
      request();
    },
    setLarge(value) {
      large = value;
      request();
    },
    destroy() {
      destroyed = true;
      if (timer !== undefined) clearTimeout(timer);
      observer?.disconnect();
      root.remove();
    },
  };
}

/** Puts a chart's SVG in its box, parsed as SVG (XML), never as HTML: names in it stay text. */
function place(box: HTMLElement, svgText: string): void {
  const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
  if (parsed.getElementsByTagName("parsererror").length > 0) {
    const message = document.createElement("p");
    message.className = "chart-error";
    message.textContent = "This chart could not be drawn.";
    box.replaceChildren(message);
    return;
  }
  box.replaceChildren(document.importNode(parsed.documentElement, true));
}
