import { scaleLinear } from "d3-scale";
import { describe, expect, it } from "vitest";
import { axisBottom, formatMs, logTicks } from "./axis.js";
import { STATE_COLORS, stateColor } from "./palette.js";
import { attrs, coord, el, escapeXml, svgRoot, text } from "./svg.js";

describe("svg strings", () => {
  it("escapes markup in text and attributes, so a hostile server name stays text", () => {
    const name = `<img src=x onerror="alert(1)">&'`;
    expect(escapeXml(name)).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
    expect(text(name, { x: 1 })).not.toContain("<img");
    expect(attrs({ "data-server": name })).toBe(
      ' data-server="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"',
    );
  });

  it("leaves out null, undefined and false attributes and rounds coordinates to two decimals", () => {
    expect(attrs({ a: null, b: undefined, c: false, d: true, x: 1.23456, y: -0.001 })).toBe(
      ' d="" x="1.23" y="0"',
    );
    expect(coord(Number.NaN)).toBe("0");
    expect(el("g", {})).toBe("<g/>");
  });

  it("names the chart on its root and gives it a title", () => {
    const svg = svgRoot("shares", { width: 300, height: 200, fontSize: 12 }, "Requests <per> server");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 300 200"/);
    expect(svg).toContain('data-chart="shares"');
    expect(svg).toContain("<title>Requests &lt;per&gt; server</title>");
  });
});

describe("axes", () => {
  it("puts each tick at the scale's position with its label", () => {
    const scale = scaleLinear().domain([0, 100]).range([50, 550]);
    const svg = axisBottom(scale, 300, {
      fontSize: 12,
      tickValues: [0, 50, 100],
      format: String,
      label: "time (s)",
    });
    expect(svg).toContain('x1="300" x2="300"');
    expect([...svg.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((m) => m[1])).toEqual(["0", "50", "100"]);
    expect(svg).toContain(">time (s)</text>");
  });

  it("formats durations in the unit a reader expects", () => {
    expect([0.25, 12, 1500, 180_000].map(formatMs)).toEqual(["250 µs", "12 ms", "1.5 s", "3 min"]);
  });

  it("ticks a log axis at powers of ten, with 2 and 5 between on a short range", () => {
    expect(logTicks(1, 10_000)).toEqual([1, 10, 100, 1000, 10_000]);
    expect(logTicks(3, 40)).toEqual([5, 10, 20]);
    // Three decades and more: powers of ten, and a 2 or 5 × 10^n near a top far above the last one.
    expect(logTicks(8.7, 9600)).toEqual([10, 100, 1000, 5000]);
    expect(logTicks(8.7, 4000)).toEqual([10, 100, 1000, 2000]);
    expect(logTicks(8.7, 2500)).toEqual([10, 100, 1000]);
  });
});

describe("state colours", () => {
  it("are HAProxy's stats-page colours, with the transitional states told apart", () => {
    expect(stateColor("UP")).toBe(STATE_COLORS.up);
    expect(stateColor("UP 1/3")).toBe(STATE_COLORS.goingDown);
    expect(stateColor("DOWN")).toBe(STATE_COLORS.down);
    expect(stateColor("DOWN 1/2")).toBe(STATE_COLORS.goingUp);
    expect(stateColor("MAINT")).toBe(STATE_COLORS.maint);
    expect(stateColor("no check")).toBe(STATE_COLORS.noCheck);
  });
});
