// Spec of cli/sweep-output.ts: the table's cells (mean ± half-width in the mean's unit), incomplete rows, and the CSV's empty cells.
import { describe, expect, it } from "vitest";
import { SWEEP_METRICS } from "./sweep-metrics.js";
import { type SweepJson, sweepCsv, sweepTable } from "./sweep-output.js";

const none = { mean: null, low: null, high: null };

function json(): SweepJson {
  const metrics = Object.fromEntries(SWEEP_METRICS.map((m) => [m.key, none]));
  return {
    version: 1,
    scenario: "demo",
    file: "demo.yaml",
    lbsim: "9.8.7",
    parameters: [{ path: "clients.load.arrivals.poisson", values: ["100/s", "200/s"] }],
    strategies: ["roundrobin"],
    replications: 3,
    metrics: SWEEP_METRICS.map((m) => ({ key: m.key, unit: m.unit })),
    runs: { total: 6, done: 3, missing: 3 },
    complete: false,
    rows: [
      {
        point: 1,
        values: { "clients.load.arrivals.poisson": "100/s" },
        strategy: "roundrobin",
        seeds: [1, 2, 3],
        complete: true,
        // A p99 of 10.8 s ± 1.24 s: the half-width must not read "±1240" beside seconds.
        metrics: {
          ...metrics,
          p99Ms: { mean: 10_800, low: 9_560, high: 12_040 },
          errorRate: { mean: 0, low: 0, high: 0 },
        },
      },
      {
        point: 2,
        values: { "clients.load.arrivals.poisson": "200/s" },
        strategy: "roundrobin",
        seeds: [],
        complete: false,
        metrics,
      },
    ],
  };
}

describe("sweepTable", () => {
  it("shows a mean with its half-width in the same unit, and a constant figure without ±0", () => {
    const table = sweepTable(json());
    expect(table).toContain("10.8 s ±1.24 s");
    expect(table).toMatch(/ 0%(?! ±)/);
  });

  it("marks a row that lacks replications and says how many runs are missing", () => {
    const lines = sweepTable(json()).split("\n");
    expect(lines[2]).toMatch(/^200\/s\s+roundrobin\s+0\*\s+-\s+-/);
    expect(lines).toContain(
      "INCOMPLETE: stopped by Ctrl-C; 3 of 6 runs missing (rows marked * lack replications).",
    );
  });
});

describe("sweepCsv", () => {
  it("leaves a figure's cells empty when no replication finished, and ends records with CRLF", () => {
    const csv = sweepCsv(json());
    const rows = csv.split("\r\n");
    expect(rows[2]?.startsWith("2,200/s,roundrobin,0,false,,,,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
  });
});
