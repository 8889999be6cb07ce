// docs/ready-scenarios.md's promise "ready scenarios hold their expectations": every file of
// scenarios/library/ goes through `lbsim check` (the command's own code, with its compare: runs)
// and every expectation passes. The scenarios shown in the documentation: test/docs.spec.ts.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/app.js";
import type { CheckJson } from "../cli/check-command.js";
import { createToolkit, findPackage } from "../cli/main.js";
import { recordingIo } from "../cli/test-support.js";
import { loadScenarioFile } from "../scenarios/node.js";

const pkg = findPackage();
const library = pkg.libraryDir;
const files = readdirSync(library)
  .filter((name) => /\.(ya?ml|json)$/.test(name))
  .sort();

/** `lbsim check <args> --json -` in this process; the exit code, the check JSON and stderr. */
async function check(args: string[]): Promise<{ code: number; report: CheckJson; stderr: string }> {
  const io = recordingIo(pkg.root);
  const code = await runCli(["check", ...args, "--json", "-"], createToolkit({ LBSIM_WORKER: "0" }), pkg, io);
  return { code, report: JSON.parse(io.stdout()) as CheckJson, stderr: io.stderr() };
}

describe("the ready scenarios hold their expectations (lbsim check)", () => {
  it("has the ready scenarios the documentation lists", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "tutorial.yaml",
        "failover.yaml",
        "unequal-speed.yaml",
        "hung-server.yaml",
        "gray-failure.yaml",
        "rolling-upgrade.yaml",
        "retry-storm.yaml",
        "sticky-source.yaml",
        "sticky-source-consistent.yaml",
        "cache-affinity.yaml",
        "traffic-spike.yaml",
        "lossy-link.yaml",
        "scale-out.yaml",
      ]),
    );
  });

  it.each(files)("%s: every expectation passes", async (file) => {
    const { code, report, stderr } = await check([join(library, file)]);
    const [scenario] = report.scenarios;
    const failed = scenario?.checks.filter((c) => !c.pass).map((c) => `${c.name} (actual ${c.actual})`);
    expect(failed).toEqual([]);
    // Nothing on stderr but the progress line off a terminal (no warning, no error).
    expect(stderr).toMatch(/^lbsim check: \[1\/1\] \S+ done in [\d.]+s \(seed \d+; [\d.]+s elapsed\)\n$/);
    expect(code).toBe(0);
    expect(scenario?.status).toBe("pass");
    expect(scenario?.checks.length).toBeGreaterThan(0);
    // Each expectation was judged: none was left out for want of a run.
    const loaded = loadScenarioFile(join(library, file));
    expect(scenario?.checks.map((c) => c.name)).toEqual(loaded.expect.map((line) => line.trim()));
  });

  it("compares strategies where a scenario says so (prefixed expectations are judged on those runs)", async () => {
    const { report } = await check([join(library, "unequal-speed.yaml")]);
    const scenario = report.scenarios[0];
    expect(scenario).toMatchObject({ strategy: "roundrobin", compared: ["roundrobin", "leastconn"] });
    const lines = new Map(scenario?.checks.map((c) => [c.name, c]));
    const leastconn = lines.get("leastconn.p99 < roundrobin.p99");
    expect(leastconn?.pass).toBe(true);
    expect(leastconn?.limit).toBeGreaterThan(leastconn?.actual ?? Number.POSITIVE_INFINITY);
  });
});
