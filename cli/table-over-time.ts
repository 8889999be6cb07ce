// The run table's "Over time": requests, errors and p99 as sparklines, and the timeline's actions
// marked under them (1, 2, 3… at the cell where each happened) with a legend.
import type { Results, TimelineEntry } from "../sim/index.js";
// The sparklines' own module, not viz/index.js: that one brings d3, the report and the PNG renderer
// (about 130 ms), which every command would then load; cli/report-output.ts imports it when needed.
import { cellAt, downsample, markLabel, markLine, sparkline } from "../viz/sparkline.js";
import { formatCount, formatDuration, formatLatency } from "./format.js";
import { formatAt, label, MAX_WIDTH } from "./table-paint.js";

/** Marks per sparkline: one terminal line with the labels. */
const SPARK_WIDTH = 60;
/** Where the sparklines start: the label column and `requests `. */
const SPARK_INDENT = " ".repeat(10 + 9);
/** Legend lines at most; the rest is counted (Results.timeline lists every action). */
const LEGEND_LINES = 4;

/** Requests, errors and p99 over the run, one mark per bucket or per run of buckets (viz/). */
export function overTime(results: Results): string[] {
  const series = results.series;
  const actions = results.timeline ?? [];
  if (series.atMs.length < 2) return actions.length === 0 ? [] : ["", ...timelineOnly(actions)];
  const requests = downsample(series.requests, SPARK_WIDTH, "sum");
  const per = Math.ceil(series.atMs.length / requests.length);
  const errors = downsample(series.errors, SPARK_WIDTH, "sum");
  const p99 = downsample(series.p99Ms, SPARK_WIDTH, "max");
  const total = series.atMs.length * series.bucketMs;
  return [
    "",
    `${label("Over time")}one mark per ${formatDuration(per * series.bucketMs)}, 0 → ${formatDuration(total)}`,
    `${label("")}requests ${sparkline(requests)}  max ${formatCount(Math.max(...requests))}`,
    `${label("")}errors   ${sparkline(errors, { blankZero: true })}  max ${formatCount(Math.max(...errors))}`,
    `${label("")}p99      ${sparkline(p99)}  max ${formatLatency(Math.max(...p99))}`,
    ...actionMarks(actions, per * series.bucketMs, requests.length),
  ];
}

/**
 * Actions grouped by the cell they fall in, each group one label: two actions in the same second
 * share a mark rather than hide each other.
 */
export function markGroups(
  actions: ReadonlyArray<TimelineEntry>,
  cellMs: number,
  cells: number,
): Array<{ readonly cell: number; readonly label: string; readonly actions: TimelineEntry[] }> {
  const groups: Array<{ cell: number; label: string; actions: TimelineEntry[] }> = [];
  for (const action of actions) {
    const cell = cellAt(action.atMs, cellMs, cells);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.cell === cell) last.actions.push(action);
    else groups.push({ cell, label: markLabel(groups.length), actions: [action] });
  }
  return groups;
}

function actionMarks(actions: ReadonlyArray<TimelineEntry>, cellMs: number, cells: number): string[] {
  if (actions.length === 0) return [];
  const groups = markGroups(actions, cellMs, cells);
  const entries = groups.map(
    (g) => `${g.label} ${g.actions.map((a) => `${a.text} @${formatAt(a.atMs)}`).join(", ")}`,
  );
  return [`${label("")}actions  ${markLine(cells, groups)}`, ...legend(entries)];
}

/** Without a series to mark (a run of one bucket), the actions as a plain list. */
function timelineOnly(actions: ReadonlyArray<TimelineEntry>): string[] {
  const entries = actions.map((a) => `${a.text} @${formatAt(a.atMs)}`);
  return legend(entries).map((line, i) => label(i === 0 ? "Actions" : "") + line.slice(SPARK_INDENT.length));
}

/** Entries joined by ` · `, wrapped under the sparklines, at most LEGEND_LINES lines. */
export function legend(entries: ReadonlyArray<string>): string[] {
  const room = MAX_WIDTH - SPARK_INDENT.length;
  const text = (line: ReadonlyArray<string>) => line.join(" · ");
  const lines: string[][] = [];
  for (const entry of entries) {
    const line = lines[lines.length - 1];
    if (line !== undefined && text([...line, entry]).length <= room) line.push(entry);
    else lines.push([entry]);
  }
  if (lines.length > LEGEND_LINES) {
    const kept = lines.slice(0, LEGEND_LINES);
    const last = kept[LEGEND_LINES - 1]!;
    let shown = kept.flat().length;
    // The last line gives up entries until the count of the hidden ones fits beside it.
    while (last.length > 1 && text([...last, `… (+${entries.length - shown} more)`]).length > room) {
      last.pop();
      shown--;
    }
    last.push(`… (+${entries.length - shown} more)`);
    return kept.map((line) => SPARK_INDENT + text(line));
  }
  return lines.map((line) => SPARK_INDENT + text(line));
}
