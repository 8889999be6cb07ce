// Latency percentiles over time: p50/p90/p99 per variant, bands with replications, log axis when wide.
import { type ScaleContinuousNumeric, scaleLinear, scaleLog } from "d3-scale";
import { area, line } from "d3-shape";
import { axisLeft, formatMs, logTicks } from "../axis.js";
import { INK } from "../palette.js";
import { coord, el, svgRoot, text } from "../svg.js";
import type { BandSeries, ChartOptions, LatencyOverTime } from "../view.js";
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
  shadingLegend,
  timeAxisSvg,
  timeScale,
  X_AXIS_EM,
  Y_TITLE_EM,
} from "./time-frame.js";

/** Above this ratio of the largest drawn latency to the smallest, the y axis is logarithmic. */
export const LOG_RATIO = 50;

const PERCENTILES = ["p50", "p90", "p99"] as const;
type Percentile = (typeof PERCENTILES)[number];

/** Percentiles told apart by stroke: p99 (the tail the reader looks for first) solid and thick, p90 dashed, p50 dotted. */
function percentileStroke(p: Percentile, fontSize: number): { width: number; dash: string | undefined } {
  const k = fontSize / 12;
  if (p === "p99") return { width: 2.2 * k, dash: undefined };
  if (p === "p90") return { width: 1.6 * k, dash: `${coord(7 * k)} ${coord(3.5 * k)}` };
  return { width: 1.6 * k, dash: `${coord(1.5 * k)} ${coord(3 * k)}` };
}

/**
 * A bucket where no request finished has latency 0: it is left out (a gap in the line), never
 * drawn as a drop to 0, on a linear axis as on a log one.
 */
function drawn(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/** A percentile's series with the buckets where no request finished (when the view says so) read as 0: gaps. */
function withoutEmptyBuckets(series: BandSeries, requests: BandSeries | undefined): BandSeries {
  if (requests === undefined) return series;
  return { ...series, mean: series.mean.map((v, i) => ((requests.mean[i] ?? 0) > 0 ? v : 0)) };
}

export function latencyOverTimeChart(view: LatencyOverTime, o: ChartOptions): string {
  const data: LatencyOverTime = {
    ...view,
    lines: view.lines.map((l) => ({
      ...l,
      p50: withoutEmptyBuckets(l.p50, l.requests),
      p90: withoutEmptyBuckets(l.p90, l.requests),
      p99: withoutEmptyBuckets(l.p99, l.requests),
    })),
  };
  const { width, fontSize } = o;
  const { axis } = data;
  const x = timeScale(axis, LEFT_EM * fontSize, width - RIGHT_EM * fontSize);
  const withBands = data.lines.some((l) => PERCENTILES.some((p) => l[p].low !== undefined));

  const legendItems: LegendItem[] = [];
  const several = data.lines.length > 1;
  if (several)
    for (const l of data.lines)
      legendItems.push({
        label: l.variant.name,
        color: l.variant.color,
        kind: "line",
        strokeWidth: fontSize / 5,
      });
  for (const p of PERCENTILES) {
    const s = percentileStroke(p, fontSize);
    legendItems.push({
      label: several ? p : `${data.lines[0]?.variant.name ?? ""} ${p}`.trim(),
      color: several ? INK.text : (data.lines[0]?.variant.color ?? INK.text),
      kind: "line",
      strokeWidth: s.width,
      ...(s.dash === undefined ? {} : { dash: s.dash }),
    });
  }
  if (withBands)
    legendItems.push({
      label: several ? "p99 mean, 95% band" : "mean, 95% band",
      color: several ? INK.muted : (data.lines[0]?.variant.color ?? INK.text),
      kind: "area",
      opacity: 0.25,
      overLine: true,
    });
  legendItems.push(...shadingLegend(axis, data.failover));
  const legend = legendSvg(legendItems, width, fontSize);

  const markers = layoutMarkers(data.actions, x, fontSize);
  const plotTop = fontSize * 0.5 + legend.height + markerBandHeight(markers, fontSize);
  const plotHeight = Math.round(Math.min(Math.max(width * 0.3, fontSize * 15), fontSize * 30));
  const plotBottom = plotTop + plotHeight;
  const key = markerKeySvg(markers, width, fontSize);
  const height = Math.ceil(plotBottom + X_AXIS_EM * fontSize + key.height + fontSize * 0.5);

  // The y scale covers every drawn value, bands included.
  const values: number[] = [];
  for (const l of data.lines)
    for (const p of PERCENTILES) {
      const s = l[p];
      s.mean.forEach((v, i) => {
        if (!drawn(v)) return;
        values.push(v);
        const high = s.high?.[i];
        const low = s.low?.[i];
        if (drawn(high)) values.push(high);
        if (drawn(low)) values.push(low);
      });
    }
  const minMs = values.length === 0 ? 1 : Math.min(...values);
  const maxMs = values.length === 0 ? 1 : Math.max(...values);
  const log = maxMs / minMs > LOG_RATIO;
  let y: ScaleContinuousNumeric<number, number>;
  let tickValues: number[];
  if (log) {
    y = scaleLog()
      .domain([minMs / 1.15, maxMs * 1.15])
      .range([plotBottom, plotTop]);
    tickValues = logTicks(minMs / 1.15, maxMs * 1.15);
  } else {
    y = scaleLinear()
      .domain([0, maxMs * 1.05])
      .nice(Math.max(2, Math.floor(plotHeight / (fontSize * 3))))
      .range([plotBottom, plotTop]);
    tickValues = y.ticks(Math.max(2, Math.floor(plotHeight / (fontSize * 3))));
  }
  const [yLow] = y.domain() as [number, number];
  const clampLow = (v: number) => (log ? Math.max(v, yLow) : Math.max(v, 0));

  const bands: string[] = [];
  const lines: string[] = [];
  for (const l of data.lines) {
    for (const p of PERCENTILES) {
      const s: BandSeries = l[p];
      const points = s.mean.map((v, i) => ({ i, atMs: bucketMidMs(axis, i), v }));
      const defined = points.filter((pt) => drawn(pt.v));
      const series = `${l.variant.name}|${p}`;
      // With several variants, nine bands would hide each other: only p99's (the tail) is drawn.
      if (s.low !== undefined && s.high !== undefined && (!several || p === "p99")) {
        const low = s.low;
        const high = s.high;
        const bandPath = area<(typeof points)[number]>()
          .defined((pt) => drawn(pt.v) && Number.isFinite(low[pt.i]) && Number.isFinite(high[pt.i]))
          .x((pt) => x(pt.atMs))
          .y0((pt) => y(clampLow(low[pt.i]!)))
          .y1((pt) => y(clampLow(high[pt.i]!)))
          .digits(2)(points);
        if (bandPath !== null)
          bands.push(
            el("path", {
              class: "band",
              "data-series": series,
              d: bandPath,
              fill: l.variant.color,
              "fill-opacity": p === "p99" ? 0.2 : 0.12,
              stroke: "none",
            }),
          );
      }
      const stroke = percentileStroke(p, fontSize);
      const path = line<(typeof points)[number]>()
        .defined((pt) => drawn(pt.v))
        .x((pt) => x(pt.atMs))
        .y((pt) => y(pt.v))
        .digits(2)(points);
      lines.push(
        el("path", {
          class: "series",
          "data-series": series,
          "data-points": defined.length,
          d: path ?? "",
          fill: "none",
          stroke: l.variant.color,
          "stroke-width": stroke.width,
          "stroke-dasharray": stroke.dash ?? null,
          "stroke-linecap": "round",
          "stroke-linejoin": "round",
        }),
      );
      // A bucket with data between two without is a line of no length, invisible: a dot shows it.
      for (const pt of defined)
        if (!drawn(s.mean[pt.i - 1]) && !drawn(s.mean[pt.i + 1]))
          lines.push(
            el("circle", {
              class: "lone-point",
              "data-series": series,
              cx: x(pt.atMs),
              cy: y(pt.v),
              r: stroke.width * 1.2,
              fill: l.variant.color,
            }),
          );
    }
  }

  const empty =
    values.length === 0
      ? text("no request finished", {
          class: "empty",
          x: (x.range()[0]! + x.range()[1]!) / 2,
          y: (plotTop + plotBottom) / 2,
          "text-anchor": "middle",
          fill: INK.muted,
        })
      : "";
  const yAxis = axisLeft(y, x.range()[0]!, {
    fontSize,
    tickValues,
    format: formatMs,
    label: log ? "latency (ms, log scale)" : "latency (ms)",
    gridLength: x.range()[1]! - x.range()[0]!,
    titleOffset: Y_TITLE_EM * fontSize,
  });
  const plot = shadedPlot(
    x,
    y,
    { axis, failover: data.failover, plotTop, plotBottom, fontSize, yScale: log ? "log" : "linear" },
    yAxis,
    timeAxisSvg(x, plotBottom, fontSize),
    ...bands,
    ...lines,
    empty,
    markersSvg(markers, x, plotTop - markerBandHeight(markers, fontSize), plotBottom, fontSize),
  );
  const names = data.lines.map((l) => l.variant.name).join(", ");
  return svgRoot(
    "latency-over-time",
    { width, height, fontSize },
    `Latency over time: p50, p90 and p99${names === "" ? "" : ` of ${names}`}`,
    legend.draw(fontSize * 0.5),
    plot,
    key.draw(plotBottom + X_AXIS_EM * fontSize),
  );
}
