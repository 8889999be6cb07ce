// Spec of cli/check-command.ts and cli/check-run.ts: `lbsim check` with a fake toolkit (replications,
// compare:, the summary, JSON and JUnit, Ctrl-C) and end to end through main().
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckJson } from "./check-report.js";
import { checkSandbox, checkToolkit, results, runsOf } from "./check-test-support.js";
import { AbortedError } from "./context.js";
import { fakeToolkit, runMain, sampleScenario } from "./test-support.js";

const sandbox = checkSandbox();
const { cli } = sandbox;

describe("lbsim check: runs and replications", () => {
  it("runs the scenario's own strategy, then each compared one, replication after replication", async () => {
    const toolkit = checkToolkit({
      seed: 40,
      compare: ["leastconn", "roundrobin", "random(2)"],
      expect: ["leastconn.p99 < roundrobin.p99"],
    });
    expect(await cli(["check", "demo.yaml", "--replications", "2", "--json", "-"], toolkit)).toBe(1);
    // roundrobin is the scenario's balance: its own run serves as the compared one too.
    expect(runsOf(toolkit)).toEqual([
      ["(own)", 40],
      ["leastconn", 40],
      ["random(2)", 40],
      ["(own)", 41],
      ["leastconn", 41],
      ["random(2)", 41],
    ]);
  });

  it("starts from --seed, and judges every line on the mean over the replications", async () => {
    // p99 by seed: 100, 60, 50, 70 ms (mean 70); leastconn always 20 ms lower.
    const bySeed = [100, 60, 50, 70];
    const toolkit = checkToolkit(
      { compare: ["leastconn"], expect: ["p99 < 75ms", "leastconn.p99 < roundrobin.p99", "errors < 0.1%"] },
      (strategy, seed) => (bySeed[seed - 10] ?? 0) - (strategy === "leastconn" ? 20 : 0),
    );
    expect(
      await cli(["check", "demo.yaml", "--seed", "10", "--replications", "4", "--json", "-"], toolkit),
    ).toBe(1);
    const report = JSON.parse(sandbox.io.stdout()) as CheckJson;
    expect(report).toMatchObject({
      replications: 4,
      passed: false,
      totals: { scenarios: 1, expectations: 3, passed: 2, failed: 1 },
    });
    const [scenario] = report.scenarios;
    expect(scenario).toMatchObject({
      file: "demo.yaml",
      scenario: "failover-demo",
      strategy: "roundrobin",
      compared: ["leastconn"],
      seeds: [10, 11, 12, 13],
      status: "fail",
    });
    expect(scenario?.checks.map((c) => [c.name, c.pass])).toEqual([
      ["p99 < 75ms", true],
      ["leastconn.p99 < roundrobin.p99", true],
      ["errors < 0.1%", false],
    ]);
    expect(scenario?.checks.map((c) => c.actual)).toEqual([70, 50, expect.closeTo(32 / 16_500, 12)]);
    expect(scenario?.checks[0]?.ci95?.low).toBeLessThan(70);
    // Not a terminal: a plain line per replication (the fake clock stands still), then the failure.
    expect(sandbox.io.stderr()).toBe(
      `${[1, 2, 3, 4]
        .map(
          (r) =>
            `lbsim check: [1/1] failover-demo: replication ${r}/4 done in 0.0s (seed ${9 + r}; 0.0s elapsed)\n`,
        )
        .join("")}lbsim: 1 of 3 expectations failed: failover-demo: errors < 0.1% (actual 0.19%)\n`,
    );
  });

  it("prints a PASS/FAIL line per expectation, the mean and its interval, then the totals", async () => {
    const toolkit = checkToolkit(
      (path) =>
        path === "demo.yaml"
          ? { name: "demo", compare: ["leastconn"], expect: ["p99 < 75ms", "leastconn.p99 < roundrobin.p99"] }
          : { name: "quiet-one", expect: [] },
      (strategy, seed) => 60 + seed - (strategy === "leastconn" ? 20 : 0),
    );
    writeFileSync(join(sandbox.dir, "empty.yaml"), "name: quiet-one\n");
    expect(
      await cli(["check", "demo.yaml", "empty.yaml", "--seed", "1", "--replications", "3"], toolkit),
    ).toBe(0);
    expect(sandbox.io.stdout()).toBe(
      [
        "demo  demo.yaml",
        "  roundrobin, compared with leastconn · seeds 1..3 (3 replications)",
        // sampleResults leaves 2 young requests in flight at the end of each run: no news.
        "  PASS  p99 < 75ms                      mean 62 ms  95% CI 59.5 ms..64.5 ms",
        "  PASS  leastconn.p99 < roundrobin.p99  mean 42 ms  95% CI 39.5 ms..44.5 ms  vs roundrobin.p99 mean 62 ms",
        "",
        "quiet-one  empty.yaml",
        "  no expectations (nothing to check; not run)",
        "",
        "2 scenarios, 2 expectations: 2 passed; 1 scenario without expectations",
        "",
      ].join("\n"),
    );
    // The scenario without expectations is not run: 3 replications x 2 strategies of demo only.
    expect(toolkit.jobs).toHaveLength(6);
  });

  it("--quiet prints nothing but the failures, on stderr", async () => {
    const toolkit = checkToolkit({ expect: ["p99 < 10ms"] });
    expect(await cli(["check", "demo.yaml", "--quiet"], toolkit)).toBe(1);
    expect(sandbox.io.stdout()).toBe("");
    expect(sandbox.io.stderr()).toBe(
      "lbsim: 1 of 1 expectations failed: failover-demo: p99 < 10ms (actual 50 ms)\n",
    );
  });

  it("writes the JSON and the JUnit report to files, atomically, and says so", async () => {
    const toolkit = checkToolkit({ expect: ["p99 < 10ms", "p99 < 1s"] });
    expect(await cli(["check", "demo.yaml", "--json", "c.json", "--junit", "junit.xml"], toolkit)).toBe(1);
    const report = JSON.parse(readFileSync(join(sandbox.dir, "c.json"), "utf8")) as CheckJson;
    expect(report.totals).toEqual({ scenarios: 1, expectations: 2, passed: 1, failed: 1 });
    const xml = readFileSync(join(sandbox.dir, "junit.xml"), "utf8");
    expect(xml).toContain('<testsuites name="lbsim check" tests="2" failures="1" errors="0" skipped="0"');
    expect(xml).toContain(
      '<failure message="expected p99 &lt; 10ms, actual 50 ms vs 10 ms: 40 ms (400%) over" type="expectation">',
    );
    expect(readdirSync(sandbox.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(sandbox.io.stderr()).toBe(
      "lbsim check: [1/1] failover-demo done in 0.0s (seed 7; 0.0s elapsed)\n" +
        "lbsim: wrote the check to c.json\nlbsim: wrote the JUnit report to junit.xml\n",
    );
  });

  it("refuses to write a report over a scenario file", async () => {
    expect(
      await cli(["check", "demo.yaml", "--junit", "demo.yaml"], checkToolkit({ expect: ["p99 < 1s"] })),
    ).toBe(2);
    expect(sandbox.io.stderr()).toContain('cannot write "demo.yaml": it is the scenario file demo.yaml');
  });
});

describe("lbsim check: Ctrl-C", () => {
  it("stops the current run, checks the complete replications only, and writes them (exit 130)", async () => {
    let runs = 0;
    const toolkit = fakeToolkit({
      scenario: sampleScenario({ compare: ["leastconn"], expect: ["p99 < 1s"] }),
      body: (job, control) => {
        runs++;
        // Ctrl-C during the first run of the second replication.
        if (runs === 3) sandbox.io.interrupt();
        const stopped = Atomics.load(control.stop, 0) === 1;
        const strategy = job.strategy ?? "roundrobin";
        return Promise.resolve({
          results: results(50, strategy, job.seed ?? 0),
          stopped,
          reachedMs: 1_000,
          traceRows: 0,
        });
      },
    });
    writeFileSync(join(sandbox.dir, "later.yaml"), "name: later\n");
    const code = await cli(
      ["check", "demo.yaml", "later.yaml", "--replications", "3", "--json", "c.json", "--junit", "j.xml"],
      toolkit,
    );
    expect(code).toBe(130);
    expect(toolkit.jobs).toHaveLength(3);
    const report = JSON.parse(readFileSync(join(sandbox.dir, "c.json"), "utf8")) as CheckJson;
    expect(report.partial).toBe(true);
    expect(report.passed).toBe(false);
    expect(report.scenarios).toHaveLength(1);
    expect(report.scenarios[0]).toMatchObject({ seeds: [7], partial: true, status: "pass" });
    expect(sandbox.io.stdout()).toContain("(stopped by Ctrl-C after 1 of 3)");
    expect(sandbox.io.stdout()).toContain("not run  later.yaml");
    expect(sandbox.io.stdout()).toContain("PARTIAL: stopped by Ctrl-C");
    const xml = readFileSync(join(sandbox.dir, "j.xml"), "utf8");
    expect(xml).toContain('<skipped message="not run: Ctrl-C stopped the check before it"/>');
  });

  it("quits at once on a second Ctrl-C, writing nothing", async () => {
    const toolkit = fakeToolkit({
      scenario: sampleScenario({ expect: ["p99 < 1s"] }),
      body: () => {
        sandbox.io.interrupt();
        sandbox.io.advance(1_000);
        sandbox.io.interrupt();
        return Promise.reject(new AbortedError());
      },
    });
    expect(await cli(["check", "demo.yaml", "--json", "c.json", "--junit", "j.xml"], toolkit)).toBe(130);
    expect(sandbox.io.stderr()).toContain("lbsim: interrupted; nothing was written\n");
    expect(existsSync(join(sandbox.dir, "c.json"))).toBe(false);
    expect(existsSync(join(sandbox.dir, "j.xml"))).toBe(false);
  });

  it("leaves Ctrl-C alone when the simulation cannot be interrupted (no worker)", async () => {
    const toolkit = fakeToolkit({
      scenario: sampleScenario({ expect: ["p99 < 1s"] }),
      interruptible: false,
      body: (job, control) => {
        sandbox.io.interrupt();
        const stopped = Atomics.load(control.stop, 0) === 1;
        return Promise.resolve({
          results: results(50, "roundrobin", job.seed ?? 0),
          stopped,
          reachedMs: 0,
          traceRows: 0,
        });
      },
    });
    // No handler was subscribed: the signal's default (quit at once) is left to the process.
    expect(await cli(["check", "demo.yaml", "--replications", "2"], toolkit)).toBe(0);
    expect(toolkit.jobs).toHaveLength(2);
  });
});

/** Two servers, one of them slower; Poisson arrivals; leastconn's p99 is lower. */
function scenarioFile(name: string, expectLines: string[]): string {
  const path = join(sandbox.dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}
seed: 3
duration: 10s
backend:
  balance: roundrobin
  servers:
    - {name: web01, slots: 2, service: {exponential: 10ms}}
    - {name: web02, slots: 2, speed: 0.4, service: {exponential: 10ms}}
clients:
  - name: browsers
    arrivals: {poisson: 120/s}
compare: [roundrobin, leastconn]
expect: ${JSON.stringify(expectLines)}
`,
  );
  return path;
}

describe("lbsim check (end to end)", () => {
  it("passes with replications, writes JSON and JUnit, and exits 0", async () => {
    const path = scenarioFile("e2e-check", [
      "leastconn.p99 < roundrobin.p99",
      "errors < 1%",
      "share(web01) in 45%..55%",
    ]);
    const junit = join(sandbox.dir, "junit.xml");
    const json = join(sandbox.dir, "check.json");
    const { code, stdout, stderr } = await runMain([
      "check",
      path,
      "--replications",
      "3",
      "--junit",
      junit,
      "--json",
      json,
    ]);
    expect(stderr).toMatch(
      /^(lbsim check: \[1\/1\] e2e-check: replication \d\/3 done in \d+\.\ds \(seed \d; \d+\.\ds elapsed\)\n){3}/,
    );
    expect(stderr).toContain(
      `lbsim: wrote the check to ${json}\nlbsim: wrote the JUnit report to ${junit}\n`,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("roundrobin, compared with leastconn · seeds 3..5 (3 replications)");
    expect(stdout).toMatch(
      /PASS {2}leastconn\.p99 < roundrobin\.p99 +mean .* 95% CI .* vs roundrobin\.p99 mean /,
    );
    const report = JSON.parse(readFileSync(json, "utf8")) as CheckJson;
    expect(report.passed).toBe(true);
    expect(report.scenarios[0]?.checks.map((c) => c.values.length)).toEqual([3, 3, 3]);
    expect(readFileSync(junit, "utf8")).toContain('<testsuite name="e2e-check"');
  });

  it("is deterministic: the same seeds give the same JSON", async () => {
    const path = scenarioFile("e2e-same", ["p99 < 10s"]);
    const first = await runMain(["check", path, "--replications", "2", "--json", "-"]);
    const second = await runMain(["check", path, "--replications", "2", "--json", "-"]);
    expect(first.stdout).toBe(second.stdout);
  });

  it("exits 1 when an expectation fails, and 2 for a scenario that does not load", async () => {
    const failing = scenarioFile("e2e-fail", ["roundrobin.p99 < leastconn.p99"]);
    expect((await runMain(["check", failing])).code).toBe(1);
    const broken = join(sandbox.dir, "broken.yaml");
    writeFileSync(broken, "name: broken\nduration: 10s\nclients: []\n");
    const { code, stderr } = await runMain(["check", failing, broken]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${broken}:`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
