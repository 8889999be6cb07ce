// The latency distribution on HdrHistogram's "nines" axis: one line per variant, its band, the max at the edge.
import { format } from "d3-format";
import { type ScaleContinuousNumeric, scaleLinear, scaleLog } from "d3-scale";
import { area, line } from "d3-shape";
import { axisBottom, axisLeft, formatCount, formatMs, logTicks } from "../axis.js";
import { INK } from "../palette.js";
import { coord, el, svgRoot, text, title } from "../svg.js";
import type { ChartOptions, Distribution } from "../view.js";
import { legend, textWidth } from "./variant-legend.js";

/**
 * Where percentile `p` sits on the nines axis: −log10(1 − p/100), so 90% is 1 decade, 99% is 2,
 * 99.9% is 3. The tail, where load balancers differ, gets as much room as the body. 100 is infinite.
 */
export function nines(percentile: number): number {
  return -Math.log10(1 - percentile / 100);
}

/** The label of the tick `decades` nines in: 0%, 90%, 99%, 99.9%… */
export function ninesLabel(decades: number): string {
  if (decades === 0) return "0%";
  if (decades === 1) return "90%";
  return `99${decades > 2 ? `.${"9".repeat(decades - 2)}` : ""}%`;
}

/** Latency spread wider than this (max/min) is drawn on a log scale, so that p50 and p99.9 both read. */
export const LOG_SCALE_RATIO = 50;

const percentileText = format("~g");

/** The last labelled tick: 99.999%, as HdrHistogram's plotter goes. */
const MAX_TICK_DECADES = 5;

/** The distribution chart (`data-chart="distribution"`). */
export function distributionChart(data: Distribution, o: ChartOptions): string {
  const { width, fontSize } = o;
  const height = Math.round(Math.max(width * 0.5, fontSize * 22));
  const variantCount = data.lines.length;
  const legendBox =
    variantCount > 1
      ? legend(
          data.lines.map((l) => ({ label: l.variant.name, color: l.variant.color, kind: "box" as const })),
          { x: fontSize * 5.5, y: fontSize * 0.3, width: width - fontSize * 6.5, fontSize },
        )
      : { svg: "", height: 0 };

  // The max of each line sits in its own column right of the plot, labelled with its value.
  const maxLabels = data.lines.map((l) => formatMs(l.valuesMs[l.valuesMs.length - 1] ?? 0));
  const maxLabelWidth = Math.max(textWidth("max", fontSize), ...maxLabels.map((s) => textWidth(s, fontSize)));
  const margin = {
    top: legendBox.height + fontSize * 2,
    right: fontSize * 2.2 + maxLabelWidth,
    bottom: fontSize * 3.6,
    left: fontSize * 5.5,
  };
  const x0 = margin.left;
  const x1 = width - margin.right;
  const yBottom = height - margin.bottom;
  const yTop = margin.top;
  const maxX = x1 + fontSize * 1.2;

  // The x domain reaches the last percentile below 100 any line has, and its decade ticks.
  let reach = 1;
  for (const l of data.lines) for (const p of l.percentiles) if (p < 100) reach = Math.max(reach, nines(p));
  const x = scaleLinear().domain([0, reach]).range([x0, x1]);
  // Decade ticks up to 99.999% as far as the data reaches; labels thinned when they would collide.
  const lastDecade = Math.min(MAX_TICK_DECADES, Math.floor(reach + 1e-9));
  const decades = thinnedDecades(lastDecade, x(1) - x(0), fontSize);

  const y = latencyScale(data, [yBottom, yTop]);
  const yTicks = y.log ? logTicks(...(y.scale.domain() as [number, number])) : undefined;

  const parts: string[] = [legendBox.svg];
  parts.push(
    axisLeft(y.scale, x0, {
      fontSize,
      ...(yTicks ? { tickValues: yTicks } : { ticks: 5 }),
      format: formatCount,
      label: "latency (ms)",
      gridLength: x1 - x0,
    }),
    axisBottom(x, yBottom, {
      fontSize,
      tickValues: decades,
      format: ninesLabel,
      label: "percentile",
      gridLength: yBottom - yTop,
    }),
    // The "max" column, past the end of the nines axis: headed like the reference lines.
    text("max", { x: maxX, y: yTop - fontSize * 0.4, "text-anchor": "middle", fill: INK.muted }),
  );

  // Reference lines at p50 and p99, labelled above the plot.
  for (const p of [50, 99]) {
    const rx = x(nines(p));
    parts.push(
      el(
        "g",
        { class: "reference", "data-percentile": p },
        el("line", {
          x1: rx,
          x2: rx,
          y1: yTop,
          y2: yBottom,
          stroke: INK.muted,
          "stroke-dasharray": `${coord(fontSize * 0.4)} ${coord(fontSize * 0.3)}`,
        }),
        text(`p${p}`, { x: rx, y: yTop - fontSize * 0.4, "text-anchor": "middle", fill: INK.muted }),
      ),
    );
  }

  const plot: string[] = [];
  const strokeWidth = Math.max(1.5, fontSize * 0.16);
  const radius = Math.max(2, fontSize * 0.22);
  const maxDots: { cy: number; label: string; color: string; dot: string }[] = [];
  data.lines.forEach((l, lineIndex) => {
    const name = l.variant.name;
    const series = `${name}|latency`;
    const indices = l.percentiles.map((p, i) => (p < 100 ? i : -1)).filter((i) => i >= 0);
    const px = (i: number) => x(nines(l.percentiles[i]!));
    if (l.lowMs && l.highMs) {
      const low = l.lowMs;
      const high = l.highMs;
      const band = area<number>()
        .x(px)
        .y0((i) => y.at(low[i]!))
        .y1((i) => y.at(high[i]!));
      plot.push(
        el("path", {
          class: "band",
          "data-series": series,
          d: band(indices) ?? "",
          fill: l.variant.color,
          "fill-opacity": 0.18,
          stroke: "none",
        }),
      );
    }
    const path = line<number>()
      .x(px)
      .y((i) => y.at(l.valuesMs[i]!));
    plot.push(
      el("path", {
        class: "series",
        "data-series": series,
        "data-points": indices.length,
        d: path(indices) ?? "",
        fill: "none",
        stroke: l.variant.color,
        "stroke-width": strokeWidth,
      }),
    );
    const dots = indices.map((i) =>
      el(
        "circle",
        {
          class: y.below(l.valuesMs[i]!) ? "point off-scale" : "point",
          "data-series": series,
          "data-percentile": l.percentiles[i]!,
          cx: px(i),
          cy: y.at(l.valuesMs[i]!),
          r: radius,
          // A point below the log axis's floor sits on it, hollow: its title gives the value.
          fill: y.below(l.valuesMs[i]!) ? "#ffffff" : l.variant.color,
          stroke: y.below(l.valuesMs[i]!) ? l.variant.color : null,
          "stroke-width": y.below(l.valuesMs[i]!) ? Math.max(1, fontSize * 0.1) : null,
        },
        title(
          pointText(name, l.percentiles[i]!, l.valuesMs[i]!, l.lowMs?.[i], l.highMs?.[i]) +
            (y.below(l.valuesMs[i]!) ? " (below the axis)" : ""),
        ),
      ),
    );
    plot.push(el("g", { class: "points", "data-series": series }, ...dots));
    const last = l.percentiles.length - 1;
    if (last >= 0 && l.percentiles[last] === 100) {
      const maxMs = l.valuesMs[last]!;
      const cy = y.at(maxMs);
      maxDots.push({
        cy,
        label: maxLabels[lineIndex]!,
        color: l.variant.color,
        dot: el(
          "circle",
          {
            class: "point max",
            "data-series": series,
            "data-percentile": 100,
            cx: maxX,
            cy,
            r: radius * 1.4,
            fill: l.variant.color,
          },
          title(pointText(name, 100, maxMs, l.lowMs?.[last], l.highMs?.[last])),
        ),
      });
    }
  });

  // Max labels: beside their dots, nudged apart so that equal maxima stay legible.
  const sorted = [...maxDots].sort((a, b) => a.cy - b.cy);
  let previous = Number.NEGATIVE_INFINITY;
  for (const m of sorted) {
    const labelY = Math.max(m.cy + fontSize * 0.35, previous + fontSize * 1.1);
    previous = labelY;
    plot.push(
      el("g", { class: "max" }, m.dot, text(m.label, { x: maxX + fontSize * 0.6, y: labelY, fill: m.color })),
    );
  }

  parts.push(
    el(
      "g",
      {
        class: "plot",
        "data-x-domain": `0 ${coord(reach)}`,
        "data-x-range": `${coord(x0)} ${coord(x1)}`,
        "data-y-scale": y.log ? "log" : "linear",
      },
      ...plot,
    ),
  );
  return svgRoot(
    "distribution",
    { width, height, fontSize },
    variantCount > 1
      ? `Latency distribution by percentile: ${data.lines.map((l) => l.variant.name).join(", ")}`
      : "Latency distribution by percentile",
    ...parts,
  );
}

/** Decades 0..last, every `step`th with the smallest step whose neighbouring labels do not touch. */
function thinnedDecades(last: number, decadeWidth: number, fontSize: number): number[] {
  for (let step = 1; ; step++) {
    const ticks: number[] = [];
    for (let d = 0; d <= last; d += step) ticks.push(d);
    const fits = ticks.every(
      (d, i) =>
        i === 0 ||
        decadeWidth * step >=
          (textWidth(ninesLabel(ticks[i - 1]!), fontSize) + textWidth(ninesLabel(d), fontSize)) / 2 +
            fontSize * 0.5,
    );
    if (fits || step >= last) return ticks;
  }
}

/** The exact value a pointer over a point shows: `leastconn: p99.9 = 21.7 ms`. */
function pointText(
  variant: string,
  percentile: number,
  valueMs: number,
  lowMs?: number,
  highMs?: number,
): string {
  const name = percentile === 100 ? "max" : `p${percentileText(percentile)}`;
  const band =
    lowMs !== undefined && highMs !== undefined ? ` (95% CI ${formatMs(lowMs)} – ${formatMs(highMs)})` : "";
  return `${variant}: ${name} = ${formatMs(valueMs)}${band}`;
}

/** Percentiles from which the log scale's floor is chosen: below p10 is the fastest tenth, ever closer to 0. */
const FLOOR_PERCENTILE = 10;

/**
 * The y scale: log when the spread is wide, linear from 0 otherwise. The spread and the log floor
 * are read from p10 up: the minimum (p0) of a service time is often near 0 and would spend
 * decades of the axis on the fastest few requests; below the floor, points sit on it (`below`).
 */
function latencyScale(
  data: Distribution,
  range: [number, number],
): {
  scale: ScaleContinuousNumeric<number, number>;
  log: boolean;
  at: (ms: number) => number;
  below: (ms: number) => boolean;
} {
  const all: number[] = [];
  const body: number[] = [];
  for (const l of data.lines)
    l.percentiles.forEach((p, i) => {
      const values = [l.valuesMs[i], l.lowMs?.[i], l.highMs?.[i]].filter(
        (v): v is number => v !== undefined && Number.isFinite(v),
      );
      all.push(...values);
      if (p >= FLOOR_PERCENTILE) body.push(...values);
    });
  const maxMs = Math.max(0, ...all);
  const positive = (body.length > 0 ? body : all).filter((v) => v > 0);
  const minPositive = positive.length > 0 ? Math.min(...positive) : 0;
  if (minPositive > 0 && maxMs / minPositive > LOG_SCALE_RATIO) {
    const low = 10 ** Math.floor(Math.log10(minPositive));
    const high = 10 ** Math.ceil(Math.log10(maxMs));
    const scale = scaleLog().domain([low, high]).range(range).clamp(true);
    return { scale, log: true, at: (ms) => scale(Math.max(ms, low)), below: (ms) => ms < low };
  }
  const scale = scaleLinear()
    .domain([0, maxMs > 0 ? maxMs : 1])
    .nice()
    .range(range);
  return { scale, log: false, at: (ms) => scale(ms), below: () => false };
}
