// Laying text out without a DOM: estimated widths, cutting to fit, rows of items, times for labels.
import { format } from "d3-format";
import { el } from "../svg.js";

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

/** A block of text laid out under or above a chart: its height, and its SVG once given a top. */
export interface Block {
  readonly height: number;
  draw(top: number): string;
}

export const EMPTY_BLOCK: Block = { height: 0, draw: () => "" };

/** Items left to right, wrapping to a new row when the next does not fit in `width`. */
export function flow(
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
