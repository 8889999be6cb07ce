// The progress line of a long run, redrawn in place on stderr, and only when stderr is a terminal.
import { formatDuration } from "./format.js";

export interface Progress {
  update(simulatedMs: number): void;
  /** Erases the line (before anything else is printed). */
  clear(): void;
}

const REDRAW_INTERVAL_MS = 100;

const silent: Progress = { update: () => {}, clear: () => {} };

export function createProgress(options: {
  readonly enabled: boolean;
  readonly label: string;
  readonly durationMs: number;
  readonly write: (text: string) => void;
  readonly now?: () => number;
}): Progress {
  if (!options.enabled) return silent;
  const now = options.now ?? Date.now;
  let shown = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  return {
    update(simulatedMs) {
      const t = now();
      if (t - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = t;
      const ratio = options.durationMs > 0 ? Math.min(1, simulatedMs / options.durationMs) : 0;
      const percent = Math.floor(ratio * 100);
      const text = `${options.label}: ${formatDuration(simulatedMs)} of ${formatDuration(options.durationMs)} simulated (${percent}%)`;
      // \r back to column 0, then erase the line: shorter text leaves nothing behind.
      options.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      options.write("\r\u001b[2K");
      shown = false;
    },
  };
}
