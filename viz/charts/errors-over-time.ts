// Failed requests per second over time, stacked by status and by termination state, a pair of panels per variant.
import { scaleLinear } from "d3-scale";
import { axisLeft, formatCount } from "../axis.js";
import { CATEGORY_COLORS, INK } from "../palette.js";
import { coord, el, svgRoot, text, title } from "../svg.js";
import type { ChartOptions, ErrorsOverTime, TimeAxis } from "../view.js";
import {
  LEFT_EM,
  type LegendItem,
  layoutMarkers,
  legendSvg,
  lineHeight,
  markerBandHeight,
  markerKeySvg,
  markersSvg,
  panelHeading,
  RIGHT_EM,
  shadedPlot,
  shadingLegend,
  textWidth,
  timeAxisSvg,
  timeScale,
  X_AXIS_EM,
  Y_TITLE_EM,
} from "./time-frame.js";

/** What a status means when HAProxy or the client produced it (haproxy-semantics.md §2). */
export const STATUS_MEANINGS: Readonly<Record<string, string>> = {
  "503": "no server, connect failed or queue",
  "504": "timeout server",
  "502": "server aborted or bad response",
  "500": "server error",
  "-1": "client gave up",
  "408": "client request timeout",
  "400": "bad request",
};

/** What a termination state's two letters mean (first: who ended it; second: in which phase). */
export const TERMINATION_MEANINGS: Readonly<Record<string, string>> = {
  SC: "connect refused, no server",
  sC: "timeout connect",
  sQ: "timeout queue",
  SQ: "queue full",
  sH: "timeout server",
  SH: "server aborted",
  CC: "client left, connecting",
  CQ: "client left, queued",
  CH: "client left, awaiting headers",
  CR: "client aborted request",
  cD: "timeout client, data",
  "--": "server's own 5xx",
};

/** Keys in a fixed order (the usual ones first), so that a key keeps its colour in every panel. */
function orderKeys(keys: Iterable<string>, known: Readonly<Record<string, string>>): string[] {
  const order = Object.keys(known);
  return [...new Set(keys)].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

type Stack = ReadonlyArray<{ readonly key: string; readonly counts: ReadonlyArray<number> }>;

/** Seconds a bucket covers (the last one may end early with the run). */
function bucketSeconds(axis: TimeAxis, i: number): number {
  const fromMs = axis.atMs[i] ?? 0;
  const toMs = Math.min(fromMs + axis.bucketMs, Math.max(axis.durationMs, fromMs + 1));
  return (toMs - fromMs) / 1000;
}

export function errorsOverTimeChart(data: ErrorsOverTime, o: ChartOptions): string {
  const { width, fontSize } = o;
  const { axis } = data;
  const names = data.variants.map((v) => v.variant.name).join(", ");
  const chartTitle = `Failed requests per second over time, by status and by termination state${names === "" ? "" : ` (${names})`}`;
  const totalPerSecond = (stack: Stack, i: number) =>
    stack.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0) / bucketSeconds(axis, i);
  let maxPerSecond = 0;
  for (const v of data.variants)
    for (let i = 0; i < axis.atMs.length; i++)
      maxPerSecond = Math.max(
        maxPerSecond,
        totalPerSecond(v.byStatus, i),
        totalPerSecond(v.byTermination, i),
      );

  if (!(maxPerSecond > 0)) {
    const height = Math.ceil(fontSize * 3);
    return svgRoot(
      "errors-over-time",
      { width, height, fontSize },
      chartTitle,
      text("no failed requests", {
        class: "empty",
        x: width / 2,
        y: height / 2 + fontSize * 0.35,
        "text-anchor": "middle",
        fill: INK.muted,
      }),
    );
  }

  const statusKeys = orderKeys(
    data.variants.flatMap((v) => v.byStatus.filter((s) => s.counts.some((c) => c > 0)).map((s) => s.key)),
    STATUS_MEANINGS,
  );
  const terminationKeys = orderKeys(
    data.variants.flatMap((v) =>
      v.byTermination.filter((s) => s.counts.some((c) => c > 0)).map((s) => s.key),
    ),
    TERMINATION_MEANINGS,
  );
  const colorOf = (keys: ReadonlyArray<string>, key: string) =>
    CATEGORY_COLORS[keys.indexOf(key) % CATEGORY_COLORS.length]!;
  const legendItems: LegendItem[] = [
    ...statusKeys.map((key) => ({
      label: STATUS_MEANINGS[key] === undefined ? key : `${key} ${STATUS_MEANINGS[key]}`,
      color: colorOf(statusKeys, key),
      kind: "area" as const,
    })),
    ...terminationKeys.map((key) => ({
      label: TERMINATION_MEANINGS[key] === undefined ? key : `${key} ${TERMINATION_MEANINGS[key]}`,
      color: colorOf(terminationKeys, key),
      kind: "area" as const,
    })),
    ...shadingLegend(axis, data.failover),
  ];
  const legend = legendSvg(legendItems, width, fontSize);

  // Side by side when there is room for two readable plots, else one under the other.
  const sideBySide = width >= fontSize * 52;
  const panelWidth = sideBySide ? width / 2 : width;
  const leftEm = sideBySide ? 5.2 : LEFT_EM;
  const titleEm = sideBySide ? 3.9 : Y_TITLE_EM;
  const xOf = (panelX: number) =>
    timeScale(axis, panelX + leftEm * fontSize, panelX + panelWidth - RIGHT_EM * fontSize);
  const markers = layoutMarkers(data.actions, xOf(0), fontSize, 2);
  const band = markerBandHeight(markers, fontSize);
  const plotHeight = Math.round(Math.min(Math.max(width * 0.2, fontSize * 9), fontSize * 16));
  const headingHeight = lineHeight(fontSize) + fontSize * 0.3;
  const panelHeight = headingHeight + band + plotHeight + X_AXIS_EM * fontSize + fontSize * 0.4;

  const panels: string[] = [];
  let top = fontSize * 0.5 + legend.height;
  for (const v of data.variants) {
    const pair = [
      { what: "by status", stack: v.byStatus, keys: statusKeys },
      { what: "by termination state", stack: v.byTermination, keys: terminationKeys },
    ];
    pair.forEach((p, k) => {
      const panelX = sideBySide ? k * panelWidth : 0;
      const panelTop = sideBySide ? top : top + k * panelHeight;
      const x = xOf(panelX);
      const plotTop = panelTop + headingHeight + band;
      const plotBottom = plotTop + plotHeight;
      const y = scaleLinear()
        .domain([0, maxPerSecond])
        .nice(Math.max(2, Math.floor(plotHeight / (fontSize * 2.5))))
        .range([plotBottom, plotTop]);
      // The long heading when it fits, else the part that tells the panels apart.
      const prefix = data.variants.length > 1 ? `${v.variant.name}: ` : "";
      const long = `${prefix}${data.variants.length > 1 ? "failed requests" : "Failed requests"} ${p.what}`;
      const heading =
        textWidth(long, fontSize * 1.1) <= panelWidth - fontSize * 2.2 ? long : `${prefix}${p.what}`;
      panels.push(
        el(
          "g",
          { class: "panel", "data-variant": v.variant.name, "data-by": k === 0 ? "status" : "termination" },
          panelHeading(
            heading,
            data.variants.length > 1 ? v.variant : null,
            panelX,
            panelTop,
            panelWidth,
            fontSize,
          ),
          shadedPlot(
            x,
            y,
            // A variant's panels shade its own failovers: each strategy's checks see DOWN at their own time.
            {
              axis,
              failover: data.failover.filter((w) => w.variant === v.variant.name),
              plotTop,
              plotBottom,
              fontSize,
            },
            axisLeft(y, x.range()[0]!, {
              fontSize,
              ticks: Math.max(2, Math.floor(plotHeight / (fontSize * 2.5))),
              format: formatCount,
              label: "failed (req/s)",
              gridLength: x.range()[1]! - x.range()[0]!,
              titleOffset: titleEm * fontSize,
            }),
            timeAxisSvg(x, plotBottom, fontSize),
            stackSvg(v.variant.name, p.stack, p.keys, colorOf, axis, x, y),
            markersSvg(markers, x, plotTop - band, plotBottom, fontSize),
          ),
        ),
      );
    });
    top += sideBySide ? panelHeight : 2 * panelHeight;
  }
  const key = markerKeySvg(markers, width, fontSize);
  const height = Math.ceil(top + key.height + fontSize * 0.5);
  return svgRoot(
    "errors-over-time",
    { width, height, fontSize },
    chartTitle,
    legend.draw(fontSize * 0.5),
    ...panels,
    key.draw(top),
  );
}

/**
 * The stacked areas of one panel: per key, one step-shaped path from the previous keys' top to its
 * own, bucket by bucket (one path per key rather than a rect per bucket and key: a 2000-bucket run
 * stays a handful of elements). The top edge comes first, left to right, then the bottom edge back:
 * `M x y` then `L x y`…, each bucket contributing its two corners. The crosshair tooltip gives a
 * bucket's exact counts; the path's title sums the key over the run.
 */
function stackSvg(
  variant: string,
  stack: Stack,
  keys: ReadonlyArray<string>,
  colorOf: (keys: ReadonlyArray<string>, key: string) => string,
  axis: TimeAxis,
  x: (ms: number) => number,
  y: (perSecond: number) => number,
): string {
  const byKey = new Map(stack.map((s) => [s.key, s.counts]));
  const n = axis.atMs.length;
  const below = new Array<number>(n).fill(0);
  const parts: string[] = [];
  for (const key of keys) {
    const counts = byKey.get(key);
    if (counts === undefined || !counts.some((c) => c > 0)) continue;
    const top: string[] = [];
    const bottom: string[] = [];
    let total = 0;
    axis.atMs.forEach((fromMs, i) => {
      const seconds = bucketSeconds(axis, i);
      const x0 = coord(x(fromMs));
      const x1 = coord(x(fromMs + seconds * 1000));
      const perSecond = (counts[i] ?? 0) / seconds;
      total += counts[i] ?? 0;
      top.push(`${x0} ${coord(y(below[i]! + perSecond))}`, `${x1} ${coord(y(below[i]! + perSecond))}`);
      bottom.push(`${x0} ${coord(y(below[i]!))}`, `${x1} ${coord(y(below[i]!))}`);
      below[i]! += perSecond;
    });
    const d = `M${top.join("L")}L${bottom.reverse().join("L")}Z`;
    parts.push(
      el(
        "path",
        {
          class: "stack",
          "data-series": `${variant}|${key}`,
          "data-key": key,
          "data-points": n,
          d,
          fill: colorOf(keys, key),
        },
        title(`${variant} ${key}: ${formatCount(total)} failed over the run`),
      ),
    );
  }
  return el("g", { class: "stacks" }, ...parts);
}
