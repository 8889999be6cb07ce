// Axes as SVG strings from d3 scales: ticks, labels, grid lines and the axis title with its unit.
import { format } from "d3-format";
import type { ScaleContinuousNumeric } from "d3-scale";
import { INK } from "./palette.js";
import { el, text } from "./svg.js";

type Scale = ScaleContinuousNumeric<number, number>;

export interface AxisOptions {
  /** Base font size (px); tick labels use it, the title too. */
  readonly fontSize: number;
  /** Roughly how many ticks (d3's `ticks(count)`). */
  readonly ticks?: number;
  /** Explicit tick values (a log scale's 1, 10, 100…), instead of d3's. */
  readonly tickValues?: ReadonlyArray<number>;
  readonly format?: (value: number) => string;
  /** The axis title, with its unit: "latency (ms)", "time (s)". */
  readonly label?: string;
  /** Draw grid lines across the plot, this long (px). */
  readonly gridLength?: number;
  /** A vertical axis: the title's distance from the axis line (px), to clear wide tick labels; 4.2 × fontSize unless told. */
  readonly titleOffset?: number;
}

/** A horizontal axis at `y` (the plot's bottom edge): ticks below, grid lines up. */
export function axisBottom(scale: Scale, y: number, options: AxisOptions): string {
  const { fontSize } = options;
  const [x0, x1] = scale.range() as [number, number];
  const values = options.tickValues ?? scale.ticks(options.ticks ?? 8);
  const fmt = options.format ?? scale.tickFormat(options.ticks ?? 8);
  const tickLength = fontSize * 0.4;
  const parts: string[] = [el("line", { x1: x0, x2: x1, y1: y, y2: y, stroke: INK.axis })];
  for (const value of values) {
    const x = scale(value);
    if (options.gridLength !== undefined)
      parts.push(
        el("line", { class: "grid", x1: x, x2: x, y1: y, y2: y - options.gridLength, stroke: INK.grid }),
      );
    parts.push(el("line", { x1: x, x2: x, y1: y, y2: y + tickLength, stroke: INK.axis }));
    parts.push(
      text(fmt(value), { x, y: y + tickLength + fontSize, "text-anchor": "middle", fill: INK.muted }),
    );
  }
  if (options.label !== undefined)
    parts.push(
      text(options.label, {
        class: "axis-title",
        x: (x0 + x1) / 2,
        y: y + tickLength + fontSize * 2.3,
        "text-anchor": "middle",
        fill: INK.text,
      }),
    );
  return el("g", { class: "axis axis-x" }, ...parts);
}

/** A vertical axis at `x` (the plot's left edge): ticks to the left, grid lines across. */
export function axisLeft(scale: Scale, x: number, options: AxisOptions): string {
  const { fontSize } = options;
  const [y0, y1] = scale.range() as [number, number];
  const values = options.tickValues ?? scale.ticks(options.ticks ?? 5);
  const fmt = options.format ?? scale.tickFormat(options.ticks ?? 5);
  const tickLength = fontSize * 0.4;
  const parts: string[] = [el("line", { x1: x, x2: x, y1: y0, y2: y1, stroke: INK.axis })];
  for (const value of values) {
    const y = scale(value);
    if (options.gridLength !== undefined)
      parts.push(
        el("line", { class: "grid", x1: x, x2: x + options.gridLength, y1: y, y2: y, stroke: INK.grid }),
      );
    parts.push(el("line", { x1: x - tickLength, x2: x, y1: y, y2: y, stroke: INK.axis }));
    parts.push(
      text(fmt(value), {
        x: x - tickLength - fontSize * 0.3,
        y: y + fontSize * 0.35,
        "text-anchor": "end",
        fill: INK.muted,
      }),
    );
  }
  if (options.label !== undefined) {
    const cy = (y0 + y1) / 2;
    const cx = x - (options.titleOffset ?? fontSize * 4.2);
    parts.push(
      text(options.label, {
        class: "axis-title",
        x: cx,
        y: cy,
        transform: `rotate(-90 ${cx} ${cy})`,
        "text-anchor": "middle",
        fill: INK.text,
      }),
    );
  }
  return el("g", { class: "axis axis-y" }, ...parts);
}

const twoSignificant = format(".2~r");
const threeSignificant = format(".3~r");
const grouped = format(",~r");

/** A duration for a label: `850 µs`, `12 ms`, `1.5 s`, `2 min`. */
export function formatMs(ms: number): string {
  if (ms === 0) return "0";
  const abs = Math.abs(ms);
  if (abs < 1) return `${threeSignificant(ms * 1000)} µs`;
  if (abs < 1000) return `${threeSignificant(ms)} ms`;
  if (abs < 120_000) return `${threeSignificant(ms / 1000)} s`;
  return `${threeSignificant(ms / 60_000)} min`;
}

/** Simulated time on a time axis, in seconds (`0`, `30`, `1.5`); the axis title says "time (s)". */
export function formatSeconds(ms: number): string {
  return twoSignificant(ms / 1000) === "0" ? "0" : format("~g")(ms / 1000);
}

/** A count with thousands separators (`12,345`), fractions kept short (`0.25`). */
export function formatCount(value: number): string {
  return Number.isInteger(value) ? grouped(value) : format(",.3~r")(value);
}

/** A share as a percentage: `33.3%`, `0.05%`. */
export function formatShare(share: number): string {
  return `${format(".3~r")(share * 100)}%`;
}

/** Log-scale ticks at 1, 10, 100… (and 2, 5 between when the range is short) within [low, high]. */
export function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  const from = Math.floor(Math.log10(low));
  const to = Math.ceil(Math.log10(high));
  const steps = to - from <= 2 ? [1, 2, 5] : [1];
  for (let e = from; e <= to; e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= low * 0.999 && v <= high * 1.001) ticks.push(Number(v.toPrecision(12)));
    }
  }
  // Powers of ten only, and the top of the axis well above the last one (a p99 of 8 s over a
  // 1 s tick): the top's own 2 or 5 × 10^n labels the values up there.
  const last = ticks.at(-1);
  if (steps.length === 1 && last !== undefined && last * 3 < high) {
    const top = [5 * last, 2 * last].find((v) => v <= high * 1.001);
    if (top !== undefined) ticks.push(top);
  }
  return ticks;
}
