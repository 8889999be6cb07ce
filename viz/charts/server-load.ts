// In flight and queued per server over time: small multiples, one panel per server, one y scale for all.
import { scaleLinear } from "d3-scale";
import { area, line } from "d3-shape";
import { axisLeft, formatCount } from "../axis.js";
import { INK } from "../palette.js";
import { coord, el, svgRoot, text } from "../svg.js";
import type { BandSeries, ChartOptions, ServerLoad } from "../view.js";
import {
  bucketMidMs,
  fitTextStart,
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
  type TimeScale,
  textWidth,
  timeAxisSvg,
  timeGridSvg,
  timeScale,
  X_AXIS_EM,
} from "./time-frame.js";

/** Room for the one y axis title at the chart's left edge, in font sizes. */
const TITLE_EM = 1.8;

export function serverLoadChart(data: ServerLoad, o: ChartOptions): string {
  const { width, fontSize } = o;
  const { axis, servers } = data;
  const several = data.lines.length > 1;
  const dash = `${coord(fontSize * 0.5)} ${coord(fontSize * 0.3)}`;
  const strokeWidth = fontSize / 7;

  const legendItems: LegendItem[] = [];
  if (several)
    for (const l of data.lines)
      legendItems.push({
        label: l.variant.name,
        color: l.variant.color,
        kind: "line",
        strokeWidth: fontSize / 5,
      });
  const ink = several ? INK.text : (data.lines[0]?.variant.color ?? INK.text);
  legendItems.push({ label: "in flight", color: ink, kind: "line", strokeWidth });
  legendItems.push({ label: "queued (its balancer queue)", color: ink, kind: "line", strokeWidth, dash });
  const withBands = data.lines.some((l) => Object.values(l.inFlight).some((s) => s.low !== undefined));
  if (withBands)
    legendItems.push({
      label: several ? "in flight mean, 95% band" : "mean, 95% band",
      color: several ? INK.muted : ink,
      kind: "area",
      opacity: 0.25,
      overLine: true,
    });
  legendItems.push(
    ...shadingLegend(
      axis,
      data.failover.filter((w) => servers.includes(w.server)),
    ),
  );
  const legend = legendSvg(legendItems, width, fontSize);

  // As many columns as keep a panel ~22 font sizes wide; one column lines up with the other time charts.
  const columns = Math.max(1, Math.min(servers.length, Math.floor(width / (fontSize * 22))));
  const gridLeft = TITLE_EM * fontSize;
  const panelWidth = (width - gridLeft) / columns;
  const plotLeftEm = columns === 1 ? LEFT_EM - TITLE_EM : 3.6;
  const xOf = (column: number) =>
    timeScale(
      axis,
      gridLeft + column * panelWidth + plotLeftEm * fontSize,
      gridLeft + (column + 1) * panelWidth - RIGHT_EM * fontSize,
    );
  const markers = layoutMarkers(data.actions, xOf(0), fontSize, 2);
  const band = markerBandHeight(markers, fontSize);
  const plotHeight = Math.round(Math.min(Math.max(panelWidth * 0.4, fontSize * 8), fontSize * 14));
  const headingHeight = lineHeight(fontSize) + fontSize * 0.2;
  const rows = Math.ceil(servers.length / columns);
  const gridTop = fontSize * 0.5 + legend.height;
  const innerHeight = headingHeight + band + plotHeight;
  // Only the bottom panel of each column carries the time axis's labels; the others keep its grid.
  const rowHeight = innerHeight + fontSize * 1.2;
  const gridBottom = gridTop + (rows - 1) * rowHeight + innerHeight + X_AXIS_EM * fontSize;

  let maxValue = 0;
  for (const l of data.lines)
    for (const s of [...Object.values(l.inFlight), ...Object.values(l.queued)])
      for (const v of [...s.mean, ...(s.high ?? [])])
        if (Number.isFinite(v)) maxValue = Math.max(maxValue, v);
  const yTicks = Math.max(2, Math.floor(plotHeight / (fontSize * 2.2)));

  const panels = servers.map((server, index) => {
    const column = index % columns;
    const row = Math.floor(index / columns);
    const panelX = gridLeft + column * panelWidth;
    const panelTop = gridTop + row * rowHeight;
    const plotTop = panelTop + headingHeight + band;
    const plotBottom = plotTop + plotHeight;
    const x = xOf(column);
    const y = scaleLinear()
      .domain([0, maxValue > 0 ? maxValue : 1])
      .nice(yTicks)
      .range([plotBottom, plotTop]);
    const bottomOfColumn = index + columns >= servers.length;
    const series: string[] = [];
    const bands: string[] = [];
    for (const l of data.lines) {
      const drawn = [
        { what: "in flight", s: l.inFlight[server], dash: null },
        { what: "queued", s: l.queued[server], dash },
      ];
      for (const d of drawn) {
        if (d.s === undefined) continue;
        const id = `${l.variant.name}|${server} ${d.what}`;
        if (d.s.low !== undefined && d.s.high !== undefined && (!several || d.what === "in flight"))
          bands.push(bandPath(id, d.s, axis, x, y, l.variant.color));
        series.push(seriesPath(id, d.s, axis, x, y, l.variant.color, strokeWidth, d.dash));
      }
    }
    return el(
      "g",
      { class: "panel", "data-server": server },
      panelHeading(
        fitTextStart(server, panelWidth - fontSize, fontSize * 1.1),
        null,
        panelX,
        panelTop,
        panelWidth,
        fontSize,
      ),
      shadedPlot(
        x,
        y,
        // A panel shades its own server's failovers: the panel that lost its load is the one tinted.
        { axis, failover: data.failover.filter((w) => w.server === server), plotTop, plotBottom, fontSize },
        axisLeft(y, x.range()[0]!, {
          fontSize,
          ticks: yTicks,
          format: formatCount,
          gridLength: x.range()[1]! - x.range()[0]!,
        }),
        bottomOfColumn ? timeAxisSvg(x, plotBottom, fontSize) : timeGridSvg(x, plotBottom, fontSize),
        ...bands,
        ...series,
        markersSvg(markers, x, plotTop - band, plotBottom, fontSize),
      ),
    );
  });
  const cy = (gridTop + gridBottom) / 2;
  const cx = fontSize * 1.05;
  const long = "requests (time average per bucket)";
  const yTitle = text(textWidth(long, fontSize) <= gridBottom - gridTop ? long : "requests", {
    class: "axis-title",
    x: cx,
    y: cy,
    transform: `rotate(-90 ${coord(cx)} ${coord(cy)})`,
    "text-anchor": "middle",
    fill: INK.text,
  });
  const key = markerKeySvg(markers, width, fontSize);
  const height = Math.ceil(gridBottom + key.height + fontSize * 0.5);
  const names = data.lines.map((l) => l.variant.name).join(", ");
  return svgRoot(
    "server-load",
    { width, height, fontSize },
    `Requests in flight and queued per server over time${names === "" ? "" : ` (${names})`}`,
    legend.draw(fontSize * 0.5),
    yTitle,
    ...panels,
    key.draw(gridBottom),
  );
}

function seriesPath(
  id: string,
  s: BandSeries,
  axis: ServerLoad["axis"],
  x: TimeScale,
  y: (v: number) => number,
  color: string,
  strokeWidth: number,
  dash: string | null,
): string {
  const points = s.mean.map((v, i) => ({ atMs: bucketMidMs(axis, i), v }));
  const path = line<(typeof points)[number]>()
    .defined((p) => Number.isFinite(p.v))
    .x((p) => x(p.atMs))
    .y((p) => y(p.v))
    .digits(2)(points);
  return el("path", {
    class: "series",
    "data-series": id,
    "data-points": points.filter((p) => Number.isFinite(p.v)).length,
    d: path ?? "",
    fill: "none",
    stroke: color,
    "stroke-width": strokeWidth,
    "stroke-dasharray": dash,
    "stroke-linejoin": "round",
  });
}

function bandPath(
  id: string,
  s: BandSeries,
  axis: ServerLoad["axis"],
  x: TimeScale,
  y: (v: number) => number,
  color: string,
): string {
  const low = s.low ?? [];
  const high = s.high ?? [];
  const points = s.mean.map((_, i) => ({ atMs: bucketMidMs(axis, i), low: low[i], high: high[i] }));
  const path = area<(typeof points)[number]>()
    .defined((p) => Number.isFinite(p.low) && Number.isFinite(p.high))
    .x((p) => x(p.atMs))
    .y0((p) => y(Math.max(0, p.low!)))
    .y1((p) => y(p.high!))
    .digits(2)(points);
  return el("path", { class: "band", "data-series": id, d: path ?? "", fill: color, "fill-opacity": 0.15 });
}
