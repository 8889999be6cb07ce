// A sweep's chart of one metric: x the swept parameter, a line per strategy with its 95% band, one panel per value of the other parameters.
import { format } from "d3-format";
import { scaleLinear } from "d3-scale";
import { area, line } from "d3-shape";
import { axisBottom, axisLeft, formatCount, formatShare } from "../axis.js";
import type { SweepChartView, SweepPanel, SweepPointView, SweepXAxis } from "../build-sweep.js";
import { INK } from "../palette.js";
import { coord, el, svgRoot, text, title } from "../svg.js";
import type { ChartOptions } from "../view.js";
import { legendSvg } from "./legend.js";
import { fitText, textWidth } from "./text-layout.js";

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
  const panelHeight = Math.round(
    panels.length === 1 ? Math.max(width * 0.42, fontSize * 22) : Math.max(panelWidth * 0.72, fontSize * 17),
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
  const yDomain = domainOf(panels);
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
      panelSvg(panel, chart, x, yDomain, {
        left,
        top: panelTop,
        width: panelWidth,
        height: panelHeight,
        fontSize,
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
    `data-chart="sweep-lines" data-metric="${escapeAttr(chart.key)}"`,
  );
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The y domain every panel shares (so panels compare at a glance): 0 up to the highest mean or band edge. */
function domainOf(panels: ReadonlyArray<SweepPanel>): [number, number] {
  let low = 0;
  let high = Number.NEGATIVE_INFINITY;
  for (const p of panels)
    for (const l of p.lines)
      for (const pt of l.points) {
        if (pt.mean === null) continue;
        for (const v of [pt.mean, pt.low ?? pt.mean, pt.high ?? pt.mean]) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
  if (!Number.isFinite(high)) return [0, 1];
  if (high <= low) return [low, low + 1];
  return [low, high];
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
}

function panelSvg(
  panel: SweepPanel,
  chart: SweepChartView,
  xAxis: SweepXAxis,
  yDomain: [number, number],
  box: Box,
): string {
  const { fontSize } = box;
  const titleHeight = panel.title === "" ? fontSize * 0.8 : fontSize * 2;
  const x0 = box.left + fontSize * 5.2;
  const x1 = box.left + box.width - fontSize * 1.4;
  const yTop = box.top + titleHeight;
  const yBottom = box.top + box.height - fontSize * 3.8;
  const y = scaleLinear().domain(yDomain).range([yBottom, yTop]).nice(5);
  const { scale: x, tickValues, label } = xScale(xAxis, x0, x1, fontSize);
  const xOf = (index: number) => x(xAxis.kind === "numeric" ? (xAxis.numbers?.[index] ?? 0) : index);
  const parts: string[] = [];
  if (panel.title !== "")
    parts.push(
      text(fitText(panel.title, box.width - fontSize, fontSize * 1.05), {
        class: "panel-title",
        x: (x0 + x1) / 2,
        y: box.top + fontSize * 1.3,
        "text-anchor": "middle",
        "font-weight": "bold",
        fill: INK.text,
      }),
    );
  parts.push(
    axisLeft(y, x0, {
      fontSize,
      ticks: 5,
      format: chart.unit === "ratio" ? formatShare : formatCount,
      label: chart.axisLabel,
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
          "data-mean": p.mean,
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
      "data-y-domain": `${coord(y.domain()[0] ?? 0)} ${coord(y.domain()[1] ?? 1)}`,
    },
    ...parts,
    el("g", { class: "plot" }, ...plot),
  );
}

const EMPTY: SweepPointView = { x: -1, mean: null, low: null, high: null, n: 0 };

/** The x scale of a panel: by value (padded so end points clear the frame), or evenly by index for bands. */
function xScale(
  axis: SweepXAxis,
  x0: number,
  x1: number,
  fontSize: number,
): {
  scale: ReturnType<typeof scaleLinear<number, number>>;
  tickValues: number[];
  label: (v: number) => string;
} {
  const count = axis.labels.length;
  const room = Math.max(1, Math.floor((x1 - x0) / (fontSize * 0.5)));
  if (axis.kind === "numeric" && axis.numbers !== undefined) {
    const lo = Math.min(...axis.numbers);
    const hi = Math.max(...axis.numbers);
    const pad = hi > lo ? (hi - lo) * 0.04 : Math.max(1, Math.abs(lo) * 0.1);
    const scale = scaleLinear()
      .domain([lo - pad, hi + pad])
      .range([x0, x1]);
    const widest = Math.max(...axis.numbers.map((v) => textWidth(short(v), fontSize)));
    // Each swept value labelled when they fit; else d3's round ticks over the range.
    const fits = count * (widest + fontSize) <= x1 - x0;
    const tickValues = fits
      ? [...new Set(axis.numbers)]
      : scale
          .ticks(Math.max(2, Math.floor((x1 - x0) / (widest + fontSize * 2))))
          .filter((v) => v >= lo && v <= hi);
    return { scale, tickValues, label: short };
  }
  const scale = scaleLinear()
    .domain([-0.5, count - 0.5])
    .range([x0, x1]);
  const slot = (x1 - x0) / Math.max(1, count);
  const widest = Math.max(0, ...axis.labels.map((l) => textWidth(l, fontSize)));
  // Every k-th label when they would collide (k from the widest); each cut to its slot.
  const step = Math.max(1, Math.ceil((Math.min(widest, room * fontSize) + fontSize) / slot));
  const tickValues = axis.labels.map((_, i) => i).filter((i) => i % step === 0);
  return {
    scale,
    tickValues,
    label: (i) => fitText(axis.labels[i] ?? "", slot * step - fontSize * 0.5, fontSize),
  };
}

const shortFormat = format(",~r");

/** A swept number as a tick label: `150`, `0.25`, `1,000`. */
function short(value: number): string {
  return shortFormat(Number(value.toPrecision(6)));
}

/** Four significant digits: what a tooltip calls the exact figure. */
function exact(value: number): string {
  return String(Number(value.toPrecision(4)));
}

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
