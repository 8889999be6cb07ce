import { describe, expect, it } from "vitest";
import {
  elements,
  failoverResults,
  HOSTILE,
  healthOf,
  markers,
  plotX,
  rootSize,
  secondsAxis,
  textBoxes,
} from "../../test/chart-support.js";
import { STATE_COLORS, stateColor } from "../palette.js";
import type { Health } from "../view.js";
import { healthChart } from "./health.js";

const results = failoverResults();

describe("healthChart", () => {
  it("draws each server's states as spans from and to the times the run says, in HAProxy's colours", () => {
    const svg = healthChart(healthOf(results), { width: 900, fontSize: 12 });
    expect(svg).toContain('data-chart="health"');
    const web02 = elements(svg, "state").filter((r) => r["data-server"] === "web02");
    const states = results.servers.find((s) => s.name === "web02")!.states;
    // Spans of no length (two changes at one instant) draw nothing.
    const expected = states
      .map((s, i) => ({ state: s.state, fromMs: s.atMs, toMs: states[i + 1]?.atMs ?? results.durationMs }))
      .filter((s) => s.toMs > s.fromMs);
    expect(web02.map((r) => [r["data-state"], Number(r["data-from-ms"]), Number(r["data-to-ms"])])).toEqual(
      expected.map((s) => [s.state, s.fromMs, s.toMs]),
    );
    const down = web02.find((r) => r["data-state"] === "DOWN")!;
    expect(down.fill).toBe(STATE_COLORS.down);
    expect(down.fill).toBe("#ff9090");
    for (const r of web02) expect(r.fill).toBe(stateColor(r["data-state"]!));
    const x = plotX(elements(svg, "plot")[0]!);
    expect(Number(down.x)).toBeCloseTo(x(Number(down["data-from-ms"])), 1);
    expect(svg).toContain("<title>web02 DOWN from 7.33 s to 12.3 s</title>");
  });

  it("puts the markers over the lanes at the action times", () => {
    const svg = healthChart(healthOf(results), { width: 900, fontSize: 12 });
    const x = plotX(elements(svg, "plot")[0]!);
    const drawn = markers(svg);
    expect(drawn.map((m) => m.label)).toEqual(["crash web02", "restore web02"]);
    for (const m of drawn) expect(m.lineX).toBeCloseTo(x(m.atMs), 1);
  });

  it("marks failed checks with their count, and names in the legend only the states shown", () => {
    const health: Health = {
      axis: secondsAxis(10),
      lanes: [
        {
          server: "web01",
          variant: { name: "roundrobin", color: "#0072B2" },
          spans: [
            { fromMs: 0, toMs: 4000, state: "UP" },
            { fromMs: 4000, toMs: 6000, state: "UP 1/3" },
            { fromMs: 6000, toMs: 10_000, state: "DOWN" },
          ],
          failedChecks: [
            { atMs: 4000, count: 2 },
            { atMs: 5000, count: 1 },
          ],
        },
      ],
      actions: [],
    };
    const svg = healthChart(health, { width: 900, fontSize: 12 });
    const checks = elements(svg, "failed-check");
    expect(checks.map((c) => [c["data-at-ms"], c["data-count"]])).toEqual([
      ["4000", "2"],
      ["5000", "1"],
    ]);
    expect(svg).toContain("<title>web01: 2 failed checks from 4 s to 5 s</title>");
    expect(svg).toContain(">going down (UP 1/3…)</text>");
    expect(svg).toContain(">failed checks</text>");
    expect(svg).not.toContain(">MAINT</text>");
    expect(svg).not.toContain(">DRAIN</text>");
  });

  it("draws a server not in the backend yet (ABSENT, then added) near-white, named apart from no check", () => {
    const health: Health = {
      axis: secondsAxis(10),
      lanes: [
        {
          server: "web03",
          variant: { name: "roundrobin", color: "#0072B2" },
          spans: [
            { fromMs: 0, toMs: 4000, state: "ABSENT" },
            { fromMs: 4000, toMs: 10_000, state: "UP" },
          ],
          failedChecks: [],
        },
      ],
      actions: [],
    };
    const svg = healthChart(health, { width: 900, fontSize: 12 });
    expect(svg).toContain(">not in the backend (ABSENT)</text>");
    expect(svg).not.toContain(">no check</text>");
    expect(stateColor("ABSENT")).toBe(STATE_COLORS.absent);
    expect(STATE_COLORS.absent).not.toBe(STATE_COLORS.noCheck);
  });

  it("gives each server a lane per variant when several are compared", () => {
    const one = healthOf(results);
    const both: Health = {
      ...one,
      lanes: [
        ...one.lanes,
        ...one.lanes.map((l) => ({ ...l, variant: { name: "leastconn", color: "#D55E00" } })),
      ],
    };
    const svg = healthChart(both, { width: 900, fontSize: 12 });
    expect(elements(svg, "lane").map((l) => `${l["data-server"]}/${l["data-variant"]}`)).toEqual([
      "web01/roundrobin",
      "web01/leastconn",
      "web02/roundrobin",
      "web02/leastconn",
      "web03/roundrobin",
      "web03/leastconn",
    ]);
    expect(svg).toContain("<title>web02 (leastconn) DOWN from 7.33 s to 12.3 s</title>");
  });

  it("shows a hostile server name as text", () => {
    const one = healthOf(results);
    const svg = healthChart(
      { ...one, lanes: one.lanes.map((l) => ({ ...l, server: HOSTILE })) },
      { width: 900, fontSize: 12 },
    );
    expect(svg).not.toContain("<img");
    expect(svg).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("grows its text with large type and keeps every text inside the viewBox", () => {
    const heights: number[] = [];
    for (const fontSize of [12, 20]) {
      const svg = healthChart(healthOf(results), { width: 600, fontSize });
      const { width, height } = rootSize(svg);
      heights.push(height);
      for (const box of textBoxes(svg)) {
        expect(box.left, box.content).toBeGreaterThanOrEqual(0);
        expect(box.right, box.content).toBeLessThanOrEqual(width);
        expect(box.top, box.content).toBeGreaterThanOrEqual(0);
        expect(box.bottom, box.content).toBeLessThanOrEqual(height);
      }
    }
    expect(heights[1]).toBeGreaterThan(heights[0]!);
  });
});

describe("healthChart without health checks", () => {
  it("says that no server is checked instead of drawing grey lanes, and still draws lanes once a state changes", () => {
    const axis = { atMs: [0, 1000], bucketMs: 1000, durationMs: 2000, warmupMs: 0 };
    const lane = (server: string, spans: Array<{ fromMs: number; toMs: number; state: string }>) => ({
      server,
      variant: { name: "roundrobin", color: "#0072B2" },
      spans,
      failedChecks: [],
    });
    const unchecked = [
      lane("web01", [{ fromMs: 0, toMs: 2000, state: "no check" }]),
      lane("web02", [{ fromMs: 0, toMs: 2000, state: "no check" }]),
    ];
    const svg = healthChart({ axis, lanes: unchecked, actions: [] }, { width: 600, fontSize: 12 });
    expect(svg).toContain('data-chart="health"');
    expect(svg).toContain(
      ">no health checks: all 2 servers stayed &quot;no check&quot; the whole run</text>",
    );
    expect(svg).not.toContain('class="state"');
    const drained = [
      unchecked[0]!,
      lane("web02", [
        { fromMs: 0, toMs: 1000, state: "no check" },
        { fromMs: 1000, toMs: 2000, state: "MAINT" },
      ]),
    ];
    const changed = healthChart({ axis, lanes: drained, actions: [] }, { width: 600, fontSize: 12 });
    expect(changed).toContain('data-state="MAINT"');
    expect(changed).not.toContain("no health checks");
  });
});
