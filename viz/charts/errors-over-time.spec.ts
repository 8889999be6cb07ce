import { describe, expect, it } from "vitest";
import { elements, plotYInverse, rootSize, secondsAxis, textBoxes } from "../../test/chart-support.js";
import type { ErrorsOverTime } from "../view.js";
import { errorsOverTimeChart } from "./errors-over-time.js";

/** The y of each bucket's top edge in a stacked area's path (`M x y L x y …`: two corners per bucket, top edge first). */
function topEdgeOf(d: string): number[] {
  const points = d
    .replace(/^M|Z$/g, "")
    .split("L")
    .map((p) => p.split(" ").map(Number));
  const buckets = points.length / 4;
  return Array.from({ length: buckets }, (_, i) => points[2 * i]![1]!);
}

/** Buckets of 500 ms: a count of 3 in one is 6 failed requests per second. */
const axis = { ...secondsAxis(6), atMs: [0, 500, 1000, 1500, 2000, 2500], bucketMs: 500, durationMs: 3000 };

function variant(name: string, color: string, scale = 1): ErrorsOverTime["variants"][number] {
  return {
    variant: { name, color },
    byStatus: [
      { key: "503", counts: [0, 3, 1, 0, 0, 0].map((c) => c * scale) },
      { key: "-1", counts: [0, 1, 4, 2, 0, 0].map((c) => c * scale) },
    ],
    byTermination: [
      { key: "sC", counts: [0, 3, 1, 0, 0, 0].map((c) => c * scale) },
      { key: "CQ", counts: [0, 1, 4, 2, 0, 0].map((c) => c * scale) },
    ],
  };
}

const one: ErrorsOverTime = {
  axis,
  variants: [variant("roundrobin", "#0072B2")],
  actions: [{ atMs: 400, action: "crash", server: "web02", text: "crash web02" }],
  failover: [],
};

describe("errorsOverTimeChart", () => {
  it("stacks each panel so that the top of the stack at each bucket is the failed requests per second", () => {
    const svg = errorsOverTimeChart(one, { width: 900, fontSize: 12 });
    expect(svg).toContain('data-chart="errors-over-time"');
    const panels = [...svg.matchAll(/<g class="panel"[^>]*data-by="(\w+)">(.*?)<\/g><\/g>/g)];
    expect(panels.map((p) => p[1])).toEqual(["status", "termination"]);
    const totalsPerSecond = [0, 8, 10, 4, 0, 0];
    for (const [, by, body] of panels) {
      const perSecondAt = plotYInverse(elements(body!, "plot")[0]!);
      // The top edge of the last key's area, bucket by bucket: the stack's top.
      const paths = elements(body!, "stack");
      expect(paths.map((p) => p["data-key"]).sort()).toEqual(by === "status" ? ["-1", "503"] : ["CQ", "sC"]);
      expect(paths.every((p) => p["data-points"] === String(axis.atMs.length))).toBe(true);
      const topEdge = topEdgeOf(paths[paths.length - 1]!.d!);
      axis.atMs.forEach((_, i) => {
        expect(perSecondAt(topEdge[i]!)).toBeCloseTo(totalsPerSecond[i]!, 1);
      });
    }
  });

  it("keeps a key's colour in every panel, and explains each key in the legend", () => {
    const svg = errorsOverTimeChart(one, { width: 900, fontSize: 12 });
    expect(svg).toContain(">-1 client gave up</text>");
    expect(svg).toContain(">503 no server, connect failed or queue</text>");
    expect(svg).toContain(">sC timeout connect</text>");
    expect(svg).toContain(">CQ client left, queued</text>");
    const fills = new Set(
      elements(svg, "stack")
        .filter((r) => r["data-key"] === "503")
        .map((r) => r.fill),
    );
    expect(fills.size).toBe(1);
  });

  it("draws a pair of panels per variant, titled by the variant, on the same y scale", () => {
    const three: ErrorsOverTime = {
      ...one,
      variants: [
        variant("roundrobin", "#0072B2"),
        variant("leastconn", "#D55E00", 3),
        variant("first", "#009E73"),
      ],
    };
    const svg = errorsOverTimeChart(three, { width: 900, fontSize: 12 });
    const plots = elements(svg, "plot");
    expect(plots).toHaveLength(6);
    expect(new Set(plots.map((p) => p["data-y-domain"])).size).toBe(1);
    // leastconn's 30 failed per second sets the scale for all.
    expect(Number(plots[0]!["data-y-domain"]!.split(" ")[1])).toBeGreaterThanOrEqual(30);
    for (const name of ["roundrobin", "leastconn", "first"])
      expect(svg).toContain(`>${name}: failed requests by status</text>`);
    expect(elements(svg, "marker")).toHaveLength(6);
  });

  it("shades in each variant's panels that variant's failover windows only", () => {
    const windows = [
      { server: "web02", variant: "roundrobin", actionMs: 400, downMs: 1000, upMs: 2000, endMs: 3000 },
      { server: "web02", variant: "leastconn", actionMs: 400, downMs: 1500, upMs: 2500, endMs: 3000 },
    ];
    const two: ErrorsOverTime = {
      ...one,
      variants: [variant("roundrobin", "#0072B2"), variant("leastconn", "#D55E00")],
      failover: windows,
    };
    const svg = errorsOverTimeChart(two, { width: 900, fontSize: 12 });
    const panels = [
      ...svg.matchAll(
        /<g class="panel" data-variant="(\w+)"(.*?)(?=<g class="panel"|<g class="marker-key"|<\/svg>)/g,
      ),
    ];
    expect(panels).toHaveLength(4);
    for (const [, name, body] of panels)
      expect(elements(body!, "failover").map((r) => `${r["data-variant"]} ${r["data-from-ms"]}`)).toEqual([
        `${name} 400`,
        `${name} ${name === "roundrobin" ? 1000 : 1500}`,
      ]);
  });

  it("says there were no failed requests when there were none, still a chart with its title", () => {
    const none: ErrorsOverTime = {
      ...one,
      variants: [{ variant: { name: "roundrobin", color: "#0072B2" }, byStatus: [], byTermination: [] }],
    };
    const svg = errorsOverTimeChart(none, { width: 900, fontSize: 12 });
    expect(svg).toMatch(/^<svg [^>]*data-chart="errors-over-time"[^>]*><title>Failed requests/);
    expect(svg).toContain(">no failed requests</text>");
    expect(elements(svg, "stack")).toEqual([]);
  });

  it("grows its text with large type and keeps every text inside the viewBox", () => {
    for (const width of [480, 900])
      for (const fontSize of [12, 20]) {
        const svg = errorsOverTimeChart(one, { width, fontSize });
        const { height } = rootSize(svg);
        for (const box of textBoxes(svg)) {
          expect(box.left, box.content).toBeGreaterThanOrEqual(0);
          expect(box.right, box.content).toBeLessThanOrEqual(width);
          expect(box.bottom, box.content).toBeLessThanOrEqual(height);
          expect(box.top, box.content).toBeGreaterThanOrEqual(0);
        }
      }
    expect(rootSize(errorsOverTimeChart(one, { width: 900, fontSize: 20 })).height).toBeGreaterThan(
      rootSize(errorsOverTimeChart(one, { width: 900, fontSize: 12 })).height,
    );
  });
});
