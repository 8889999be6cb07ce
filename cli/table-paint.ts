// What the run table's modules share: colours (ANSI SGR or none), the left label column, widths.

export type Paint = (text: string) => string;

export interface Palette {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
}

export const plain: Paint = (text) => text;
export const sgr =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;

export function palette(color: boolean): Palette {
  return color
    ? { bold: sgr("1"), dim: sgr("2"), red: sgr("31"), green: sgr("32"), yellow: sgr("33") }
    : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };
}

/** Width of the section labels on the left ("Requests", "Latency"…). */
export const LABEL = 10;

export function label(text: string): string {
  return text.padEnd(LABEL);
}

/** The columns a line takes on a terminal: its characters without the colour codes. */
export function visibleWidth(line: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ESC of an SGR sequence
  return [...line.replace(/\u001b\[[0-9;]*m/g, "")].length;
}

/** Widest the table is made to read well (the README and CI logs show it at 100 columns). */
export const MAX_WIDTH = 100;

/** A simulated moment for timelines and legends: `333ms` below a second, else seconds with one decimal. */
export function formatAt(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  return `${(ms / 1000).toFixed(1)}s`;
}
