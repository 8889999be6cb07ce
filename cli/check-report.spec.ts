// Spec of cli/check-report.ts: the readable summary of `lbsim check`.
import { describe, expect, it } from "vitest";
import { type CheckJson, renderSummary, runFigures } from "./check-report.js";
import { sampleResults } from "./test-support.js";

describe("renderSummary", () => {
  it("colours the verdicts only when asked", () => {
    const report: CheckJson = {
      replications: 1,
      passed: false,
      totals: { scenarios: 1, expectations: 2, passed: 1, failed: 1 },
      scenarios: [
        {
          file: "x.yaml",
          scenario: "x",
          strategy: "roundrobin",
          compared: [],
          seeds: [1],
          status: "fail",
          checks: [
            { name: "p99 < 1s", pass: true, actual: 12, values: [12], limit: 1000 },
            { name: "errors < 1%", pass: false, actual: 0.5, values: [0.5], limit: 0.01 },
          ],
        },
      ],
    };
    const plain = renderSummary(report, { color: false });
    expect(plain).not.toContain("\u001b[");
    expect(plain).toContain("  FAIL  errors < 1%  50.0%");
    expect(plain).toContain("1 scenario, 2 expectations: 1 passed, 1 failed");
    const coloured = renderSummary(report, { color: true });
    expect(coloured).toContain("\u001b[32mPASS\u001b[0m");
    expect(coloured).toContain("\u001b[31mFAIL\u001b[0m");
  });

  it("says how many requests were left unanswered, under the scenario's runs", () => {
    const base = {
      file: "x.yaml",
      scenario: "x",
      strategy: "roundrobin",
      compared: [],
      seeds: [1],
      status: "fail" as const,
      checks: [{ name: "unfinished < 1%", pass: false, actual: 0.167, values: [0.167], limit: 0.01 }],
    };
    const report = (unfinished: number): CheckJson => ({
      replications: 1,
      passed: false,
      totals: { scenarios: 1, expectations: 1, passed: 0, failed: 1 },
      scenarios: [{ ...base, unfinished: [unfinished], arrivals: [7_202] }],
    });
    const lines = renderSummary(report(1_202), { color: false }).split("\n");
    expect(lines[2]).toBe(
      "  1,202 of 7,202 requests (16.7%) unanswered at the end; latency checks count them at their age",
    );
    expect(lines[3]).toBe("  FAIL  unfinished < 1%  16.7%  15.7 points (1570%) over");
    expect(renderSummary(report(0), { color: false })).not.toContain("unanswered");
    // A few in flight at the end are no news, unless they are old enough to raise a latency figure.
    expect(renderSummary(report(10), { color: false })).not.toContain("unanswered");
    const aged: CheckJson = {
      ...report(10),
      scenarios: [{ ...base, unfinished: [10], arrivals: [7_202], unfinishedAged: true }],
    };
    expect(renderSummary(aged, { color: false })).toContain(
      "  10 of 7,202 requests (0.14%) unanswered at the end",
    );
  });

  it("prints the first run's warnings, and asks for an unfinished expectation only where one would fail", () => {
    const scenario = (unfinished: number, checks: CheckJson["scenarios"][number]["checks"]) => ({
      file: "x.yaml",
      scenario: "x",
      strategy: "roundrobin",
      compared: [],
      seeds: [1],
      status: "pass" as const,
      unfinished: [unfinished],
      arrivals: [10_000],
      warnings: ['backend "web": offered load 1.22× capacity'],
      checks,
    });
    const report = (s: CheckJson["scenarios"][number]): CheckJson => ({
      replications: 1,
      passed: true,
      totals: { scenarios: 1, expectations: s.checks.length, passed: s.checks.length, failed: 0 },
      scenarios: [s],
    });
    const p99 = { name: "p99 < 20s", pass: true, actual: 10_700, values: [10_700], limit: 20_000 };
    const overloaded = renderSummary(report(scenario(1_900, [p99])), { color: false });
    expect(overloaded).toContain('\n  warning: backend "web": offered load 1.22× capacity\n');
    expect(overloaded).toContain('\n    no expectation judges them: add e.g. "unfinished < 1%"\n');
    // 99 of 10,000 (0.99%) would pass "unfinished < 1%": requests in flight at the end are no news.
    expect(renderSummary(report(scenario(99, [p99])), { color: false })).not.toContain(
      "no expectation judges",
    );
    const judged = { name: "unfinished < 20%", pass: true, actual: 0.19, values: [0.19], limit: 0.2 };
    expect(renderSummary(report(scenario(1_900, [judged])), { color: false })).not.toContain(
      "no expectation judges",
    );
  });

  it("marks unfinished requests as aged when, at their age, they raise a latency figure", () => {
    const run = sampleResults();
    const young = { ...run.latency, unfinished: 2, p99Ms: run.latency.p99Ms * 0.9 };
    const old = { ...run.latency, unfinished: 2, maxMs: run.latency.maxMs * 3 };
    expect(runFigures([{ ...run, latencyLowerBound: young }]).unfinishedAged).toBeUndefined();
    expect(runFigures([run, { ...run, latencyLowerBound: old }]).unfinishedAged).toBe(true);
    expect(runFigures([{ ...run, warnings: ["w"] }, run]).warnings).toEqual(["w"]);
  });
});
