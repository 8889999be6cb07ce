// Health from Results: status spans per server, failed checks, time DOWN, and failover windows per variant.
import type { Results, StateChange } from "../sim/index.js";
import type { VariantRuns } from "./build-series.js";
import { checksFailedSeries, endOf, serverNamed } from "./inputs.js";
import type { ActionMarker, FailoverWindow, Health, StateSpan, TimeAxis } from "./view.js";

/**
 * A server's status changes as spans covering [0, endMs] without gaps: each change lasts until the
 * next; a change at the same time as the next one (a zero-length span) is left out. Before the
 * first change (the Results start at 0, but a hand-made input may not), the first state is assumed.
 */
export function stateSpans(states: ReadonlyArray<StateChange>, endMs: number): StateSpan[] {
  const spans: StateSpan[] = [];
  for (let i = 0; i < states.length; i++) {
    const change = states[i] as StateChange;
    const fromMs = i === 0 ? 0 : Math.min(change.atMs, endMs);
    const toMs = Math.min(states[i + 1]?.atMs ?? endMs, endMs);
    if (toMs <= fromMs) continue;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.state === change.state) {
      spans[spans.length - 1] = { ...last, toMs };
    } else {
      spans.push({ fromMs, toMs, state: change.state });
    }
  }
  return spans;
}

/** Time spent DOWN (`DOWN`, and `DOWN 1/2` on its way back up: still DOWN for HAProxy) before endMs. */
export function downtimeFromStates(states: ReadonlyArray<StateChange>, endMs: number): number {
  let total = 0;
  for (const span of stateSpans(states, endMs)) {
    if (span.state.split(" ")[0] === "DOWN") total += span.toMs - span.fromMs;
  }
  return total;
}

/**
 * Failed checks per bucket with any: from `series.checksFailed` when the Results have it; else
 * (older Results) inferred from the states, as HAProxy's health counter moves: a failed check
 * lowers it, so a change from `UP` to `UP 2/3`, from `UP 2/3` to `UP 1/3`, from `UP 1/3` to
 * `DOWN`, from `DOWN 1/2` back to `DOWN` (or to a lower `DOWN n/m`) is one failed check; a passing
 * one raises it (`UP 1/3` → `UP 2/3`). Failed checks of a server already fully DOWN leave no trace
 * in the states, so the fallback undercounts.
 */
export function failedChecks(results: Results, server: string): Array<{ atMs: number; count: number }> {
  const { atMs, bucketMs } = results.series;
  const series = checksFailedSeries(results)?.[server];
  if (series !== undefined) {
    const out: Array<{ atMs: number; count: number }> = [];
    series.forEach((count, i) => {
      if (count > 0) out.push({ atMs: atMs[i] ?? i * bucketMs, count });
    });
    return out;
  }
  const states = serverNamed(results, server)?.states ?? [];
  const counts = new Map<number, number>();
  for (let i = 1; i < states.length; i++) {
    const previous = (states[i - 1] as StateChange).state;
    const { atMs: changeMs, state } = states[i] as StateChange;
    const failed = healthLevel(state) < healthLevel(previous);
    if (!failed || bucketMs <= 0) continue;
    const bucketStart = Math.floor(changeMs / bucketMs) * bucketMs;
    counts.set(bucketStart, (counts.get(bucketStart) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]).map(([at, count]) => ({ atMs: at, count }));
}

const FULL_DOWN_LEVEL = 0;

/**
 * Where a status sits on HAProxy's health scale, to tell a failed check (the level drops) from a
 * passing one (it rises): `DOWN` 0, `DOWN n/m` n (checks passed towards UP), `UP n/m` 1000 + n
 * (checks left before DOWN), `UP` 2000. Other statuses (MAINT, DRAIN, no check) are not moved by
 * checks: NaN, so no comparison with them counts.
 */
function healthLevel(state: string): number {
  if (state === "DOWN") return FULL_DOWN_LEVEL;
  if (state === "UP") return 2000;
  const m = /^(UP|DOWN) (\d+)\/\d+$/.exec(state);
  if (m === null) return Number.NaN;
  return (m[1] === "UP" ? 1000 : 0) + Number(m[2]);
}

/** Each variant's lanes (its first replication's states), server by server. */
export function health(
  variants: ReadonlyArray<VariantRuns>,
  servers: ReadonlyArray<string>,
  axis: TimeAxis,
  actions: ReadonlyArray<ActionMarker>,
): Health {
  const lanes: Health["lanes"][number][] = [];
  for (const server of servers) {
    for (const { variant, runs } of variants) {
      const first = runs[0];
      if (first === undefined) continue;
      const states = serverNamed(first, server)?.states ?? [];
      lanes.push({
        server,
        variant,
        spans: stateSpans(states, endOf(first)),
        failedChecks: failedChecks(first, server),
      });
    }
  }
  return { axis, lanes, actions };
}

/**
 * The actions that break a server: `crash` (refuses connections), `hang` (accepts, never answers),
 * `partition` (unreachable) and `errors` (answers 5xx). Not `slow` (the server still answers, a
 * check fails only by timing out, if ever), nor `restore`/`heal`/`runtime`/`upgrade`.
 */
export const BREAKING_ACTIONS: ReadonlySet<string> = new Set(["crash", "hang", "partition", "errors"]);

/**
 * Per variant (its first replication's states), for each breaking action: from the action to the
 * server's next `DOWN` at or after it, then to its next `UP` after that (null when it never
 * happened before the end). The window ends at the UP, else at the end of the run.
 */
export function failoverWindows(variants: ReadonlyArray<VariantRuns>): FailoverWindow[] {
  const windows: FailoverWindow[] = [];
  for (const { variant, runs } of variants) {
    const first = runs[0];
    if (first === undefined) continue;
    const endMs = endOf(first);
    for (const action of first.timeline) {
      if (!BREAKING_ACTIONS.has(action.action) || action.server === undefined) continue;
      const states = serverNamed(first, action.server)?.states ?? [];
      const down = states.find((c) => c.atMs >= action.atMs && c.state === "DOWN");
      const up = down === undefined ? undefined : states.find((c) => c.atMs > down.atMs && c.state === "UP");
      windows.push({
        server: action.server,
        variant: variant.name,
        actionMs: action.atMs,
        downMs: down?.atMs ?? null,
        upMs: up?.atMs ?? null,
        endMs: up?.atMs ?? endMs,
      });
    }
  }
  return windows;
}
