// Requests that never get an answer, end to end: `lbsim check` fails on them, `lbsim run` shows them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CheckJson } from "./check-report.js";
import { runMain } from "./test-support.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-unfinished-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The reported case: one server, one worker, 10 ms of exponential work (100/s), Poisson arrivals
 * at 120/s for a minute. The queue grows by ~20 requests a second and ~1,200 are still waiting at
 * the end; none fails, so `errors < 1%` passes whatever happens.
 */
function overloaded(expectLines: ReadonlyArray<string>): string {
  const path = join(dir, "overloaded.yaml");
  writeFileSync(
    path,
    `name: overloaded
seed: 1
duration: 60s
backend:
  name: web
  servers:
    - {name: web01, slots: 1, service: {exponential: 10ms}}
clients:
  - name: browsers
    arrivals: {poisson: 120/s}
expect: ${JSON.stringify(expectLines)}
`,
  );
  return path;
}

/**
 * Two servers under roundrobin, 50 requests a second; web02 hangs at 2 s, and there is neither a
 * `timeout server` nor a health check to end what it holds: every second request from then on
 * stays unanswered for ever, while the answered ones (5 ms) make a fine p99.
 */
function hung(expectLines: ReadonlyArray<string>): string {
  const path = join(dir, "hung.yaml");
  writeFileSync(
    path,
    `name: hung
seed: 1
duration: 20s
backend:
  servers:
    - {name: web01, slots: 4, service: {constant: 5ms}}
    - {name: web02, slots: 4, service: {constant: 5ms}}
clients:
  - name: steady
    arrivals: {constant: 50/s}
events:
  - {at: 2s, hang: web02}
expect: ${JSON.stringify(expectLines)}
`,
  );
  return path;
}

describe("lbsim check on requests that never get an answer", () => {
  it("fails a server at 120% load for a minute on its unanswered requests (exit 1), and says how many in JSON and JUnit", async () => {
    const path = overloaded(["errors < 1%", "p99 < 20s", "unfinished < 1%"]);
    const json = join(dir, "check.json");
    const junit = join(dir, "junit.xml");
    const { code, stdout } = await runMain(["check", path, "--json", json, "--junit", junit]);
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(json, "utf8")) as CheckJson;
    const scenario = report.scenarios[0]!;
    // Poisson(7,200) arrivals, ~6,000 answered: ~1,200 open (±4σ of the arrivals ≈ ±340).
    const unfinished = scenario.unfinished![0]!;
    expect(unfinished).toBeGreaterThan(1_200 - 340);
    expect(unfinished).toBeLessThan(1_200 + 340);
    expect(scenario.arrivals![0]! - unfinished).toBeLessThanOrEqual(6_000 + 340);
    expect(scenario.checks.map((c) => [c.name, c.pass])).toEqual([
      ["errors < 1%", true],
      // The requests still waiting at the end are at most ~10 s old (1,200 queued at 100/s, 120/s
      // arriving): even counted at their age, p99 stays under 20 s, as it would if they were answered.
      ["p99 < 20s", true],
      ["unfinished < 1%", false],
    ]);
    expect(scenario.checks[2]!.actual).toBeCloseTo(unfinished / scenario.arrivals![0]!, 9);
    expect(stdout).toMatch(/FAIL {2}unfinished < 1% +1\d\.\d%/);
    expect(stdout).toMatch(/1,\d{3} of 7,\d{3} requests \(1\d\.\d%\) unanswered at the end/);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain(`<property name="unfinished" value="${unfinished}"/>`);
    expect(xml).toMatch(
      /<system-out>1,\d{3} of 7,\d{3} requests \(1\d\.\d%\) unanswered at the end; latency checks count them at their age<\/system-out>/,
    );
    expect(xml).toMatch(
      /<failure message="expected unfinished &lt; 1%, actual 1\d\.\d% vs 1.0%: 1\d\.\d points \(\d+%\) over"/,
    );
  });

  it("fails p99 < 1s on a server that hangs with no timeout server, which the answered requests alone pass", async () => {
    const { code, stdout } = await runMain(["check", hung(["p99 < 1s", "unfinished == 0"]), "--json", "-"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as CheckJson;
    const [p99, unfinished] = report.scenarios[0]!.checks;
    // Every second request from 2 s on, plus the one arriving at 20 s: 451, aged 0 to 18 s. Together
    // with the 550 answered (5 ms each), their ages are every percentile above 55%: p99 ≈ 17.6 s.
    expect(report.scenarios[0]!.unfinished).toEqual([451]);
    expect(unfinished).toMatchObject({ pass: false, actual: 451 });
    expect(p99!.pass).toBe(false);
    expect(p99!.actual).toBeGreaterThan(17_000);
    expect(p99!.actual).toBeLessThanOrEqual(18_000);
  });
});

describe("lbsim run on requests that never get an answer", () => {
  it("says the offered load is above capacity at the top, and counts the unanswered requests at their age", async () => {
    const json = join(dir, "results.json");
    const { stdout } = await runMain(["run", overloaded([]), "--json", json]);
    const lines = stdout.split("\n");
    const warning = lines.findIndex((l) => /^warning: backend "web": offered load 1\.\d\d× capacity/.test(l));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(lines.findIndex((l) => l.startsWith("Requests")));
    expect(stdout).toMatch(/UNFINISHED 1,\d{3} \(1\d\.\d%\)/);
    // The requests waiting at the end are up to ~10 s old: counted at their age they raise the p99.
    expect(stdout).toMatch(
      /p99 ≥ \d+(\.\d+)? s.*\n {10}\(the 1,\d{3} unfinished counted at their age, a lower bound\)\n/,
    );
    const results = JSON.parse(readFileSync(json, "utf8"));
    expect(results.latencyLowerBound.unfinished).toBe(results.requests.unfinished);
    expect(results.offeredLoad).toEqual([
      expect.objectContaining({ backend: "web", capacityPerSecond: 100 }),
    ]);
    expect(results.warnings[0]).toMatch(/^backend "web": offered load/);
  });

  it("says nothing of capacity for a backend far below it, and shows the figures the hung requests raise", async () => {
    const path = hung([]);
    const { stdout } = await runMain(["run", path]);
    expect(stdout).not.toContain("warning:");
    // Every second request from 2 s on hangs: about a quarter of the run's requests, so the p99 (and
    // the mean, but not the p50) counted at their age is seconds where the answered ones took 5 ms.
    expect(stdout).toMatch(/\(answered\)\n {10}mean ≥ \d+(\.\d+)? s {2}p90 ≥ [\d.]+ s {2}p99 ≥ [\d.]+ s/);
    expect(stdout).toMatch(/\n {10}\(the \d{3} unfinished counted at their age, a lower bound\)\n/);
  });
});
