import { describe, expect, it } from "vitest";
import { scenario, server, simulate } from "../../sim/test-support.js";
import type { ServerInfo, Shares } from "../view.js";
import { elements, HOSTILE, HOSTILE_ESCAPED, outsideViewBox, viewBox } from "./charts-test-support.js";
import { sharesChart } from "./shares.js";

const o = { width: 800, fontSize: 12 };

/** Servers with these weights, ideal shares by weight among the active ones. */
function servers(weights: number[], backups: string[] = []): ServerInfo[] {
  const names = weights.map((_, i) => `web${i + 1}`);
  const total = weights.reduce((s, w, i) => s + (backups.includes(names[i]!) ? 0 : w), 0);
  return weights.map((w, i) => {
    const backup = backups.includes(names[i]!);
    return { name: names[i]!, weight: w, backup, idealShare: backup ? 0 : w / total };
  });
}

describe("sharesChart", () => {
  const data: Shares = {
    servers: servers([1, 2, 3]),
    bars: [
      {
        variant: { name: "roundrobin", color: "#0072B2" },
        shares: [{ share: 0.1 }, { share: 0.3 }, { share: 0.6 }],
      },
      {
        variant: { name: "leastconn", color: "#D55E00" },
        shares: [
          { share: 0.2, low: 0.15, high: 0.25 },
          { share: 0.3, low: 0.28, high: 0.32 },
          { share: 0.5, low: 0.45, high: 0.55 },
        ],
      },
    ],
  };

  it("draws one bar per variant per server, its width proportional to the share", () => {
    const svg = sharesChart(data, o);
    expect(svg).toContain('data-chart="shares"');
    const bars = elements(svg, "rect", { class: "bar" });
    expect(bars.map((b) => b["data-series"])).toEqual([
      "roundrobin|web1",
      "leastconn|web1",
      "roundrobin|web2",
      "leastconn|web2",
      "roundrobin|web3",
      "leastconn|web3",
    ]);
    const perShare = bars.map((b) => Number(b.width) / Number(b["data-value"]));
    for (const ratio of perShare) expect(ratio).toBeCloseTo(perShare[0]!, 0);
    expect(Number(bars[4]!.width)).toBeCloseTo(6 * Number(bars[0]!.width), 0);
    expect(svg).toContain("<title>leastconn → web1: 20% of requests (95% CI 15% – 25%)</title>");
  });

  it("marks the ideal share at weight / Σweight, on the bars' scale", () => {
    const svg = sharesChart(data, o);
    const bar = elements(svg, "rect", { class: "bar" })[0]!;
    const pxPerShare = Number(bar.width) / Number(bar["data-value"]);
    const ideals = elements(svg, "line", { class: "ideal" });
    expect(ideals.map((i) => Number(i["data-value"]))).toEqual([1 / 6, 2 / 6, 3 / 6]);
    ideals.forEach((ideal, i) => {
      expect(Number(ideal.x1)).toBeCloseTo(Number(bar.x) + ((i + 1) / 6) * pxPerShare, 0);
    });
    const unknown = sharesChart(
      { ...data, servers: data.servers.map((s) => ({ ...s, weight: null, idealShare: null })) },
      o,
    );
    expect(elements(unknown, "line", { class: "ideal" })).toHaveLength(0);
  });

  it("draws the 95% interval as a whisker from low to high", () => {
    const svg = sharesChart(data, o);
    const bar = elements(svg, "rect", { class: "bar" })[0]!;
    const at = (share: number) => Number(bar.x) + (Number(bar.width) / Number(bar["data-value"])) * share;
    const whiskers = elements(svg, "g", { class: "whisker" });
    expect(whiskers.map((w) => w["data-series"])).toEqual([
      "leastconn|web1",
      "leastconn|web2",
      "leastconn|web3",
    ]);
    const first = svg.slice(svg.indexOf('class="whisker"'));
    const line = elements(first, "line")[0]!;
    expect(Number(line.x1)).toBeCloseTo(at(0.15), 0);
    expect(Number(line.x2)).toBeCloseTo(at(0.25), 0);
  });

  it("labels backups as such and escapes a hostile server name", () => {
    const hostile: Shares = {
      servers: [
        { name: HOSTILE, weight: 1, backup: false, idealShare: 1 },
        { name: "spare", weight: 1, backup: true, idealShare: 0 },
      ],
      bars: [{ variant: { name: "rr", color: "#0072B2" }, shares: [{ share: 1 }, { share: 0 }] }],
    };
    const svg = sharesChart(hostile, o);
    expect(svg).not.toContain("<img");
    expect(svg).toContain(`>${HOSTILE_ESCAPED}</text>`);
    expect(svg).toContain(`data-series="rr|${HOSTILE_ESCAPED}"`);
    expect(svg).toContain(">spare (backup)</text>");
    expect(elements(svg, "g", { class: "server", "data-backup": "" })).toHaveLength(1);
  });

  it("grows with the servers and stays inside its viewBox with 2 and 24 servers, in large type too", () => {
    const two = simulate(
      scenario({ backend: { servers: [server("web01"), server("web02", { weight: 3 })] } }),
    );
    const fromRun: Shares = {
      servers: servers([1, 3]).map((s, i) => ({ ...s, name: two.servers[i]!.name })),
      bars: [
        {
          variant: { name: "roundrobin", color: "#0072B2" },
          shares: two.servers.map((s) => ({ share: s.share })),
        },
      ],
    };
    const many: Shares = {
      servers: servers(
        Array.from({ length: 24 }, (_, i) => (i % 3) + 1),
        ["web23", "web24"],
      ),
      bars: ["a", "b", "c"].map((name) => ({
        variant: { name, color: "#0072B2" },
        shares: Array.from({ length: 24 }, (_, i) => ({ share: i < 22 ? 1 / 22 : 0 })),
      })),
    };
    for (const fontSize of [12, 20]) {
      const small = sharesChart(fromRun, { width: 800, fontSize });
      const big = sharesChart(many, { width: 800, fontSize });
      expect(viewBox(big).height).toBeGreaterThan(viewBox(small).height * 5);
      expect(outsideViewBox(small)).toEqual([]);
      expect(outsideViewBox(big)).toEqual([]);
    }
    expect(viewBox(sharesChart(many, { width: 800, fontSize: 20 })).height).toBeGreaterThan(
      viewBox(sharesChart(many, { width: 800, fontSize: 12 })).height,
    );
  });
});
