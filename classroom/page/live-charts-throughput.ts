// Requests per second per server over time, stacked (a crashed server's band thins to nothing while the others widen), failed requests per second as a red line; in the report's time frame (axis, markers, legend). View → SVG string, like viz/charts.
import { scaleLinear } from "d3-scale";
import { area, line, stack } from "d3-shape";
import { axisLeft, formatCount } from "../../viz/axis.js";
import {
  bucketMidMs,
  LEFT_EM,
  type LegendItem,
  layoutMarkers,
  legendSvg,
  markerBandHeight,
  markerKeySvg,
  markersSvg,
  RIGHT_EM,
  shadedPlot,
  timeAxisSvg,
  timeScale,
  X_AXIS_EM,
  Y_TITLE_EM,
} from "../../viz/charts/time-frame.js";
import { INK } from "../../viz/palette.js";
import { el, svgRoot, text, title } from "../../viz/svg.js";
import type { ChartOptions } from "../../viz/view.js";
import type { ThroughputView } from "./live-charts-view.js";

/** The failed-requests line: red, over every band. */
export const ERRORS_COLOR = "#cf222e";

export function throughputChart(view: ThroughputView, o: ChartOptions): string {
  const { width, fontSize } = o;
  const { axis } = view;
  const x = timeScale(axis, LEFT_EM * fontSize, width - RIGHT_EM * fontSize);
  const buckets = axis.atMs.length;
  const hasErrors = view.errorsPerSecond.some((v) => v > 0);
  const items: LegendItem[] = view.servers.map((s) => ({ label: s.name, color: s.color, kind: "area" }));
  if (hasErrors)
    items.push({ label: "failed", color: ERRORS_COLOR, kind: "line", strokeWidth: fontSize / 5 });
  const legend = legendSvg(items, width, fontSize);
  const markers = layoutMarkers(view.actions, x, fontSize);
  const plotTop = fontSize * 0.5 + legend.height + markerBandHeight(markers, fontSize);
  const plotHeight = Math.round(Math.min(Math.max(width * 0.22, fontSize * 12), fontSize * 24));
  const plotBottom = plotTop + plotHeight;
  const key = markerKeySvg(markers, width, fontSize);
  const height = Math.ceil(plotBottom + X_AXIS_EM * fontSize + key.height + fontSize * 0.5);

  // One row per bucket, one column per server: d3's stack puts each server's band on the previous ones.
  const rows = Array.from({ length: buckets }, (_, i) =>
    Object.fromEntries(view.servers.map((s, k) => [String(k), s.perSecond[i] ?? 0])),
  );
  const layers = stack<Record<string, number>>().keys(view.servers.map((_, k) => String(k)))(rows);
  let top = 0;
  for (let i = 0; i < buckets; i++) {
    top = Math.max(top, layers.at(-1)?.[i]?.[1] ?? 0, view.errorsPerSecond[i] ?? 0);
  }
  const ticks = Math.max(2, Math.floor(plotHeight / (fontSize * 3)));
  const y = scaleLinear()
    .domain([0, top > 0 ? top * 1.05 : 1])
    .nice(ticks)
    .range([plotBottom, plotTop]);

  const bands = layers.map((layer, k) => {
    const server = view.servers[k]!;
    const path = area<[number, number]>()
      .x((_, i) => x(bucketMidMs(axis, i)))
      .y0((d) => y(d[0]))
      .y1((d) => y(d[1]))
      .digits(2)(layer.map((d) => [d[0], d[1]] as [number, number]));
    return el(
      "path",
      {
        class: "band",
        "data-server": server.name,
        d: path ?? "",
        fill: server.color,
        "fill-opacity": 0.85,
        stroke: "#ffffff",
        "stroke-width": Math.max(0.5, fontSize / 24),
      },
      title(`${server.name}: requests per second it answered or failed`),
    );
  });
  const errors = hasErrors
    ? el("path", {
        class: "errors",
        d:
          line<number>()
            .x((_, i) => x(bucketMidMs(axis, i)))
            .y((v) => y(v))
            .digits(2)(view.errorsPerSecond.slice(0, buckets)) ?? "",
        fill: "none",
        stroke: ERRORS_COLOR,
        "stroke-width": fontSize / 5,
        "stroke-linejoin": "round",
      })
    : "";
  const yAxis = axisLeft(y, x.range()[0]!, {
    fontSize,
    tickValues: y.ticks(ticks),
    format: formatCount,
    label: "requests per second",
    gridLength: x.range()[1]! - x.range()[0]!,
    titleOffset: Y_TITLE_EM * fontSize,
  });
  const empty =
    buckets === 0
      ? text("waiting for the first second", {
          class: "empty",
          x: (x.range()[0]! + x.range()[1]!) / 2,
          y: (plotTop + plotBottom) / 2,
          "text-anchor": "middle",
          fill: INK.muted,
        })
      : "";
  const plot = shadedPlot(
    x,
    y,
    { axis, failover: [], plotTop, plotBottom, fontSize },
    yAxis,
    timeAxisSvg(x, plotBottom, fontSize),
    ...bands,
    errors,
    empty,
    markersSvg(markers, x, plotTop - markerBandHeight(markers, fontSize), plotBottom, fontSize),
  );
  return svgRoot(
    "throughput",
    { width, height, fontSize },
    "Requests per second per server, stacked, and failed requests per second",
    legend.draw(fontSize * 0.5),
    plot,
    key.draw(plotBottom + X_AXIS_EM * fontSize),
  );
}
