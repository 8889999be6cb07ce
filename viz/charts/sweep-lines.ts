// A sweep's chart of one metric: x the swept parameter, a line per strategy with its 95% band, one panel per value of the other parameters.
import { area, line } from "d3-shape";
import { axisBottom, axisLeft, formatCount, formatShare } from "../axis.js";
import type { SweepChartView, SweepPanel, SweepPointView, SweepXAxis } from "../build-sweep.js";
import { INK } from "../palette.js";
import { coord, el, escapeXml, svgRoot, text, title } from "../svg.js";
import type { ChartOptions } from "../view.js";
import { legendSvg } from "./legend.js";
import { exact, xScale, type YAxis, yAxisOf } from "./sweep-axes.js";
import { fitTextStart, textWidth } from "./text-layout.js";

/** Panels side by side at most; 3 keeps a 3×3 grid's nine panels readable on a laptop. */
const MAX_COLUMNS = 3;
/** Panels narrower than this (px at 12 px type) go on fewer columns. */
const MIN_PANEL_WIDTH = 26;

/** The chart of `chart` (`data-chart="sweep-lines"`, `data-metric` its key): a complete `<svg>`. */
export function sweepLinesChart(chart: SweepChartView, x: SweepXAxis, o: ChartOptions): string {
  const { width, fontSize } = o;
  const panels = chart.panels;
  const columns = Math.max(
    1,
    Math.min(MAX_COLUMNS, panels.length, Math.floor(width / (MIN_PANEL_WIDTH * fontSize))),
  );
  const rows = Math.ceil(panels.length / columns);
  const panelWidth = width / columns;
  // Titles that do not fit on one line are written one parameter a line, in every panel alike.
  const titleLines = panels.some((p) => textWidth(p.title, fontSize * 1.05) > panelWidth - fontSize)
    ? Math.max(1, ...panels.map((p) => p.titleParts.length))
    : 1;
  const panelHeight = Math.round(
    panels.length === 1
      ? Math.max(width * 0.42, fontSize * 22)
      : Math.max(panelWidth * 0.85, fontSize * 20) + (titleLines - 1) * fontSize * 1.35,
  );
  const variants = panels[0]?.lines.map((l) => l.variant) ?? [];
  const legend = legendSvg(
    variants.map((v) =>
      chart.banded
        ? { label: v.name, color: v.color, kind: "area" as const, opacity: 0.18, overLine: true }
        : {
            label: v.name,
            color: v.color,
            kind: "line" as const,
            strokeWidth: Math.max(1.5, fontSize * 0.16),
          },
    ),
    width,
    fontSize,
  );
  const note = chart.note === undefined ? "" : chart.note;
  const noteHeight = note === "" ? 0 : fontSize * 1.4;
  const top = legend.height + noteHeight;
  const yAxis = yAxisOf(panels, chart.unit);
  const parts: string[] = [legend.draw(0)];
  if (note !== "")
    parts.push(
      text(note, {
        class: "note",
        x: fontSize * 0.5,
        y: legend.height + fontSize,
        fill: INK.muted,
        "font-style": "italic",
      }),
    );
  panels.forEach((panel, index) => {
    const left = (index % columns) * panelWidth;
    const panelTop = top + Math.floor(index / columns) * panelHeight;
    parts.push(
      panelSvg(panel, chart, x, yAxis, {
        left,
        top: panelTop,
        width: panelWidth,
        height: panelHeight,
        fontSize,
        first: index % columns === 0,
        titleLines,
      }),
    );
  });
  const height = Math.ceil(top + rows * panelHeight);
  const root = svgRoot(
    "sweep-lines",
    { width, height, fontSize },
    `${chart.title} against ${x.path}`,
    ...parts,
  );
  return root.replace(
    'data-chart="sweep-lines"',
    `data-chart="sweep-lines" data-metric="${escapeXml(chart.key)}"`,
  );
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
  /** The first panel of its row: it carries the y axis's title. */
  readonly first: boolean;
  /** Lines of the panel's title: 1, or one per other parameter. */
  readonly titleLines: number;
}

/** `p99 latency (ms)` → `p99 latency (ms, log scale)`. */
function logLabel(label: string): string {
  return label.endsWith(")") ? `${label.slice(0, -1)}, log scale)` : `${label} (log scale)`;
}

function panelSvg(
  panel: SweepPanel,
  chart: SweepChartView,
  xAxis: SweepXAxis,
  yAxis: YAxis,
  box: Box,
): string {
  const { fontSize } = box;
  const titleHeight = panel.title === "" ? fontSize * 0.8 : fontSize * (0.65 + 1.35 * box.titleLines);
  const x0 = box.left + fontSize * 5.2;
  const x1 = box.left + box.width - fontSize * 1.4;
  const yTop = box.top + titleHeight;
  const yBottom = box.top + box.height - fontSize * 3.8;
  const scale = yAxis.make([yBottom, yTop]);
  const y = (v: number) => scale(yAxis.at(v));
  const { scale: x, tickValues, label } = xScale(xAxis, x0, x1, fontSize);
  const xOf = (index: number) => x(xAxis.kind === "numeric" ? (xAxis.numbers?.[index] ?? 0) : index);
  const parts: string[] = [];
  const titleText = box.titleLines === 1 ? [panel.title] : panel.titleParts;
  titleText.forEach((line, k) => {
    if (line === "") return;
    parts.push(
      // Cut at the start when too long: paths differ at their end (`…old03.speed = 0.3`).
      text(fitTextStart(line, box.width - fontSize, fontSize * 1.05), {
        class: "panel-title",
        x: (x0 + x1) / 2,
        y: box.top + fontSize * (1.3 + 1.35 * k),
        "text-anchor": "middle",
        "font-weight": "bold",
        fill: INK.text,
      }),
    );
  });
  parts.push(
    axisLeft(scale, x0, {
      fontSize,
      ...(yAxis.ticks === undefined ? { ticks: 5 } : { tickValues: yAxis.ticks }),
      format: chart.unit === "ratio" ? formatShare : formatCount,
      // Small multiples: the y title once per row, on its first panel (they share the axis).
      ...(box.first ? { label: yAxis.log ? logLabel(chart.axisLabel) : chart.axisLabel } : {}),
      gridLength: x1 - x0,
      titleOffset: fontSize * 4.4,
    }),
    axisBottom(x, yBottom, {
      fontSize,
      tickValues,
      format: label,
      label: xAxis.unit === undefined || xAxis.unit === "" ? xAxis.path : `${xAxis.path} (${xAxis.unit})`,
      gridLength: yBottom - yTop,
    }),
  );
  const strokeWidth = Math.max(1.5, fontSize * 0.16);
  const radius = Math.max(2.5, fontSize * 0.26);
  const plot: string[] = [];
  const drawn = (p: SweepPointView) => p.mean !== null;
  const banded = (p: SweepPointView) => p.mean !== null && p.low !== null && p.high !== null;
  for (const l of panel.lines) {
    const series = l.variant.name;
    const pts = l.points;
    const band = area<SweepPointView>()
      .defined(banded)
      .x((p) => xOf(p.x))
      .y0((p) => y(p.low as number))
      .y1((p) => y(p.high as number));
    if (pts.some(banded))
      plot.push(
        el("path", {
          class: "band",
          "data-series": series,
          d: band(pts) ?? "",
          fill: l.variant.color,
          "fill-opacity": 0.16,
          stroke: "none",
        }),
      );
    // A banded point without a banded neighbour has no area around it: a whisker shows its interval.
    pts.forEach((p, i) => {
      if (!banded(p) || banded(pts[i - 1] ?? EMPTY) || banded(pts[i + 1] ?? EMPTY)) return;
      plot.push(
        el("line", {
          class: "whisker",
          "data-series": series,
          x1: xOf(p.x),
          x2: xOf(p.x),
          y1: y(p.low as number),
          y2: y(p.high as number),
          stroke: l.variant.color,
          "stroke-width": strokeWidth,
          "stroke-opacity": 0.5,
        }),
      );
    });
    const path = line<SweepPointView>()
      .defined(drawn)
      .x((p) => xOf(p.x))
      .y((p) => y(p.mean as number));
    plot.push(
      el("path", {
        class: "series",
        "data-series": series,
        d: path(pts) ?? "",
        fill: "none",
        stroke: l.variant.color,
        "stroke-width": strokeWidth,
      }),
    );
  }
  // Points over every line and band, hit areas over everything: the pointer finds each point.
  for (const l of panel.lines) {
    for (const p of l.points) {
      if (p.mean === null) continue;
      const cx = xOf(p.x);
      const cy = y(p.mean);
      plot.push(
        el("circle", {
          class: "point",
          "data-series": l.variant.name,
          "data-x": xAxis.labels[p.x] ?? "",
          "data-mean": String(Number(p.mean.toPrecision(7))),
          cx,
          cy,
          r: radius,
          fill: l.variant.color,
          stroke: "#ffffff",
          "stroke-width": 1,
        }),
      );
    }
  }
  for (const l of panel.lines)
    for (const p of l.points) {
      if (p.mean === null) continue;
      plot.push(
        el(
          "circle",
          { class: "hit", cx: xOf(p.x), cy: y(p.mean), r: fontSize * 0.75, fill: "transparent" },
          title(pointText(l.variant.name, p, chart, xAxis, panel.title)),
        ),
      );
    }
  return el(
    "g",
    {
      class: "panel",
      "data-panel": panel.title,
      "data-y-domain": `${scale.domain()[0] ?? 0} ${scale.domain()[1] ?? 1}`,
      "data-y-range": `${coord(yBottom)} ${coord(yTop)}`,
      "data-y-scale": yAxis.log ? "log" : "linear",
    },
    ...parts,
    el("g", { class: "plot" }, ...plot),
  );
}

const EMPTY: SweepPointView = { x: -1, mean: null, low: null, high: null, n: 0 };

/** A figure in its unit: `21.3 ms`, `1.25%`, `150/s`, `4`. */
export function figureText(unit: string, value: number): string {
  switch (unit) {
    case "ms":
      return `${exact(value)} ms`;
    case "ratio":
      return `${exact(value * 100)}%`;
    case "per-s":
      return `${exact(value)}/s`;
    default:
      return exact(value);
  }
}

/**
 * A point's tooltip: where it is (strategy, x value, panel), then the mean ± the 95% half-width,
 * the interval, and n, the replications behind it.
 */
export function pointText(
  strategy: string,
  p: SweepPointView,
  chart: Pick<SweepChartView, "title" | "unit">,
  axis: Pick<SweepXAxis, "path" | "labels">,
  panel: string,
): string {
  const where = `${strategy} · ${axis.path} = ${axis.labels[p.x] ?? ""}${panel === "" ? "" : `, ${panel}`}`;
  if (p.mean === null) return `${where}\n${chart.title}: no data`;
  const replications = `n = ${p.n}`;
  if (p.low === null || p.high === null)
    return `${where}\n${chart.title}: ${figureText(chart.unit, p.mean)} (${replications}, no interval)`;
  const half = (p.high - p.low) / 2;
  return (
    `${where}\n${chart.title}: ${figureText(chart.unit, p.mean)} ± ${figureText(chart.unit, half)}` +
    ` (95%: ${figureText(chart.unit, p.low)} to ${figureText(chart.unit, p.high)}), ${replications}`
  );
}
