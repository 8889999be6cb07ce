import { describe, expect, it } from "vitest";
import { isOut, STATE_COLORS, stateColor, takesTraffic, viewStyle } from "./view-style.js";

/** WCAG's contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("view styles", () => {
  it("presenter mode has larger type and thicker lines than normal", () => {
    const normal = viewStyle(false);
    const large = viewStyle(true);
    expect(large.fontSize / normal.fontSize).toBeGreaterThanOrEqual(1.5);
    expect(large.smallFontSize).toBeGreaterThanOrEqual(16);
    expect(large.strokeWidth).toBeGreaterThan(normal.strokeWidth);
    expect(large.dotRadius).toBeGreaterThan(normal.dotRadius);
  });

  it("text on a card reads at WCAG AA (4.5:1) on every HAProxy state colour, in both modes", () => {
    for (const large of [false, true])
      for (const color of Object.values(STATE_COLORS))
        expect(contrast(viewStyle(large).cardInk, color), color).toBeGreaterThanOrEqual(4.5);
  });

  it("presenter mode's muted text still reads at AAA on white (a projector washes greys out)", () => {
    const large = viewStyle(true);
    expect(contrast(large.mutedInk, large.background)).toBeGreaterThanOrEqual(7);
    expect(contrast(large.outline, large.background)).toBeGreaterThanOrEqual(7);
  });

  it("colours states as HAProxy's stats page does (the report's palette)", () => {
    expect(stateColor("UP")).toBe(STATE_COLORS.up);
    expect(stateColor("UP 1/3")).toBe(STATE_COLORS.goingDown);
    expect(stateColor("DOWN")).toBe(STATE_COLORS.down);
    expect(stateColor("DOWN 1/2")).toBe(STATE_COLORS.goingUp);
    expect(stateColor("MAINT")).toBe(STATE_COLORS.maint);
    expect(stateColor("DRAIN")).toBe(STATE_COLORS.drain);
    expect(stateColor("no check")).toBe(STATE_COLORS.noCheck);
  });

  it("draws a server's link dead only when the balancer will not use it", () => {
    expect(["UP", "UP 1/3", "no check", "DRAIN", "NOLB"].map(isOut)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(["DOWN", "DOWN 1/2", "MAINT"].map(isOut)).toEqual([true, true, true]);
    expect(["UP", "UP 2/3", "no check"].every(takesTraffic)).toBe(true);
    expect(["DOWN", "MAINT", "DRAIN"].some(takesTraffic)).toBe(false);
  });
});
