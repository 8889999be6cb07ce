// Spec of a sweep's metric chart: points at the y of their means, bands, gaps, log scale, panels, tooltips.
import { describe, expect, it } from "vitest";
import { type SweepChartView, type SweepPanel, type SweepPointView, sweepXAxis } from "../build-sweep.js";
import { LOG_SCALE_RATIO, logSteps, stepBelow } from "./sweep-axes.js";
import { pointText, sweepLinesChart } from "./sweep-lines.js";

const OPTIONS = { width: 900, fontSize: 12 };
const X = sweepXAxis("rate", ["100/s", "200/s", "300/s"]);

function points(means: Array<number | null>, half: number | null = 5, n = 3): SweepPointView[] {
  return means.map((mean, x) => ({
    x,
    mean,
    low: mean === null || half === null ? null : mean - half,
    high: mean === null || half === null ? null : mean + half,
    n: mean === null ? 0 : n,
  }));
}

function panel(title: string, lines: Array<[string, SweepPointView[]]>): SweepPanel {
  return {
    title,
    titleParts: title === "" ? [] : [title],
    lines: lines.map(([name, pts], i) => ({
      variant: { name, color: ["#0072B2", "#D55E00"][i] ?? "#000" },
      points: pts,
    })),
  };
}

function chart(panels: SweepPanel[], over: Partial<SweepChartView> = {}): SweepChartView {
  return {
    key: "p99Ms",
    title: "p99 latency",
    unit: "ms",
    axisLabel: "p99 latency (ms)",
    panels,
    banded: true,
    ...over,
  };
}

/** Attributes of every element `<tag class="cls" …>` in the SVG, in order. */
function elements(svg: string, tag: string, cls: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} class="${cls}"([^>]*?)/?>`, "g"))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? "").matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1] as string] = a[2] as string;
    found.push(attrs);
  }
  return found;
}

function panelsOf(svg: string) {
  return elements(svg, "g", "panel").map((p) => ({
    domain: (p["data-y-domain"] ?? "").split(" ").map(Number),
    range: (p["data-y-range"] ?? "").split(" ").map(Number),
    scale: p["data-y-scale"],
  }));
}

describe("sweepLinesChart", () => {
  it("puts each point at the y of its mean on a linear axis from 0, and the axis says the metric and unit", () => {
    const svg = sweepLinesChart(chart([panel("", [["rr", points([20, 50, 100])]])]), X, OPTIONS);
    expect(svg).toContain('data-chart="sweep-lines" data-metric="p99Ms"');
    const [p] = panelsOf(svg);
    // 0..105 (the band's top) made nice by d3: 0..120 in steps of 20.
    expect(p?.scale).toBe("linear");
    expect(p?.domain).toEqual([0, 120]);
    const [bottom, top] = p?.range ?? [];
    const yOf = (v: number) => (bottom as number) + ((top as number) - (bottom as number)) * (v / 120);
    const drawn = elements(svg, "circle", "point");
    expect(drawn.map((c) => Number(c["data-mean"]))).toEqual([20, 50, 100]);
    for (const c of drawn) expect(Number(c.cy)).toBeCloseTo(yOf(Number(c["data-mean"])), 1);
    // x by value: 200/s halfway between 100/s and 300/s.
    const [a, b, c] = drawn.map((d) => Number(d.cx));
    expect((b as number) - (a as number)).toBeCloseTo((c as number) - (b as number), 1);
    expect(svg).toContain(">p99 latency (ms)</text>");
    expect(svg).toContain(">rate (/s)</text>");
  });

  it("leaves a gap where a mean is missing: the line breaks, no point is drawn there", () => {
    const svg = sweepLinesChart(
      chart([
        panel("", [["rr", [...points([20, null, 40]), ...points([50], 5).map((p) => ({ ...p, x: 3 }))]]]),
      ]),
      sweepXAxis("rate", ["1", "2", "3", "4"]),
      OPTIONS,
    );
    const [series] = elements(svg, "path", "series");
    // Two pieces: 1 alone, then 3–4.
    expect(series?.d?.match(/M/g)).toHaveLength(2);
    expect(elements(svg, "circle", "point").map((c) => c["data-x"])).toEqual(["1", "3", "4"]);
    // The lone point 1 has no banded neighbour: a whisker shows its interval.
    expect(elements(svg, "line", "whisker")).toHaveLength(1);
    // Nothing is drawn at 0 for the gap.
    expect(elements(svg, "circle", "point").every((c) => Number(c["data-mean"]) > 0)).toBe(true);
  });

  it("draws the 95% band with replications, none with one, and then says so in the chart", () => {
    const banded = sweepLinesChart(chart([panel("", [["rr", points([20, 30, 40])]])]), X, OPTIONS);
    expect(elements(banded, "path", "band")).toHaveLength(1);
    const single = sweepLinesChart(
      chart([panel("", [["rr", points([20, 30, 40], null, 1)]])], {
        banded: false,
        note: "1 replication: no interval",
      }),
      X,
      OPTIONS,
    );
    expect(elements(single, "path", "band")).toHaveLength(0);
    expect(single).toContain(">1 replication: no interval</text>");
  });

  it("turns to a log scale when latencies spread over more than 20×, not for other units", () => {
    const wide = points([10, 30, 10 * LOG_SCALE_RATIO + 100], 1);
    const svg = sweepLinesChart(chart([panel("", [["rr", wide]])]), X, OPTIONS);
    const [p] = panelsOf(svg);
    expect(p?.scale).toBe("log");
    expect(svg).toContain(">p99 latency (ms, log scale)</text>");
    // The point at 30 sits where a log scale puts it between the domain's ends.
    const [lo, hi] = (p?.domain ?? []) as [number, number];
    const [bottom, top] = (p?.range ?? []) as [number, number];
    const at30 = bottom + (top - bottom) * ((Math.log(30) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)));
    expect(Number(elements(svg, "circle", "point")[1]?.cy)).toBeCloseTo(at30, 0);
    const ratio = sweepLinesChart(
      chart([panel("", [["rr", points([0.001, 0.01, 0.5], 0)]])], { unit: "ratio" }),
      X,
      OPTIONS,
    );
    expect(panelsOf(ratio)[0]?.scale).toBe("linear");
    // All 0: an axis to 1%, not to 100%.
    const none = sweepLinesChart(
      chart([panel("", [["rr", points([0, 0, 0], 0)]])], { unit: "ratio" }),
      X,
      OPTIONS,
    );
    expect(panelsOf(none)[0]?.domain).toEqual([0, 0.01]);
    expect(stepBelow(9)).toBe(5);
    expect(stepBelow(20)).toBe(20);
    expect(stepBelow(0.013)).toBe(0.01);
    expect(logSteps(10, 300)).toEqual([10, 20, 50, 100, 200]);
  });

  it("lays panels out three a row, sharing one y domain, each titled", () => {
    const titles = ["inter = 1s", "inter = 2s", "inter = 5s", "inter = 10s"];
    const svg = sweepLinesChart(
      chart(titles.map((t, i) => panel(t, [["rr", points([10 * (i + 1), 20, 30])]]))),
      X,
      OPTIONS,
    );
    const panels = panelsOf(svg);
    expect(panels).toHaveLength(4);
    expect(new Set(panels.map((p) => p.domain.join(" "))).size).toBe(1);
    for (const t of titles) expect(svg).toContain(`>${t}</text>`);
    // The y title once per row: on panels 1 and 4.
    expect(svg.match(/>p99 latency \(ms\)<\/text>/g)).toHaveLength(2);
  });

  it("labels a band axis with the values as written, evenly spaced", () => {
    const axis = sweepXAxis("service", ["{ fixed: 10ms }", "{ exponential: 10ms }"]);
    const svg = sweepLinesChart(chart([panel("", [["rr", points([1, 2])]])]), axis, OPTIONS);
    expect(svg).toContain(">{ fixed: 10ms }</text>");
    expect(svg).toContain(">{ exponential: 10ms }</text>");
    expect(svg).toContain(">service</text>");
  });

  it("gives each point a tooltip with the exact mean ± half-width, the interval and n; names are escaped", () => {
    const svg = sweepLinesChart(chart([panel("", [["<b>&", points([21.25, 30, 40], 0.5)]])]), X, OPTIONS);
    expect(svg).toContain(
      "<title>&lt;b&gt;&amp; · rate = 100/s\np99 latency: 21.25 ms ± 0.5 ms (95%: 20.75 ms to 21.75 ms), n = 3</title>",
    );
    expect(svg).not.toContain("<b>");
    const errors = { title: "Error rate", unit: "ratio" };
    expect(
      pointText("rr", { x: 1, mean: 0.0125, low: 0.01, high: 0.015, n: 4 }, errors, X, "inter = 2s"),
    ).toBe("rr · rate = 200/s, inter = 2s\nError rate: 1.25% ± 0.25% (95%: 1% to 1.5%), n = 4");
    expect(
      pointText(
        "rr",
        { x: 0, mean: 150, low: null, high: null, n: 1 },
        { title: "Throughput", unit: "per-s" },
        X,
        "",
      ),
    ).toBe("rr · rate = 100/s\nThroughput: 150/s (n = 1, no interval)");
  });

  it("draws the same bytes for the same data", () => {
    const c = chart([
      panel("a = 1", [["rr", points([1, 2, 3])]]),
      panel("a = 2", [["rr", points([3, 2, 1])]]),
    ]);
    expect(sweepLinesChart(c, X, OPTIONS)).toBe(sweepLinesChart(c, X, OPTIONS));
  });
});
