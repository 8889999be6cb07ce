// Spec of cli/table-over-time.ts: timeline actions grouped by sparkline cell, and the legend's width.
import { describe, expect, it } from "vitest";
import { legend, markGroups } from "./table-over-time.js";

const action = (atMs: number, text: string) => ({ atMs, action: "runtime", text });

describe("markGroups", () => {
  it("numbers the cells that hold actions in order, actions of one cell under one label", () => {
    const groups = markGroups([action(1_000, "a"), action(1_500, "b"), action(9_000, "c")], 2_000, 10);
    expect(groups.map((g) => [g.cell, g.label, g.actions.map((a) => a.text)])).toEqual([
      [0, "1", ["a", "b"]],
      [4, "2", ["c"]],
    ]);
  });
});

describe("legend", () => {
  it("wraps entries under the sparklines within 100 columns", () => {
    const entries = Array.from({ length: 8 }, (_, i) => `${i + 1} crash web0${i} @${i}.0s`);
    const lines = legend(entries);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines.join(" · ").replace(/\s+/g, " ").trim()).toBe(entries.join(" · "));
  });

  it("stops after four lines and counts the entries left out", () => {
    const entries = Array.from({ length: 40 }, (_, i) => `${i} set server web/web${i} state maint @${i}.0s`);
    const lines = legend(entries);
    expect(lines.length).toBe(4);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    const shown = lines.join(" · ").split(" · ").length - 1;
    expect(lines[3]).toContain(`… (+${40 - shown} more)`);
  });
});
