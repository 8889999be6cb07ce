// What every time chart shares, so they line up and read alike: the time scale and axis, warm-up
// and failover shading, labelled action markers (with a numbered key when labels would collide).
import { format } from "d3-format";
import { type ScaleLinear, scaleLinear } from "d3-scale";
import { axisBottom, formatSeconds } from "../axis.js";
import { INK } from "../palette.js";
import { coord, el, text, title } from "../svg.js";
import type { ActionMarker, FailoverWindow, TimeAxis } from "../view.js";

export type TimeScale = ScaleLinear<number, number>;

/** Left margin of a time chart's plot (y ticks and the y axis title), in font sizes: the same on every time chart so their plots line up. */
export const LEFT_EM = 7;
/** Right margin: room for half of the last time tick's label. */
export const RIGHT_EM = 1.5;
/** Where the y axis title sits left of the axis, in font sizes: clear of tick labels up to ~7 characters. */
export const Y_TITLE_EM = 5.6;
/** Height of the x axis under a plot (ticks, labels, title), in font sizes. */
export const X_AXIS_EM = 3.3;

/** Line height of a row of text. */
export function lineHeight(fontSize: number): number {
  return fontSize * 1.35;
}

/**
 * Roughly how wide `content` is drawn at `fontSize` (DejaVu Sans averages ~0.6 em a character;
 * a little over, so that what is laid out by this never overlaps).
 */
export function textWidth(content: string, fontSize: number): number {
  let em = 0;
  for (const c of content) em += /[A-Z@%MWmw]/.test(c) ? 0.8 : /[ .,:;|!il1()\-']/.test(c) ? 0.38 : 0.64;
  return em * fontSize;
}

/** `content` cut with an ellipsis to fit in `maxWidth` px. */
export function fitText(content: string, maxWidth: number, fontSize: number): string {
  if (textWidth(content, fontSize) <= maxWidth) return content;
  const chars = [...content];
  while (chars.length > 1 && textWidth(`${chars.join("")}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join("")}…`;
}

/** `content` cut at its start to fit (`…long/web01`): server names differ at their end. */
export function fitTextStart(content: string, maxWidth: number, fontSize: number): string {
  if (textWidth(content, fontSize) <= maxWidth) return content;
  const chars = [...content];
  while (chars.length > 1 && textWidth(`…${chars.join("")}`, fontSize) > maxWidth) chars.shift();
  return `…${chars.join("")}`;
}

/** A moment for a tooltip or a key: `7.33 s`, `0.333 s`, `0 s`. */
export function formatAtMs(atMs: number): string {
  return `${threeSignificant(atMs / 1000)} s`;
}

const threeSignificant = format(".3~r");

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
  // Each variant has its own windows, mostly on top of each other: the opacity is shared out so
  // that where they all agree the tint is one window's.
  const variants = new Set(windows.map((w) => w.variant)).size;
  const opacity = FAILOVER_OPACITY / Math.max(1, variants);
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
            `${p.what} (${w.variant}): ${formatAtMs(p.fromMs)} to ${formatAtMs(p.toMs)}${open ? " (the end of the run)" : ""}`,
          ),
        ),
      );
    }
  }
  return parts.length === 0 ? "" : el("g", { class: "failovers" }, ...parts);
}

/** Where each marker's label goes: in row `row` of the band above the plot. */
export interface PlacedMarker {
  readonly marker: ActionMarker;
  readonly index: number;
  readonly row: number;
  readonly label: string;
}

export interface MarkerLayout {
  /** Labels are numbers, explained by a key under the chart, because the texts did not fit. */
  readonly numbered: boolean;
  readonly rows: number;
  readonly placed: ReadonlyArray<PlacedMarker>;
}

/**
 * Lays out marker labels in rows above the plot so that none overlaps another: the texts
 * themselves when they fit in `maxRows` rows, else numbers (with a key, see `markerKeySvg`).
 */
export function layoutMarkers(
  actions: ReadonlyArray<ActionMarker>,
  x: TimeScale,
  fontSize: number,
  maxRows = 3,
): MarkerLayout {
  const sorted = actions
    .map((marker, index) => ({ marker, index }))
    .sort((a, b) => a.marker.atMs - b.marker.atMs || a.index - b.index);
  const texts = place(sorted, x, fontSize, (m) => m.marker.text, maxRows);
  if (texts !== null) return { numbered: false, ...texts };
  // Numbered in time order, so the key reads as a timeline.
  const numbers = new Map(sorted.map((m, i) => [m.index, String(i + 1)]));
  const placed = place(sorted, x, fontSize, (m) => numbers.get(m.index)!, Number.POSITIVE_INFINITY);
  return { numbered: true, ...placed! };
}

function place(
  sorted: ReadonlyArray<{ readonly marker: ActionMarker; readonly index: number }>,
  x: TimeScale,
  fontSize: number,
  labelOf: (m: { readonly marker: ActionMarker; readonly index: number }) => string,
  maxRows: number,
): { rows: number; placed: PlacedMarker[] } | null {
  const small = markerFontSize(fontSize);
  const rowEnds: number[] = [];
  const placed: PlacedMarker[] = [];
  const extents: Array<[number, number]> = [];
  for (const m of sorted) {
    const label = labelOf(m);
    const [from, to] = labelExtent(label, x(m.marker.atMs), x, small);
    extents.push([from, to]);
    let row = rowEnds.findIndex((end) => end + small * 0.6 <= from);
    if (row < 0) {
      if (rowEnds.length >= maxRows) return null;
      row = rowEnds.length;
      rowEnds.push(to);
    } else rowEnds[row] = to;
    placed.push({ marker: m.marker, index: m.index, row, label });
  }
  // A line runs from its label down through the rows below: a text it crosses reads as that
  // marker's. Texts must be clear of every line but those starting in a lower row; numbers are
  // narrow enough to be let through.
  if (Number.isFinite(maxRows))
    for (const [i, p] of placed.entries()) {
      const [from, to] = extents[i]!;
      for (const q of placed) {
        const lineX = x(q.marker.atMs);
        if (q !== p && q.row <= p.row && lineX > from - small * 0.2 && lineX < to + small * 0.2) return null;
      }
    }
  return { rows: rowEnds.length, placed };
}

function markerFontSize(fontSize: number): number {
  return fontSize * 0.9;
}

/** A label starts just right of its line, or ends just left of it when it would leave the plot. */
function labelExtent(label: string, lineX: number, x: TimeScale, small: number): [number, number] {
  const [, right] = x.range() as [number, number];
  const w = textWidth(label, small);
  const gap = small * 0.25;
  return lineX + gap + w <= right + small ? [lineX + gap, lineX + gap + w] : [lineX - gap - w, lineX - gap];
}

/** Height of the label band a layout needs above the plot. */
export function markerBandHeight(layout: MarkerLayout, fontSize: number): number {
  return layout.rows === 0 ? 0 : layout.rows * lineHeight(markerFontSize(fontSize)) + fontSize * 0.2;
}

/** The markers: a dashed line from its label down through the plot, `<title>` with the exact time and text. */
export function markersSvg(
  layout: MarkerLayout,
  x: TimeScale,
  bandTop: number,
  plotBottom: number,
  fontSize: number,
): string {
  const small = markerFontSize(fontSize);
  const line = lineHeight(small);
  const parts = layout.placed.map((p) => {
    const lineX = x(p.marker.atMs);
    const [from] = labelExtent(p.label, lineX, x, small);
    const baseline = bandTop + (p.row + 1) * line - small * 0.3;
    return el(
      "g",
      { class: "marker", "data-at-ms": String(p.marker.atMs), "data-action": p.marker.action },
      title(`${formatAtMs(p.marker.atMs)}: ${p.marker.text}`),
      el("line", {
        x1: lineX,
        x2: lineX,
        y1: baseline - small * 0.8,
        y2: plotBottom,
        stroke: MARKER_INK,
        "stroke-width": Math.max(1, fontSize / 12),
        "stroke-dasharray": `${coord(fontSize * 0.35)} ${coord(fontSize * 0.25)}`,
      }),
      text(p.label, {
        x: from,
        y: baseline,
        "font-size": small,
        fill: MARKER_INK,
        "font-weight": layout.numbered ? "bold" : null,
        stroke: "#ffffff",
        "stroke-width": fontSize / 5,
        "paint-order": "stroke",
      }),
    );
  });
  return el("g", { class: "markers" }, ...parts);
}

export const MARKER_INK = "#3d4451";

/** A block of text laid out under or above a chart: its height, and its SVG once given a top. */
export interface Block {
  readonly height: number;
  draw(top: number): string;
}

export const EMPTY_BLOCK: Block = { height: 0, draw: () => "" };

/** The key of numbered markers under the chart, `1  5 s  crash web02`, flowed in columns. */
export function markerKeySvg(layout: MarkerLayout, width: number, fontSize: number): Block {
  if (!layout.numbered) return EMPTY_BLOCK;
  const small = markerFontSize(fontSize);
  const entries = [...layout.placed]
    .sort((a, b) => Number(a.label) - Number(b.label))
    .map((p) => ({ number: p.label, at: formatAtMs(p.marker.atMs), text: p.marker.text }));
  // A grid: the number, the time and the text each in their own column, so the key reads as a table.
  const numberWidth = Math.max(...entries.map((e) => textWidth(e.number, small))) + small * 0.6;
  const atWidth = Math.max(...entries.map((e) => textWidth(e.at, small))) + small * 0.8;
  const textMax = Math.max(...entries.map((e) => textWidth(e.text, small)));
  const columnWidth = Math.min(numberWidth + atWidth + textMax + small * 1.5, width - fontSize);
  const items = entries.map((e) => ({
    width: columnWidth,
    draw: (x: number, y: number, maxWidth: number) =>
      text(e.number, { x, y, "font-size": small, "font-weight": "bold", fill: MARKER_INK }) +
      text(e.at, { x: x + numberWidth, y, "font-size": small, fill: INK.muted }) +
      text(fitText(e.text, maxWidth - numberWidth - atWidth - small, small), {
        x: x + numberWidth + atWidth,
        y,
        "font-size": small,
        fill: INK.text,
      }),
  }));
  return flow(items, width, fontSize, small, "marker-key");
}

/** A legend entry: a line (its dash and width), a shaded area, or a dot, then its label. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly kind: "line" | "area" | "dot";
  readonly dash?: string;
  readonly strokeWidth?: number;
  readonly opacity?: number;
  /** A line drawn over the area (the mean over its band). */
  readonly overLine?: boolean;
}

/** A legend flowed in rows across the chart's width. */
export function legendSvg(items: ReadonlyArray<LegendItem>, width: number, fontSize: number): Block {
  if (items.length === 0) return EMPTY_BLOCK;
  const swatch = fontSize * 2;
  const flowItems = items.map((item) => ({
    width: swatch + fontSize * 0.4 + textWidth(item.label, fontSize) + fontSize * 1.2,
    draw: (x: number, y: number, maxWidth: number) => {
      const mid = y - fontSize * 0.35;
      let mark: string;
      if (item.kind === "line")
        mark = el("line", {
          x1: x,
          x2: x + swatch,
          y1: mid,
          y2: mid,
          stroke: item.color,
          "stroke-width": item.strokeWidth ?? fontSize / 6,
          "stroke-dasharray": item.dash ?? null,
        });
      else if (item.kind === "area")
        mark =
          el("rect", {
            x,
            y: mid - fontSize * 0.45,
            width: swatch,
            height: fontSize * 0.9,
            fill: item.color,
            "fill-opacity": item.opacity ?? 1,
            stroke: item.opacity === undefined ? INK.axis : null,
            "stroke-width": item.opacity === undefined ? 0.5 : null,
          }) +
          (item.overLine === true
            ? el("line", {
                x1: x,
                x2: x + swatch,
                y1: mid,
                y2: mid,
                stroke: item.color,
                "stroke-width": fontSize / 6,
              })
            : "");
      else mark = el("circle", { cx: x + swatch / 2, cy: mid, r: fontSize * 0.3, fill: item.color });
      const label = fitText(item.label, maxWidth - swatch - fontSize * 0.4, fontSize);
      return mark + text(label, { x: x + swatch + fontSize * 0.4, y, fill: INK.text });
    },
  }));
  return flow(flowItems, width, fontSize, fontSize, "legend");
}

/** Items left to right, wrapping to a new row when the next does not fit in `width`. */
function flow(
  items: ReadonlyArray<{ readonly width: number; draw(x: number, y: number, maxWidth: number): string }>,
  width: number,
  fontSize: number,
  rowFontSize: number,
  className: string,
): Block {
  const left = fontSize * 0.5;
  const right = width - fontSize * 0.5;
  const line = lineHeight(rowFontSize);
  const at: { x: number; row: number; maxWidth: number }[] = [];
  let x = left;
  let row = 0;
  for (const item of items) {
    if (x > left && x + item.width > right) {
      x = left;
      row++;
    }
    at.push({ x, row, maxWidth: Math.min(item.width, right - x) });
    x += item.width;
  }
  const rows = row + 1;
  return {
    height: rows * line + fontSize * 0.3,
    draw: (top) =>
      el(
        "g",
        { class: className },
        ...items.map((item, i) => {
          const p = at[i]!;
          return item.draw(p.x, top + (p.row + 1) * line - rowFontSize * 0.3, p.maxWidth);
        }),
      ),
  };
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
