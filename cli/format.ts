// Number and unit formatting for the CLI's text output (table, progress, messages); locale-free.

/** `1234567` → `1,234,567`. Fixed separator so output is the same on every machine. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.round(Math.abs(n)));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return sign + out;
}

/** Three significant digits, no exponent, no trailing zeros: 21.34 → "21.3", 197.6 → "198", 1234 → "1234". */
export function formatSignificant(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, 2 - magnitude);
  return trimZeros(x.toFixed(decimals));
}

/** A latency in ms with a unit that keeps 3 significant digits readable: 850 µs, 21.3 ms, 1.25 s. */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return "0 ms";
  const abs = Math.abs(ms);
  // Thresholds sit where 3 significant digits would round up to the next unit (999.7 ms → 1 s).
  if (abs < 0.9995) return `${formatSignificant(ms * 1000)} µs`;
  if (abs < 999.5) return `${formatSignificant(ms)} ms`;
  return `${formatSignificant(ms / 1000)} s`;
}

/** A simulated span in HAProxy's style: 250ms, 12.5s, 1m30s, 2h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${formatSignificant(ms)}ms`;
  if (ms < 60_000) return `${formatSignificant(ms / 1000)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  let out = "";
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0) out += `${minutes}m`;
  if (seconds > 0) out += `${seconds}s`;
  return out;
}

/** A ratio 0..1 as a percentage: 0.4213 → "42.1%", 0.00194 → "0.19%"; exact 0 and 100 plainly. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  const percent = ratio * 100;
  if (percent === 0 || percent === 100) return `${percent}%`;
  // Small but non-zero error rates must not read as 0.
  if (Math.abs(percent) < 0.1) return `${formatSignificant(percent)}%`;
  if (Math.abs(percent) < 1) return `${percent.toFixed(2)}%`;
  return `${percent.toFixed(1)}%`;
}

/** Milliseconds for CSV: at most 3 decimals, no trailing zeros, never an exponent ("-1" stays "-1"). */
export function formatCsvMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const rounded = Math.round(ms * 1000) / 1000;
  if (Number.isInteger(rounded)) return String(rounded === 0 ? 0 : rounded);
  return trimZeros(rounded.toFixed(3));
}

function trimZeros(fixed: string): string {
  if (!fixed.includes(".")) return fixed;
  const trimmed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}
