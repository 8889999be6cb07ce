// What every time chart shares, so they line up and read alike: the time scale and axis, warm-up
// and failover shading, labelled action markers (with a numbered key when labels would collide).
import { type ScaleLinear, scaleLinear } from "d3-scale";
import { axisBottom, formatSeconds } from "../axis.js";
import { INK } from "../palette.js";
import { coord, el, text, title } from "../svg.js";
import type { FailoverWindow, TimeAxis, Variant } from "../view.js";
import type { LegendItem } from "./legend.js";
import { fitText, formatAtMs, lineHeight, textWidth } from "./text-layout.js";

export { type LegendItem, legendSvg } from "./legend.js";
export {
  layoutMarkers,
  MARKER_INK,
  type MarkerLayout,
  markerBandHeight,
  markerKeySvg,
  markersSvg,
  type PlacedMarker,
} from "./markers.js";
export {
  type Block,
  EMPTY_BLOCK,
  fitText,
  fitTextStart,
  formatAtMs,
  lineHeight,
  textWidth,
} from "./text-layout.js";

export type TimeScale = ScaleLinear<number, number>;

/** Left margin of a time chart's plot (y ticks and the y axis title), in font sizes: the same on every time chart so their plots line up. */
export const LEFT_EM = 7;
/** Right margin: room for half of the last time tick's label. */
export const RIGHT_EM = 1.5;
/** Where the y axis title sits left of the axis, in font sizes: clear of tick labels up to ~7 characters. */
export const Y_TITLE_EM = 5.6;
/** Height of the x axis under a plot (ticks, labels, title), in font sizes. */
export const X_AXIS_EM = 3.3;

/** The time scale of a plot spanning [x0, x1]: the whole run, from 0 to `durationMs`. */
export function timeScale(axis: TimeAxis, x0: number, x1: number): TimeScale {
  return scaleLinear()
    .domain([0, Math.max(axis.durationMs, 1)])
    .range([x0, x1]);
}

/** The middle of bucket `i` (a value per bucket is drawn there; the last bucket may end early with the run). */
export function bucketMidMs(axis: TimeAxis, i: number): number {
  const fromMs = axis.atMs[i] ?? 0;
  return (fromMs + Math.min(fromMs + axis.bucketMs, Math.max(axis.durationMs, fromMs))) / 2;
}

/** The x axis in seconds under a plot at `y`, with grid lines `gridLength` up. */
export function timeAxisSvg(x: TimeScale, y: number, fontSize: number, gridLength?: number): string {
  const [x0, x1] = x.range() as [number, number];
  const ticks = Math.max(2, Math.floor((x1 - x0) / (fontSize * 5)));
  return axisBottom(x, y, {
    fontSize,
    tickValues: x.ticks(ticks),
    format: formatSeconds,
    label: "time (s)",
    ...(gridLength === undefined ? {} : { gridLength }),
  });
}

/** The x axis's line and vertical grid without labels: a small multiple that is not the bottom one. */
export function timeGridSvg(x: TimeScale, y: number, fontSize: number, gridLength?: number): string {
  const [x0, x1] = x.range() as [number, number];
  const ticks = x.ticks(Math.max(2, Math.floor((x1 - x0) / (fontSize * 5))));
  return el(
    "g",
    { class: "axis axis-x" },
    el("line", { x1: x0, x2: x1, y1: y, y2: y, stroke: INK.axis }),
    ...ticks.map((t) => el("line", { x1: x(t), x2: x(t), y1: y, y2: y + fontSize * 0.3, stroke: INK.axis })),
    ...(gridLength === undefined
      ? []
      : ticks.map((t) =>
          el("line", { class: "grid", x1: x(t), x2: x(t), y1: y, y2: y - gridLength, stroke: INK.grid }),
        )),
  );
}

/**
 * A plot's group: `data-x-domain`/`data-x-range` let the page and tests map times to x; extra
 * attributes (`data-y-domain`…) as given.
 */
export function plotGroup(
  x: TimeScale,
  extra: Readonly<Record<string, string | number>>,
  ...children: string[]
): string {
  const [d0, d1] = x.domain() as [number, number];
  const [r0, r1] = x.range() as [number, number];
  return el(
    "g",
    { class: "plot", "data-x-domain": `${d0} ${d1}`, "data-x-range": `${coord(r0)} ${coord(r1)}`, ...extra },
    ...children,
  );
}

/**
 * A time chart's plot with a y scale: `plotGroup` carrying the y scale's domain and range (and
 * `data-y-scale` when given), the warm-up and the failover windows shaded under what it draws.
 */
export function shadedPlot(
  x: TimeScale,
  y: { domain(): number[] },
  frame: {
    readonly axis: TimeAxis;
    readonly failover: ReadonlyArray<FailoverWindow>;
    readonly plotTop: number;
    readonly plotBottom: number;
    readonly fontSize: number;
    readonly yScale?: "log" | "linear";
  },
  ...children: string[]
): string {
  const { axis, failover, plotTop, plotBottom, fontSize, yScale } = frame;
  const [d0, d1] = y.domain() as [number, number];
  return plotGroup(
    x,
    {
      ...(yScale === undefined ? {} : { "data-y-scale": yScale }),
      "data-y-domain": `${coord(d0)} ${coord(d1)}`,
      "data-y-range": `${coord(plotBottom)} ${coord(plotTop)}`,
    },
    warmupSvg(axis, x, plotTop, plotBottom, fontSize),
    failoverSvg(failover, x, plotTop, plotBottom),
    ...children,
  );
}

/** The warm-up shaded lightly and labelled (when it is wide enough for its label). */
export function warmupSvg(
  axis: TimeAxis,
  x: TimeScale,
  yTop: number,
  yBottom: number,
  fontSize: number,
): string {
  if (!(axis.warmupMs > 0)) return "";
  const x0 = x(0);
  const x1 = x(Math.min(axis.warmupMs, axis.durationMs));
  const small = fontSize * 0.85;
  const label = "warm-up";
  const parts = [el("rect", { x: x0, y: yTop, width: x1 - x0, height: yBottom - yTop, fill: WARMUP_FILL })];
  if (textWidth(label, small) + fontSize * 0.6 <= x1 - x0)
    parts.push(
      text(label, { x: x0 + fontSize * 0.3, y: yTop + small * 1.1, "font-size": small, fill: INK.muted }),
    );
  return el(
    "g",
    { class: "warmup", "data-to-ms": String(axis.warmupMs) },
    title(`warm-up: 0 to ${formatAtMs(axis.warmupMs)}, left out of the steady-state figures`),
    ...parts,
  );
}

export const WARMUP_FILL = "#eef0f3";

/** Failover tints: from the action to DOWN (the balancer still sends it requests), then DOWN to UP. */
export const FAILOVER_FILLS = { detecting: "#f6b26b", down: "#e06666" } as const;
export const FAILOVER_OPACITY = 0.22;

/**
 * Each failover window as two translucent rects: action → DOWN, DOWN → UP (to `endMs` when that
 * never came). Several variants' windows overlap and darken where they agree.
 */
export function failoverSvg(
  windows: ReadonlyArray<FailoverWindow>,
  x: TimeScale,
  yTop: number,
  yBottom: number,
): string {
  const parts: string[] = [];
  // Each variant (and each replication of it) has its own windows, mostly on top of each other:
  // the opacity is shared out so that where they all agree the tint is one window's, and where
  // replications disagree (their checks saw the failure at different times) it fades.
  const variants = new Set(windows.map((w) => w.variant)).size;
  const replications = Math.max(1, ...windows.map((w) => w.replication ?? 1));
  const opacity = FAILOVER_OPACITY / (Math.max(1, variants) * replications);
  for (const w of windows) {
    const downMs = w.downMs ?? w.endMs;
    const phases = [
      {
        phase: "detecting",
        fromMs: w.actionMs,
        toMs: downMs,
        what: `${w.server}: failing until marked DOWN`,
      },
      ...(w.downMs === null
        ? []
        : [{ phase: "down", fromMs: w.downMs, toMs: w.upMs ?? w.endMs, what: `${w.server}: DOWN until UP` }]),
    ];
    for (const p of phases) {
      if (!(p.toMs > p.fromMs)) continue;
      const open = p.toMs === w.endMs && (p.phase === "detecting" ? w.downMs === null : w.upMs === null);
      parts.push(
        el(
          "rect",
          {
            class: "failover",
            "data-server": w.server,
            "data-variant": w.variant,
            "data-replication": w.replication === undefined ? null : String(w.replication),
            "data-phase": p.phase,
            "data-from-ms": String(p.fromMs),
            "data-to-ms": String(p.toMs),
            x: x(p.fromMs),
            y: yTop,
            width: x(p.toMs) - x(p.fromMs),
            height: yBottom - yTop,
            fill: p.phase === "detecting" ? FAILOVER_FILLS.detecting : FAILOVER_FILLS.down,
            "fill-opacity": opacity.toFixed(3),
          },
          title(
            `${p.what} (${w.variant}${w.replication === undefined ? "" : `, replication ${w.replication}, seed ${w.seed}`}): ${formatAtMs(p.fromMs)} to ${formatAtMs(p.toMs)}${open ? " (the end of the run)" : ""}`,
          ),
        ),
      );
    }
  }
  return parts.length === 0 ? "" : el("g", { class: "failovers" }, ...parts);
}

/** The legend entries of the shading a chart shows: warm-up, action → DOWN, DOWN → UP. */
export function shadingLegend(axis: TimeAxis, windows: ReadonlyArray<FailoverWindow>): LegendItem[] {
  const items: LegendItem[] = [];
  if (axis.warmupMs > 0) items.push({ label: "warm-up", color: WARMUP_FILL, kind: "area" });
  if (windows.length > 0)
    items.push({
      label: "action → DOWN",
      color: FAILOVER_FILLS.detecting,
      kind: "area",
      opacity: FAILOVER_OPACITY * 2,
    });
  if (windows.some((w) => w.downMs !== null))
    items.push({
      label: "DOWN → UP",
      color: FAILOVER_FILLS.down,
      kind: "area",
      opacity: FAILOVER_OPACITY * 2,
    });
  return items;
}

/** A panel's title: its variant's colour when there are several, then the text, cut to fit. */
export function panelHeading(
  heading: string,
  variant: Variant | null,
  panelX: number,
  panelTop: number,
  panelWidth: number,
  fontSize: number,
): string {
  const y = panelTop + lineHeight(fontSize) - fontSize * 0.2;
  const swatch = variant === null ? 0 : fontSize * 1.1;
  const x = panelX + fontSize * 0.5;
  return el(
    "g",
    { class: "panel-title" },
    variant === null
      ? ""
      : el("rect", {
          x,
          y: y - fontSize * 0.75,
          width: fontSize * 0.8,
          height: fontSize * 0.8,
          fill: variant.color,
        }),
    // Bold runs wider than `textWidth` reckons: measured as a size larger.
    text(fitText(heading, panelWidth - fontSize - swatch, fontSize * 1.1), {
      x: x + swatch,
      y,
      "font-weight": "bold",
      fill: INK.text,
    }),
  );
}
