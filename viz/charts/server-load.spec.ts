import { describe, expect, it } from "vitest";
import {
  elements,
  HOSTILE,
  markers,
  plotX,
  rootSize,
  secondsAxis,
  textBoxes,
} from "../../test/chart-support.js";
import type { ServerLoad } from "../view.js";
import { serverLoadChart } from "./server-load.js";

function load(servers: string[], variants = 1, buckets = 10): ServerLoad {
  const names = ["roundrobin", "leastconn", "first"].slice(0, variants);
  return {
    axis: secondsAxis(buckets),
    servers,
    lines: names.map((name, v) => ({
      variant: { name, color: ["#0072B2", "#D55E00", "#009E73"][v]! },
      inFlight: Object.fromEntries(
        servers.map((s, i) => [
          s,
          { mean: Array.from({ length: buckets }, (_, b) => (i + 1) * (v + 1) + b / 10) },
        ]),
      ),
      queued: Object.fromEntries(
        servers.map((s, i) => [s, { mean: Array.from({ length: buckets }, () => i) }]),
      ),
    })),
    actions: [
      { atMs: 3000, action: "crash", server: servers[0]!, text: `crash ${servers[0]}` },
      { atMs: 6000, action: "restore", server: servers[0]!, text: `restore ${servers[0]}` },
    ],
    failover: [
      { server: servers[0]!, variant: names[0]!, actionMs: 3000, downMs: 4000, upMs: 7000, endMs: 10_000 },
    ],
  };
}

describe("serverLoadChart", () => {
  it("draws one panel per server, in flight and queued per variant, with every bucket's point", () => {
    const svg = serverLoadChart(load(["web01", "web02"], 2), { width: 900, fontSize: 12 });
    expect(svg).toContain('data-chart="server-load"');
    expect(elements(svg, "panel").map((p) => p["data-server"])).toEqual(["web01", "web02"]);
    const series = elements(svg, "series");
    expect(series.map((s) => s["data-series"])).toEqual([
      "roundrobin|web01 in flight",
      "roundrobin|web01 queued",
      "leastconn|web01 in flight",
      "leastconn|web01 queued",
      "roundrobin|web02 in flight",
      "roundrobin|web02 queued",
      "leastconn|web02 in flight",
      "leastconn|web02 queued",
    ]);
    expect(series.every((s) => s["data-points"] === "10")).toBe(true);
    expect(
      series.filter((s) => s["data-series"]!.endsWith("queued")).every((s) => s["stroke-dasharray"]),
    ).toBe(true);
    expect(
      series.filter((s) => s["data-series"]!.endsWith("in flight")).some((s) => s["stroke-dasharray"]),
    ).toBe(false);
  });

  it("shares one y scale across the panels, so that they compare", () => {
    const svg = serverLoadChart(load(["web01", "web02", "web03"]), { width: 900, fontSize: 12 });
    const domains = elements(svg, "plot").map((p) => p["data-y-domain"]);
    expect(new Set(domains).size).toBe(1);
    // web03's in flight reaches 3.9: the scale covers it.
    expect(Number(domains[0]!.split(" ")[1])).toBeGreaterThanOrEqual(3.9);
  });

  it("puts the markers in every panel at their times, and shades a failover in its own server's panel", () => {
    const svg = serverLoadChart(load(["web01", "web02"]), { width: 900, fontSize: 12 });
    const panels = [
      ...svg.matchAll(
        /<g class="panel" data-server="(\w+)">(.*?)(?=<g class="panel"|<g class="marker-key"|<\/svg>)/g,
      ),
    ];
    expect(panels).toHaveLength(2);
    for (const [, server, body] of panels) {
      const x = plotX(elements(body!, "plot")[0]!);
      const drawn = markers(body!);
      expect(drawn.map((m) => m.atMs)).toEqual([3000, 6000]);
      for (const m of drawn) expect(m.lineX).toBeCloseTo(x(m.atMs), 1);
      expect(elements(body!, "failover")).toHaveLength(server === "web01" ? 2 : 0);
    }
  });

  it("draws the 95% band with replications: in flight and queued with one variant, in flight only with several", () => {
    const banded = (view: ServerLoad): ServerLoad => ({
      ...view,
      lines: view.lines.map((l) => ({
        ...l,
        inFlight: Object.fromEntries(
          Object.entries(l.inFlight).map(([k, s]) => [
            k,
            { ...s, low: s.mean.map((v) => v - 1), high: s.mean.map((v) => v + 1) },
          ]),
        ),
        queued: Object.fromEntries(
          Object.entries(l.queued).map(([k, s]) => [
            k,
            { ...s, low: s.mean.map((v) => v - 1), high: s.mean.map((v) => v + 1) },
          ]),
        ),
      })),
    });
    const one = serverLoadChart(banded(load(["web01"])), { width: 900, fontSize: 12 });
    expect(elements(one, "band").map((b) => b["data-series"])).toEqual([
      "roundrobin|web01 in flight",
      "roundrobin|web01 queued",
    ]);
    const two = serverLoadChart(banded(load(["web01"], 2)), { width: 900, fontSize: 12 });
    expect(elements(two, "band").map((b) => b["data-series"])).toEqual([
      "roundrobin|web01 in flight",
      "leastconn|web01 in flight",
    ]);
    expect(elements(serverLoadChart(load(["web01"]), { width: 900, fontSize: 12 }), "band")).toEqual([]);
  });

  it("shows a hostile server name as text, escaped everywhere", () => {
    const svg = serverLoadChart(load([HOSTILE, "web02"]), { width: 900, fontSize: 12 });
    expect(svg).not.toContain("<img");
    expect(svg).toContain(">&lt;img src=x onerror=alert(1)&gt;</text>");
    expect(svg).toContain('data-server="&lt;img src=x onerror=alert(1)&gt;"');
  });

  it("stays readable with 2 servers and with 24, in normal and large type: text inside the viewBox, titles apart", () => {
    for (const count of [2, 24])
      for (const fontSize of [12, 20]) {
        const servers = Array.from({ length: count }, (_, i) => `web${String(i + 1).padStart(2, "0")}`);
        const svg = serverLoadChart(load(servers, 3), { width: 900, fontSize });
        const { width, height } = rootSize(svg);
        const boxes = textBoxes(svg);
        for (const box of boxes) {
          expect(box.left, box.content).toBeGreaterThanOrEqual(0);
          expect(box.right, box.content).toBeLessThanOrEqual(width);
          expect(box.top, box.content).toBeGreaterThanOrEqual(0);
          expect(box.bottom, box.content).toBeLessThanOrEqual(height);
        }
        const titles = boxes.filter((b) => servers.includes(b.content));
        expect(titles).toHaveLength(count);
        for (const a of titles)
          for (const b of titles)
            if (a !== b)
              expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top).toBe(
                true,
              );
        expect(elements(svg, "panel")).toHaveLength(count);
      }
  });
});
