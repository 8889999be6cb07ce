import { describe, expect, it } from "vitest";
import { elements, outsideViewBox } from "../../viz/charts/charts-test-support.js";
import { ERRORS_COLOR, throughputChart } from "./live-charts-throughput.js";
import type { ThroughputView } from "./live-charts-view.js";

const HOSTILE = "<img src=x onerror=alert(1)>";

function view(parts: Partial<ThroughputView> = {}): ThroughputView {
  return {
    axis: { atMs: [0, 1000, 2000, 3000], bucketMs: 1000, durationMs: 10_000, warmupMs: 0 },
    servers: [
      { name: "web01", color: "#D55E00", perSecond: [20, 20, 40, 40] },
      { name: "web02", color: "#E69F00", perSecond: [20, 20, 0, 0] },
      { name: HOSTILE, color: "#CC79A7", perSecond: [10, 10, 10, 10] },
    ],
    errorsPerSecond: [0, 0, 0, 0],
    actions: [{ atMs: 1500, action: "crash", text: "crash web02" }],
    ...parts,
  };
}

/** The y scale of the plot, from its data attributes: value → y. */
function yOf(svg: string): (v: number) => number {
  const plot = elements(svg, "g", { class: "plot" })[0]!;
  const [d0, d1] = plot["data-y-domain"]!.split(" ").map(Number);
  const [r0, r1] = plot["data-y-range"]!.split(" ").map(Number);
  return (v) => r0! + ((v - d0!) / (d1! - d0!)) * (r1! - r0!);
}

describe("throughputChart", () => {
  it("stacks one band per server, the total on top reaching the sum", () => {
    const svg = throughputChart(view(), { width: 800, fontSize: 12 });
    expect(elements(svg, "path", { class: "band" }).map((b) => b["data-server"])).toEqual([
      "web01",
      "web02",
      "&lt;img src=x onerror=alert(1)&gt;",
    ]);
    const y = yOf(svg);
    // The top band's upper edge at the first bucket is at 50 req/s (20 + 20 + 10).
    const top = elements(svg, "path", { class: "band" })[2]!.d!;
    const firstY = Number(/^M[\d.]+,([\d.]+)/.exec(top)![1]);
    expect(firstY).toBeCloseTo(y(50), 1);
  });

  it("marks the actions and names the servers in the legend, as text", () => {
    const svg = throughputChart(view(), { width: 800, fontSize: 12 });
    expect(elements(svg, "g", { class: "marker" }).map((m) => m["data-action"])).toEqual(["crash"]);
    expect(svg).toContain(">crash web02<");
    expect(svg).not.toContain("<img");
    expect(svg).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("draws failed requests as a red line only when there are some", () => {
    expect(
      elements(throughputChart(view(), { width: 800, fontSize: 12 }), "path", { class: "errors" }),
    ).toEqual([]);
    const svg = throughputChart(view({ errorsPerSecond: [0, 5, 0, 0] }), { width: 800, fontSize: 12 });
    const [errors] = elements(svg, "path", { class: "errors" });
    expect(errors?.stroke).toBe(ERRORS_COLOR);
    expect(svg).toContain(">failed<");
  });

  it("says it is waiting before the first bucket closes", () => {
    const svg = throughputChart(
      view({ axis: { atMs: [], bucketMs: 1000, durationMs: 10_000, warmupMs: 0 }, servers: [] }),
      {
        width: 600,
        fontSize: 12,
      },
    );
    expect(svg).toContain("waiting for the first second");
  });

  it("stays inside its picture in large type", () => {
    expect(outsideViewBox(throughputChart(view(), { width: 640, fontSize: 20 }))).toEqual([]);
  });
});
