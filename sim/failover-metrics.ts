// The failover window of a server (`detected`, `recovered`, `downtime`), from Results.timeline and its states.
import type { Results } from "./results.js";

/** The metrics this module computes. */
export const FAILOVER_METRICS: ReadonlySet<string> = new Set(["detected", "recovered", "downtime"]);

/** Timeline actions that break a server (a drain or maint is an operator's choice, not a failure). */
const BREAKS: ReadonlySet<string> = new Set(["crash", "hang", "partition", "errors"]);
/** Timeline actions that end a break. */
const REPAIRS: ReadonlySet<string> = new Set(["restore", "heal"]);

/**
 * Out of service as HAProxy's `downtime` counter sees it: DOWN (any `DOWN h/rise`) or MAINT.
 * DRAIN and NOLB still serve the requests they hold and pass checks: not down.
 */
function isDown(state: string): boolean {
  return state.startsWith("DOWN") || state.startsWith("MAINT");
}

/**
 * `detected(s)`: from the first action that broke s (crash, hang, partition, errors > 0%) to the
 * first DOWN at or after it; `recovered(s)`: from the first restore/heal after that break to the
 * first state in service at or after it; `downtime(s)`: total time DOWN or MAINT over the run.
 * No value (with a note saying why) when the event never happened.
 */
export function failoverMetric(
  results: Results,
  /** `detected`, `recovered` or `downtime` (FAILOVER_METRICS). */
  name: string,
  server: string,
): { value?: number; note?: string } {
  const states = results.servers.find((s) => s.name === server)?.states;
  if (states === undefined) return { note: `no server ${server} in the results` };
  const endMs = results.endedAtMs ?? results.durationMs;
  const stateAt = (atMs: number): string => {
    let state = "UP";
    for (const change of states) if (change.atMs <= atMs) state = change.state;
    return state;
  };
  /** The first time at or after `fromMs` when the server is (down ? down : in service). */
  const firstAfter = (fromMs: number, down: boolean): number | undefined => {
    if (isDown(stateAt(fromMs)) === down) return fromMs;
    return states.find((c) => c.atMs > fromMs && isDown(c.state) === down)?.atMs;
  };
  if (name === "downtime") {
    let totalMs = 0;
    states.forEach((change, i) => {
      const untilMs = Math.min(endMs, states[i + 1]?.atMs ?? endMs);
      if (isDown(change.state)) totalMs += Math.max(0, untilMs - change.atMs);
    });
    return { value: round3(totalMs) };
  }
  const own = (results.timeline ?? []).filter((t) => t.server === server);
  const broke = own.find((t) => BREAKS.has(t.action) && !(t.action === "errors" && / 0%$/.test(t.text)));
  if (broke === undefined)
    return { note: `${server} never broke: no crash, hang, partition or errors event names it` };
  if (name === "detected") {
    const downMs = firstAfter(broke.atMs, true);
    if (downMs === undefined)
      return {
        note: `${server} was never marked DOWN after "${broke.text}" at ${seconds(broke.atMs)}: never detected`,
      };
    return { value: round3(downMs - broke.atMs) };
  }
  const repair = own.find((t) => t.atMs >= broke.atMs && REPAIRS.has(t.action));
  if (repair === undefined) return { note: `${server} was never restored after "${broke.text}"` };
  const upMs = firstAfter(repair.atMs, false);
  if (upMs === undefined)
    return {
      note: `${server} was not back in service after "${repair.text}" at ${seconds(repair.atMs)}: never recovered`,
    };
  return { value: round3(upMs - repair.atMs) };
}

const seconds = (ms: number): string => `${round3(ms / 1000)}s`;

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
