// Test support for viz/charts: reading back what an SVG string drew, and small views from real runs (kept out of viz/, which imports sim/ types only).
import { scaleLinear } from "d3-scale";
import { loadScenarioFile } from "../scenarios/node.js";
import type { Results } from "../sim/results.js";
import { simulate } from "../sim/test-support.js";
import { textWidth } from "../viz/charts/time-frame.js";
import type {
  ActionMarker,
  BandSeries,
  FailoverWindow,
  Health,
  LatencyOverTime,
  TimeAxis,
} from "../viz/view.js";

export type Attributes = Record<string, string>;

function parseAttributes(source: string): Attributes {
  const out: Attributes = {};
  for (const m of source.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Every element (opening or self-closed tag) whose class is `className`, with its attributes and its tag. */
export function elements(svg: string, className: string): Array<Attributes & { tag: string }> {
  const out: Array<Attributes & { tag: string }> = [];
  for (const m of svg.matchAll(/<(\w+)(\s[^>]*?)?\/?>/g)) {
    const a = parseAttributes(m[2] ?? "");
    if (a.class === className) out.push({ ...a, tag: m[1]! });
  }
  return out;
}

/** Each `<g class="marker">`: its time, its line's x, and its label. */
export function markers(
  svg: string,
): Array<{ atMs: number; lineX: number; label: string; titleText: string }> {
  return [...svg.matchAll(/<g class="marker"([^>]*)>(.*?)<\/g>/g)].map((m) => ({
    atMs: Number(parseAttributes(m[1]!)["data-at-ms"]),
    lineX: Number(parseAttributes(/<line([^>]*)\/>/.exec(m[2]!)![1]!).x1),
    label: /<text[^>]*>([^<]*)<\/text>/.exec(m[2]!)![1]!,
    titleText: /<title>([^<]*)<\/title>/.exec(m[2]!)![1]!,
  }));
}

/** The time → x mapping a plot declares (`data-x-domain`, `data-x-range`). */
export function plotX(plot: Attributes): (ms: number) => number {
  const [d0, d1] = plot["data-x-domain"]!.split(" ").map(Number) as [number, number];
  const [r0, r1] = plot["data-x-range"]!.split(" ").map(Number) as [number, number];
  return scaleLinear().domain([d0, d1]).range([r0, r1]);
}

/** The value → y mapping a plot declares (`data-y-domain`, `data-y-range`), inverted: y → value. */
export function plotYInverse(plot: Attributes): (y: number) => number {
  const [d0, d1] = plot["data-y-domain"]!.split(" ").map(Number) as [number, number];
  const [r0, r1] = plot["data-y-range"]!.split(" ").map(Number) as [number, number];
  return scaleLinear().domain([r0, r1]).range([d0, d1]);
}

/** The root's width, height and font size. */
export function rootSize(svg: string): { width: number; height: number; fontSize: number } {
  const a = parseAttributes(/^<svg([^>]*)>/.exec(svg)![1]!);
  return { width: Number(a.width), height: Number(a.height), fontSize: Number(a["font-size"]) };
}

/**
 * Every `<text>`'s box as drawn (its anchor, its font size, its width estimated as the charts lay
 * text out), for checks that no text leaves the viewBox; rotated titles by their centre.
 */
export function textBoxes(
  svg: string,
): Array<{ content: string; left: number; right: number; top: number; bottom: number; fontSize: number }> {
  const base = rootSize(svg).fontSize;
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const a = parseAttributes(m[1]!);
    const content = m[2]!
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
    const fontSize = a["font-size"] === undefined ? base : Number(a["font-size"]);
    const x = Number(a.x);
    const y = Number(a.y);
    const w = textWidth(content, fontSize);
    if (a.transform !== undefined)
      return {
        content,
        left: x - fontSize * 0.8,
        right: x + fontSize * 0.25,
        top: y - w / 2,
        bottom: y + w / 2,
        fontSize,
      };
    const anchor = a["text-anchor"] ?? "start";
    const left = anchor === "end" ? x - w : anchor === "middle" ? x - w / 2 : x;
    return { content, left, right: left + w, top: y - fontSize * 0.8, bottom: y + fontSize * 0.25, fontSize };
  });
}

/** failover.yaml run for real: web02 crashes at 5 s, is DOWN at 7.33 s, restored at 12 s, UP at 13.33 s. */
export function failoverResults(): Results {
  return simulate(loadScenarioFile("scenarios/library/failover.yaml"));
}

export function timeAxisOf(r: Results): TimeAxis {
  return { atMs: r.series.atMs, bucketMs: r.series.bucketMs, durationMs: r.durationMs, warmupMs: r.warmupMs };
}

export function actionsOf(r: Results): ActionMarker[] {
  return r.timeline.map((t) => ({
    atMs: t.atMs,
    action: t.action,
    text: t.text,
    ...(t.server === undefined ? {} : { server: t.server }),
  }));
}

/** The failover windows of a run, as the builders mean them: each crash → its server's next DOWN → its next UP. */
export function failoversOf(r: Results, variant: string): FailoverWindow[] {
  return r.timeline
    .filter((t) => t.action === "crash" || t.action === "hang")
    .map((t) => {
      const states = r.servers.find((s) => s.name === t.server)!.states;
      const down = states.find((s) => s.atMs >= t.atMs && s.state === "DOWN");
      const up = down === undefined ? undefined : states.find((s) => s.atMs > down.atMs && s.state === "UP");
      return {
        server: t.server!,
        variant,
        actionMs: t.atMs,
        downMs: down?.atMs ?? null,
        upMs: up?.atMs ?? null,
        endMs: r.durationMs,
      };
    });
}

export function latencyOf(r: Results, color = "#0072B2"): LatencyOverTime {
  const one = (values: ReadonlyArray<number>): BandSeries => ({ mean: values });
  return {
    axis: timeAxisOf(r),
    lines: [
      {
        variant: { name: r.strategy, color },
        p50: one(r.series.p50Ms),
        p90: one(r.series.p90Ms),
        p99: one(r.series.p99Ms),
      },
    ],
    actions: actionsOf(r),
    failover: failoversOf(r, r.strategy),
  };
}

export function healthOf(r: Results): Health {
  return {
    axis: timeAxisOf(r),
    lanes: r.servers.map((s) => ({
      server: s.name,
      variant: { name: r.strategy, color: "#0072B2" },
      spans: s.states.map((st, i) => ({
        fromMs: st.atMs,
        toMs: s.states[i + 1]?.atMs ?? r.durationMs,
        state: st.state,
      })),
      failedChecks: [],
    })),
    actions: actionsOf(r),
  };
}

/** A time axis of `buckets` buckets of 1 s. */
export function secondsAxis(buckets: number, warmupMs = 0): TimeAxis {
  return {
    atMs: Array.from({ length: buckets }, (_, i) => i * 1000),
    bucketMs: 1000,
    durationMs: buckets * 1000,
    warmupMs,
  };
}

export const HOSTILE = "<img src=x onerror=alert(1)>";
