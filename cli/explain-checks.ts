// `lbsim explain`: each server's health-check timing as a range, by HAProxy's formulas
// (haproxy-semantics.md §4.2 health counter, §4.3 timing): crash → DOWN, hang → DOWN, restore → UP.

import type { ServerSpec } from "../scenarios/index.js";

/** A time range in ms after the event; `null` bounds: never (the event is not detected). */
export interface Range {
  readonly minMs: number;
  readonly maxMs: number;
}

export interface CheckTiming {
  readonly server: string;
  /** False without `check`: the server is always considered UP (§4.1). */
  readonly checked: boolean;
  readonly type: "tcp" | "http" | null;
  readonly interMs: number | null;
  readonly fastinterMs: number | null;
  readonly downinterMs: number | null;
  readonly rise: number | null;
  readonly fall: number | null;
  /** How long a check against a hung server lasts: `timeout check` when set, else `inter` (§4.1). */
  readonly hungCheckMs: number | null;
  /** Crash (connection refused: each check fails at once) → DOWN. */
  readonly crashToDown: Range | null;
  /** Hang (each check times out) → DOWN; null when never (no check, or an L4 check, which a hung server passes). */
  readonly hangToDown: Range | null;
  /** Restore after a crash → UP. */
  readonly restoreToUp: Range | null;
  /** Restore after a hang → UP (a check in flight at the restore still times out, §8 rule 11). */
  readonly restoreAfterHangToUp: Range | null;
  /** The formulas, in words, for the text output. */
  readonly formulas: ReadonlyArray<string>;
}

/**
 * The ranges come from §4.3: the next check starts one interval after the previous one completed,
 * so the first check after the event starts anywhere in (0, interval] after it (the event's phase);
 * the interval is `inter` at full health, `downinter` at 0 and `fastinter` in between. A check of
 * a refused connection completes at once; one of a hung server after `hungCheckMs`.
 */
export function checkTiming(server: ServerSpec): CheckTiming {
  const check = server.check;
  if (check === null) {
    return {
      server: server.name,
      checked: false,
      type: null,
      interMs: null,
      fastinterMs: null,
      downinterMs: null,
      rise: null,
      fall: null,
      hungCheckMs: null,
      crashToDown: null,
      hangToDown: null,
      restoreToUp: null,
      restoreAfterHangToUp: null,
      formulas: ["no check: the server is always considered UP, a crash or a hang is never detected (§4.1)"],
    };
  }
  const { interMs, fastinterMs, downinterMs, rise, fall } = check;
  const hungCheckMs = check.timeoutMs ?? interMs;
  const crashToDown = { minMs: (fall - 1) * fastinterMs, maxMs: interMs + (fall - 1) * fastinterMs };
  const hangToDown =
    check.type === "http"
      ? {
          minMs: fall * hungCheckMs + (fall - 1) * fastinterMs,
          maxMs: interMs + fall * hungCheckMs + (fall - 1) * fastinterMs,
        }
      : null;
  const restoreToUp = { minMs: (rise - 1) * fastinterMs, maxMs: downinterMs + (rise - 1) * fastinterMs };
  const restoreAfterHangToUp =
    check.type === "http"
      ? { minMs: (rise - 1) * fastinterMs, maxMs: hungCheckMs + downinterMs + (rise - 1) * fastinterMs }
      : restoreToUp;
  const formulas = [
    `crash → DOWN: first failed check within inter (${ms(interMs)}), then fall−1 = ${fall - 1} more every fastinter (${ms(fastinterMs)}): (fall−1)·fastinter … inter + (fall−1)·fastinter`,
    check.type === "http"
      ? `hang → DOWN: each check times out after ${ms(hungCheckMs)} (${check.timeoutMs === null ? "inter: timeout check is unset" : "timeout check"}): fall·${ms(hungCheckMs)} + (fall−1)·fastinter, plus up to inter before the first`
      : "hang → never DOWN: an L4 check (no option httpchk) only connects, and a hung server's kernel still accepts (§4.1)",
    `restore → UP: first passing check within downinter (${ms(downinterMs)}), then rise−1 = ${rise - 1} more every fastinter: (rise−1)·fastinter … downinter + (rise−1)·fastinter`,
  ];
  return {
    server: server.name,
    checked: true,
    type: check.type,
    interMs,
    fastinterMs,
    downinterMs,
    rise,
    fall,
    hungCheckMs,
    crashToDown,
    hangToDown,
    restoreToUp,
    restoreAfterHangToUp,
    formulas,
  };
}

/** `2s`, `1.5s`, `250ms`, `2m30s`: durations as haproxy.cfg users write them. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "infinite";
  if (value < 1000) return `${round(value)}ms`;
  if (value < 60_000 || value % 1000 !== 0) return `${round(value / 1000)}s`;
  const minutes = Math.floor(value / 60_000);
  const seconds = (value % 60_000) / 1000;
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

export function rangeText(range: Range | null): string {
  if (range === null) return "never";
  return range.minMs === range.maxMs ? ms(range.minMs) : `${ms(range.minMs)} – ${ms(range.maxMs)}`;
}
