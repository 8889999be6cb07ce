// Spec of cli/run-command.ts: `lbsim run` through the dispatcher with a fake toolkit: input checks, outputs, exit codes (Ctrl-C: run-interrupt.spec.ts).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import type { Scenario } from "../scenarios/index.js";
import type { Results } from "../sim/index.js";
import { runCli } from "./app.js";
import type { Toolkit } from "./context.js";
import {
  cliFolder,
  fakePackage,
  fakeToolkit,
  type RecordingIo,
  recordingIo,
  runMain,
  sampleResults,
  sampleScenario,
  twoBackendFiles,
} from "./test-support.js";

let dir: string;
let io: RecordingIo;
beforeEach(() => {
  ({ dir, io } = cliFolder("lbsim-run-", { tutorial: true }));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[], toolkit: Toolkit = fakeToolkit()): Promise<number> {
  return runCli(argv, toolkit, fakePackage(dir), io);
}

describe("lbsim run: bad input", () => {
  it("rejects a missing scenario argument", async () => {
    expect(await cli(["run"])).toBe(2);
    expect(io.stderr()).toBe(
      'lbsim run: missing the scenario file: lbsim run <scenario>\nRun "lbsim run --help" for usage.\n',
    );
  });

  it("rejects an unknown flag, suggesting the near one", async () => {
    expect(await cli(["run", "demo.yaml", "--sede", "3"])).toBe(2);
    expect(io.stderr()).toContain('lbsim run: unknown option --sede for "run" (did you mean --seed?)');
  });

  it("rejects a seed that is not a whole number", async () => {
    expect(await cli(["run", "demo.yaml", "--seed", "x1"])).toBe(2);
    expect(io.stderr()).toContain('--seed expects a whole number from 0 to 9007199254740991, got "x1"');
  });

  it("names the missing scenario file and points at a library scenario of that name", async () => {
    expect(await cli(["run", "tutorial"])).toBe(2);
    expect(io.stderr()).toBe(
      "tutorial: scenario file not found (hint: did you mean scenarios/library/tutorial.yaml?)\n",
    );
  });

  it("says a folder is not a scenario file", async () => {
    expect(await cli(["run", "scenarios"])).toBe(2);
    expect(io.stderr()).toContain("scenarios: is a folder; expected a scenario file");
  });

  it("prints every issue of the loader's InputError, file:line:col first", async () => {
    const toolkit: Toolkit = {
      ...fakeToolkit(),
      loadScenarioFile: () => {
        throw new InputError([
          { code: "syntax", file: "demo.yaml", line: 3, column: 7, path: "", message: "bad indentation" },
          {
            code: "unknown-key",
            file: "demo.yaml",
            line: 9,
            column: 5,
            path: "backend.servers[0].weigth",
            message: 'unknown key "weigth"',
            hint: 'did you mean "weight"?',
          },
        ]);
      },
    };
    expect(await cli(["run", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      "demo.yaml:3:7: bad indentation\n" +
        'demo.yaml:9:5: backend.servers[0].weigth: unknown key "weigth" (hint: did you mean "weight"?)\n',
    );
  });

  it("rejects an unknown --strategy with a suggestion, before running", async () => {
    const toolkit = fakeToolkit();
    expect(await cli(["run", "demo.yaml", "--strategy", "leastcon"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      'lbsim: --strategy: unknown strategy "leastcon" (hint: did you mean "leastconn"?)\n',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });

  it("rejects an unknown balance in the scenario and lists the known strategies", async () => {
    const scenario = sampleScenario();
    const toolkit = fakeToolkit({
      scenario: { ...scenario, backend: { ...scenario.backend, balance: "fastest" } },
    });
    expect(await cli(["run", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toMatch(
      /^demo\.yaml: backend\.balance: unknown strategy "fastest" \(hint: known strategies: roundrobin, /,
    );
  });

  it("checks output paths before running", async () => {
    const toolkit = fakeToolkit();
    expect(await cli(["run", "demo.yaml", "--json", "nowhere/r.json"], toolkit)).toBe(2);
    expect(io.stderr()).toContain('lbsim: --json: cannot write "nowhere/r.json": the folder');
    expect(toolkit.jobs).toHaveLength(0);
  });

  it("refuses the same file for --json and --trace", async () => {
    expect(await cli(["run", "demo.yaml", "--json", "out", "--trace", "./out"])).toBe(2);
    expect(io.stderr()).toContain("is also the --json file");
  });

  it("refuses to write the results over the scenario file", async () => {
    expect(await cli(["run", "demo.yaml", "--json", "./demo.yaml"])).toBe(2);
    expect(io.stderr()).toBe('lbsim: --json: cannot write "./demo.yaml": it is the scenario file\n');
  });

  it("refuses --trace -", async () => {
    expect(await cli(["run", "demo.yaml", "--trace", "-"])).toBe(2);
    expect(io.stderr()).toContain("--trace needs a file name");
  });

  it("reports a file-system error as bad input, without a stack", async () => {
    const toolkit: Toolkit = {
      ...fakeToolkit(),
      loadScenarioFile: () => {
        const error: NodeJS.ErrnoException = new Error("EACCES: permission denied, open 'demo.yaml'");
        error.code = "EACCES";
        error.path = "demo.yaml";
        throw error;
      },
    };
    expect(await cli(["run", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe("lbsim: demo.yaml: permission denied\n");
  });
});

describe("lbsim run: internal errors", () => {
  const broken: Toolkit = {
    ...fakeToolkit(),
    simulate: () => Promise.reject(new Error("heap invariant broken")),
  };

  it("answers exit code 3 with a short message and no stack", async () => {
    expect(await cli(["run", "demo.yaml"], broken)).toBe(3);
    expect(io.stderr()).toContain("lbsim: internal error: heap invariant broken\n");
    expect(io.stderr()).toContain("please report it");
    expect(io.stderr()).not.toContain("    at ");
  });

  it("adds the stack with LBSIM_DEBUG=1", async () => {
    io = recordingIo(dir, { env: { LBSIM_DEBUG: "1" } });
    expect(await cli(["run", "demo.yaml"], broken)).toBe(3);
    expect(io.stderr()).toContain("    at ");
  });
});

describe("lbsim run: output", () => {
  it("prints the table by default", async () => {
    expect(await cli(["run", "demo.yaml"], fakeToolkit({ scenario: sampleScenario() }))).toBe(1);
    expect(io.stdout()).toContain("failover-demo · strategy roundrobin · seed 7");
    expect(io.stdout()).toContain("FAIL  errors < 0.1%");
  });

  it("shows the scenario's description under the header, its lines re-flowed", async () => {
    await cli(["run", "demo.yaml"], fakeToolkit({ scenario: sampleScenario() }));
    const lines = io.stdout().split("\n");
    expect(lines.slice(2, 5)).toEqual([
      "",
      "Two web servers; web01 crashes. More detail on the second line.",
      "",
    ]);
  });

  it("prints only the Results JSON with --json -", async () => {
    await cli(["run", "demo.yaml", "--json", "-"]);
    expect(JSON.parse(io.stdout())).toEqual(sampleResults());
    expect(io.stdout()).toBe(`${JSON.stringify(sampleResults(), null, 2)}\n`);
  });

  it("writes the JSON file, prints the table, and leaves no temp file", async () => {
    await cli(["run", "demo.yaml", "--json", "r.json"]);
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8"))).toEqual(sampleResults());
    expect(io.stdout()).toContain("Checks");
    expect(io.stderr()).toContain("lbsim: wrote the results to r.json");
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("prints nothing on stdout with --quiet", async () => {
    await cli(["run", "demo.yaml", "--quiet", "--json", "r.json"]);
    expect(io.stdout()).toBe("");
  });

  it("exits 1 when an expectation fails, and says which on stderr when there is no table", async () => {
    expect(await cli(["run", "demo.yaml", "--json", "-"])).toBe(1);
    expect(io.stderr()).toBe("lbsim: 1 of 2 expectations failed: errors < 0.1% (actual 0.19%)\n");
  });

  it("gives a failed line's limit and margin on stderr, as the table does", async () => {
    const results = {
      ...sampleResults(),
      checks: [{ name: "p99 < 102.66ms", pass: false, actual: 102.85, limit: 102.66 }],
    };
    const toolkit = fakeToolkit({
      body: async () => ({ results, stopped: false, reachedMs: 60_000, traceRows: 0 }),
    });
    expect(await cli(["run", "demo.yaml", "--quiet"], toolkit)).toBe(1);
    expect(io.stderr()).toBe(
      "lbsim: 1 of 1 expectations failed: p99 < 102.66ms (actual 102.85 ms vs 102.66 ms: 0.19 ms (0.19%) over)\n",
    );
  });

  it("gives the reason, not a made-up value, for a failed line that has no value", async () => {
    const note = 'web02 was never marked DOWN after "errors web02 5%" at 5s: never detected';
    const results = {
      ...sampleResults(),
      checks: [{ name: "detected(web02) < 3s", pass: false, actual: 0, note }],
    };
    const toolkit = fakeToolkit({
      body: async () => ({ results, stopped: false, reachedMs: 60_000, traceRows: 0 }),
    });
    expect(await cli(["run", "demo.yaml", "--quiet"], toolkit)).toBe(1);
    expect(io.stderr()).toBe(`lbsim: 1 of 1 expectations failed: detected(web02) < 3s (${note})\n`);
  });

  it("exits 0 when every expectation passes", async () => {
    const passing = { ...sampleResults(), checks: [{ name: "p99 < 300ms", pass: true, actual: 97 }] };
    const toolkit = fakeToolkit({
      body: async () => ({ results: passing, stopped: false, reachedMs: 60_000, traceRows: 0 }),
    });
    expect(await cli(["run", "demo.yaml"], toolkit)).toBe(0);
  });

  it("hands the seed, strategy, --deterministic and trace file to the simulator", async () => {
    const toolkit = fakeToolkit();
    await cli(
      ["run", "demo.yaml", "--seed", "42", "--strategy", "random(2)", "--deterministic", "--trace", "t.csv"],
      toolkit,
    );
    const job = toolkit.jobs[0];
    expect(job?.seed).toBe(42);
    expect(job?.strategy).toBe("random(2)");
    expect(job?.deterministic).toBe(true);
    expect(job?.scenarioDir).toBe(dir);
    expect(job?.trace?.path).toBe(join(dir, "t.csv"));
    expect(job?.trace?.tempPath).toMatch(new RegExp(`^${dir}/\\.t\\.csv\\.\\d+\\.[0-9a-f]{8}\\.tmp$`));
  });

  it("hands a strategy file to the simulator: --strategy from the current folder", async () => {
    const toolkit = fakeToolkit();
    expect(await cli(["run", "demo.yaml", "--strategy", "./mine.mjs"], toolkit)).toBe(1);
    expect(toolkit.jobs[0]?.strategy).toBe("./mine.mjs");
    expect(toolkit.jobs[0]?.strategyFile).toEqual({
      name: "./mine.mjs",
      path: join(dir, "mine.mjs"),
      shown: "mine.mjs",
    });
  });

  it("hands a strategy file to the simulator: backend.balance from the scenario's folder", async () => {
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "demo.yaml"), "name: demo\n");
    const scenario = sampleScenario();
    const toolkit = fakeToolkit({
      scenario: { ...scenario, backend: { ...scenario.backend, balance: "../strategies/mine.js" } },
    });
    expect(await cli(["run", "sub/demo.yaml"], toolkit)).toBe(1);
    expect(toolkit.jobs[0]?.strategy).toBeUndefined();
    expect(toolkit.jobs[0]?.strategyFile).toEqual({
      name: "../strategies/mine.js",
      path: join(dir, "strategies", "mine.js"),
      shown: join("strategies", "mine.js"),
      scenarioFile: "sub/demo.yaml",
    });
  });

  it("uses colour only on a terminal, and not with NO_COLOR", async () => {
    io = recordingIo(dir, { stdoutIsTTY: true });
    await cli(["run", "demo.yaml"]);
    expect(io.stdout()).toContain("\u001b[31mFAIL");
    io = recordingIo(dir, { stdoutIsTTY: true, env: { NO_COLOR: "1" } });
    await cli(["run", "demo.yaml"]);
    expect(io.stdout()).not.toContain("\u001b[");
  });
});

/** sampleScenario with one backend per balance (`b0`, `b1`…), each with web01 and web02. */
function severalBackends(...balances: string[]): Scenario {
  const scenario = sampleScenario();
  const backends = balances.map((balance, i) => ({ ...scenario.backend, name: `b${i}`, balance }));
  return { ...scenario, backend: backends[0]!, backends };
}

describe("lbsim run: several backends, each with its own balance", () => {
  it("hands every backend's strategy file to the simulator, each once, saying where it is named", async () => {
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "demo.yaml"), "name: demo\n");
    const toolkit = fakeToolkit({ scenario: severalBackends("./a.mjs", "leastconn", "../b.mjs") });
    expect(await cli(["run", "sub/demo.yaml"], toolkit)).toBe(1);
    const job = toolkit.jobs[0];
    expect(job?.strategy).toBeUndefined();
    expect(job?.strategyFile).toBeUndefined();
    expect(job?.strategyFiles).toEqual([
      {
        name: "./a.mjs",
        path: join(dir, "sub", "a.mjs"),
        shown: join("sub", "a.mjs"),
        scenarioFile: "sub/demo.yaml",
        at: "backends[0].balance",
      },
      {
        name: "../b.mjs",
        path: join(dir, "b.mjs"),
        shown: "b.mjs",
        scenarioFile: "sub/demo.yaml",
        at: "backends[2].balance",
      },
    ]);
  });

  it("hands a file named by two backends once", async () => {
    const toolkit = fakeToolkit({ scenario: severalBackends("roundrobin", "./a.mjs", "./a.mjs") });
    expect(await cli(["run", "demo.yaml"], toolkit)).toBe(1);
    expect(toolkit.jobs[0]?.strategyFiles).toBeUndefined();
    expect(toolkit.jobs[0]?.strategyFile).toMatchObject({ name: "./a.mjs", at: "backends[1].balance" });
  });

  it("lets --strategy replace every backend's balance, files included", async () => {
    const toolkit = fakeToolkit({ scenario: severalBackends("./a.mjs", "nosuch") });
    expect(await cli(["run", "demo.yaml", "--strategy", "leastconn"], toolkit)).toBe(1);
    expect(toolkit.jobs[0]?.strategy).toBe("leastconn");
    expect(toolkit.jobs[0]?.strategyFile).toBeUndefined();
    expect(toolkit.jobs[0]?.strategyFiles).toBeUndefined();
  });

  it("rejects an unknown balance in any backend, naming where, before running", async () => {
    const toolkit = fakeToolkit({ scenario: severalBackends("roundrobin", "leastcon", "./a.mjs") });
    expect(await cli(["run", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      'demo.yaml: backends[1].balance: unknown strategy "leastcon" (hint: did you mean "leastconn"?)\n',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });

  it("runs a strategy file named by the second backend, end to end", async () => {
    const path = twoBackendFiles(dir, "./last.mjs");
    const { code, stdout, stderr } = await runMain(["run", path, "--json", "-"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Results;
    expect(results.strategy).toBe("roundrobin+./last.mjs");
    expect(results.backends?.map((b) => [b.name, b.strategy])).toEqual([
      ["web", "roundrobin"],
      ["api", "./last.mjs"],
    ]);
    const requests = Object.fromEntries(results.servers.map((s) => [s.name, s.requests]));
    expect(requests).toEqual({ "web/w1": 250, "web/w2": 250, "api/a1": 0, "api/a2": 0, "api/a3": 500 });
    expect(results.checks).toEqual([{ name: "share(api/a3) > 99.9%", pass: true, actual: 1, limit: 0.999 }]);
  });

  it("names a missing file of the second backend where the scenario names it, end to end", async () => {
    const path = twoBackendFiles(dir, "./gone.mjs");
    const { code, stdout, stderr } = await runMain(["run", path, "--json", "-"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `${join(dir, "gone.mjs")}: strategy file not found (hint: backends[1].balance "./gone.mjs" in ` +
        `${path} is relative to the scenario's folder)\n`,
    );
  });

  it("refuses an unknown balance of the second backend with exit 2, end to end", async () => {
    const path = twoBackendFiles(dir, "nosuch");
    const { code, stdout, stderr } = await runMain(["run", path, "--json", "-"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${path}:13:14: backends[1].balance: unknown strategy "nosuch" (hint: `);
    expect(stderr).toContain("or a file of your own, such as ./my-strategy.mjs");
  });
});
