// The scales of a sweep's charts: the y axis a chart's panels share (linear, or log for latencies spread wide), the x axis of the swept values.
import { format } from "d3-format";
import { type ScaleContinuousNumeric, scaleLinear, scaleLog } from "d3-scale";
import { logTicks } from "../axis.js";
import type { SweepPanel, SweepXAxis } from "../build-sweep.js";
import { fitText, textWidth } from "./text-layout.js";

/** Latency spread wider than this (highest / lowest) is drawn on a log scale: a saturated strategy's seconds would flatten the others' milliseconds into one line. */
export const LOG_SCALE_RATIO = 20;

/** The y axis every panel of a chart shares (so panels compare at a glance). */
export interface YAxis {
  readonly log: boolean;
  make(range: [number, number]): ScaleContinuousNumeric<number, number>;
  /** Explicit ticks (the log scale's 1, 2, 5, 10…), else d3's. */
  readonly ticks?: ReadonlyArray<number>;
  /** A value as drawn: on a log scale, a band edge at or below 0 sits on the floor. */
  at(value: number): number;
}

/** Linear from 0 up to the highest mean or band edge; log for latencies that spread over more than LOG_SCALE_RATIO. */
export function yAxisOf(panels: ReadonlyArray<SweepPanel>, unit: string): YAxis {
  let low = 0;
  let high = Number.NEGATIVE_INFINITY;
  let lowestMean = Number.POSITIVE_INFINITY;
  let positiveFloor = Number.POSITIVE_INFINITY;
  for (const p of panels)
    for (const l of p.lines)
      for (const pt of l.points) {
        if (pt.mean === null) continue;
        lowestMean = Math.min(lowestMean, pt.mean);
        for (const v of [pt.mean, pt.low ?? pt.mean, pt.high ?? pt.mean]) {
          low = Math.min(low, v);
          high = Math.max(high, v);
          if (v > 0) positiveFloor = Math.min(positiveFloor, v);
        }
      }
  if (!Number.isFinite(high)) return linear([0, 1]);
  // Every value 0: a short axis (to 1%, or 1) under the line, not 0 to 100%.
  if (high === 0 && low === 0) return linear([0, unit === "ratio" ? 0.01 : 1]);
  if (unit === "ms" && lowestMean > 0 && high / positiveFloor > LOG_SCALE_RATIO) {
    // From the 1-2-5 step below the lowest value: the lowest lines have a labelled tick under them.
    const domain: [number, number] = [stepBelow(positiveFloor), high * 1.15];
    return {
      log: true,
      make: (range) => scaleLog().domain(domain).range(range),
      ticks: logSteps(domain[0], domain[1]),
      at: (v) => Math.max(v, domain[0]),
    };
  }
  return linear(high <= low ? [low, low + 1] : [low, high]);
}

/** Ticks 1, 2, 5 × 10^n from the floor up when they are few (≤ 10), else axis.ts's powers of ten (and the floor). */
export function logSteps(low: number, high: number): number[] {
  const steps: number[] = [];
  for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++)
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= low * (1 - 1e-9) && v <= high) steps.push(v);
    }
  return steps.length <= 10 ? steps : [...new Set([low, ...logTicks(low, high)])];
}

/** The largest 1, 2 or 5 × 10^n at or below `value` (> 0). */
export function stepBelow(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  const m = [5, 2, 1].find((k) => k * decade <= value * (1 + 1e-9)) ?? 1;
  return Number((m * decade).toPrecision(12));
}

function linear(domain: [number, number]): YAxis {
  return {
    log: false,
    make: (range) => scaleLinear().domain(domain).range(range).nice(5),
    at: (v) => v,
  };
}

/** The x scale of a panel: by value (padded so end points clear the frame), or evenly by index for bands. */
export function xScale(
  axis: SweepXAxis,
  x0: number,
  x1: number,
  fontSize: number,
): {
  scale: ReturnType<typeof scaleLinear<number, number>>;
  tickValues: number[];
  label: (v: number) => string;
} {
  const count = axis.labels.length;
  if (axis.kind === "numeric" && axis.numbers !== undefined) {
    const lo = Math.min(...axis.numbers);
    const hi = Math.max(...axis.numbers);
    const pad = hi > lo ? (hi - lo) * 0.04 : Math.max(1, Math.abs(lo) * 0.1);
    const scale = scaleLinear()
      .domain([lo - pad, hi + pad])
      .range([x0, x1]);
    const widest = Math.max(...axis.numbers.map((v) => textWidth(short(v), fontSize)));
    // Each swept value labelled when they fit; else d3's round ticks over the range.
    const fits = count * (widest + fontSize) <= x1 - x0;
    const tickValues = fits
      ? [...new Set(axis.numbers)]
      : scale
          .ticks(Math.max(2, Math.floor((x1 - x0) / (widest + fontSize * 2))))
          .filter((v) => v >= lo && v <= hi);
    return { scale, tickValues, label: short };
  }
  const scale = scaleLinear()
    .domain([-0.5, count - 0.5])
    .range([x0, x1]);
  const slot = (x1 - x0) / Math.max(1, count);
  const widest = Math.max(0, ...axis.labels.map((l) => textWidth(l, fontSize)));
  // Every k-th label when they would collide (k from the widest, up to 12 em: longer ones are cut to their slot).
  const step = Math.max(1, Math.ceil((Math.min(widest, fontSize * 12) + fontSize) / slot));
  const tickValues = axis.labels.map((_, i) => i).filter((i) => i % step === 0);
  return {
    scale,
    tickValues,
    label: (i) => fitText(axis.labels[i] ?? "", slot * step - fontSize * 0.5, fontSize),
  };
}

const shortFormat = format(",~r");

/** A swept number as a tick label: `150`, `0.25`, `1,000`. */
function short(value: number): string {
  return shortFormat(Number(value.toPrecision(6)));
}

/** Four significant digits: what a tooltip calls the exact figure. */
export function exact(value: number): string {
  return String(Number(value.toPrecision(4)));
}
