// Spec of cli/compare-stats.ts: the best mean of a row, the paired differences to it, and when a star is earned.
import { describe, expect, it } from "vitest";
import type { Row } from "./compare-rows.js";
import { judgeRow } from "./compare-stats.js";

function row(better: Row["better"], values: Array<number[] | undefined>): Row {
  return {
    key: "k",
    section: "S",
    name: "n",
    better,
    unit: "count",
    values,
    cells: values.map((v) => (v === undefined ? "-" : String(v.reduce((a, b) => a + b, 0) / v.length))),
  };
}

describe("judgeRow", () => {
  it("names only the strategies whose paired interval to the best contains 0", () => {
    // Status 200 (more is better): b is best; a is 100 below on every seed; c is +2, -2, +1 around b.
    const verdict = judgeRow(
      row("higher", [
        [900, 950, 1000],
        [1000, 1050, 1100],
        [1002, 1048, 1101],
      ]),
    );
    expect(verdict.verdict).toBe("indistinguishable");
    expect(verdict.best).toBe(2);
    expect(verdict.indistinguishable).toEqual([1]);
    expect(verdict.marked).toEqual([false, false, false]);
    expect(verdict.differences[0]?.distinguishable).toBe(true);
  });

  it("earns the star when every difference is told apart, a constant one included", () => {
    // A difference of exactly 5 on every seed has no spread: it is no noise.
    const verdict = judgeRow(
      row("lower", [
        [10, 20, 30],
        [15, 25, 35],
      ]),
    );
    expect(verdict.verdict).toBe("winner");
    expect(verdict.marked).toEqual([true, false]);
    expect(verdict.differences[1]).toEqual({
      mean: 5,
      ci95: { low: 5, high: 5 },
      percent: 25,
      distinguishable: true,
    });
  });

  it("leaves a strategy without the figure out of the ranking", () => {
    const verdict = judgeRow(row("lower", [undefined, [3, 4], [5, 7]]));
    expect(verdict.best).toBe(1);
    expect(verdict.differences[0]).toBeUndefined();
  });

  it("marks the best value of one run (ties included) without an interval, and nothing in a row of equals", () => {
    const one = judgeRow(row("lower", [[4], [3], [3]]));
    expect(one.verdict).toBe("one run");
    expect(one.marked).toEqual([false, true, true]);
    expect(one.differences[0]).toEqual({ mean: 1, percent: 33.3333333333, distinguishable: true });
    expect(judgeRow(row("lower", [[4], [4]])).verdict).toBe("same");
    expect(
      judgeRow(
        row("lower", [
          [4, 5],
          [4, 5],
        ]),
      ).verdict,
    ).toBe("same");
    expect(judgeRow(row("none", [[4], [5]])).verdict).toBe("unranked");
  });
});
