import { describe, expect, it } from "vitest";
import { textWidth } from "../../viz/charts/text-layout.js";
import {
  type Box,
  layoutTopology,
  MAX_ROW_EM,
  MIN_ROW_EM,
  MIN_WIDTH,
  sameServers,
} from "./topology-layout.js";
import { viewStyle } from "./view-style.js";

const ten = Array.from({ length: 10 }, (_, i) => `web${String(i + 1).padStart(2, "0")}`);
const normal = viewStyle(false);
const large = viewStyle(true);

function inside(inner: Box, outer: { width: number; height: number }): boolean {
  return (
    inner.x >= 0 &&
    inner.y >= 0 &&
    inner.x + inner.width <= outer.width &&
    inner.y + inner.height <= outer.height
  );
}

describe("layoutTopology", () => {
  for (const [mode, style, height] of [
    ["normal", normal, 430],
    ["presenter", large, 640],
  ] as const) {
    it(`fits 10 servers in 1280 × ${height} px (${mode}): nothing overlaps, nothing leaves the drawing`, () => {
      const l = layoutTopology(ten, ["web"], { width: 1256, height }, style, 20);
      expect(l.width).toBe(1256);
      expect(l.height).toBe(height);
      expect(l.rows).toHaveLength(10);
      for (const box of [l.clients, l.balancer, ...l.rows.map((r) => r.box)])
        expect(inside(box, l)).toBe(true);
      // Left to right: clients, balancer, the cards, with room between for the dots.
      expect(l.clients.x + l.clients.width).toBeLessThan(l.balancer.x);
      expect(l.rows[0]!.box.x - (l.balancer.x + l.balancer.width)).toBeGreaterThanOrEqual(style.fontSize * 4);
      // Rows one under the other, none overlapping, each tall enough for its text.
      l.rows.forEach((row, i) => {
        expect(row.box.height).toBeGreaterThanOrEqual(style.fontSize * 1.5);
        if (i > 0) expect(row.box.y).toBeGreaterThanOrEqual(l.rows[i - 1]!.box.y + l.rows[i - 1]!.box.height);
      });
      // Columns left to right inside the card, the in-flight bar keeping at least 3 em after its number.
      const c = l.columns;
      const order = [c.name, c.weight, c.state, c.checks, c.queue, c.inFlight];
      for (let i = 1; i < order.length; i++)
        expect(order[i]!.x).toBeGreaterThanOrEqual(order[i - 1]!.x + order[i - 1]!.width);
      expect(c.inFlight.x + c.inFlight.width).toBeLessThanOrEqual(l.rows[0]!.box.width);
      expect(c.inFlight.width - c.inFlightNumber).toBeGreaterThanOrEqual(style.fontSize * 3);
      // The state column holds the widest state HAProxy shows.
      expect(c.state.width).toBeGreaterThanOrEqual(textWidth("DOWN 1/2", style.fontSize));
    });
  }

  it("beside the page's controls: one-line cards at 900 px, two-line cards under presenter type at 720 px", () => {
    expect(layoutTopology(ten, ["web"], { width: 900, height: 0 }, normal, 20).arrangement).toBe("wide");
    expect(layoutTopology(ten, ["web"], { width: 1256, height: 640 }, large, 20).arrangement).toBe("wide");
    const l = layoutTopology(ten, ["web"], { width: 720, height: 0 }, large, 20);
    expect(l.arrangement).toBe("two-line");
    expect(l.columns.lines).toBe(2);
    // The clients sit above the balancer, in the same column, the dots' first leg going down.
    expect(l.clients.y + l.clients.height).toBeLessThan(l.balancer.y);
    expect(l.clientLink.from.x).toBe(l.clientLink.to.x);
    for (const box of [l.clients, l.balancer, ...l.rows.map((r) => r.box)]) expect(inside(box, l)).toBe(true);
    const c = l.columns;
    const card = l.rows[0]!.box.width;
    for (const line of [
      [c.name, c.weight, c.state],
      [c.checks, c.queue, c.inFlight],
    ]) {
      for (let i = 1; i < line.length; i++)
        expect(line[i]!.x).toBeGreaterThanOrEqual(line[i - 1]!.x + line[i - 1]!.width);
      expect(line.at(-1)!.x + line.at(-1)!.width).toBeLessThanOrEqual(card);
    }
    expect([c.name.line, c.state.line, c.checks.line, c.inFlight.line]).toEqual([0, 0, 1, 1]);
    expect(c.inFlight.width - c.inFlightNumber).toBeGreaterThanOrEqual(large.fontSize * 2);
    expect(l.rows[0]!.box.height).toBeGreaterThanOrEqual(large.fontSize * 2.5);
  });

  it("stacks the clients over the balancer before it breaks cards in two", () => {
    // Presenter type: one-line cards need ~740 px, side by side with the clients ~1240 px.
    const widths = [1256, 1200, 1100, 1000, 700].map(
      (width) => layoutTopology(ten, ["web"], { width, height: 0 }, large, 20).arrangement,
    );
    expect(widths).toEqual(["wide", "stacked", "stacked", "two-line", "two-line"]);
  });

  it("centres a few servers in a tall box, at most MAX_ROW_EM high", () => {
    const l = layoutTopology(["a", "b"], ["web"], { width: 1000, height: 600 }, normal);
    const top = l.rows[0]!.box.y;
    const bottom = l.rows[1]!.box.y + l.rows[1]!.box.height;
    expect(l.rows[0]!.box.height).toBeLessThanOrEqual(MAX_ROW_EM * normal.fontSize);
    expect(Math.abs(top + bottom - 600)).toBeLessThan(normal.fontSize * 3);
    expect(l.headerY).toBeLessThan(top);
    // The balancer sits level with the middle of the rows, where the links start.
    expect(Math.abs(l.linkStart.y - (top + bottom) / 2)).toBeLessThan(1);
  });

  it("grows taller than its box rather than squeezing rows below MIN_ROW_EM (the page scrolls)", () => {
    const many = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const l = layoutTopology(many, ["web"], { width: 1280, height: 400 }, normal);
    expect(l.height).toBeGreaterThan(400);
    expect(l.rows[39]!.box.y + l.rows[39]!.box.height).toBeLessThanOrEqual(l.height);
    expect(l.rows[1]!.box.y - l.rows[0]!.box.y).toBeCloseTo(MIN_ROW_EM * normal.fontSize, 6);
  });

  it("takes its rows' natural height in a box that sizes to its content (height 0)", () => {
    const l = layoutTopology(ten, ["web"], { width: 1280, height: 0 }, normal);
    expect(l.height).toBeGreaterThan(10 * MIN_ROW_EM * normal.fontSize);
  });

  it("never lays out narrower than MIN_WIDTH (a narrow box scrolls sideways)", () => {
    expect(layoutTopology(ten, ["web"], { width: 300, height: 400 }, normal).width).toBe(MIN_WIDTH);
  });

  it("caps a long name's column at a quarter of the card (the name is cut, whole in its tooltip)", () => {
    const long = "a-very-long-server-name-from-a-generated-config-0001";
    const l = layoutTopology([long, "b"], ["web"], { width: 1280, height: 400 }, normal);
    expect(l.columns.name.width).toBeLessThanOrEqual(l.rows[0]!.box.width * 0.25 + 0.001);
  });

  it("lists up to four backends in the balancer and counts the rest", () => {
    const l = layoutTopology(ten, ["a", "b", "c", "d", "e", "f"], { width: 1280, height: 500 }, normal);
    expect(l.backendLines.map((b) => b.name)).toEqual(["a", "b", "c", "d"]);
    expect(l.backendsHidden).toBe(2);
    for (const line of l.backendLines) expect(line.y).toBeLessThan(l.balancer.y + l.balancer.height);
  });
});

describe("sameServers", () => {
  it("is true only for the same names in the same order", () => {
    expect(sameServers(["a", "b"], ["a", "b"])).toBe(true);
    expect(sameServers(["a", "b"], ["b", "a"])).toBe(false);
    expect(sameServers(["a"], ["a", "b"])).toBe(false);
  });
});
