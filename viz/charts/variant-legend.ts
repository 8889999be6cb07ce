// The legend of the static charts (distribution, shares): one swatch per variant, wrapped in rows.
import { INK } from "../palette.js";
import { el, text } from "../svg.js";

/** One legend entry: a filled box (a variant's colour) or a line (a reference mark such as the ideal share). */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly kind: "box" | "line";
}

/**
 * The width of `content` drawn at `fontSize`, estimated (no DOM to measure with): DejaVu Sans
 * averages about 0.6 em per character, so layouts leave room without measuring.
 */
export function textWidth(content: string, fontSize: number): number {
  return content.length * fontSize * 0.6;
}

/** Legend items laid out left to right from (x, y), wrapping within `width`; returns the SVG and its height. */
export function legend(
  items: ReadonlyArray<LegendItem>,
  box: { readonly x: number; readonly y: number; readonly width: number; readonly fontSize: number },
): { svg: string; height: number } {
  const { x, y, width, fontSize } = box;
  const rowHeight = fontSize * 1.5;
  const swatch = fontSize * 0.9;
  const parts: string[] = [];
  let cx = x;
  let row = 0;
  for (const item of items) {
    const itemWidth = swatch + fontSize * 0.4 + textWidth(item.label, fontSize) + fontSize * 1.2;
    if (cx > x && cx + itemWidth > x + width) {
      cx = x;
      row += 1;
    }
    const cy = y + row * rowHeight + rowHeight / 2;
    const mark =
      item.kind === "box"
        ? el("rect", { x: cx, y: cy - swatch / 2, width: swatch, height: swatch, fill: item.color })
        : el("line", {
            x1: cx + swatch / 2,
            x2: cx + swatch / 2,
            y1: cy - swatch / 2 - 1,
            y2: cy + swatch / 2 + 1,
            stroke: item.color,
            "stroke-width": Math.max(2, fontSize * 0.18),
          });
    parts.push(
      el(
        "g",
        { class: "legend-item" },
        mark,
        text(item.label, { x: cx + swatch + fontSize * 0.4, y: cy + fontSize * 0.35, fill: INK.text }),
      ),
    );
    cx += itemWidth;
  }
  const height = items.length === 0 ? 0 : (row + 1) * rowHeight;
  return { svg: el("g", { class: "legend" }, ...parts), height };
}
