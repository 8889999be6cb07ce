// Chart legends: entries (a line, an area or a dot, then a label) flowed in rows across the width.
import { INK } from "../palette.js";
import { el, text } from "../svg.js";
import { type Block, EMPTY_BLOCK, fitText, flow, textWidth } from "./text-layout.js";

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
