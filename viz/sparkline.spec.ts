import { describe, expect, it } from "vitest";
import { cellAt, downsample, markLabel, markLine, sparkline } from "./sparkline.js";

describe("sparkline", () => {
  it("scales from the lowest bar to the full block at the largest value", () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([0, 8])).toBe("▁█");
  });

  it("draws zero as a blank when asked, and any non-zero value visibly", () => {
    expect(sparkline([0, 1, 0, 1000], { blankZero: true })).toBe(" ▁ █");
  });

  it("draws an all-zero or empty series without dividing by zero", () => {
    expect(sparkline([0, 0])).toBe("▁▁");
    expect(sparkline([])).toBe("");
  });
});

describe("downsample", () => {
  it("keeps a short series as it is", () => {
    expect(downsample([1, 2, 3], 10, "mean")).toEqual([1, 2, 3]);
  });

  it("sums counts, averages means and keeps the max of percentiles over each run of values", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(downsample(values, 5, "sum")).toEqual([3, 7, 11, 15, 19]);
    expect(downsample(values, 5, "mean")).toEqual([1.5, 3.5, 5.5, 7.5, 9.5]);
    expect(downsample(values, 5, "max")).toEqual([2, 4, 6, 8, 10]);
  });

  it("never gives more cells than the width", () => {
    for (let n = 1; n < 200; n++) {
      const cells = downsample(
        Array.from({ length: n }, (_, i) => i),
        60,
        "sum",
      );
      expect(cells.length).toBeLessThanOrEqual(60);
      expect(cells.reduce((a, b) => a + b, 0)).toBe((n * (n - 1)) / 2);
    }
  });
});

describe("marks under a sparkline", () => {
  it("puts each label at its cell and leaves the others blank", () => {
    expect(
      markLine(10, [
        { cell: 2, label: "1" },
        { cell: 7, label: "2" },
      ]),
    ).toBe("  1    2");
    expect(markLine(5, [])).toBe("");
  });

  it("keeps marks outside the line out of it", () => {
    expect(
      markLine(3, [
        { cell: 3, label: "1" },
        { cell: -1, label: "2" },
      ]),
    ).toBe("");
  });

  it("finds the cell of a moment as downsample cuts the buckets, the end in the last cell", () => {
    // 20 buckets of 1 s in 20 cells: 5 s is the start of the sixth cell (index 5).
    expect(cellAt(5_000, 1_000, 20)).toBe(5);
    expect(cellAt(4_999, 1_000, 20)).toBe(4);
    // 120 buckets of 1 s in 60 cells of 2 s: 61 s is in cell 30.
    expect(cellAt(61_000, 2_000, 60)).toBe(30);
    expect(cellAt(0, 1_000, 20)).toBe(0);
    expect(cellAt(20_000, 1_000, 20)).toBe(19);
  });

  it("labels marks 1–9, then a–z, then +", () => {
    expect([0, 8, 9, 34, 35, 99].map(markLabel)).toEqual(["1", "9", "a", "z", "+", "+"]);
  });
});
