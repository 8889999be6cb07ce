// What a time chart's tooltip says at a time: the bucket under the pointer and its exact values, from the view.
import type { ChartSlot } from "../charts/index.js";
import type { BandSeries, ReportView, TimeAxis } from "../view.js";

export interface TooltipAt {
  /** The bucket's index, start and end (ms): the crosshair sits at its middle. */
  readonly index: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** The first line names the bucket ("12.5–13 s"), the others one series each. */
  readonly lines: ReadonlyArray<string>;
}

/** The tooltip of a time chart at `atMs`; null outside the buckets or for a chart that is not over time. */
export function tooltipAt(
  slot: Pick<ChartSlot, "chart" | "section" | "backend">,
  view: ReportView,
  atMs: number,
): TooltipAt | null {
  const section = view.sections[slot.section];
  if (section === undefined) return null;
  const backend = slot.backend === undefined ? undefined : section.backends[slot.backend];
  const axis = timeAxisOf(slot.chart, section.latency.axis, backend);
  if (axis === undefined) return null;
  const index = bucketAt(axis, atMs);
  if (index < 0) return null;
  const fromMs = axis.atMs[index] ?? 0;
  const toMs = Math.min(fromMs + axis.bucketMs, axis.durationMs);
  const several = section.variants.length > 1;
  const lines: string[] = [`${seconds(fromMs)}–${seconds(toMs)} s`];
  const named = (variant: string, rest: string) => (several ? `${variant} ${rest}` : rest);

  if (slot.chart === "latency-over-time") {
    for (const line of section.latency.lines as ReadonlyArray<LatencyLine>) {
      // A bucket where no request finished has no latency (its percentiles read 0): say so.
      if (line.requests?.mean[index] === 0) {
        lines.push(`${line.variant.name}: no request finished`);
        continue;
      }
      const at = (band: BandSeries) => `${num(band.mean[index])} ms${interval(band, index, " ms")}`;
      lines.push(`${line.variant.name} p50 ${at(line.p50)}, p90 ${at(line.p90)}, p99 ${at(line.p99)}`);
    }
  } else if (slot.chart === "errors-over-time") {
    for (const v of section.errors.variants) {
      const byStatus = v.byStatus.map((s) => [s.key, s.counts[index] ?? 0] as const).filter(([, n]) => n > 0);
      const byEnd = v.byTermination
        .map((s) => [s.key, s.counts[index] ?? 0] as const)
        .filter(([, n]) => n > 0);
      const total = byStatus.reduce((sum, [, n]) => sum + n, 0);
      if (total === 0 && byEnd.length === 0) {
        lines.push(`${v.variant.name}: no errors`);
        continue;
      }
      const list = (pairs: ReadonlyArray<readonly [string, number]>) =>
        pairs.map(([key, n]) => `${key} × ${num(n)}`).join(", ");
      const ends = byEnd.length > 0 ? `; ${list(byEnd)}` : "";
      lines.push(`${v.variant.name}: ${num(total)} errors (${list(byStatus)}${ends})`);
    }
  } else if (slot.chart === "server-load" && backend !== undefined) {
    for (const line of backend.load.lines) {
      for (const server of backend.load.servers) {
        const inFlight = line.inFlight[server]?.mean[index];
        const queued = line.queued[server]?.mean[index];
        const queue = queued === undefined ? "" : `, ${num(queued)} queued`;
        lines.push(named(line.variant.name, `${server}: ${num(inFlight)} in flight${queue}`));
      }
    }
  } else if (slot.chart === "health" && backend !== undefined) {
    for (const lane of backend.health.lanes) {
      const span = lane.spans.find((s) => s.fromMs <= fromMs && fromMs < s.toMs) ?? lane.spans.at(-1);
      const failed = lane.failedChecks.find((c) => c.atMs === fromMs)?.count ?? 0;
      const checks = failed > 0 ? `, ${failed} failed check${failed === 1 ? "" : "s"}` : "";
      lines.push(named(lane.variant.name, `${lane.server}: ${span?.state ?? "unknown"}${checks}`));
    }
  } else {
    return null;
  }
  return { index, fromMs, toMs, lines };
}

/** A latency line with report-view's optional requests per bucket (read when the builders give it). */
type LatencyLine = ReportView["sections"][number]["latency"]["lines"][number] & {
  readonly requests?: BandSeries;
};

function timeAxisOf(
  chart: ChartSlot["chart"],
  sectionAxis: TimeAxis,
  backend: ReportView["sections"][number]["backends"][number] | undefined,
): TimeAxis | undefined {
  if (chart === "latency-over-time" || chart === "errors-over-time") return sectionAxis;
  if (chart === "server-load") return backend?.load.axis;
  if (chart === "health") return backend?.health.axis;
  return undefined;
}

/** The bucket holding `atMs` (the last whose start is at or before it), -1 outside the run. */
export function bucketAt(axis: TimeAxis, atMs: number): number {
  const starts = axis.atMs;
  if (starts.length === 0 || atMs < (starts[0] ?? 0) || atMs > axis.durationMs) return -1;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= atMs) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** With replications, the 95% interval beside the mean: " (95%: 3.9–4.4 ms)". */
function interval(band: BandSeries, index: number, unit: string): string {
  const low = band.low?.[index];
  const high = band.high?.[index];
  return low === undefined || high === undefined ? "" : ` (95%: ${num(low)}–${num(high)}${unit})`;
}

/** Seconds with up to three decimals, no trailing zeros: 12.5, 13, 0.25. */
export function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/** A value as the tooltip shows it: three significant digits at least, whole numbers from 100 on. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}
