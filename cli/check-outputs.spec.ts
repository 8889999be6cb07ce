// Spec of cli/check-outputs.ts and of `lbsim check <folder>` skipping lbsim's own outputs; check printing haproxy.cfg warnings.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outputKind } from "./check-outputs.js";
import { summarize } from "./check-report.js";
import { checkSandbox, checkToolkit } from "./check-test-support.js";
import { sampleResults } from "./test-support.js";

const sandbox = checkSandbox();

describe("outputKind", () => {
  it("tells lbsim's three JSON outputs from a scenario by their shape", () => {
    const results = sampleResults();
    expect(outputKind(results)).toBe("Results JSON");
    expect(outputKind({ scenario: "x", seed: 1, runs: [results], checks: [] })).toBe("comparison JSON");
    expect(outputKind(summarize([], 1, false))).toBe("check JSON");
    expect(outputKind({ name: "s", duration: "10s", clients: [] })).toBeUndefined();
    expect(outputKind([results])).toBeUndefined();
  });
});

describe("lbsim check <folder>", () => {
  it("skips lbsim's own outputs with a one-line note each, and checks the scenarios", async () => {
    const folder = join(sandbox.dir, "s");
    mkdirSync(folder);
    writeFileSync(join(folder, "a.yaml"), "name: a\n");
    writeFileSync(join(folder, "b.json"), JSON.stringify({ name: "b" }));
    writeFileSync(join(folder, "results.json"), JSON.stringify(sampleResults()));
    writeFileSync(join(folder, "check.json"), JSON.stringify(summarize([], 1, false), null, 2));
    writeFileSync(join(folder, "cmp.json"), JSON.stringify({ scenario: "a", seed: 1, runs: [], checks: [] }));
    const loaded: string[] = [];
    const toolkit = checkToolkit((path) => {
      loaded.push(path);
      return { expect: ["p99 < 1s"] };
    });
    expect(await sandbox.cli(["check", "s", "-q"], toolkit)).toBe(0);
    expect(loaded).toEqual([join("s", "a.yaml"), join("s", "b.json")]);
    expect(sandbox.io.stderr()).toBe(
      "lbsim check: skipping s/check.json: it is lbsim's check JSON, not a scenario\n" +
        "lbsim check: skipping s/cmp.json: it is lbsim's comparison JSON, not a scenario\n" +
        "lbsim check: skipping s/results.json: it is lbsim's Results JSON, not a scenario\n",
    );
  });
});

describe("lbsim check and haproxy.cfg", () => {
  it("prints the import warnings of a scenario's haproxy.cfg, as lbsim run does", async () => {
    const base = checkToolkit({ expect: ["p99 < 1s"] });
    const toolkit = {
      ...base,
      loadScenarioFile: (path: string, options: { warn?: (message: string) => void } = {}) => {
        options.warn?.("site.cfg:12: option httpchk: the check's path is not modelled");
        return base.loadScenarioFile(path);
      },
    };
    expect(await sandbox.cli(["check", "demo.yaml", "-q"], toolkit)).toBe(0);
    expect(sandbox.io.stderr()).toBe("site.cfg:12: option httpchk: the check's path is not modelled\n");
  });
});
