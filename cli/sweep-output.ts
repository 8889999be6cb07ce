// `lbsim sweep` output: one row per grid point × strategy with each metric's mean and 95% interval, as JSON, CSV and a table.
import { confidenceInterval95, mean } from "./check-stats.js";
import { formatCount, formatLatency, formatPercent, formatSignificant } from "./format.js";
import { csvField } from "./output.js";
import { SWEEP_METRICS, type SweepMetric } from "./sweep-metrics.js";
import type { SweepAxis, SweepPlan, SweepPoint } from "./sweep-plan.js";
import type { SweepRun } from "./sweep-run.js";

/** The JSON's `version`: raised when a field changes meaning (fields are only ever added). */
export const SWEEP_JSON_VERSION = 1;

export interface SweepFigure {
  /** Mean over the replications that finished; null when none did. */
  readonly mean: number | null;
  /** Student's t 95% interval of the mean; null with fewer than two replications. */
  readonly low: number | null;
  readonly high: number | null;
}

export interface SweepRow {
  /** 1-based index of the grid point (first `--set` varying slowest). */
  readonly point: number;
  /** The point's value of each swept path, as written on the command line. */
  readonly values: Readonly<Record<string, string>>;
  readonly strategy: string;
  /** Seeds of the replications that finished, ascending (seed + r). */
  readonly seeds: ReadonlyArray<number>;
  /** False when Ctrl-C left some of this row's replications unrun. */
  readonly complete: boolean;
  readonly metrics: Readonly<Record<string, SweepFigure>>;
  /** With `--replications auto` (cli/sweep-auto.ts): this row's count and whether every metric settled. */
  readonly replicationsAuto?: {
    readonly used: number;
    readonly settled: boolean;
    readonly unsettled?: { readonly metric: string; readonly mean: number; readonly halfWidth: number };
  };
}

export interface SweepJson {
  readonly version: number;
  readonly scenario: string;
  readonly file: string;
  readonly lbsim: string;
  readonly parameters: ReadonlyArray<{ readonly path: string; readonly values: ReadonlyArray<string> }>;
  readonly strategies: ReadonlyArray<string>;
  readonly replications: number;
  readonly metrics: ReadonlyArray<{ readonly key: string; readonly unit: SweepMetric["unit"] }>;
  readonly runs: { readonly total: number; readonly done: number; readonly missing: number };
  /** False when Ctrl-C stopped the sweep: rows with `complete: false` lack replications. */
  readonly complete: boolean;
  readonly rows: ReadonlyArray<SweepRow>;
  /** With `--replications auto`: the precision (0.05 for 5%), the replications run first, and --max. */
  readonly replicationsAuto?: { readonly precision: number; readonly min: number; readonly max: number };
}

/** What the rows are built from: a plan, or the same read back from shard files by `lbsim merge`. */
export interface SweepOutline {
  readonly axes: ReadonlyArray<Pick<SweepAxis, "path" | "values">>;
  readonly strategies: SweepPlan["strategies"];
  readonly replications: number;
  readonly totalRuns: number;
  readonly points: ReadonlyArray<Pick<SweepPoint, "values" | "baseSeed">>;
}

export function sweepRows(plan: SweepOutline, run: Pick<SweepRun, "figures">): SweepRow[] {
  const rows: SweepRow[] = [];
  const r = plan.replications;
  plan.points.forEach((point, p) => {
    const values = Object.fromEntries(plan.axes.map((a, i) => [a.path, point.values[i] as string]));
    plan.strategies.forEach((strategy, s) => {
      const first = (p * plan.strategies.length + s) * r;
      const finished: Array<{ seed: number; figures: ReadonlyArray<number> }> = [];
      for (let k = 0; k < r; k++) {
        const figures = run.figures[first + k];
        if (figures !== undefined) finished.push({ seed: point.baseSeed + k, figures });
      }
      const metrics = Object.fromEntries(
        SWEEP_METRICS.map((metric, m) => [metric.key, figureOf(finished.map((f) => f.figures[m] as number))]),
      );
      rows.push({
        point: p + 1,
        values,
        strategy,
        seeds: finished.map((f) => f.seed),
        complete: finished.length === r,
        metrics,
      });
    });
  });
  return rows;
}

/** The same mean and t-interval as `lbsim compare --replications` (cli/check-stats.ts). */
function figureOf(values: ReadonlyArray<number>): SweepFigure {
  if (values.length === 0) return { mean: null, low: null, high: null };
  const ci = confidenceInterval95(values);
  return { mean: mean(values), low: ci?.low ?? null, high: ci?.high ?? null };
}

export function sweepJson(
  plan: SweepOutline,
  run: Pick<SweepRun, "figures" | "done">,
  about: { readonly scenario: string; readonly file: string; readonly version: string },
): SweepJson {
  return {
    version: SWEEP_JSON_VERSION,
    scenario: about.scenario,
    file: about.file,
    lbsim: about.version,
    parameters: plan.axes.map((a) => ({ path: a.path, values: a.values })),
    strategies: plan.strategies,
    replications: plan.replications,
    metrics: SWEEP_METRICS.map((m) => ({ key: m.key, unit: m.unit })),
    runs: { total: plan.totalRuns, done: run.done, missing: plan.totalRuns - run.done },
    complete: run.done === plan.totalRuns,
    rows: sweepRows(plan, run),
  };
}

/**
 * RFC 4180 CSV: `point`, one column per swept path, `strategy`, `replications`, `complete`, then
 * `<metric>`, `<metric>_low`, `<metric>_high` per metric (empty when there is no figure).
 */
export function sweepCsv(json: SweepJson): string {
  const header = [
    "point",
    ...json.parameters.map((p) => p.path),
    "strategy",
    "replications",
    "complete",
    ...json.metrics.flatMap((m) => [m.key, `${m.key}_low`, `${m.key}_high`]),
  ];
  const cell = (x: number | null) => (x === null ? "" : String(x));
  const lines = [header.map(csvField).join(",")];
  for (const row of json.rows) {
    lines.push(
      [
        String(row.point),
        ...json.parameters.map((p) => csvField(row.values[p.path] ?? "")),
        csvField(row.strategy),
        String(row.seeds.length),
        String(row.complete),
        ...json.metrics.flatMap((m) => {
          const f = row.metrics[m.key];
          return f === undefined ? ["", "", ""] : [cell(f.mean), cell(f.low), cell(f.high)];
        }),
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** The table's metrics: what fits a terminal; the CSV and JSON hold every one. */
const TABLE_METRICS = ["p50Ms", "p95Ms", "p99Ms", "errorRate", "throughputPerS", "maxQueued"];

function show(metric: SweepMetric, x: number): string {
  switch (metric.unit) {
    case "ms":
      return formatLatency(x);
    case "ratio":
      return formatPercent(x);
    case "per-s":
      return `${formatSignificant(x)}/s`;
    default:
      return Number.isInteger(x) ? formatCount(x) : formatSignificant(x);
  }
}

/** `21.3 ms ±0.4`: the mean, and the interval's half-width when there is one. */
function cellOf(metric: SweepMetric, f: SweepFigure | undefined): string {
  if (f === undefined || f.mean === null) return "-";
  if (f.low === null || f.high === null) return show(metric, f.mean);
  const half = (f.high - f.low) / 2;
  // Every replication gave the same value (0 errors): "±0" says nothing.
  if (half === 0) return show(metric, f.mean);
  // The half-width in the mean's own unit (a mean of 10.8 s is ±1.24 s, not ±1241).
  const halfText =
    metric.unit === "ms"
      ? formatLatency(half)
      : metric.unit === "ratio"
        ? formatPercent(half)
        : formatSignificant(half);
  return `${show(metric, f.mean)} ±${halfText}`;
}

export function sweepTable(json: SweepJson): string {
  const metrics = TABLE_METRICS.map((key) => SWEEP_METRICS.find((m) => m.key === key) as SweepMetric);
  const header = [...json.parameters.map((p) => p.path), "strategy", "n", ...metrics.map((m) => m.title)];
  const body = json.rows.map((row) => [
    ...json.parameters.map((p) => row.values[p.path] ?? ""),
    row.strategy,
    `${row.seeds.length}${row.complete ? "" : "*"}${row.replicationsAuto?.settled === false ? "!" : ""}`,
    ...metrics.map((m) => cellOf(m, row.metrics[m.key])),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((line) => (line[c] ?? "").length)));
  const format = (line: ReadonlyArray<string>) =>
    line
      .map((text, c) =>
        c < json.parameters.length + 1 ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const lines = [format(header), ...body.map(format)];
  const n = json.replications;
  lines.push("");
  const auto = json.replicationsAuto;
  lines.push(
    auto !== undefined
      ? `Means over each row's n replications (--replications auto: added until every metric's 95% half-width is within ${Number((auto.precision * 100).toPrecision(3))}% of its mean, at most ${auto.max}), ± the half-width.`
      : n > 1
        ? `Means over ${n} replications (seeds seed..seed+${n - 1}), ± the half-width of the 95% interval.`
        : "One replication per row: no interval (use --replications N for means with 95% intervals).",
  );
  if (json.rows.some((row) => row.replicationsAuto?.settled === false)) {
    lines.push("Rows marked ! reached --max before every metric settled (their JSON rows say which).");
  }
  if (!json.complete) {
    lines.push(
      `INCOMPLETE: stopped by Ctrl-C; ${formatCount(json.runs.missing)} of ${formatCount(json.runs.total)} runs missing (rows marked * lack replications).`,
    );
  }
  return `${lines.join("\n")}\n`;
}
