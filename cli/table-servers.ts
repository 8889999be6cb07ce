// The run table's servers: one row of figures per server, then each server's states as a timeline.
import type { ServerResults, StateChange } from "../sim/index.js";
import { formatCount, formatLatency, formatPercent } from "./format.js";
import { formatAt, LABEL, label, MAX_WIDTH, type Paint, type Palette, plain } from "./table-paint.js";

const SERVER_COLUMNS = [
  "server",
  "requests",
  "share",
  "util",
  "wait",
  "max in flight",
  "max queued",
  "retries",
  "redispatches",
] as const;

export function servers(list: ReadonlyArray<ServerResults>, p: Palette): string[] {
  if (list.length === 0) return [`${label("Servers")}none`];
  const rows = list.map((s) => [
    s.name,
    formatCount(s.requests),
    formatPercent(s.share),
    formatPercent(s.utilization),
    formatLatency(s.waitMeanMs),
    formatCount(s.maxInFlight),
    formatCount(s.maxQueued),
    formatCount(s.retries),
    formatCount(s.redispatches),
  ]);
  const widths = SERVER_COLUMNS.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  // Names read left to right; numbers line up on the right.
  const render = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [p.bold(render(SERVER_COLUMNS)), ...rows.map(render), "", ...stateLines(list, p)];
}

/**
 * The servers whose state changed, one line each with its timeline (`UP · DOWN 7.3s → UP 13.3s`),
 * fitted to the width; then those that kept one state, grouped by it (`UP throughout: web01, web03`).
 */
function stateLines(list: ReadonlyArray<ServerResults>, p: Palette): string[] {
  const changed = list.filter((s) => foldStates(s.states).length > 1);
  const nameWidth = Math.max(0, ...changed.map((s) => s.name.length));
  const room = MAX_WIDTH - LABEL - nameWidth - 2;
  const lines = changed.map((s) => `${s.name.padEnd(nameWidth)}  ${stateTimeline(s.states, room, p)}`);
  const steady = new Map<string, string[]>();
  for (const s of list) {
    const spans = foldStates(s.states);
    if (spans.length > 1) continue;
    const state = spans[0]?.state ?? "-";
    steady.set(state, [...(steady.get(state) ?? []), s.name]);
  }
  for (const [state, names] of steady) {
    const lead = `${paintState(state, p)(state)} throughout: `;
    const all = names.join(", ");
    const fits = LABEL + state.length + 13 + all.length <= MAX_WIDTH;
    lines.push(lead + (fits ? all : `${names.length} servers (${names.slice(0, 2).join(", ")}, …)`));
  }
  return lines.map((line, i) => label(i === 0 ? "States" : "") + line);
}

export interface StateSpan {
  /** The status without its check progress: `UP`, `DOWN`, `DRAIN`, `NOLB`, `MAINT`, `no check`. */
  readonly state: string;
  readonly atMs: number;
}

/**
 * The timeline with HAProxy's transitional statuses folded into the state they are still in:
 * `UP 2/3` (checks failing, still UP and taking traffic) is UP, `DOWN 1/2` (checks passing, not
 * yet back) is DOWN, `DRAIN 2/3` is DRAIN. Results keep every status; the table shows the changes
 * a reader acts on.
 */
export function foldStates(states: ReadonlyArray<StateChange>): StateSpan[] {
  const spans: StateSpan[] = [];
  for (const change of states) {
    const state = change.state.replace(/ \d+\/\d+$/, "");
    if (spans[spans.length - 1]?.state !== state) spans.push({ state, atMs: change.atMs });
  }
  return spans;
}

/**
 * `UP · DOWN 7.3s → UP 13.3s`: the state at the start, then each change with its time. When it
 * does not fit in `room` columns (a flapping server), the first changes, `… (+N more)` and the last.
 */
export function stateTimeline(states: ReadonlyArray<StateChange>, room: number, p: Palette): string {
  const spans = foldStates(states);
  const first = spans[0];
  if (first === undefined) return "-";
  const changes = spans.slice(1).map((s) => ({ text: `${s.state} ${formatAt(s.atMs)}`, state: s.state }));
  const start = paintState(first.state, p)(first.state);
  if (changes.length === 0) return start;
  const shown = (list: ReadonlyArray<{ text: string; state: string }>) =>
    list.map((c) => paintState(c.state, p)(c.text));
  const length = (list: ReadonlyArray<{ text: string }>) =>
    list.reduce((n, c, i) => n + c.text.length + (i > 0 ? 3 : 0), 0);
  const lead = first.state.length + 3;
  if (lead + length(changes) <= room) return `${start} · ${shown(changes).join(" → ")}`;
  const last = changes[changes.length - 1]!;
  let head = 0;
  // Room for the head, ` → … (+NN more) → ` and the last change.
  const tail = (more: number) => ` → … (+${more} more) → `.length + last.text.length;
  while (
    head < changes.length - 2 &&
    lead + length(changes.slice(0, head + 1)) + tail(changes.length - head - 2) <= room
  )
    head++;
  const more = changes.length - head - 1;
  const parts = [...shown(changes.slice(0, head)), `… (+${more} more)`, ...shown([last])];
  return `${start} · ${parts.join(" → ")}`;
}

function paintState(state: string, p: Palette): Paint {
  if (state === "DOWN") return p.red;
  if (state === "MAINT" || state === "DRAIN" || state === "NOLB") return p.yellow;
  return plain;
}
