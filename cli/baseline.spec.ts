// Spec of cli/baseline.ts: what counts as a regression (tolerance, floor, intervals), and what is only reported.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { type BaselineScenario, compareWithBaseline, judgeFigure } from "./baseline.js";
import { readBaseline } from "./baseline-file.js";
import type { Figure } from "./check-figures.js";
import { confidenceInterval95, mean } from "./check-stats.js";

function figure(...values: number[]): Figure {
  const ci95 = confidenceInterval95(values);
  return { mean: mean(values), ...(ci95 === undefined ? {} : { ci95 }), values };
}

describe("judgeFigure", () => {
  const before = figure(100, 102, 98);

  it("paired by seed: identical runs are no regression; a shift beyond the tolerance is", () => {
    expect(judgeFigure(before, figure(100, 102, 98), "time", 0.1, true)).toMatchObject({
      regressed: false,
      judged: "paired",
      difference: { mean: 0, ci95: { low: 0, high: 0 } },
    });
    // +20 ms on every seed: the whole interval of the difference lies above 10% of 100 ms.
    expect(judgeFigure(before, figure(120, 122, 118), "time", 0.1, true)).toMatchObject({
      regressed: true,
      allowed: 110,
      difference: { mean: 20 },
    });
    // +8 ms on every seed: worse, but within the 10 ms tolerance.
    expect(judgeFigure(before, figure(108, 110, 106), "time", 0.1, true).regressed).toBe(false);
  });

  it("paired by seed: a mean beyond the tolerance that the replications do not agree on is noise", () => {
    const noisy = figure(90, 150, 100);
    expect(noisy.mean).toBeGreaterThan(110);
    // Differences -10, +48, +2: their 95% interval reaches far below the 10 ms margin.
    expect(judgeFigure(before, noisy, "time", 0.1, true).regressed).toBe(false);
  });

  it("other seeds: the new interval's low end must clear the old one's high end plus the margin", () => {
    // before: 100 ± 4.303·2/√3 = 95.03..104.97.
    expect(judgeFigure(before, figure(130, 132, 128), "time", 0.1, false)).toMatchObject({
      regressed: true,
      judged: "intervals",
    });
    // 118 ms is 18% worse, but 113.03..122.97 overlaps 104.97 + 10: not shown beyond the noise.
    expect(judgeFigure(before, figure(118, 120, 116), "time", 0.1, false).regressed).toBe(false);
  });

  it("one run on a side: the values and the tolerance decide (a value must exceed the allowed one)", () => {
    expect(judgeFigure(figure(100), figure(111), "time", 0.1, true)).toMatchObject({
      regressed: true,
      judged: "values",
      allowed: 110,
    });
    expect(judgeFigure(figure(100), figure(110), "time", 0.1, true).regressed).toBe(false);
    // One new run against the baseline's interval 95.03..104.97: 111 ms does not clear 114.97.
    expect(judgeFigure(before, figure(111), "time", 0.1, false)).toMatchObject({
      regressed: false,
      judged: "intervals",
    });
    expect(judgeFigure(before, figure(116), "time", 0.1, false).regressed).toBe(true);
  });

  it("lets a figure move by the floor whatever the relative tolerance: 1 ms, 0.1 percentage point", () => {
    expect(judgeFigure(figure(2), figure(2.9), "time", 0.1, true).regressed).toBe(false);
    expect(judgeFigure(figure(2), figure(3.5), "time", 0.1, true).regressed).toBe(true);
    expect(judgeFigure(figure(0), figure(0.0009), "ratio", 0.1, true).regressed).toBe(false);
    expect(judgeFigure(figure(0), figure(0.002), "ratio", 0.1, true).regressed).toBe(true);
  });

  it("never calls a better figure a regression", () => {
    expect(judgeFigure(before, figure(50, 51, 49), "time", 0, true).regressed).toBe(false);
    expect(judgeFigure(before, figure(50, 51, 49), "time", 0, false).regressed).toBe(false);
  });
});

describe("compareWithBaseline", () => {
  const entry = (scenario: string, p99: number[], seeds = [1, 2, 3]): BaselineScenario => ({
    file: `${scenario}.yaml`,
    scenario,
    seeds,
    figures: { roundrobin: { p99: figure(...p99), errors: figure(...p99.map(() => 0)) } },
  });

  it("names each regressed figure, counts the figures compared, and passes otherwise", () => {
    const report = compareWithBaseline(
      [entry("a", [130, 132, 128])],
      [entry("a", [100, 102, 98])],
      "b.json",
      0.1,
    );
    expect(report).toMatchObject({ file: "b.json", passed: false, compared: 2, notes: [] });
    expect(report.regressions.map((r) => [r.scenario, r.run, r.figure, r.judged, r.tolerance])).toEqual([
      ["a", "roundrobin", "p99", "paired", 0.1],
    ]);
    expect(
      compareWithBaseline([entry("a", [100, 102, 98])], [entry("a", [100, 102, 98])], "b.json", 0.1).passed,
    ).toBe(true);
  });

  it("takes the scenario's own tolerance for a figure, then its tolerance:, then the fallback", () => {
    const after = { ...entry("a", [130, 132, 128]) };
    const with50 = compareWithBaseline(
      [{ ...after, tolerances: { p99: 0.5 } }],
      [entry("a", [100, 102, 98])],
      "b",
      0.1,
    );
    expect(with50.passed).toBe(true);
    const with40 = compareWithBaseline(
      [{ ...after, tolerances: { tolerance: 0.4 } }],
      [entry("a", [100, 102, 98])],
      "b",
      0.1,
    );
    expect(with40.passed).toBe(true);
    expect(compareWithBaseline([after], [entry("a", [100, 102, 98])], "b", 0.4).passed).toBe(true);
    expect(compareWithBaseline([after], [entry("a", [100, 102, 98])], "b", 0.2).passed).toBe(false);
  });

  it("reports scenarios on one side only, and other seeds, without failing", () => {
    const report = compareWithBaseline(
      [entry("new", [100]), entry("a", [100, 102, 98], [5, 6, 7])],
      [entry("old", [100]), entry("a", [100, 102, 98])],
      "b.json",
      0.1,
    );
    expect(report.passed).toBe(true);
    expect(report.notInBaseline).toEqual([{ file: "new.yaml", scenario: "new" }]);
    expect(report.notRun).toEqual([{ file: "old.yaml", scenario: "old" }]);
    expect(report.notes).toEqual([
      "a: seeds 5..7 now, seeds 1..3 in the baseline: compared interval against interval, not seed by seed",
    ]);
  });

  it("finds a scenario by name when its file moved", () => {
    const moved = { ...entry("a", [130, 132, 128]), file: "elsewhere/a.yaml" };
    expect(compareWithBaseline([moved], [entry("a", [100, 102, 98])], "b", 0.1).regressions).toHaveLength(1);
  });
});

describe("readBaseline", () => {
  it("refuses a missing file, a non-JSON file and a JSON that is not a check, as bad input", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-baseline-"));
    try {
      const read = (name: string, text?: string) => {
        if (text !== undefined) writeFileSync(join(dir, name), text);
        try {
          readBaseline(join(dir, name), name);
          return "read";
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          return `${error.issues[0]?.message} (${error.issues[0]?.hint})`;
        }
      };
      expect(read("none.json")).toBe(
        "baseline file not found (write it first with --update-baseline, then commit it)",
      );
      expect(read("bad.json", "{")).toMatch(/^is not JSON/);
      expect(read("results.json", '{"requests": {}}')).toMatch(/^is not a check JSON/);
      expect(
        read("ok.json", '{"totals": {}, "scenarios": [{"file": "a.yaml", "scenario": "a", "seeds": [1]}]}'),
      ).toBe("read");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
