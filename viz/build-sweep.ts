// The view of a sweep's report (`lbsim sweep|merge --report`): from the sweep JSON's rows, one chart per metric, x the first swept parameter, a line per strategy.
import { variantColor } from "./palette.js";
import type { Variant } from "./view.js";

/** What the builder reads of the sweep JSON (cli/sweep-output.ts SweepJson; docs/results.md "Sweep JSON"). */
export interface SweepInput {
  readonly scenario: string;
  readonly file: string;
  readonly lbsim: string;
  readonly parameters: ReadonlyArray<{ readonly path: string; readonly values: ReadonlyArray<string> }>;
  readonly strategies: ReadonlyArray<string>;
  readonly replications: number;
  readonly metrics: ReadonlyArray<{ readonly key: string; readonly unit: string }>;
  readonly runs: { readonly total: number; readonly done: number; readonly missing: number };
  readonly complete: boolean;
  readonly rows: ReadonlyArray<{
    readonly values: Readonly<Record<string, string>>;
    readonly strategy: string;
    readonly seeds: ReadonlyArray<number>;
    readonly metrics: Readonly<
      Record<
        string,
        { readonly mean: number | null; readonly low: number | null; readonly high: number | null }
      >
    >;
  }>;
  readonly replicationsAuto?: { readonly precision: number; readonly min: number; readonly max: number };
}

/**
 * The swept parameter on x. `numeric` when every value is a number with one unit (`100/s`, `2s`,
 * `3`) or a duration in mixed units (`500ms`, `1s`, converted to `unit`): positioned by value.
 * `band` otherwise (`{ exponential: 10ms }`, names): the values in the order given, evenly spaced.
 */
export interface SweepXAxis {
  readonly path: string;
  readonly labels: ReadonlyArray<string>;
  readonly kind: "numeric" | "band";
  /** The numeric values in `unit`, one per label (numeric only). */
  readonly numbers?: ReadonlyArray<number>;
  /** `/s`, `s`, `ms`, `` (a plain number). */
  readonly unit?: string;
}

/** One point of a line: the mean at x index `x`, its 95% interval, how many replications made it. */
export interface SweepPointView {
  readonly x: number;
  /** null: no replication finished there (Ctrl-C) or the metric is missing: a gap, never a 0. */
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
}

export interface SweepPanel {
  /** `backend.check.inter = 2s` (the other parameters' values), empty with one `--set`. */
  readonly title: string;
  /** The title's parts, one per other parameter (`backend.check.inter = 2s`): a narrow panel shows one a line. */
  readonly titleParts: ReadonlyArray<string>;
  readonly lines: ReadonlyArray<{
    readonly variant: Variant;
    readonly points: ReadonlyArray<SweepPointView>;
  }>;
}

export interface SweepChartView {
  readonly key: string;
  /** `p99 latency`. */
  readonly title: string;
  readonly unit: string;
  /** The y axis's title with its unit: `p99 latency (ms)`. */
  readonly axisLabel: string;
  readonly panels: ReadonlyArray<SweepPanel>;
  /** True when some point has a 95% interval (two replications or more): bands are drawn. */
  readonly banded: boolean;
  /** Said in the chart when it has no band or no point: `1 replication: no interval`. */
  readonly note?: string;
}

export interface SweepView {
  readonly title: string;
  readonly generator: string;
  readonly scenario: string;
  readonly file: string;
  readonly parameters: SweepInput["parameters"];
  readonly variants: ReadonlyArray<Variant>;
  readonly replications: number;
  readonly replicationsAuto?: SweepInput["replicationsAuto"];
  /** Each grid point's first seed, distinct, ascending (one number unless a --set changes the seed). */
  readonly seeds: ReadonlyArray<number>;
  readonly runs: SweepInput["runs"];
  readonly partial: boolean;
  readonly x: SweepXAxis;
  readonly charts: ReadonlyArray<SweepChartView>;
}

/** Titles and axis words of the metrics lbsim sweeps (cli/sweep-metrics.ts); an unknown key is shown as it is. */
const METRIC_TITLES: Readonly<Record<string, string>> = {
  meanMs: "Mean latency",
  p50Ms: "p50 latency",
  p95Ms: "p95 latency",
  p99Ms: "p99 latency",
  errorRate: "Error rate",
  throughputPerS: "Throughput",
  queueMeanMs: "Mean time queued",
  maxQueued: "Longest queue",
  unfinished: "Unfinished requests",
};

const UNIT_WORDS: Readonly<Record<string, string>> = {
  ms: "ms",
  ratio: "% of requests",
  "per-s": "requests/s",
  count: "requests",
};

/** Durations a scenario file writes, in ms (scenarios/ accepts these suffixes). */
const DURATION_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const NUMBER_WITH_UNIT = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)(\S*)$/i;

/** The x axis of the first swept parameter: numeric with its unit when its values allow, else bands. */
export function sweepXAxis(path: string, labels: ReadonlyArray<string>): SweepXAxis {
  const band: SweepXAxis = { path, labels, kind: "band" };
  const parsed = labels.map((label) => NUMBER_WITH_UNIT.exec(label.trim()));
  if (labels.length === 0 || parsed.some((m) => m === null)) return band;
  const values = parsed.map((m) => Number(m?.[1]));
  const units = parsed.map((m) => m?.[2] ?? "");
  if (values.some((v) => !Number.isFinite(v))) return band;
  const [first] = units;
  if (units.every((u) => u === first)) return { path, labels, kind: "numeric", numbers: values, unit: first };
  // Durations written in several units (500ms, 1s, 2s): on one axis, in seconds when all reach one.
  if (units.every((u) => DURATION_MS[u] !== undefined)) {
    const ms = values.map((v, i) => v * (DURATION_MS[units[i] as string] as number));
    const inSeconds = ms.every((v) => v >= 1000);
    return {
      path,
      labels,
      kind: "numeric",
      numbers: ms.map((v) => (inSeconds ? v / 1000 : v)),
      unit: inSeconds ? "s" : "ms",
    };
  }
  return band;
}

/** `p = v, q = w`: a panel's or a tooltip's naming of parameter values. */
function naming(paths: ReadonlyArray<string>, values: Readonly<Record<string, string>>): string {
  return paths.map((path) => `${path} = ${values[path] ?? ""}`).join(", ");
}

/** Every combination of the other parameters' values, the first varying slowest (the grid's order). */
function combinations(
  parameters: ReadonlyArray<{ readonly path: string; readonly values: ReadonlyArray<string> }>,
): Array<Record<string, string>> {
  let combos: Array<Record<string, string>> = [{}];
  for (const p of parameters) combos = combos.flatMap((c) => p.values.map((v) => ({ ...c, [p.path]: v })));
  return combos;
}

/** The sweep's report view: deterministic, plain JSON-able data (sweep and merge give the same input, so the same view). */
export function sweepView(input: SweepInput, seeds: ReadonlyArray<number>): SweepView {
  const [first, ...others] = input.parameters;
  const x = sweepXAxis(first?.path ?? "", first?.values ?? []);
  const variants = input.strategies.map((name, i) => ({ name, color: variantColor(i) }));
  const otherPaths = others.map((p) => p.path);
  // Rows by their parameters' values and strategy: a grid point × strategy is one row.
  const rowKey = (values: Readonly<Record<string, string>>, strategy: string) =>
    JSON.stringify([...input.parameters.map((p) => values[p.path] ?? ""), strategy]);
  const rows = new Map(input.rows.map((row) => [rowKey(row.values, row.strategy), row]));
  const panelsOf = (key: string): SweepPanel[] =>
    combinations(others).map((fixed) => ({
      title: naming(otherPaths, fixed),
      titleParts: otherPaths.map((path) => naming([path], fixed)),
      lines: variants.map((variant) => ({
        variant,
        points: x.labels.map((label, index) => {
          const row = rows.get(rowKey({ ...fixed, [x.path]: label }, variant.name));
          const figure = row?.metrics[key];
          const mean = finite(figure?.mean);
          return {
            x: index,
            mean,
            low: mean === null ? null : finite(figure?.low),
            high: mean === null ? null : finite(figure?.high),
            n: row?.seeds.length ?? 0,
          };
        }),
      })),
    }));
  const charts = input.metrics.map(({ key, unit }) => {
    const panels = panelsOf(key);
    const title = METRIC_TITLES[key] ?? key;
    const word = UNIT_WORDS[unit] ?? unit;
    const points = panels.flatMap((p) => p.lines.flatMap((l) => l.points));
    const banded = points.some((pt) => pt.low !== null && pt.high !== null);
    const drawn = points.filter((pt) => pt.mean !== null);
    const interval = banded
      ? undefined
      : points.every((pt) => pt.n <= 1)
        ? "1 replication: no interval"
        : "No interval";
    // A flat line at 0 reads like a missing axis: the chart says it (0 errors is an answer).
    const zero =
      drawn.length > 0 && drawn.every((pt) => pt.mean === 0 && (pt.low ?? 0) === 0 && (pt.high ?? 0) === 0);
    const notes =
      drawn.length === 0
        ? ["No run finished: nothing to draw"]
        : [
            ...(interval === undefined ? [] : [interval]),
            ...(zero ? ["0 at every point, for every strategy"] : []),
          ];
    const note = notes.length === 0 ? undefined : notes.join(" · ");
    return {
      key,
      title,
      unit,
      axisLabel: word === "" ? title : `${title} (${word})`,
      panels,
      banded,
      ...(note === undefined ? {} : { note }),
    };
  });
  return {
    title: `${input.scenario} · sweep of ${input.parameters.map((p) => p.path).join(" × ")}`,
    generator: `lbsim ${input.lbsim}`,
    scenario: input.scenario,
    file: input.file,
    parameters: input.parameters,
    variants,
    replications: input.replications,
    ...(input.replicationsAuto === undefined ? {} : { replicationsAuto: input.replicationsAuto }),
    seeds: [...new Set(seeds)].sort((a, b) => a - b),
    runs: input.runs,
    partial: !input.complete,
    x,
    charts,
  };
}

function finite(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}
