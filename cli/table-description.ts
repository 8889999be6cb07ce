// A scenario's description as the tables show it: wrapped to a width, dimmed on a terminal.
import type { Paint } from "./table-paint.js";

/**
 * Words wrapped into lines of at most `width` columns (a longer word gets a line of its own).
 * Blank lines separate paragraphs and are kept; a line starting a list item (`- `, `* `, `1. `)
 * starts a new line; other line breaks (a YAML `|` block's own wrapping) are re-flowed.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  const paragraphs = text.trim().split(/\n\s*\n/);
  paragraphs.forEach((paragraph, p) => {
    if (p > 0) out.push("");
    const items: string[] = [];
    for (const line of paragraph.split("\n")) {
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (items.length === 0 || /^([-*]|\d+[.)])\s/.test(trimmed)) items.push(trimmed);
      else items[items.length - 1] += ` ${trimmed}`;
    }
    for (const item of items) out.push(...wrapWords(item, width));
  });
  return out;
}

function wrapWords(text: string, width: number): string[] {
  // A list item's continuation lines hang under its text, not under its marker.
  const marker = /^([-*]|\d+[.)])\s+/.exec(text)?.[0] ?? "";
  const indent = " ".repeat(marker.length);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    const lead = lines.length === 0 || line !== "" ? "" : indent;
    if (line === "") line = lead + word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * The description's lines for the top of a table (`lbsim run`, and `lbsim compare` when its layout
 * takes it), each painted with `paint` (dim on a terminal); none when the scenario has no description.
 */
export function descriptionLines(description: string | undefined, width: number, paint: Paint): string[] {
  if (description === undefined || description.trim() === "") return [];
  return wrapText(description, width).map((line) => (line === "" ? "" : paint(line)));
}
