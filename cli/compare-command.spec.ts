// Spec of cli/compare-command.ts: `lbsim compare` with a fake toolkit (input, Ctrl-C) and end to end through main().
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExpectations } from "../scenarios/expectation-grammar.js";
import type { Results } from "../sim/index.js";
import { type ComparisonJson, splitExpectations, splitStrategies } from "./compare-command.js";
import { AbortedError, type SimulationJob } from "./context.js";
import { cliSandbox, fakeToolkit, runMain, sampleResults, sampleScenario } from "./test-support.js";

const sandbox = cliSandbox("lbsim-compare-");
const { cli } = sandbox;

/** A fake toolkit whose runs answer sampleResults under the job's strategy name, without checks. */
function namedToolkit(
  options: {
    expect?: string[];
    /** Typed expectations unlike the text, to show which of the two compare judges. */
    typed?: string[];
    compare?: string[];
    p99?: (strategy: string) => number;
  } = {},
) {
  return fakeToolkit({
    scenario: sampleScenario({
      expect: options.expect ?? [],
      compare: options.compare ?? [],
      ...(options.typed === undefined ? {} : { expectations: parseExpectations(options.typed) }),
    }),
    body: (job: SimulationJob) => {
      const results = sampleResults();
      const strategy = job.strategy ?? "";
      const p99Ms = options.p99?.(strategy) ?? results.latency.p99Ms;
      return Promise.resolve({
        results: { ...results, strategy, checks: [], latency: { ...results.latency, p99Ms } },
        stopped: false,
        reachedMs: 60_000,
        traceRows: 0,
      });
    },
  });
}

describe("splitStrategies", () => {
  it("splits at commas outside parentheses and trims each name", () => {
    expect(splitStrategies("roundrobin,leastconn")).toEqual(["roundrobin", "leastconn"]);
    expect(splitStrategies("random(2), url_param id ,hdr(host)")).toEqual([
      "random(2)",
      "url_param id",
      "hdr(host)",
    ]);
    expect(splitStrategies("hdr(a,b),source")).toEqual(["hdr(a,b)", "source"]);
  });

  it("rejects an empty name", () => {
    expect(() => splitStrategies("roundrobin,,leastconn")).toThrow(/--strategies has an empty name/);
    expect(() => splitStrategies("roundrobin,")).toThrow(/empty name/);
  });
});

describe("splitExpectations", () => {
  it("checks lines with a prefix-less metric per run, and lines naming strategies only once", () => {
    const { perRun, across } = splitExpectations(
      parseExpectations([
        "p99 < 300ms",
        "leastconn.p99 < roundrobin.p99",
        "random(2).errors <= 1%",
        "leastconn.p99 <= p99",
      ]),
    );
    expect(perRun.map((e) => e.text)).toEqual(["p99 < 300ms", "leastconn.p99 <= p99"]);
    expect(across.map((e) => e.text)).toEqual(["leastconn.p99 < roundrobin.p99", "random(2).errors <= 1%"]);
  });
});

describe("lbsim compare: input", () => {
  it("prints its help", async () => {
    expect(await cli(["compare", "--help"])).toBe(0);
    expect(await cli(["help", "compare"])).toBe(0);
    expect(sandbox.io.stdout().match(/^Usage: lbsim compare <scenario>/gm)).toHaveLength(2);
    expect(sandbox.io.stdout()).toContain("--strategies A,B,…");
  });

  it("needs strategies from --strategies or the scenario's compare: list (exit 2)", async () => {
    const toolkit = namedToolkit();
    expect(await cli(["compare", "demo.yaml"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      "lbsim compare: no strategies to compare: give --strategies roundrobin,leastconn or a compare: " +
        'list in demo.yaml\nRun "lbsim compare --help" for usage.\n',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });

  it("uses the scenario's compare: list when --strategies is not given", async () => {
    const toolkit = namedToolkit({ compare: ["roundrobin", "leastconn"] });
    expect(await cli(["compare", "demo.yaml", "--quiet"], toolkit)).toBe(0);
    expect(toolkit.jobs.map((j) => j.strategy)).toEqual(["roundrobin", "leastconn"]);
  });

  it("checks every strategy name before running any, with a suggestion", async () => {
    const toolkit = namedToolkit();
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastcon,random(2),bogus"], toolkit),
    ).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      'lbsim: --strategies: unknown strategy "leastcon" (hint: did you mean "leastconn"?)',
    );
    expect(sandbox.io.stderr()).toContain(
      'lbsim: --strategies: unknown strategy "bogus" (hint: known strategies: roundrobin',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });

  it("names the compare: entry of the scenario file that is unknown", async () => {
    const toolkit = namedToolkit({ compare: ["roundrobin", "leastconm"] });
    expect(await cli(["compare", "demo.yaml"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      'demo.yaml: compare[1]: unknown strategy "leastconm" (hint: did you mean "leastconn"?)\n',
    );
  });

  it("refuses a strategy given twice", async () => {
    expect(await cli(["compare", "demo.yaml", "--strategies", "roundrobin,roundrobin"], namedToolkit())).toBe(
      2,
    );
    expect(sandbox.io.stderr()).toContain('"roundrobin" is given twice');
  });

  it("passes the seed and --deterministic to every run", async () => {
    const toolkit = namedToolkit();
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,random(2)", "--seed", "42"];
    expect(await cli([...argv, "--deterministic", "--quiet"], toolkit)).toBe(0);
    expect(toolkit.jobs.map((j) => [j.strategy, j.seed, j.deterministic])).toEqual([
      ["roundrobin", 42, true],
      ["random(2)", 42, true],
    ]);
  });

  it("rejects a second scenario, hinting at quoting a list with spaces", async () => {
    expect(await cli(["compare", "demo.yaml", "--strategies", "roundrobin,url_param", "id"])).toBe(2);
    expect(sandbox.io.stderr()).toContain(
      'compare takes one scenario file, but got 2 (quote a list with spaces: --strategies "roundrobin,url_param id")',
    );
  });
});

describe("lbsim compare: expectations", () => {
  it("checks prefix-less lines against every run and strategy lines once; exit 1 when one fails", async () => {
    const toolkit = namedToolkit({
      expect: ["p99 < 80ms", "leastconn.p99 < roundrobin.p99"],
      p99: (strategy) => (strategy === "leastconn" ? 60 : 90),
    });
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", "-"], toolkit),
    ).toBe(1);
    const comparison = JSON.parse(sandbox.io.stdout()) as ComparisonJson;
    expect(comparison.runs.map((r) => r.checks)).toEqual([
      [{ name: "p99 < 80ms", pass: false, actual: 90, limit: 80 }],
      [{ name: "p99 < 80ms", pass: true, actual: 60, limit: 80 }],
    ]);
    expect(comparison.checks).toEqual([
      { name: "leastconn.p99 < roundrobin.p99", pass: true, actual: 60, limit: 90 },
    ]);
    expect(sandbox.io.stderr()).toBe(
      "lbsim: 1 of 3 expectations failed: p99 < 80ms (roundrobin: actual 90 ms vs 80 ms: 10 ms (13%) over)\n",
    );
  });

  it("judges the Scenario's typed expectations, parsed when it was loaded, not its text", async () => {
    const toolkit = namedToolkit({
      expect: [],
      typed: ["leastconn.p99 < roundrobin.p99"],
      p99: (strategy) => (strategy === "leastconn" ? 60 : 90),
    });
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", "-"], toolkit),
    ).toBe(0);
    const comparison = JSON.parse(sandbox.io.stdout()) as ComparisonJson;
    expect(comparison.checks).toEqual([
      { name: "leastconn.p99 < roundrobin.p99", pass: true, actual: 60, limit: 90 },
    ]);
  });

  it("warns about a line naming a strategy that is not compared, and does not fail it", async () => {
    const toolkit = namedToolkit({ expect: ["random(2).p99 < roundrobin.p99"] });
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", "-"], toolkit),
    ).toBe(0);
    expect(sandbox.io.stderr()).toBe(
      'lbsim: expectation "random(2).p99 < roundrobin.p99" is not checked: "random(2)" is not among the ' +
        "compared strategies\n",
    );
    expect((JSON.parse(sandbox.io.stdout()) as ComparisonJson).checks).toEqual([]);
  });
});

describe("lbsim compare: Ctrl-C", () => {
  it("stops the current run, skips the rest, and still prints and writes what it has (exit 130)", async () => {
    const toolkit = fakeToolkit({
      body: (job, control) => {
        sandbox.io.interrupt();
        const stopped = Atomics.load(control.stop, 0) === 1;
        return Promise.resolve({
          results: { ...sampleResults(), strategy: job.strategy ?? "", checks: [] },
          stopped,
          reachedMs: 30_000,
          traceRows: 0,
        });
      },
    });
    const json = join(sandbox.dir, "c.json");
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", json], toolkit),
    ).toBe(130);
    expect(toolkit.jobs).toHaveLength(1);
    const comparison = JSON.parse(readFileSync(json, "utf8")) as ComparisonJson;
    expect(comparison.partial).toBe(true);
    expect(comparison.runs).toHaveLength(1);
    expect(comparison.runs[0]?.partial).toBe(true);
    expect(sandbox.io.stdout()).toContain("PARTIAL: stopped by Ctrl-C; roundrobin after about 30s");
    expect(sandbox.io.stdout()).toContain("not run: leastconn");
  });

  it("quits at once on a second Ctrl-C, writing nothing", async () => {
    const toolkit = fakeToolkit({
      body: () => {
        sandbox.io.interrupt();
        sandbox.io.advance(1_000);
        sandbox.io.interrupt();
        return Promise.reject(new AbortedError());
      },
    });
    const json = join(sandbox.dir, "c.json");
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", json], toolkit),
    ).toBe(130);
    expect(sandbox.io.stderr()).toContain("lbsim: interrupted; nothing was written\n");
    expect(existsSync(json)).toBe(false);
  });
});

/** Two servers, one of them slower, Poisson arrivals: the strategies differ, the requests do not. */
function scenario(extra = ""): string {
  const path = join(sandbox.dir, "cmp.yaml");
  writeFileSync(
    path,
    `name: e2e-compare
seed: 3
duration: 10s
warmup: 0s
backend:
  balance: roundrobin
  servers:
    - {name: web01, slots: 2, service: {exponential: 10ms}}
    - {name: web02, slots: 2, speed: 0.4, service: {exponential: 10ms}}
clients:
  - name: browsers
    arrivals: {poisson: 120/s}
    sources: {count: 100}
    paths: {count: 50}
${extra}`,
  );
  return path;
}

describe("lbsim compare (end to end)", () => {
  it("runs each strategy on the same requests and prints them side by side", async () => {
    const { code, stdout, stderr } = await runMain([
      "compare",
      scenario(),
      "--strategies",
      "roundrobin,leastconn,random(2),url_param id,hdr(host)",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("e2e-compare · 5 strategies on the same requests · seed 3");
    expect(stdout).toMatch(/^ +roundrobin +leastconn +random\(2\) +url_param id +hdr\(host\)$/m);
    expect(stdout).toMatch(/^Latency +p50 .*\*/m);
  });

  it("writes {scenario, seed, runs, checks}: one Results per strategy, all of the same requests", async () => {
    const { code, stdout } = await runMain([
      "compare",
      scenario('compare: [roundrobin, leastconn]\nexpect: ["p99 < 10s", "leastconn.p99 < roundrobin.p99"]\n'),
      "--json",
      "-",
    ]);
    expect(code).toBe(0);
    const comparison = JSON.parse(stdout) as ComparisonJson;
    // The keys of the first version, as they were, then the additions.
    expect(Object.keys(comparison)).toEqual([
      "scenario",
      "seed",
      "runs",
      "checks",
      "replications",
      "seeds",
      "strategies",
      "rows",
    ]);
    expect(comparison.scenario).toBe("e2e-compare");
    expect(comparison.seed).toBe(3);
    expect(comparison.runs.map((r: Results) => r.strategy)).toEqual(["roundrobin", "leastconn"]);
    // Common random numbers: every strategy sees the same arrivals.
    const [rr, lc] = comparison.runs;
    expect((rr?.requests.total ?? 0) + (rr?.requests.unfinished ?? 0)).toBe(
      (lc?.requests.total ?? 0) + (lc?.requests.unfinished ?? 0),
    );
    expect(rr?.checks.map((c) => c.name)).toEqual(["p99 < 10s"]);
    expect(comparison.checks).toEqual([
      {
        name: "leastconn.p99 < roundrobin.p99",
        pass: true,
        actual: lc?.latency.p99Ms,
        limit: rr?.latency.p99Ms,
      },
    ]);
  });

  it("exits 1 when an expectation fails for one strategy", async () => {
    const { code, stdout } = await runMain([
      "compare",
      scenario('expect: ["roundrobin.p99 < leastconn.p99"]\n'),
      "--strategies",
      "roundrobin,leastconn",
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain("Checks across strategies:\n  FAIL  roundrobin.p99 < leastconn.p99");
  });

  it("writes byte-identical JSON for the same seed with --deterministic", async () => {
    const path = scenario();
    const files = [join(sandbox.dir, "a.json"), join(sandbox.dir, "b.json")];
    for (const file of files) {
      const argv = ["compare", path, "--strategies", "leastconn,random(2)", "--deterministic", "--quiet"];
      expect((await runMain([...argv, "--json", file])).code).toBe(0);
    }
    expect(readFileSync(files[0] ?? "", "utf8")).toBe(readFileSync(files[1] ?? "", "utf8"));
    expect(readdirSync(sandbox.dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("reports an unknown strategy with exit code 2 before running anything", async () => {
    const { code, stderr } = await runMain(["compare", scenario(), "--strategies", "roundrobin,lestconn"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'lbsim: --strategies: unknown strategy "lestconn" (hint: did you mean "leastconn"?)\n',
    );
  });
});
