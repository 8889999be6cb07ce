// Spec of cli/check-plan.ts through `lbsim check` with a fake toolkit: arguments, scenario files and
// folders, strategies and expectations checked before anything runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { parseExpectations } from "../scenarios/expectation-grammar.js";
import type { CheckJson } from "./check-report.js";
import { checkSandbox, checkToolkit } from "./check-test-support.js";
import type { Toolkit } from "./context.js";
import { runMain, sampleScenario, twoBackendFiles } from "./test-support.js";

const sandbox = checkSandbox();
const { cli } = sandbox;

describe("lbsim check: input", () => {
  it("prints its help with --help and help check", async () => {
    expect(await cli(["check", "--help"])).toBe(0);
    expect(await cli(["help", "check"])).toBe(0);
    expect(sandbox.io.stdout().match(/Usage: lbsim check <scenario\|folder>…/g)).toHaveLength(2);
    expect(sandbox.io.stdout()).toContain("--replications N");
    expect(sandbox.io.stdout()).toContain("--junit FILE");
  });

  it("needs at least one scenario (exit 2)", async () => {
    expect(await cli(["check"])).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      'lbsim check: missing the scenarios: lbsim check <scenario|folder>…\nRun "lbsim check --help" for usage.\n',
    );
  });

  it.each(["0", "-1", "2.5", "x", "10001"])("refuses --replications %s (exit 2)", async (n) => {
    expect(await cli(["check", "demo.yaml", `--replications=${n}`])).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      `--replications expects a whole number from 1 to 10,000, got "${n}"`,
    );
  });

  it("refuses --junit - and a seed whose replications go past 2^53 - 1", async () => {
    expect(await cli(["check", "demo.yaml", "--junit", "-"])).toBe(2);
    expect(
      await cli(["check", "demo.yaml", "--seed", String(Number.MAX_SAFE_INTEGER), "--replications", "2"]),
    ).toBe(2);
    expect(sandbox.io.stderr()).toContain("--junit needs a file name");
    expect(sandbox.io.stderr()).toContain("with 2 replications goes past 9007199254740991");
  });

  it("names a missing scenario with a hint, and runs nothing (exit 2)", async () => {
    writeFileSync(join(sandbox.dir, "scenarios", "library", "tutorial.yaml"), "name: tutorial\n");
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] });
    expect(await cli(["check", "demo.yaml", "tutorail.yaml"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      "tutorail.yaml: scenario file not found (hint: did you mean scenarios/library/tutorial.yaml?)\n",
    );
    expect(toolkit.jobs).toEqual([]);
  });

  it("checks a folder's *.yaml, *.yml and *.json files in sorted order, each file once", async () => {
    const folder = join(sandbox.dir, "suite");
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
    const report = JSON.parse(sandbox.io.stdout()) as CheckJson;
    expect(report.scenarios.map((s) => s.file)).toEqual(["suite/a.yaml", "suite/b.yml", "suite/c.json"]);
  });

  it("refuses a folder without scenario files (exit 2)", async () => {
    mkdirSync(join(sandbox.dir, "empty"));
    expect(await cli(["check", "empty"])).toBe(2);
    expect(sandbox.io.stderr()).toBe("empty: is a folder without scenario files (*.yaml, *.yml or *.json)\n");
  });

  it("refuses an expectation naming a strategy that is neither balance nor compared, before running", async () => {
    const toolkit = checkToolkit({
      compare: ["leastconn"],
      expect: ["p99 < 1s", "random.p99 < leastconn.p99"],
    });
    expect(await cli(["check", "demo.yaml"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      'demo.yaml: expect[1]: "random.p99 < leastconn.p99" names "random", which is neither backend.balance ' +
        '("roundrobin") nor in compare: (hint: add it to compare: so that lbsim runs it)\n',
    );
    expect(toolkit.jobs).toEqual([]);
  });

  it("judges the Scenario's typed expectations (parsed when it was loaded), not its text", async () => {
    // The text says nothing wrong; the typed expectation, the one that runs, names a strategy not run.
    const toolkit = checkToolkit({
      compare: ["leastconn"],
      expect: ["p99 < 1s"],
      expectations: parseExpectations(["random.p99 < leastconn.p99"]),
    });
    expect(await cli(["check", "demo.yaml"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      'demo.yaml: expect[0]: "random.p99 < leastconn.p99" names "random"',
    );
    expect(toolkit.jobs).toEqual([]);
  });

  it("refuses an unknown strategy in compare:, with a suggestion", async () => {
    const toolkit = checkToolkit({ compare: ["leastconm"], expect: ["p99 < 1s"] });
    expect(await cli(["check", "demo.yaml"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      'demo.yaml: compare[0]: unknown strategy "leastconm" (hint: did you mean "leastconn"?)\n',
    );
  });

  it("reports the bad files among several at once, and runs none", async () => {
    for (const name of ["a.yaml", "b.yaml", "c.yaml"]) writeFileSync(join(sandbox.dir, name), "name: x\n");
    const toolkit = checkToolkit({ expect: ["p99 < 1s"] });
    const loading: Toolkit = {
      ...toolkit,
      loadScenarioFile: (path) => {
        if (path === "b.yaml") return sampleScenario({ expect: ["p99 < 1s"] });
        throw InputError.one({ code: "syntax", file: path, line: 2, column: 3, path: "", message: "bad" });
      },
    };
    expect(await cli(["check", "a.yaml", "b.yaml", "c.yaml"], loading)).toBe(2);
    expect(sandbox.io.stderr()).toBe("a.yaml:2:3: bad\nc.yaml:2:3: bad\n");
    expect(toolkit.jobs).toEqual([]);
  });
});

describe("lbsim check: several backends, each with its own balance", () => {
  /** sampleScenario with a web backend (roundrobin) and an api backend balanced by `apiBalance`. */
  function twoBackends(apiBalance: string, compare: string[] = []) {
    const scenario = sampleScenario({ compare, expect: ["p99 < 1s"] });
    const backends = [
      { ...scenario.backend, name: "web" },
      { ...scenario.backend, name: "api", balance: apiBalance },
    ];
    return { ...scenario, backend: backends[0]!, backends };
  }

  it("hands the own run the second backend's strategy file; compared runs replace every balance", async () => {
    const toolkit = checkToolkit({});
    const loading: Toolkit = { ...toolkit, loadScenarioFile: () => twoBackends("./mine.mjs", ["leastconn"]) };
    expect(await cli(["check", "demo.yaml", "--json", "-"], loading)).toBe(0);
    const [own, compared] = toolkit.jobs;
    expect(own?.strategy).toBeUndefined();
    expect(own?.strategyFile).toEqual({
      name: "./mine.mjs",
      path: join(sandbox.dir, "mine.mjs"),
      shown: "mine.mjs",
      scenarioFile: "demo.yaml",
      at: "backends[1].balance",
    });
    expect(compared?.strategy).toBe("leastconn");
    expect(compared?.strategyFile).toBeUndefined();
    expect(compared?.strategyFiles).toBeUndefined();
  });

  it("refuses an unknown balance in the second backend, naming where, before running", async () => {
    const toolkit = checkToolkit({});
    const loading: Toolkit = { ...toolkit, loadScenarioFile: () => twoBackends("fastest") };
    expect(await cli(["check", "demo.yaml"], loading)).toBe(2);
    expect(sandbox.io.stderr()).toMatch(
      /^demo\.yaml: backends\[1\]\.balance: unknown strategy "fastest" \(hint: known strategies: roundrobin, /,
    );
    expect(toolkit.jobs).toEqual([]);
  });

  it("checks an expectation on the strategy file of the second backend, end to end", async () => {
    const path = twoBackendFiles(sandbox.dir, "./last.mjs");
    const { code, stdout, stderr } = await runMain(["check", path]);
    expect(stderr).toMatch(
      /^lbsim check: \[1\/1\] two-backends done in \d+\.\ds \(seed 3; \d+\.\ds elapsed\)\n$/,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("roundrobin+./last.mjs · seed 3");
    expect(stdout).toMatch(/PASS {2}share\(api\/a3\) > 99\.9% +100%/);
  });
});
