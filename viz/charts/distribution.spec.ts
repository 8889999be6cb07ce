import { describe, expect, it } from "vitest";
import { scenario, server, simulate } from "../../sim/test-support.js";
import type { Distribution } from "../view.js";
import { elements, HOSTILE, HOSTILE_ESCAPED, outsideViewBox } from "./charts-test-support.js";
import { distributionChart, nines } from "./distribution.js";

const percentiles = [0, 50, 90, 99, 99.9, 100];
const line = (name: string, valuesMs: number[], color = "#0072B2") => ({
  variant: { name, color },
  percentiles,
  valuesMs,
});
const small: Distribution = { lines: [line("leastconn", [1, 5, 9, 15, 21.7, 30.7])] };
const o = { width: 800, fontSize: 12 };

/** A point's x in decades along the axis, from the plot's data-x-domain and data-x-range. */
function decadesOf(svg: string, percentile: number): number {
  const plot = elements(svg, "g", { class: "plot" })[0]!;
  const [d0, d1] = plot["data-x-domain"]!.split(" ").map(Number) as [number, number];
  const [r0, r1] = plot["data-x-range"]!.split(" ").map(Number) as [number, number];
  const point = elements(svg, "circle", { "data-percentile": String(percentile) })[0]!;
  return d0 + ((Number(point.cx) - r0) / (r1 - r0)) * (d1 - d0);
}

describe("distributionChart", () => {
  it("puts 90%, 99% and 99.9% one, two and three decades along the nines axis", () => {
    const svg = distributionChart(small, o);
    expect(svg).toContain('data-chart="distribution"');
    expect(decadesOf(svg, 0)).toBeCloseTo(0, 1);
    expect(decadesOf(svg, 90)).toBeCloseTo(1, 1);
    expect(decadesOf(svg, 99)).toBeCloseTo(2, 1);
    expect(decadesOf(svg, 99.9)).toBeCloseTo(3, 1);
    expect(nines(50)).toBeCloseTo(Math.log10(2), 10);
    const labels = [...svg.matchAll(/<text[^>]*>(\d[\d.]*%)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(["0%", "90%", "99%", "99.9%"]);
  });

  it("draws one point per percentile below 100 and shows the max apart, labelled, at the right edge", () => {
    const svg = distributionChart(small, o);
    const series = elements(svg, "path", { class: "series" });
    expect(series).toHaveLength(1);
    expect(series[0]!["data-series"]).toBe("leastconn|latency");
    expect(series[0]!["data-points"]).toBe("5");
    expect(series[0]!.d!.match(/[ML]/g)).toHaveLength(5);
    const range = elements(svg, "g", { class: "plot" })[0]!["data-x-range"]!.split(" ").map(Number);
    const max = elements(svg, "circle", { "data-percentile": "100" })[0]!;
    expect(Number(max.cx)).toBeGreaterThan(range[1]!);
    expect(svg).toContain(">30.7 ms</text>");
    expect(svg).toContain("<title>leastconn: p99.9 = 21.7 ms</title>");
    expect(svg).toContain("<title>leastconn: max = 30.7 ms</title>");
  });

  it("uses a log scale when the latencies spread wide, a linear one otherwise", () => {
    const wide = distributionChart({ lines: [line("rr", [0.5, 5, 50, 200, 400, 500])] }, o);
    const narrow = distributionChart(small, o);
    expect(elements(wide, "g", { class: "plot" })[0]!["data-y-scale"]).toBe("log");
    expect(elements(narrow, "g", { class: "plot" })[0]!["data-y-scale"]).toBe("linear");
    // Log ticks at powers of ten; linear ticks evenly spaced from 0.
    const ticks = (svg: string) =>
      [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end"[^>]*>([\d.,]+)<\/text>/g)].map(
        (m) => m[1],
      );
    expect(ticks(wide)).toEqual(["1", "10", "100", "1,000"]);
    expect(ticks(narrow)[0]).toBe("0");
  });

  it("chooses the log floor from p10 up, and draws a faster minimum hollow on the floor", () => {
    const svg = distributionChart({ lines: [line("rr", [0.001, 5, 50, 200, 400, 500])] }, o);
    const p0 = elements(svg, "circle", { "data-percentile": "0" })[0]!;
    const p50 = elements(svg, "circle", { "data-percentile": "50" })[0]!;
    expect(p0.class).toBe("point off-scale");
    expect(p50.class).toBe("point");
    expect(p0.fill).toBe("#ffffff");
    // The floor is 1 ms (p50 = 5 ms rounded down to a decade): p0 sits on the axis's bottom.
    const yTicks = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="end"[^>]*>1<\/text>/g)];
    expect(Number(p0.cy)).toBeCloseTo(Number(yTicks[0]![1]) - 12 * 0.35, 0);
    expect(svg).toContain("<title>rr: p0 = 1 µs (below the axis)</title>");
    // Only p0 far below the rest does not make the scale log: 3..30 ms is read linearly.
    const narrowBody = distributionChart({ lines: [line("rr", [0.001, 3, 10, 20, 25, 30])] }, o);
    expect(elements(narrowBody, "g", { class: "plot" })[0]!["data-y-scale"]).toBe("linear");
  });

  it("draws a band per variant with replications, and a legend with several variants", () => {
    const banded = {
      lines: [
        {
          ...line("rr", [1, 5, 9, 15, 21, 30]),
          lowMs: [1, 4, 8, 13, 19, 28],
          highMs: [1, 6, 10, 17, 23, 33],
        },
        line("lc", [1, 4, 7, 10, 12, 14], "#D55E00"),
      ],
    };
    const svg = distributionChart(banded, o);
    expect(elements(svg, "path", { class: "band" }).map((b) => b["data-series"])).toEqual(["rr|latency"]);
    expect(svg).toContain("<title>rr: p99 = 15 ms (95% CI 13 ms – 17 ms)</title>");
    expect(elements(svg, "g", { class: "legend-item" })).toHaveLength(2);
    expect(elements(distributionChart(small, o), "g", { class: "legend-item" })).toHaveLength(0);
  });

  it("marks p50 and p99 with labelled reference lines", () => {
    const svg = distributionChart(small, o);
    const refs = elements(svg, "g", { class: "reference" }).map((r) => r["data-percentile"]);
    expect(refs).toEqual(["50", "99"]);
    expect(svg).toMatch(/>p50<\/text>/);
    expect(svg).toMatch(/>p99<\/text>/);
  });

  it("shows a hostile variant name only as escaped text", () => {
    const svg = distributionChart(
      { lines: [line(HOSTILE, [1, 2, 3, 4, 5, 6]), line("b", [1, 2, 3, 4, 5, 7])] },
      o,
    );
    expect(svg).not.toContain("<img");
    expect(svg).toContain(HOSTILE_ESCAPED);
  });

  it("draws a real run's 41-point distribution: 40 points on the line, large type inside the viewBox", () => {
    const results = simulate(
      scenario({ backend: { servers: [server("web01"), server("web02", { speed: 0.3 })] } }),
    );
    const d = results.latencyDistribution;
    const data: Distribution = {
      lines: [
        {
          variant: { name: "roundrobin", color: "#0072B2" },
          percentiles: d.percentiles,
          valuesMs: d.valuesMs,
        },
        {
          variant: { name: "leastconn", color: "#D55E00" },
          percentiles: d.percentiles,
          valuesMs: d.valuesMs.map((v) => v * 0.7),
        },
      ],
    };
    const normal = distributionChart(data, { width: 800, fontSize: 12 });
    const large = distributionChart(data, { width: 800, fontSize: 20 });
    expect(elements(large, "path", { class: "series" }).map((p) => p["data-points"])).toEqual(["40", "40"]);
    expect(large).toContain('font-size="20"');
    expect(normal).toContain('font-size="12"');
    expect(outsideViewBox(normal)).toEqual([]);
    expect(outsideViewBox(large)).toEqual([]);
  });
});
