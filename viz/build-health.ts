// Health from Results: status spans per server, failed checks, time DOWN, and failover windows per variant.
import type { Results, StateChange } from "../sim/index.js";
import type { VariantRuns } from "./build-series.js";
import { endOf, serverNamed } from "./inputs.js";
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
/** Failed checks per bucket with any (`series.checksFailed`): the bucket's start and the count. */
export function failedChecks(results: Results, server: string): Array<{ atMs: number; count: number }> {
  const { atMs, bucketMs } = results.series;
  const out: Array<{ atMs: number; count: number }> = [];
  (results.series.checksFailed[server] ?? []).forEach((count, i) => {
    if (count > 0) out.push({ atMs: atMs[i] ?? i * bucketMs, count });
  });
  return out;
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
 * `partition` (unreachable), `errors` (answers 5xx), and the network faults `reset` (resets every
 * connection), `refuse-first` (refuses the next connects) and `loss` (loses SYNs). Not `slow` (the
 * server still answers, a check fails only by timing out, if ever), nor `restore`/`heal`/`runtime`/`upgrade`.
 */
export const BREAKING_ACTIONS: ReadonlySet<string> = new Set([
  "crash",
  "hang",
  "partition",
  "errors",
  "reset",
  "refuse-first",
  "loss",
]);

/** The actions that end a breaking action's fault on its server (`refuse-first` ends by itself). */
const ENDING_ACTIONS: ReadonlySet<string> = new Set(["restore", "heal"]);

/**
 * Per variant and replication, for each breaking action: from the action to the server's next
 * `DOWN` at or after it, then to its next `UP` after that (null when it never happened before the
 * end). The window ends at the UP, else at the end of the run; a fault that ended (`restore`,
 * `heal`) before any DOWN ends its window there (a lossy link that health checks never saw). With
 * several replications each window names its replication and seed: health checks may see the
 * failure at a different time in each (`check: {phase: random}`), and one replication's window
 * would pass for all.
 */
export function failoverWindows(variants: ReadonlyArray<VariantRuns>): FailoverWindow[] {
  const windows: FailoverWindow[] = [];
  for (const { variant, runs } of variants) {
    runs.forEach((run, r) => {
      const replication = runs.length > 1 ? { replication: r + 1, seed: run.seed } : {};
      for (const w of runWindows(run)) windows.push({ ...w, variant: variant.name, ...replication });
    });
  }
  return windows;
}

/** One run's failover windows (as `failoverWindows`, without the variant). */
function runWindows(run: Results): Array<Omit<FailoverWindow, "variant">> {
  const windows: Array<Omit<FailoverWindow, "variant">> = [];
  const endMs = endOf(run);
  for (const action of run.timeline) {
    if (!BREAKING_ACTIONS.has(action.action) || action.server === undefined) continue;
    const states = serverNamed(run, action.server)?.states ?? [];
    const ended = run.timeline.find(
      (e) => e.atMs > action.atMs && e.server === action.server && ENDING_ACTIONS.has(e.action),
    );
    const found = states.find((c) => c.atMs >= action.atMs && c.state === "DOWN");
    const down = ended !== undefined && found !== undefined && found.atMs > ended.atMs ? undefined : found;
    const up = down === undefined ? undefined : states.find((c) => c.atMs > down.atMs && c.state === "UP");
    windows.push({
      server: action.server,
      actionMs: action.atMs,
      downMs: down?.atMs ?? null,
      upMs: up?.atMs ?? null,
      endMs: up?.atMs ?? (down === undefined && ended !== undefined ? ended.atMs : endMs),
    });
  }
  return windows;
}
