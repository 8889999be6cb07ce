// Spec of cli/check-report.ts: the readable summary of `lbsim check`.
import { describe, expect, it } from "vitest";
import { type CheckJson, renderSummary } from "./check-report.js";

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
});
