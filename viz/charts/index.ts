// The report's charts in page order, each with a safe file name: what the page, --svg and --png draw.
import type { ChartOptions, ReportView } from "../view.js";
import { distributionChart } from "./distribution.js";
import { errorsOverTimeChart } from "./errors-over-time.js";
import { healthChart } from "./health.js";
import { instanceSharesChart } from "./instance-shares.js";
import { latencyOverTimeChart } from "./latency-over-time.js";
import { serverLoadChart } from "./server-load.js";
import { sharesChart } from "./shares.js";

export { distributionChart } from "./distribution.js";
export { errorsOverTimeChart } from "./errors-over-time.js";
export { healthChart } from "./health.js";
export { instanceSharesChart } from "./instance-shares.js";
export { latencyOverTimeChart } from "./latency-over-time.js";
export { serverLoadChart } from "./server-load.js";
export { sharesChart } from "./shares.js";

/** Where a chart sits in the page: its section (and backend), and what it is about. */
export interface ChartSlot {
  /** A file name without extension, unique in the report and safe anywhere (`1-failover-web-shares`); also the page's `data-chart-id`. */
  readonly file: string;
  readonly title: string;
  /** Index of the section in `view.sections`. */
  readonly section: number;
  /** Index of the backend in the section's `backends`, for the per-backend charts. */
  readonly backend?: number;
  /** The chart's id (`latency-over-time`, `shares`…), as its root's `data-chart`. */
  readonly chart: ChartId;
  /** Draws it: a complete `<svg>` element. */
  readonly draw: (options: ChartOptions) => string;
}

export type ChartId =
  | "latency-over-time"
  | "distribution"
  | "errors-over-time"
  | "shares"
  | "server-load"
  | "health"
  | "instance-shares";

/** Every chart of every section, in page order, without drawing them (the page draws them lazily). */
export function chartSlots(view: ReportView): ChartSlot[] {
  const slots: ChartSlot[] = [];
  const used = new Set<string>();
  // Unique whatever the names: two scenarios or backends may slug alike ("a b", "a-b").
  const unique = (base: string): string => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  };
  view.sections.forEach((section, s) => {
    // A check's scenario that did not run (report-view's optional `notRun`) has nothing to draw.
    if (notRun(section) !== undefined) return;
    const prefix = `${s + 1}-${slug(section.scenario, "scenario")}`;
    const where = view.sections.length > 1 ? ` (${section.scenario})` : "";
    const add = (chart: ChartId, name: string, title: string, draw: ChartSlot["draw"], backend?: number) =>
      slots.push({
        file: unique(`${prefix}-${name}`),
        title,
        section: s,
        chart,
        draw,
        ...(backend === undefined ? {} : { backend }),
      });
    add("latency-over-time", "latency-over-time", `Latency over time${where}`, (o) =>
      latencyOverTimeChart(section.latency, o),
    );
    add("distribution", "distribution", `Latency distribution${where}`, (o) =>
      distributionChart(section.distribution, o),
    );
    add("errors-over-time", "errors-over-time", `Errors over time${where}`, (o) =>
      errorsOverTimeChart(section.errors, o),
    );
    section.backends.forEach((backend, b) => {
      const name = slug(backend.name, `backend${b + 1}`);
      const of = section.backends.length > 1 ? ` of ${backend.name}` : "";
      add(
        "shares",
        `${name}-shares`,
        `Requests per server${of}${where}`,
        (o) => sharesChart(backend.shares, o),
        b,
      );
      add(
        "server-load",
        `${name}-server-load`,
        `In flight and queued per server${of}${where}`,
        (o) => serverLoadChart(backend.load, o),
        b,
      );
      add(
        "health",
        `${name}-health`,
        `Health per server${of}${where}`,
        (o) => healthChart(backend.health, o),
        b,
      );
    });
    const instances = section.instances;
    if (instances !== undefined)
      add("instance-shares", "instance-shares", `Requests per server by balancer instance${where}`, (o) =>
        instanceSharesChart(instances, o),
      );
  });
  return slots;
}

/** Every chart of every section, drawn, in page order: the `--svg`/`--png` export. */
export function reportCharts(
  view: ReportView,
  options: ChartOptions,
): { file: string; title: string; svg: string }[] {
  return chartSlots(view).map((slot) => ({ file: slot.file, title: slot.title, svg: slot.draw(options) }));
}

/** Why a section has no runs to draw (report-view's optional `SectionView.notRun`), if it says. */
export function notRun(section: ReportView["sections"][number]): string | undefined {
  const reason = (section as { readonly notRun?: unknown }).notRun;
  return typeof reason === "string" ? reason : undefined;
}

/**
 * A name safe as a file name on every system and in a URL: lower-case ASCII letters, digits and
 * single dashes, at most 40 characters; `fallback` when nothing of the name is left.
 */
export function slug(name: string, fallback: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return ascii === "" ? fallback : ascii;
}
