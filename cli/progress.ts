// Progress of a long run on stderr: a line redrawn in place on a terminal, plain lines now and then elsewhere (CI logs).
import { formatDuration } from "./format.js";

export interface Progress {
  update(simulatedMs: number): void;
  /** Erases the line (before anything else is printed). */
  clear(): void;
}

const REDRAW_INTERVAL_MS = 100;

/**
 * Not on a terminal (a CI log), a line only after this much wall time without one: a short run
 * prints nothing, and a long one is never silent for minutes, which CI servers take for a hang.
 */
export const PLAIN_INTERVAL_MS = 30_000;

const silent: Progress = { update: () => {}, clear: () => {} };

/** Wall-clock seconds as a progress line shows them: `4.2s`, `1m05s`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}

export function createProgress(options: {
  readonly enabled: boolean;
  readonly label: string;
  readonly durationMs: number;
  readonly write: (text: string) => void;
  readonly now?: () => number;
  /** Plain lines (stderr is not a terminal) instead of a line redrawn in place. */
  readonly plain?: boolean;
  /** The line for a value other than simulated time (a sweep's runs done); `label` is then unused. */
  readonly describe?: (value: number) => string;
  /** Plain lines at most this often (default PLAIN_INTERVAL_MS). */
  readonly plainIntervalMs?: number;
}): Progress {
  if (!options.enabled) return silent;
  const now = options.now ?? Date.now;
  const plainIntervalMs = options.plainIntervalMs ?? PLAIN_INTERVAL_MS;
  const describe =
    options.describe ??
    ((simulatedMs: number): string => {
      const ratio = options.durationMs > 0 ? Math.min(1, simulatedMs / options.durationMs) : 0;
      const percent = Math.floor(ratio * 100);
      return `${options.label}: ${formatDuration(simulatedMs)} of ${formatDuration(options.durationMs)} simulated (${percent}%)`;
    });
  if (options.plain === true) {
    const startedAt = now();
    let lastLine = startedAt;
    return {
      update(simulatedMs) {
        const t = now();
        if (t - lastLine < plainIntervalMs) return;
        lastLine = t;
        // A line of the caller's own (`describe`) says its elapsed time itself.
        const elapsed = options.describe === undefined ? ` · ${formatElapsed(t - startedAt)}` : "";
        options.write(`${describe(simulatedMs)}${elapsed}\n`);
      },
      clear() {},
    };
  }
  let shown = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  return {
    update(simulatedMs) {
      const t = now();
      if (t - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = t;
      // \r back to column 0, then erase the line: shorter text leaves nothing behind.
      options.write(`\r\u001b[2K${describe(simulatedMs)}`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      options.write("\r\u001b[2K");
      shown = false;
    },
  };
}
