// Action markers on a time plot: labels laid out in rows (numbers with a key when texts do not fit), dashed lines.
import { INK } from "../palette.js";
import { coord, el, text, title } from "../svg.js";
import type { ActionMarker } from "../view.js";
import { type Block, EMPTY_BLOCK, fitText, flow, formatAtMs, lineHeight, textWidth } from "./text-layout.js";
import type { TimeScale } from "./time-frame.js";

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
