import { describe, expect, it } from "vitest";
import type { BalancerInstances } from "../view.js";
import { elements, HOSTILE, HOSTILE_ESCAPED, outsideViewBox } from "./charts-test-support.js";
import { instanceSharesChart } from "./instance-shares.js";

const o = { width: 800, fontSize: 12 };

const data: BalancerInstances = {
  instances: ["lb1", "lb2", "lb3"],
  servers: ["web01", "old01"],
  variants: [
    {
      variant: { name: "leastconn", color: "#0072B2" },
      shares: [
        [0.7, 0.6, 0.65],
        [0.3, 0.4, 0.35],
      ],
      total: [0.65, 0.35],
    },
    {
      variant: { name: "roundrobin", color: "#D55E00" },
      shares: [
        [0.5, 0.5, 0.5],
        [0.5, 0.5, 0.5],
      ],
      total: [0.5, 0.5],
    },
  ],
  rows: [],
};

describe("instanceSharesChart", () => {
  it("draws one dot per instance per server per variant, at the x of its share on one linear scale", () => {
    const svg = instanceSharesChart(data, o);
    expect(svg).toContain('data-chart="instance-shares"');
    const dots = elements(svg, "circle", { class: "instance-dot" });
    expect(dots).toHaveLength(2 * 3 * 2);
    expect(dots.slice(0, 3).map((d) => d["data-series"])).toEqual([
      "leastconn|web01|lb1",
      "leastconn|web01|lb2",
      "leastconn|web01|lb3",
    ]);
    // x = x0 + k·share for every dot: fit (x0, k) on two dots and check the rest.
    const [a, b] = [dots[0]!, dots[1]!];
    const k = (Number(a.cx) - Number(b.cx)) / (Number(a["data-value"]) - Number(b["data-value"]));
    const x0 = Number(a.cx) - k * Number(a["data-value"]);
    expect(k).toBeGreaterThan(0);
    for (const d of dots) expect(Number(d.cx)).toBeCloseTo(x0 + k * Number(d["data-value"]), 1);
    // The total's tick sits on the same scale.
    for (const t of elements(svg, "line", { class: "total-mark" }))
      expect(Number(t.x1)).toBeCloseTo(x0 + k * Number(t["data-value"]), 1);
  });

  it("says each dot and each total in words, and the share with the instances' range at the right", () => {
    const svg = instanceSharesChart(data, o);
    expect(svg).toContain("<title>lb2 → old01: 40% of lb2&#39;s requests (leastconn)</title>");
    expect(svg).toContain("<title>all instances → web01: 65% of the requests (leastconn)</title>");
    expect(svg).toContain(">65% (60%–70%)</text>");
    expect(elements(svg, "line", { class: "total-mark" })).toHaveLength(4);
  });

  it("spreads equal shares over the row's height, so every instance stays visible", () => {
    const svg = instanceSharesChart(data, o);
    const even = elements(svg, "circle", { class: "instance-dot" }).filter((d) =>
      d["data-series"]!.startsWith("roundrobin|web01|"),
    );
    expect(new Set(even.map((d) => d.cx)).size).toBe(1);
    expect(new Set(even.map((d) => d.cy)).size).toBe(3);
  });

  it("stays inside its picture at any width and in large type, and escapes names", () => {
    for (const options of [o, { width: 360, fontSize: 12 }, { width: 800, fontSize: 20 }])
      expect(outsideViewBox(instanceSharesChart(data, options))).toEqual([]);
    const hostile = { ...data, servers: [HOSTILE, "old01"], instances: [HOSTILE, "lb2", "lb3"] };
    const svg = instanceSharesChart(hostile, o);
    expect(svg).not.toContain(HOSTILE);
    expect(svg).toContain(HOSTILE_ESCAPED);
  });

  it("with one variant, has no variant legend and no variant in its titles", () => {
    const svg = instanceSharesChart({ ...data, variants: [data.variants[0]!] }, o);
    expect(svg).toContain("<title>lb1 → web01: 70% of lb1&#39;s requests</title>");
    expect(svg).not.toContain(">leastconn</text>");
  });
});
