// The report's view: what each chart and table draws, built from Results (viz/build-*.ts) and read
// by the chart functions (viz/charts/*.ts), the page (viz/report-html.ts) and the SVG/PNG export.
// Plain JSON data (it is inlined in the HTML report): no functions, no class instances, no Map.

/** One strategy (or the run's one strategy), with its colour, the same in every chart. */
export interface Variant {
  readonly name: string;
  /** A CSS colour (`#1f77b4`). */
  readonly color: string;
}

/**
 * A value per time bucket. With one run, `mean` is that run's value and there is no band; with
 * replications, `mean` is the mean over them and `low`/`high` its 95% interval (Student's t).
 */
export interface BandSeries {
  readonly mean: ReadonlyArray<number>;
  readonly low?: ReadonlyArray<number>;
  readonly high?: ReadonlyArray<number>;
}

/** The time axis every time chart shares: bucket starts, bucket width, the run's length. */
export interface TimeAxis {
  readonly atMs: ReadonlyArray<number>;
  readonly bucketMs: number;
  readonly durationMs: number;
  readonly warmupMs: number;
}

/** A timeline action as applied (Results.timeline), drawn as a labelled marker on every time chart. */
export interface ActionMarker {
  readonly atMs: number;
  readonly action: string;
  readonly server?: string;
  readonly text: string;
}

/**
 * A failover window, shaded on the time charts: from the action that broke `server` (crash, hang,
 * partition…) to its DOWN, then to its next UP. `downMs`/`upMs` are null when that never happened
 * before the end of the run (the shading then runs to `endMs`).
 */
export interface FailoverWindow {
  readonly server: string;
  readonly variant: string;
  /**
   * With replications, each replication has its own windows: its number (1, 2…) and seed. The
   * charts draw each at a share of the tint, so where the replications agree the shading is full
   * and where their checks saw the failure at different times it fades over the range.
   */
  readonly replication?: number;
  readonly seed?: number;
  readonly actionMs: number;
  readonly downMs: number | null;
  readonly upMs: number | null;
  readonly endMs: number;
}

/** Latency percentiles over time (ms), one set of lines per variant. */
export interface LatencyOverTime {
  readonly axis: TimeAxis;
  readonly lines: ReadonlyArray<{
    readonly variant: Variant;
    readonly p50: BandSeries;
    readonly p90: BandSeries;
    readonly p99: BandSeries;
    /**
     * Requests that finished in each bucket (mean over replications). A bucket where it is 0 has
     * no latency: its p50/p90/p99 read 0 and mean "no data", so a chart leaves a gap there rather
     * than drawing a drop to 0 ms (the view is JSON: NaN would become null). With replications, a
     * bucket's percentiles are the mean over the replications where requests finished in it.
     */
    readonly requests?: BandSeries;
  }>;
  readonly actions: ReadonlyArray<ActionMarker>;
  readonly failover: ReadonlyArray<FailoverWindow>;
}

/** The latency distribution on a "nines" axis (Results.latencyDistribution), one line per variant. */
export interface Distribution {
  readonly lines: ReadonlyArray<{
    readonly variant: Variant;
    /** Percentiles from 0 to 100, ascending; `valuesMs` at each (the mean over replications). */
    readonly percentiles: ReadonlyArray<number>;
    readonly valuesMs: ReadonlyArray<number>;
    /** With replications: the 95% band of the value at each percentile. */
    readonly lowMs?: ReadonlyArray<number>;
    readonly highMs?: ReadonlyArray<number>;
  }>;
}

/** A server of a backend as the share and stats charts show it. */
export interface ServerInfo {
  /** As in Results.servers[].name. */
  readonly name: string;
  /** Configured weight (0..256); null when Results do not say. */
  readonly weight: number | null;
  readonly backup: boolean;
  /** Its share by weight among the backend's active servers (backups: 0); null when weights are unknown. */
  readonly idealShare: number | null;
}

/** Requests per server: each variant's share bars, the ideal share by weight marked. */
export interface Shares {
  readonly servers: ReadonlyArray<ServerInfo>;
  readonly bars: ReadonlyArray<{
    readonly variant: Variant;
    /** One per server, in `servers` order: the share (0..1), with its 95% band with replications. */
    readonly shares: ReadonlyArray<{ readonly share: number; readonly low?: number; readonly high?: number }>;
  }>;
}

/** In flight and queued per server over time (time averages per bucket), one panel per server. */
export interface ServerLoad {
  readonly axis: TimeAxis;
  readonly servers: ReadonlyArray<string>;
  readonly lines: ReadonlyArray<{
    readonly variant: Variant;
    /** Per server (keys of `servers`), one value per bucket. */
    readonly inFlight: Readonly<Record<string, BandSeries>>;
    readonly queued: Readonly<Record<string, BandSeries>>;
  }>;
  readonly actions: ReadonlyArray<ActionMarker>;
  readonly failover: ReadonlyArray<FailoverWindow>;
}

/** A span of one HAProxy status: `UP`, `UP 1/3` (going down), `DOWN`, `DOWN 1/2` (going up), `DRAIN`, `MAINT`, `NOLB`, `no check`. */
export interface StateSpan {
  readonly fromMs: number;
  readonly toMs: number;
  readonly state: string;
}

/** Health swimlanes: one lane per server (per variant when several), failed checks marked. */
export interface Health {
  readonly axis: TimeAxis;
  readonly lanes: ReadonlyArray<{
    readonly server: string;
    readonly variant: Variant;
    readonly spans: ReadonlyArray<StateSpan>;
    /** Failed health checks: per bucket with any, its start and how many failed in it. */
    readonly failedChecks: ReadonlyArray<{ readonly atMs: number; readonly count: number }>;
  }>;
  readonly actions: ReadonlyArray<ActionMarker>;
}

/** Errors over time, stacked by status and by termination state (counts per bucket). */
export interface ErrorsOverTime {
  readonly axis: TimeAxis;
  readonly variants: ReadonlyArray<{
    readonly variant: Variant;
    /** Keyed as Results.requests.byStatus (`"503"`, `"-1"`); only keys with a failure. Means over replications. */
    readonly byStatus: ReadonlyArray<{ readonly key: string; readonly counts: ReadonlyArray<number> }>;
    /** Keyed as Results.requests.byTermination (`"sC"`, `"SH"`, `"--"`). */
    readonly byTermination: ReadonlyArray<{ readonly key: string; readonly counts: ReadonlyArray<number> }>;
  }>;
  readonly actions: ReadonlyArray<ActionMarker>;
  readonly failover: ReadonlyArray<FailoverWindow>;
}

/** One row of the HAProxy-stats-style table (one per server per variant; first replication's figures). */
export interface StatsRow {
  readonly variant: string;
  readonly server: string;
  /** Last status (`UP`, `DOWN`, `DRAIN`, `MAINT`, `UP 1/3`…). */
  readonly status: string;
  readonly weight: number | null;
  readonly backup: boolean;
  /** Sessions: at the end of the run (null when unknown), most at once (`smax`), total (`stot`). */
  readonly sessionsCur: number | null;
  readonly sessionsMax: number;
  readonly sessionsTotal: number;
  readonly queueCur: number | null;
  readonly queueMax: number;
  readonly requests: number;
  readonly share: number;
  readonly utilization: number;
  readonly retries: number;
  readonly redispatches: number;
  readonly connectErrors: number;
  readonly responseErrors: number;
  /** Last check as HAProxy's stats page shows it (`L4OK`, `L4CON`, `L7TOUT`…); null without checks or when unknown. */
  readonly lastCheck: string | null;
  readonly checksFailed: number;
  readonly downs: number;
  /** Time spent DOWN over the run. */
  readonly downtimeMs: number;
}

/** One line of the summary: a figure per variant, as Gatling's and k6's summaries open with. */
export interface SummaryRow {
  readonly key: string;
  readonly label: string;
  readonly unit: "ms" | "count" | "ratio" | "per-second";
  readonly better: "lower" | "higher" | "none";
  /** Per variant in order: the value (mean over replications), null when there is none. */
  readonly values: ReadonlyArray<number | null>;
  /** Per variant: 95% interval with replications. */
  readonly ci95?: ReadonlyArray<{ readonly low: number; readonly high: number } | null>;
  /** The variant told apart as best (compare's verdict `winner`), when there is one. */
  readonly winner?: string;
  /** The comparison's verdict for this row (`winner`, `indistinguishable`, `one run`, `same`, `unranked`). */
  readonly verdict?: string;
}

/** An expectation and its verdict. */
export interface CheckView {
  readonly name: string;
  readonly pass: boolean;
  readonly actual: number | null;
  readonly limit?: number;
  readonly note?: string;
  /** The variant it was checked on, when it is one run's. */
  readonly variant?: string;
}

/** Everything about one backend's servers. */
export interface BackendSection {
  readonly name: string;
  readonly shares: Shares;
  readonly load: ServerLoad;
  readonly health: Health;
  readonly stats: ReadonlyArray<StatsRow>;
  /** Servers whose time charts were folded into `other` because there are too many to draw. */
  readonly folded?: number;
}

/**
 * Several balancer instances (`Results.balancers[]`, a scenario with `balancers:`): how each one
 * spread its requests over the servers, beside the totals, and each one's own figures. Means over
 * the replications, instance by instance (lb1 of every replication, lb2…).
 */
export interface BalancerInstances {
  /** `lb1`, `lb2`…, in the order requests are spread over them. */
  readonly instances: ReadonlyArray<string>;
  /** Every server, as in Results.servers[].name. */
  readonly servers: ReadonlyArray<string>;
  readonly variants: ReadonlyArray<{
    readonly variant: Variant;
    /** Per server (in `servers` order), per instance (in `instances` order): its share of that instance's requests. */
    readonly shares: ReadonlyArray<ReadonlyArray<number>>;
    /** Per server: its share of every instance's requests together (Results.servers[].share). */
    readonly total: ReadonlyArray<number>;
  }>;
  /** One row per variant per instance: the instance's own figures. */
  readonly rows: ReadonlyArray<InstanceRow>;
}

/** One balancer instance's figures in the instances table (means over replications). */
export interface InstanceRow {
  readonly variant: string;
  readonly instance: string;
  /** Steady-state requests that reached it, and its share of all instances' requests. */
  readonly requests: number;
  readonly share: number;
  readonly failed: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** The longest of its own backend queues. */
  readonly maxQueue: number;
  /** Active checks it ran, every server together, and the UP→DOWN transitions it saw. */
  readonly checks: number;
  readonly downs: number;
}

/** One scenario's report (a run, a comparison, or one scenario of a check). */
export interface SectionView {
  /** A stable id for anchors (`s0`, `s1`…). */
  readonly id: string;
  readonly scenario: string;
  readonly file?: string;
  readonly description?: string;
  readonly seeds: ReadonlyArray<number>;
  readonly replications: number;
  readonly variants: ReadonlyArray<Variant>;
  /** Plain sentences saying the result first ("leastconn wins: p99 153 ms against 295 ms…"). */
  readonly headline: ReadonlyArray<string>;
  readonly summary: ReadonlyArray<SummaryRow>;
  readonly warnings: ReadonlyArray<string>;
  readonly checks: ReadonlyArray<CheckView>;
  /** The check's status (`pass`, `fail`, …) for a check's section. */
  readonly status?: string;
  /**
   * Present when the section has no runs to draw (a check's scenario with `no expectations`, or
   * `interrupted` before a replication was complete): why. Its charts are then empty (no variants'
   * lines, no backends) and only the verdicts are shown.
   */
  readonly notRun?: string;
  readonly latency: LatencyOverTime;
  readonly distribution: Distribution;
  readonly errors: ErrorsOverTime;
  readonly backends: ReadonlyArray<BackendSection>;
  /** Present when the runs had several balancer instances (`balancers:`). */
  readonly instances?: BalancerInstances;
}

export interface ReportView {
  readonly kind: "run" | "compare" | "check";
  readonly title: string;
  /** `lbsim 0.1.0`: what wrote it. No wall-clock time, so the same input gives the same bytes. */
  readonly generator: string;
  readonly sections: ReadonlyArray<SectionView>;
  /** True when Ctrl-C stopped the run, comparison or check: the report shows only what finished. */
  readonly partial?: boolean;
}

/** How a chart is drawn: its width in CSS pixels and the base font size (large type: bigger). */
export interface ChartOptions {
  readonly width: number;
  /** Base font size in px: 12 normally, 20 with large type. Sizes, strokes and margins scale with it. */
  readonly fontSize: number;
}

/** A chart function: data in, one complete `<svg>` element out (no DOM needed; text escaped). */
export type Chart<D> = (data: D, options: ChartOptions) => string;
