// Spec of cli/check-command.ts: statistics, judging on means, `lbsim check` with a fake toolkit
// (input, replications, compare:, Ctrl-C) and end to end through main().
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InputError, type Scenario } from "../scenarios/index.js";
import { checkExpectations, type Expectation, parseExpectation } from "../sim/expectations.js";
import type { Results } from "../sim/index.js";
import { runCli } from "./app.js";
import {
  type CheckJson,
  confidenceInterval95,
  judge,
  type Replication,
  renderSummary,
  tQuantile95,
} from "./check-command.js";
import { AbortedError, type SimulationJob, type Toolkit } from "./context.js";
import { main } from "./main.js";
import {
  fakePackage,
  fakeToolkit,
  type RecordingIo,
  recordingIo,
  sampleResults,
  sampleScenario,
} from "./test-support.js";

function expectation(text: string): Expectation {
  const parsed = parseExpectation(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

/** sampleResults with another p99, strategy and seed. */
function results(p99Ms: number, strategy = "roundrobin", seed = 7): Results {
  const base = sampleResults();
  return { ...base, strategy, seed, checks: [], latency: { ...base.latency, p99Ms } };
}

function replication(own: Results, ...others: Results[]): Replication {
  return { own, runs: new Map([own, ...others].map((r) => [r.strategy, r])) };
}

describe("statistics", () => {
  it("has Student's t quantiles for up to 29 degrees of freedom, then 1.96", () => {
    expect(tQuantile95(1)).toBe(12.706);
    expect(tQuantile95(4)).toBe(2.776);
    expect(tQuantile95(9)).toBe(2.262);
    expect(tQuantile95(29)).toBe(2.045);
    expect(tQuantile95(30)).toBe(1.96);
    expect(tQuantile95(1000)).toBe(1.96);
    expect(() => tQuantile95(0)).toThrow(RangeError);
  });

  it("gives the 95% interval of a mean as mean ± t·s/√n, none for one value", () => {
    const ci = confidenceInterval95([1, 2, 3, 4, 5]);
    // s = √2.5, t(4) = 2.776: half-width 2.776 × √2.5 / √5 = 1.963.
    expect(ci?.low).toBeCloseTo(3 - 1.96293, 4);
    expect(ci?.high).toBeCloseTo(3 + 1.96293, 4);
    expect(confidenceInterval95([42])).toBeUndefined();
    expect(confidenceInterval95([5, 5, 5])).toEqual({ low: 5, high: 5 });
  });
});

describe("judge", () => {
  it("agrees with checkExpectations on a single replication", () => {
    const rr = results(90);
    const lc = results(60, "leastconn");
    const lines = [
      "p99 < 80ms",
      "p99 >= 90ms",
      "leastconn.p99 < roundrobin.p99",
      "leastconn.p99 < p99",
      "share(web01) in 40%..45%",
      "errors < 0.1%",
      "requests == 16500",
    ].map(expectation);
    const runs = new Map([
      ["roundrobin", rr],
      ["leastconn", lc],
    ]);
    const single = lines.map((e) => judge(e, [replication(rr, lc)]));
    expect(single.map((c) => ({ name: c.name, pass: c.pass, actual: c.actual }))).toEqual(
      checkExpectations(lines, runs, rr),
    );
    expect(single.every((c) => c.ci95 === undefined && c.uncertain === undefined)).toBe(true);
  });

  it("passes or fails on the mean over the replications, with its interval", () => {
    const reps = [100, 60, 50, 70].map((p99) => replication(results(p99)));
    const check = judge(expectation("p99 < 75ms"), reps);
    // One replication alone (100 ms) would fail; the mean (70 ms) passes.
    expect(check).toMatchObject({
      name: "p99 < 75ms",
      pass: true,
      actual: 70,
      values: [100, 60, 50, 70],
      limit: 75,
    });
    const half = (3.182 * Math.sqrt((30 ** 2 + 10 ** 2 + 20 ** 2 + 0) / 3 / 4)) as number;
    expect(check.ci95?.low).toBeCloseTo(70 - half, 9);
    expect(check.ci95?.high).toBeCloseTo(70 + half, 9);
    // The interval (about 35..105 ms) reaches 75 ms: more replications would tell.
    expect(check.uncertain).toBe(true);
    expect(judge(expectation("p99 < 200ms"), reps).uncertain).toBeUndefined();
  });

  it("takes prefixed metrics from the compared runs and pairs them by replication", () => {
    const reps = [
      replication(results(100), results(60, "leastconn")),
      replication(results(300), results(250, "leastconn")),
      replication(results(200), results(160, "leastconn")),
    ];
    const check = judge(expectation("leastconn.p99 < roundrobin.p99"), reps);
    expect(check).toMatchObject({
      pass: true,
      actual: expect.closeTo((60 + 250 + 160) / 3, 9),
      limit: 200,
      limitMetric: "roundrobin.p99",
      values: [60, 250, 160],
    });
    // The two means' own intervals overlap widely, but leastconn is 40 or 50 ms lower in every
    // replication: the paired differences settle it.
    expect(check.uncertain).toBeUndefined();
  });

  it("judges a range on the means of its bounds", () => {
    const check = judge(expectation("share(web01) in 40%..45%"), [
      replication(results(1)),
      replication(results(2)),
    ]);
    expect(check).toMatchObject({ pass: true, actual: 0.425, range: [0.4, 0.45] });
  });

  it("fails a line whose figure the runs do not have", () => {
    const check = judge(expectation("share(nowhere) > 1%"), [replication(results(1))]);
    expect(check).toEqual({ name: "share(nowhere) > 1%", pass: false, actual: null, values: [] });
  });
});

let dir: string;
let io: RecordingIo;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-check-"));
  mkdirSync(join(dir, "scenarios", "library"), { recursive: true });
  writeFileSync(join(dir, "demo.yaml"), "name: demo\n");
  io = recordingIo(dir);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[], toolkit: Toolkit = fakeToolkit()): Promise<number> {
  return runCli(argv, toolkit, fakePackage(dir), io);
}

/**
 * A fake toolkit whose scenario is `overrides` (per file name when a function), and whose runs
 * answer sampleResults under the job's strategy and seed, with p99 = p99(strategy, seed).
 */
function checkToolkit(
  overrides: Partial<Scenario> | ((path: string) => Partial<Scenario>),
  p99: (strategy: string, seed: number) => number = () => 50,
  options: { readonly interruptible?: boolean } = {},
) {
  const toolkit = fakeToolkit({
    body: (job: SimulationJob) => {
      const strategy = job.strategy ?? job.scenario.backend.balance;
      const seed = job.seed ?? job.scenario.seed;
      return Promise.resolve({
        results: results(p99(strategy, seed), strategy, seed),
        stopped: false,
        reachedMs: 60_000,
        traceRows: 0,
      });
    },
    ...options,
  });
  return {
    ...toolkit,
    loadScenarioFile: (path: string) =>
      sampleScenario(typeof overrides === "function" ? overrides(path) : overrides),
  };
}

const runsOf = (toolkit: { jobs: SimulationJob[] }) =>
  toolkit.jobs.map((j) => [j.strategy ?? "(own)", j.seed]);

describe("lbsim check: input", () => {
  it("prints its help with --help and help check", async () => {
    expect(await cli(["check", "--help"])).toBe(0);
    expect(await cli(["help", "check"])).toBe(0);
    expect(io.stdout().match(/Usage: lbsim check <scenario\|folder>…/g)).toHaveLength(2);
    expect(io.stdout()).toContain("--replications N");
    expect(io.stdout()).toContain("--junit FILE");
  });

  it("needs at least one scenario (exit 2)", async () => {
    expect(await cli(["check"])).toBe(2);
    expect(io.stderr()).toBe(
      'lbsim check: missing the scenarios: lbsim check <scenario|folder>…\nRun "lbsim check --help" for usage.\n',
    );
  });

  it.each(["0", "-1", "2.5", "x", "10001"])("refuses --replications %s (exit 2)", async (n) => {
    expect(await cli(["check", "demo.yaml", `--replications=${n}`])).toBe(2);
    expect(io.stderr()).toContain(`--replications expects a whole number from 1 to 10,000, got "${n}"`);
  });

  it("refuses --junit - and a seed whose replications go past 2^53 - 1", async () => {
    expect(await cli(["check", "demo.yaml", "--junit", "-"])).toBe(2);
    expect(
      await cli(["check", "demo.yaml", "--seed", String(Number.MAX_SAFE_INTEGER), "--replications", "2"]),
    ).toBe(2);
    expect(io.stderr()).toContain("--junit needs a file name");
    expect(io.stderr()).toContain("with 2 replications goes past 9007199254740991");
  });

  it("names a missing scenario with a hint, and runs nothing (exit 2)", async () => {
    writeFileSync(join(dir, "scenarios", "library", "tutorial.yaml"), "name: tutorial\n");
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] });
    expect(await cli(["check", "demo.yaml", "tutorail.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      "tutorail.yaml: scenario file not found (hint: did you mean scenarios/library/tutorial.yaml?)\n",
    );
    expect(toolkit.jobs).toEqual([]);
  });

  it("checks a folder's *.yaml, *.yml and *.json files in sorted order, each file once", async () => {
    const folder = join(dir, "suite");
    mkdirSync(join(folder, "nested"), { recursive: true });
    for (const name of ["b.yml", "a.yaml", "c.json", "notes.txt", "nested/d.yaml"]) {
      writeFileSync(join(folder, name), "name: x\n");
    }
    const loaded: string[] = [];
    const toolkit = checkToolkit((path) => {
      loaded.push(path);
      return { name: path.replace(/^.*\//, ""), expect: ["p99 < 1s"] };
    });
    expect(await cli(["check", "suite", "suite/a.yaml", "--json", "-"], toolkit)).toBe(0);
    expect(loaded).toEqual(["suite/a.yaml", "suite/b.yml", "suite/c.json"]);
    const report = JSON.parse(io.stdout()) as CheckJson;
    expect(report.scenarios.map((s) => s.file)).toEqual(["suite/a.yaml", "suite/b.yml", "suite/c.json"]);
  });

  it("refuses a folder without scenario files (exit 2)", async () => {
    mkdirSync(join(dir, "empty"));
    expect(await cli(["check", "empty"])).toBe(2);
    expect(io.stderr()).toBe("empty: is a folder without scenario files (*.yaml, *.yml or *.json)\n");
  });

  it("refuses an expectation naming a strategy that is neither balance nor compared, before running", async () => {
    const toolkit = checkToolkit({
      compare: ["leastconn"],
      expect: ["p99 < 1s", "random.p99 < leastconn.p99"],
    });
    expect(await cli(["check", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      'demo.yaml: expect[1]: "random.p99 < leastconn.p99" names "random", which is neither backend.balance ' +
        '("roundrobin") nor in compare: (hint: add it to compare: so that lbsim runs it)\n',
    );
    expect(toolkit.jobs).toEqual([]);
  });

  it("refuses an unknown strategy in compare:, with a suggestion", async () => {
    const toolkit = checkToolkit({ compare: ["leastconm"], expect: ["p99 < 1s"] });
    expect(await cli(["check", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      'demo.yaml: compare[0]: unknown strategy "leastconm" (hint: did you mean "leastconn"?)\n',
    );
  });

  it("reports the bad files among several at once, and runs none", async () => {
    for (const name of ["a.yaml", "b.yaml", "c.yaml"]) writeFileSync(join(dir, name), "name: x\n");
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] });
    const loading: Toolkit = {
      ...toolkit,
      loadScenarioFile: (path) => {
        if (path === "b.yaml") return sampleScenario({ expect: ["p99 < 1s"] });
        throw InputError.one({ code: "syntax", file: path, line: 2, column: 3, path: "", message: "bad" });
      },
    };
    expect(await cli(["check", "a.yaml", "b.yaml", "c.yaml"], loading)).toBe(2);
    expect(io.stderr()).toBe("a.yaml:2:3: bad\nc.yaml:2:3: bad\n");
    expect(toolkit.jobs).toEqual([]);
  });
});

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
    const report = JSON.parse(io.stdout()) as CheckJson;
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
    expect(io.stderr()).toBe(
      "lbsim: 1 of 3 expectations failed: failover-demo: errors < 0.1% (actual 0.19%)\n",
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
    writeFileSync(join(dir, "empty.yaml"), "name: quiet-one\n");
    expect(
      await cli(["check", "demo.yaml", "empty.yaml", "--seed", "1", "--replications", "3"], toolkit),
    ).toBe(0);
    expect(io.stdout()).toBe(
      [
        "demo  demo.yaml",
        "  roundrobin, compared with leastconn · seeds 1..3 (3 replications)",
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
    expect(io.stdout()).toBe("");
    expect(io.stderr()).toBe("lbsim: 1 of 1 expectations failed: failover-demo: p99 < 10ms (actual 50 ms)\n");
  });

  it("writes the JSON and the JUnit report to files, atomically, and says so", async () => {
    const toolkit = checkToolkit({ expect: ["p99 < 10ms", "p99 < 1s"] });
    expect(await cli(["check", "demo.yaml", "--json", "c.json", "--junit", "junit.xml"], toolkit)).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, "c.json"), "utf8")) as CheckJson;
    expect(report.totals).toEqual({ scenarios: 1, expectations: 2, passed: 1, failed: 1 });
    const xml = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(xml).toContain('<testsuites name="lbsim check" tests="2" failures="1" errors="0" skipped="0"');
    expect(xml).toContain('<failure message="expected p99 &lt; 10ms, actual 50 ms" type="expectation">');
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(io.stderr()).toBe(
      "lbsim: wrote the check to c.json\nlbsim: wrote the JUnit report to junit.xml\n",
    );
  });

  it("refuses to write a report over a scenario file", async () => {
    expect(
      await cli(["check", "demo.yaml", "--junit", "demo.yaml"], checkToolkit({ expect: ["p99 < 1s"] })),
    ).toBe(2);
    expect(io.stderr()).toContain('cannot write "demo.yaml": it is the scenario file demo.yaml');
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
        if (runs === 3) io.interrupt();
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
    writeFileSync(join(dir, "later.yaml"), "name: later\n");
    const code = await cli(
      ["check", "demo.yaml", "later.yaml", "--replications", "3", "--json", "c.json", "--junit", "j.xml"],
      toolkit,
    );
    expect(code).toBe(130);
    expect(toolkit.jobs).toHaveLength(3);
    const report = JSON.parse(readFileSync(join(dir, "c.json"), "utf8")) as CheckJson;
    expect(report.partial).toBe(true);
    expect(report.passed).toBe(false);
    expect(report.scenarios).toHaveLength(1);
    expect(report.scenarios[0]).toMatchObject({ seeds: [7], partial: true, status: "pass" });
    expect(io.stdout()).toContain("(stopped by Ctrl-C after 1 of 3)");
    expect(io.stdout()).toContain("not run  later.yaml");
    expect(io.stdout()).toContain("PARTIAL: stopped by Ctrl-C");
    const xml = readFileSync(join(dir, "j.xml"), "utf8");
    expect(xml).toContain('<skipped message="not run: Ctrl-C stopped the check before it"/>');
  });

  it("quits at once on a second Ctrl-C, writing nothing", async () => {
    const toolkit = fakeToolkit({
      scenario: sampleScenario({ expect: ["p99 < 1s"] }),
      body: () => {
        io.interrupt();
        io.advance(1_000);
        io.interrupt();
        return Promise.reject(new AbortedError());
      },
    });
    expect(await cli(["check", "demo.yaml", "--json", "c.json", "--junit", "j.xml"], toolkit)).toBe(130);
    expect(io.stderr()).toContain("lbsim: interrupted; nothing was written\n");
    expect(existsSync(join(dir, "c.json"))).toBe(false);
    expect(existsSync(join(dir, "j.xml"))).toBe(false);
  });

  it("leaves Ctrl-C alone when the simulation cannot be interrupted (no worker)", async () => {
    const toolkit = fakeToolkit({
      scenario: sampleScenario({ expect: ["p99 < 1s"] }),
      interruptible: false,
      body: (job, control) => {
        io.interrupt();
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

/** main() with stdout and stderr captured. */
async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

/** Two servers, one of them slower; Poisson arrivals; leastconn's p99 is lower. */
function scenarioFile(name: string, expectLines: string[]): string {
  const path = join(dir, `${name}.yaml`);
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
    const junit = join(dir, "junit.xml");
    const json = join(dir, "check.json");
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
    expect(stderr).toBe(`lbsim: wrote the check to ${json}\nlbsim: wrote the JUnit report to ${junit}\n`);
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
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "name: broken\nduration: 10s\nclients: []\n");
    const { code, stderr } = await runMain(["check", failing, broken]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${broken}:`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
