import { describe, expect, it } from "vitest";
import { elements, failoverResults, healthOf, latencyOf, secondsAxis } from "../../test/chart-support.js";
import { errorsOverTimeChart } from "./errors-over-time.js";
import { healthChart } from "./health.js";
import { latencyOverTimeChart } from "./latency-over-time.js";
import { serverLoadChart } from "./server-load.js";
import {
  failoverSvg,
  formatAtMs,
  layoutMarkers,
  legendSvg,
  markerKeySvg,
  markersSvg,
  textWidth,
  timeScale,
} from "./time-frame.js";

const x = timeScale(secondsAxis(20), 84, 882);

describe("action markers", () => {
  it("stagger labels of close actions in rows so that no two overlap", () => {
    const actions = [
      { atMs: 5000, action: "crash", server: "web02", text: "crash web02" },
      { atMs: 5200, action: "crash", server: "web03", text: "crash web03" },
      { atMs: 15000, action: "restore", server: "web02", text: "restore web02" },
    ];
    const layout = layoutMarkers(actions, x, 12);
    expect(layout.numbered).toBe(false);
    const rows = new Map(layout.placed.map((p) => [p.marker.text, p.row]));
    // 200 ms is 8 px here: the second label cannot share the first one's row; the far one can.
    expect(rows.get("crash web03")).not.toBe(rows.get("crash web02"));
    expect(rows.get("restore web02")).toBe(0);
    expect(layout.rows).toBe(2);
  });

  it("number the markers, with a key under the chart, when the texts would need too many rows", () => {
    const actions = Array.from({ length: 6 }, (_, i) => ({
      atMs: 10_000 + i * 100,
      action: "upgrade",
      text: `set server web/web0${i} state drain`,
    }));
    const layout = layoutMarkers(actions, x, 12);
    expect(layout.numbered).toBe(true);
    expect(layout.placed.map((p) => p.label)).toEqual(["1", "2", "3", "4", "5", "6"]);
    const key = markerKeySvg(layout, 900, 12);
    const svg = key.draw(0);
    expect(key.height).toBeGreaterThan(0);
    for (const a of actions) expect(svg).toContain(`>${a.text}</text>`);
    expect(svg).toContain(`>${formatAtMs(10_500)}</text>`);
  });

  it("never let a label's text cross another marker's line: numbers then", () => {
    const narrow = timeScale(secondsAxis(20), 84, 400);
    // "restore web02" fits neither right of 12 s (past the plot's end it would not) nor left of it without crossing 10 s.
    const actions = [
      { atMs: 10_000, action: "crash", server: "web02", text: "crash web02" },
      { atMs: 19_000, action: "restore", server: "web02", text: "restore web02" },
    ];
    expect(layoutMarkers(actions, narrow, 20).numbered).toBe(true);
    expect(layoutMarkers(actions, x, 12).numbered).toBe(false);
  });

  it("draw each marker's line at the time scale's x of its moment, across the plot", () => {
    const actions = [{ atMs: 7500, action: "drain", text: "drain web01" }];
    const svg = markersSvg(layoutMarkers(actions, x, 12), x, 10, 300, 12);
    const line = /<g class="marker" data-at-ms="7500"[^>]*>.*?<line([^>]*)\/>/.exec(svg)![1]!;
    expect(line).toContain(`x1="${x(7500)}"`);
    expect(line).toContain('y2="300"');
    expect(svg).toContain("<title>7.5 s: drain web01</title>");
  });
});

describe("failover shading", () => {
  it("spans the action to DOWN in one tint and DOWN to UP in another", () => {
    const svg = failoverSvg(
      [{ server: "web02", variant: "roundrobin", actionMs: 5000, downMs: 7333, upMs: 13333, endMs: 20_000 }],
      x,
      0,
      100,
    );
    const rects = elements(svg, "failover");
    expect(rects.map((r) => [r["data-phase"], r["data-from-ms"], r["data-to-ms"]])).toEqual([
      ["detecting", "5000", "7333"],
      ["down", "7333", "13333"],
    ]);
    expect(rects[0]!.fill).not.toBe(rects[1]!.fill);
    expect(Number(rects[0]!.x)).toBeCloseTo(x(5000), 1);
    expect(Number(rects[0]!.width)).toBeCloseTo(x(7333) - x(5000), 1);
  });

  it("shares the tint among replications: each at 1/n, so it fades where their DOWNs differ", () => {
    const base = { server: "web02", variant: "v", actionMs: 5000, upMs: 13_000, endMs: 20_000 };
    const one = elements(failoverSvg([{ ...base, downMs: 7000 }], x, 0, 100), "failover");
    const svg = failoverSvg(
      [
        { ...base, downMs: 7000, replication: 1, seed: 1 },
        { ...base, downMs: 7600, replication: 2, seed: 2 },
      ],
      x,
      0,
      100,
    );
    const two = elements(svg, "failover");
    expect(two).toHaveLength(4);
    expect(Number(two[0]!["fill-opacity"])).toBeCloseTo(Number(one[0]!["fill-opacity"]) / 2, 3);
    expect(two.map((r) => r["data-replication"])).toEqual(["1", "1", "2", "2"]);
    expect(svg).toContain("web02: failing until marked DOWN (v, replication 2, seed 2): ");
  });

  it("runs to the end of the run when DOWN or UP never came", () => {
    const svg = failoverSvg(
      [
        { server: "a", variant: "v", actionMs: 5000, downMs: null, upMs: null, endMs: 20_000 },
        { server: "b", variant: "v", actionMs: 1000, downMs: 3000, upMs: null, endMs: 20_000 },
      ],
      x,
      0,
      100,
    );
    expect(
      elements(svg, "failover").map((r) => `${r["data-server"]} ${r["data-from-ms"]}-${r["data-to-ms"]}`),
    ).toEqual(["a 5000-20000", "b 1000-3000", "b 3000-20000"]);
  });
});

describe("legend", () => {
  it("wraps its entries in rows that stay inside the width", () => {
    const items = Array.from({ length: 12 }, (_, i) => ({
      label: `strategy number ${i}`,
      color: "#000",
      kind: "line" as const,
    }));
    const block = legendSvg(items, 400, 12);
    const svg = block.draw(0);
    const xs = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)];
    expect(xs).toHaveLength(12);
    for (const [, left, , label] of xs) expect(Number(left) + textWidth(label!, 12)).toBeLessThanOrEqual(400);
    expect(new Set(xs.map((m) => m[2])).size).toBeGreaterThan(1);
    expect(block.height).toBeGreaterThan(12 * 2);
  });
});

describe("the time charts together", () => {
  it("line their plots up one above the other at the same width (one column, short names)", () => {
    const r = failoverResults();
    const latency = latencyOf(r);
    const o = { width: 600, fontSize: 20 };
    const ranges = [
      latencyOverTimeChart(latency, o),
      healthChart(healthOf(r), o),
      errorsOverTimeChart(
        {
          axis: latency.axis,
          variants: [
            {
              variant: latency.lines[0]!.variant,
              byStatus: [{ key: "503", counts: [0, 1] }],
              byTermination: [{ key: "SC", counts: [0, 1] }],
            },
          ],
          actions: latency.actions,
          failover: latency.failover,
        },
        o,
      ),
      serverLoadChart(
        {
          axis: latency.axis,
          servers: ["web01"],
          lines: [{ variant: latency.lines[0]!.variant, inFlight: { web01: { mean: [1, 2] } }, queued: {} }],
          actions: latency.actions,
          failover: [],
        },
        o,
      ),
    ].map((svg) => elements(svg, "plot").map((p) => `${p["data-x-domain"]} / ${p["data-x-range"]}`));
    expect(new Set(ranges.flat()).size).toBe(1);
    expect(ranges.flat()[0]).toBe("0 20000 / 140 570");
  });
});

describe("the time charts with nothing to draw", () => {
  it("still give a complete chart with its title, and no NaN anywhere", () => {
    const axis = { atMs: [], bucketMs: 1000, durationMs: 0, warmupMs: 0 };
    const o = { width: 600, fontSize: 12 };
    const charts = [
      latencyOverTimeChart({ axis, lines: [], actions: [], failover: [] }, o),
      errorsOverTimeChart({ axis, variants: [], actions: [], failover: [] }, o),
      serverLoadChart({ axis, servers: [], lines: [], actions: [], failover: [] }, o),
      healthChart({ axis, lanes: [], actions: [] }, o),
    ];
    for (const svg of charts) {
      expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 600 \d+"[^>]*><title>[^<]+<\/title>.*<\/svg>$/);
      expect(svg).not.toContain("NaN");
      expect(svg).not.toContain("Infinity");
    }
  });
});
