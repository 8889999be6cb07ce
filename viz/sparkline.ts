// Sparklines: a series drawn in one line of eighth-blocks, for terminals and plain-text reports.

const BARS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

export type Reduce = "mean" | "max" | "sum";

/**
 * Fits `values` into at most `width` cells, each cell combining a run of consecutive values with
 * `reduce` (a sum for counts per bucket, a max for percentiles, so a spike is never averaged away).
 */
export function downsample(values: ReadonlyArray<number>, width: number, reduce: Reduce): number[] {
  if (!(width >= 1)) throw new Error(`sparkline width must be ≥ 1, got ${width}`);
  if (values.length <= width) return [...values];
  const cells = Math.ceil(values.length / Math.ceil(values.length / width));
  const per = Math.ceil(values.length / cells);
  const out: number[] = [];
  for (let start = 0; start < values.length; start += per) {
    const run = values.slice(start, start + per);
    if (reduce === "max") out.push(Math.max(...run));
    else {
      const sum = run.reduce((a, b) => a + b, 0);
      out.push(reduce === "sum" ? sum : sum / run.length);
    }
  }
  return out;
}

/**
 * One character per value, scaled from 0 to the largest value (▁ … █). Zero draws a blank when
 * `blankZero` is set, so that "no errors" and "a few errors" look different at a glance.
 */
export function sparkline(
  values: ReadonlyArray<number>,
  options: { readonly blankZero?: boolean } = {},
): string {
  const top = Math.max(0, ...values.filter(Number.isFinite));
  return values
    .map((v) => {
      if (!Number.isFinite(v) || v <= 0) return options.blankZero === true ? " " : BARS[0];
      if (top === 0) return BARS[0];
      const level = Math.min(BARS.length - 1, Math.ceil((v / top) * BARS.length) - 1);
      return BARS[Math.max(0, level)];
    })
    .join("");
}

/** Labels of marked cells, in order: 1–9, then a–z; further marks all read `+`. */
const MARK_LABELS = "123456789abcdefghijklmnopqrstuvwxyz";

export function markLabel(index: number): string {
  return MARK_LABELS[index] ?? "+";
}

/**
 * The cell a moment falls in, for `cells` cells of `cellMs` each from 0 (as `downsample` cuts a
 * series of buckets); a moment at or past the end (an action at the last instant) takes the last cell.
 */
export function cellAt(atMs: number, cellMs: number, cells: number): number {
  if (cells <= 0) throw new Error(`a mark needs at least one cell, got ${cells}`);
  if (!(atMs > 0) || !(cellMs > 0)) return 0;
  return Math.min(cells - 1, Math.floor(atMs / cellMs));
}

/**
 * One line of `width` cells, blank but for each mark's one-character label at its cell: drawn
 * under a sparkline, it points at the moments where something happened. A later mark at the same
 * cell replaces an earlier one (callers give one label per cell).
 */
export function markLine(
  width: number,
  marks: ReadonlyArray<{ readonly cell: number; readonly label: string }>,
): string {
  const cells = Array.from({ length: width }, () => " ");
  for (const { cell, label } of marks) if (cell >= 0 && cell < width) cells[cell] = label.slice(0, 1);
  return cells.join("").trimEnd();
}
