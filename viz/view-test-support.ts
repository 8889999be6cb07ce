// Test helpers for viz/ specs: a small hand-made ReportView (two strategies, four buckets) and HTML script extraction.
import type { BandSeries, ReportView, SectionView, TimeAxis, Variant } from "./view.js";

export const HOSTILE = "<img src=x onerror=alert(1)>";

const roundrobin: Variant = { name: "roundrobin", color: "#1f77b4" };
const leastconn: Variant = { name: "leastconn", color: "#ff7f0e" };
const axis: TimeAxis = { atMs: [0, 500, 1000, 1500], bucketMs: 500, durationMs: 2000, warmupMs: 0 };
const band = (...mean: number[]): BandSeries => ({ mean });

/** One scenario's section: web01 crashes at 1 s; `backends` names its backends (hostile names welcome). */
export function sampleSection(
  options: {
    readonly id?: string;
    readonly scenario?: string;
    readonly backends?: ReadonlyArray<string>;
    /** With two balancer instances (`SectionView.instances`). */
    readonly instances?: boolean;
  } = {},
): SectionView {
  const actions = [{ atMs: 1000, action: "crash", server: "web01", text: "crash web01" }];
  const servers = ["web01", "web02"];
  return {
    id: options.id ?? "s0",
    scenario: options.scenario ?? "failover",
    file: "scenarios/failover.yaml",
    description: "web01 crashes at 1 s.\nSecond line.",
    seeds: [7],
    replications: 1,
    variants: [roundrobin, leastconn],
    headline: ["leastconn wins: p99 15.3 ms against 30 ms"],
    summary: [
      { key: "p99", label: "p99", unit: "ms", better: "lower", values: [30, 15.3], winner: "leastconn" },
    ],
    warnings: [],
    checks: [{ name: "p99 < 100ms", pass: true, actual: 15.3, limit: 100 }],
    latency: {
      axis,
      actions,
      failover: [],
      lines: [
        {
          variant: roundrobin,
          p50: band(4, 4.1, 5, 4),
          p90: band(8, 8.2, 9, 8),
          p99: band(15, 15.3, 30, 16),
        },
        {
          variant: leastconn,
          p50: band(3, 3.25, 3, 3),
          p90: band(6, 6.5, 7, 6),
          p99: band(12, 12.5, 15.3, 12),
        },
      ],
    },
    distribution: {
      lines: [
        { variant: roundrobin, percentiles: [50, 99, 100], valuesMs: [4, 15, 30] },
        { variant: leastconn, percentiles: [50, 99, 100], valuesMs: [3, 12, 15.3] },
      ],
    },
    errors: {
      axis,
      actions,
      failover: [],
      variants: [
        {
          variant: roundrobin,
          byStatus: [{ key: "503", counts: [0, 0, 4, 0] }],
          byTermination: [{ key: "SC", counts: [0, 0, 4, 0] }],
        },
        { variant: leastconn, byStatus: [], byTermination: [] },
      ],
    },
    backends: (options.backends ?? ["web"]).map((name) => ({
      name,
      shares: {
        servers: servers.map((s) => ({ name: s, weight: 1, backup: false, idealShare: 0.5 })),
        bars: [
          { variant: roundrobin, shares: [{ share: 0.5 }, { share: 0.5 }] },
          { variant: leastconn, shares: [{ share: 0.4 }, { share: 0.6 }] },
        ],
      },
      load: {
        axis,
        servers,
        actions,
        failover: [],
        lines: [
          {
            variant: roundrobin,
            inFlight: { web01: band(1, 2, 0, 0), web02: band(1, 1.5, 3, 2) },
            queued: { web01: band(0, 0, 0, 0), web02: band(0, 0, 1.25, 0) },
          },
          {
            variant: leastconn,
            inFlight: { web01: band(1, 1, 0, 0), web02: band(1, 1, 2, 1) },
            queued: { web01: band(0, 0, 0, 0), web02: band(0, 0, 0, 0) },
          },
        ],
      },
      health: {
        axis,
        actions,
        lanes: [
          {
            server: "web01",
            variant: roundrobin,
            spans: [
              { fromMs: 0, toMs: 1000, state: "UP" },
              { fromMs: 1000, toMs: 2000, state: "DOWN" },
            ],
            failedChecks: [{ atMs: 1000, count: 2 }],
          },
        ],
      },
      stats: [],
    })),
    ...(options.instances === true ? { instances: sampleInstances(servers) } : {}),
  };
}

/** Two instances of each variant, their shares of `servers` and their own figures. */
function sampleInstances(servers: ReadonlyArray<string>): NonNullable<SectionView["instances"]> {
  const instances = ["lb1", "lb2"];
  return {
    instances,
    servers,
    variants: [roundrobin, leastconn].map((variant, v) => ({
      variant,
      shares: servers.map((_, s) =>
        s === 0 ? [0.5 + 0.1 * v, 0.4 + 0.1 * v] : [0.5 - 0.1 * v, 0.6 - 0.1 * v],
      ),
      total: servers.map((_, s) => (s === 0 ? 0.45 + 0.1 * v : 0.55 - 0.1 * v)),
    })),
    rows: [roundrobin, leastconn].flatMap((variant) =>
      instances.map((instance) => ({
        variant: variant.name,
        instance,
        requests: 1000,
        share: 0.5,
        failed: 2,
        p50Ms: 4.1,
        p99Ms: 15.3,
        maxQueue: 0,
        checks: 40,
        downs: 1,
      })),
    ),
  };
}

/** A comparison's view of one section, or a check's of several. */
export function sampleView(sections: ReadonlyArray<SectionView> = [sampleSection()]): ReportView {
  return {
    kind: sections.length > 1 ? "check" : "compare",
    title: "lbsim compare: failover",
    generator: "lbsim 9.8.7",
    sections,
  };
}

/**
 * The `<script>` elements of an HTML document as a browser splits them: the start tag's text and
 * the content up to the first `</script` (in any case), which is where the browser ends it.
 */
export function scriptsOf(html: string): { readonly tag: string; readonly content: string }[] {
  const scripts: { tag: string; content: string }[] = [];
  const lower = html.toLowerCase();
  let from = 0;
  for (;;) {
    const start = lower.indexOf("<script", from);
    if (start < 0) return scripts;
    const tagEnd = html.indexOf(">", start);
    const end = lower.indexOf("</script", tagEnd);
    if (tagEnd < 0 || end < 0) throw new Error("a <script> element is not closed");
    scripts.push({ tag: html.slice(start, tagEnd + 1), content: html.slice(tagEnd + 1, end) });
    from = end + 1;
  }
}

/** The Content-Security-Policy of the document's meta element. */
export function cspOf(html: string): string | undefined {
  return /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
}

/**
 * A view the size of a long run's (10M requests: `buckets` time buckets, `servers` servers, values
 * with every digit a double has), for checking the report's size.
 */
export function largeView(buckets: number, servers: number, variantCount = 1): ReportView {
  const value = (seed: number) => (i: number) =>
    5 + 4 * Math.sin(seed * 12.9898 + i * 0.37) + i / 1e4 + 1 / 3;
  const series = (seed: number): BandSeries => ({
    mean: Array.from({ length: buckets }, (_, i) => value(seed)(i)),
  });
  const counts = (seed: number) => Array.from({ length: buckets }, (_, i) => Math.round(value(seed)(i)));
  const bucketMs = 500;
  const axis: TimeAxis = {
    atMs: Array.from({ length: buckets }, (_, i) => i * bucketMs),
    bucketMs,
    durationMs: buckets * bucketMs,
    warmupMs: 0,
  };
  const names = Array.from({ length: servers }, (_, i) => `web${String(i + 1).padStart(2, "0")}`);
  const variants = Array.from({ length: variantCount }, (_, v) => ({
    name: `strategy${v}`,
    color: "#1f77b4",
  }));
  const base = sampleSection();
  const percentiles = Array.from({ length: 200 }, (_, i) => 100 - 100 / 1.05 ** i).reverse();
  return sampleView([
    {
      ...base,
      variants,
      latency: {
        ...base.latency,
        axis,
        lines: variants.map((variant, v) => ({
          variant,
          p50: series(v),
          p90: series(v + 10),
          p99: series(v + 20),
        })),
      },
      distribution: {
        lines: variants.map((variant) => ({
          variant,
          percentiles,
          valuesMs: percentiles.map((p) => p * 1.2345678),
        })),
      },
      errors: {
        ...base.errors,
        axis,
        variants: variants.map((variant, v) => ({
          variant,
          byStatus: ["503", "504", "-1"].map((key, k) => ({ key, counts: counts(v * 7 + k) })),
          byTermination: ["sC", "SH", "sQ"].map((key, k) => ({ key, counts: counts(v * 11 + k) })),
        })),
      },
      backends: [
        {
          ...base.backends[0]!,
          name: "web",
          load: {
            ...base.backends[0]!.load,
            axis,
            servers: names,
            lines: variants.map((variant, v) => ({
              variant,
              inFlight: Object.fromEntries(names.map((n, s) => [n, series(100 + v * 50 + s)])),
              queued: Object.fromEntries(names.map((n, s) => [n, series(200 + v * 50 + s)])),
            })),
          },
          health: { ...base.backends[0]!.health, axis },
        },
      ],
    },
  ]);
}
