// Spec of viz/build-check.ts: a section per scenario of the check, in order; scenarios not run say so.
import { describe, expect, it } from "vitest";
import { checkView } from "./build-check.js";
import { failoverRuns, nonFinite } from "./build-test-support.js";
import type { CheckInput } from "./inputs.js";

const rr = failoverRuns([1, 2], "roundrobin");
const lc = failoverRuns([1, 2], "leastconn");

const check: CheckInput = {
  replications: 2,
  passed: false,
  scenarios: [
    {
      file: "a.yaml",
      scenario: "failover",
      strategy: "roundrobin",
      compared: ["leastconn", "roundrobin"],
      seeds: [1, 2],
      status: "fail",
      warnings: ['backend "web": near capacity'],
      checks: [
        { name: "errors < 1%", pass: true, actual: 0, limit: 0.01 },
        { name: "detected(s9) in 1s..2s", pass: false, actual: null, note: "s9 was never DOWN" },
      ],
    },
    {
      file: "b.yaml",
      scenario: "quiet",
      strategy: "roundrobin",
      compared: [],
      seeds: [],
      status: "no expectations",
      checks: [],
    },
  ],
};

describe("checkView", () => {
  const view = checkView(
    {
      check,
      scenarios: [{ runs: { roundrobin: rr, leastconn: lc }, description: "web02 crashes" }, { runs: {} }],
    },
    "lbsim test",
  );
  const [run, quiet] = view.sections;

  it("has one section per scenario, in the check's order, titled by the verdict", () => {
    expect(view.kind).toBe("check");
    expect(view.sections.map((s) => [s.id, s.scenario, s.file, s.status])).toEqual([
      ["s0", "failover", "a.yaml", "fail"],
      ["s1", "quiet", "b.yaml", "no expectations"],
    ]);
    expect(view.title).toBe("lbsim check · 2 scenarios · 1 failed");
  });

  it("draws the scenario's own strategy first, then each compared one, banded over the replications", () => {
    expect(run!.variants.map((v) => v.name)).toEqual(["roundrobin", "leastconn"]);
    expect(run!.latency.lines[1]!.p99.low).toHaveLength(rr[0]!.series.atMs.length);
    expect(run!.description).toBe("web02 crashes");
    expect(run!.warnings).toEqual(check.scenarios[0]!.warnings);
  });

  it("shows the verdicts, a line without a value with its note and no actual", () => {
    expect(run!.checks).toEqual([
      { name: "errors < 1%", pass: true, actual: 0, limit: 0.01 },
      { name: "detected(s9) in 1s..2s", pass: false, actual: null, note: "s9 was never DOWN" },
    ]);
    expect(run!.headline[0]).toBe(
      "Fail: 1 of 2 expectations fail (`detected(s9) in 1s..2s`) over 2 replications (their means).",
    );
  });

  it("says why a scenario not run has no charts, and draws none", () => {
    expect(quiet!.notRun).toBe("not run: the scenario has no expectations");
    expect(quiet!.headline).toEqual(["No expectations: nothing to check, so not run."]);
    expect(quiet!.latency.lines).toEqual([]);
    expect(quiet!.backends).toEqual([]);
    expect(quiet!.summary).toEqual([]);
    expect(run!.notRun).toBeUndefined();
  });

  it("round-trips through JSON: no NaN or Infinity", () => {
    expect(nonFinite(view)).toEqual([]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
