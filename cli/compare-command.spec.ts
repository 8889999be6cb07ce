// Spec of cli/compare-command.ts: `lbsim compare` with a fake toolkit (input, Ctrl-C) and end to end through main().
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Results } from "../sim/index.js";
import { runCli } from "./app.js";
import { type ComparisonJson, splitExpectations, splitStrategies } from "./compare-command.js";
import { AbortedError, type SimulationJob, type Toolkit } from "./context.js";
import {
  cliFolder,
  fakePackage,
  fakeToolkit,
  type RecordingIo,
  runMain,
  sampleResults,
  sampleScenario,
} from "./test-support.js";

let dir: string;
let io: RecordingIo;
beforeEach(() => {
  ({ dir, io } = cliFolder("lbsim-compare-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[], toolkit: Toolkit = fakeToolkit()): Promise<number> {
  return runCli(argv, toolkit, fakePackage(dir), io);
}

/** A fake toolkit whose runs answer sampleResults under the job's strategy name, without checks. */
function namedToolkit(
  options: { expect?: string[]; compare?: string[]; p99?: (strategy: string) => number } = {},
) {
  return fakeToolkit({
    scenario: sampleScenario({ expect: options.expect ?? [], compare: options.compare ?? [] }),
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
    const { perRun, across } = splitExpectations([
      "p99 < 300ms",
      "leastconn.p99 < roundrobin.p99",
      "random(2).errors <= 1%",
      "leastconn.p99 <= p99",
    ]);
    expect(perRun.map((e) => e.text)).toEqual(["p99 < 300ms", "leastconn.p99 <= p99"]);
    expect(across.map((e) => e.text)).toEqual(["leastconn.p99 < roundrobin.p99", "random(2).errors <= 1%"]);
  });
});

describe("lbsim compare: input", () => {
  it("prints its help", async () => {
    expect(await cli(["compare", "--help"])).toBe(0);
    expect(await cli(["help", "compare"])).toBe(0);
    expect(io.stdout().match(/^Usage: lbsim compare <scenario>/gm)).toHaveLength(2);
    expect(io.stdout()).toContain("--strategies A,B,…");
  });

  it("needs strategies from --strategies or the scenario's compare: list (exit 2)", async () => {
    const toolkit = namedToolkit();
    expect(await cli(["compare", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
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
    expect(io.stderr()).toContain(
      'lbsim: --strategies: unknown strategy "leastcon" (hint: did you mean "leastconn"?)',
    );
    expect(io.stderr()).toContain(
      'lbsim: --strategies: unknown strategy "bogus" (hint: known strategies: roundrobin',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });

  it("names the compare: entry of the scenario file that is unknown", async () => {
    const toolkit = namedToolkit({ compare: ["roundrobin", "leastconm"] });
    expect(await cli(["compare", "demo.yaml"], toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      'demo.yaml: compare[1]: unknown strategy "leastconm" (hint: did you mean "leastconn"?)\n',
    );
  });

  it("refuses a strategy given twice", async () => {
    expect(await cli(["compare", "demo.yaml", "--strategies", "roundrobin,roundrobin"], namedToolkit())).toBe(
      2,
    );
    expect(io.stderr()).toContain('"roundrobin" is given twice');
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
    expect(io.stderr()).toContain(
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
    const comparison = JSON.parse(io.stdout()) as ComparisonJson;
    expect(comparison.runs.map((r) => r.checks)).toEqual([
      [{ name: "p99 < 80ms", pass: false, actual: 90 }],
      [{ name: "p99 < 80ms", pass: true, actual: 60 }],
    ]);
    expect(comparison.checks).toEqual([{ name: "leastconn.p99 < roundrobin.p99", pass: true, actual: 60 }]);
    expect(io.stderr()).toBe(
      "lbsim: 1 of 3 expectations failed: p99 < 80ms (roundrobin: actual 90 ms vs 80 ms: 10 ms (13%) over)\n",
    );
  });

  it("warns about a line naming a strategy that is not compared, and does not fail it", async () => {
    const toolkit = namedToolkit({ expect: ["random(2).p99 < roundrobin.p99"] });
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", "-"], toolkit),
    ).toBe(0);
    expect(io.stderr()).toBe(
      'lbsim: expectation "random(2).p99 < roundrobin.p99" is not checked: "random(2)" is not among the ' +
        "compared strategies\n",
    );
    expect((JSON.parse(io.stdout()) as ComparisonJson).checks).toEqual([]);
  });
});

describe("lbsim compare: Ctrl-C", () => {
  it("stops the current run, skips the rest, and still prints and writes what it has (exit 130)", async () => {
    const toolkit = fakeToolkit({
      body: (job, control) => {
        io.interrupt();
        const stopped = Atomics.load(control.stop, 0) === 1;
        return Promise.resolve({
          results: { ...sampleResults(), strategy: job.strategy ?? "", checks: [] },
          stopped,
          reachedMs: 30_000,
          traceRows: 0,
        });
      },
    });
    const json = join(dir, "c.json");
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", json], toolkit),
    ).toBe(130);
    expect(toolkit.jobs).toHaveLength(1);
    const comparison = JSON.parse(readFileSync(json, "utf8")) as ComparisonJson;
    expect(comparison.partial).toBe(true);
    expect(comparison.runs).toHaveLength(1);
    expect(comparison.runs[0]?.partial).toBe(true);
    expect(io.stdout()).toContain("PARTIAL: stopped by Ctrl-C; roundrobin after about 30s");
    expect(io.stdout()).toContain("not run: leastconn");
  });

  it("quits at once on a second Ctrl-C, writing nothing", async () => {
    const toolkit = fakeToolkit({
      body: () => {
        io.interrupt();
        io.advance(1_000);
        io.interrupt();
        return Promise.reject(new AbortedError());
      },
    });
    const json = join(dir, "c.json");
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--json", json], toolkit),
    ).toBe(130);
    expect(io.stderr()).toContain("lbsim: interrupted; nothing was written\n");
    expect(existsSync(json)).toBe(false);
  });
});

/** Two servers, one of them slower, Poisson arrivals: the strategies differ, the requests do not. */
function scenario(extra = ""): string {
  const path = join(dir, "cmp.yaml");
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
      { name: "leastconn.p99 < roundrobin.p99", pass: true, actual: lc?.latency.p99Ms },
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
    const files = [join(dir, "a.json"), join(dir, "b.json")];
    for (const file of files) {
      const argv = ["compare", path, "--strategies", "leastconn,random(2)", "--deterministic", "--quiet"];
      expect((await runMain([...argv, "--json", file])).code).toBe(0);
    }
    expect(readFileSync(files[0] ?? "", "utf8")).toBe(readFileSync(files[1] ?? "", "utf8"));
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("reports an unknown strategy with exit code 2 before running anything", async () => {
    const { code, stderr } = await runMain(["compare", scenario(), "--strategies", "roundrobin,lestconn"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'lbsim: --strategies: unknown strategy "lestconn" (hint: did you mean "leastconn"?)\n',
    );
  });
});

/** A fake toolkit whose p50 and p99 depend on the strategy and the seed, as `figures` says. */
function seededToolkit(
  figures: (strategy: string, seed: number) => { p50Ms: number; p99Ms: number },
  options: { expect?: string[]; stopAt?: { seed: number; strategy: string } } = {},
) {
  return fakeToolkit({
    scenario: sampleScenario({ expect: options.expect ?? [] }),
    body: (job: SimulationJob, control) => {
      const results = sampleResults();
      const strategy = job.strategy ?? "";
      const seed = job.seed ?? 7;
      if (options.stopAt?.seed === seed && options.stopAt.strategy === strategy) io.interrupt();
      return Promise.resolve({
        results: {
          ...results,
          seed,
          strategy,
          checks: [],
          latency: { ...results.latency, ...figures(strategy, seed) },
        },
        stopped: Atomics.load(control.stop, 0) === 1,
        reachedMs: 30_000,
        traceRows: 0,
      });
    },
  });
}

describe("lbsim compare --replications", () => {
  it("takes 1 to 10,000, with the message of lbsim check --replications (exit 2)", async () => {
    for (const bad of ["0", "10001", "2.5", "x"]) {
      io = cliFolder("lbsim-compare-").io;
      expect(await cli(["compare", "demo.yaml", "--strategies", "roundrobin", "--replications", bad])).toBe(
        2,
      );
      expect(io.stderr()).toBe(
        `lbsim compare: --replications expects a whole number from 1 to 10,000, got "${bad}"\n` +
          'Run "lbsim compare --help" for usage.\n',
      );
    }
  });

  it("runs every strategy on seeds seed..seed+N-1, one replication after the other", async () => {
    const toolkit = seededToolkit(() => ({ p50Ms: 18, p99Ms: 90 }));
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--seed", "40", "--quiet"], toolkit)).toBe(0);
    expect(toolkit.jobs.map((j) => `${j.strategy}@${j.seed}`)).toEqual([
      "roundrobin@40",
      "leastconn@40",
      "roundrobin@41",
      "leastconn@41",
      "roundrobin@42",
      "leastconn@42",
    ]);
  });

  it("refuses replications whose last seed goes past the largest safe integer", async () => {
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin", "--replications", "3"];
    expect(await cli([...argv, "--seed", String(Number.MAX_SAFE_INTEGER - 1)])).toBe(2);
    expect(io.stderr()).toContain("with 3 replications goes past 9007199254740991");
  });

  it("writes per row each strategy's values and mean, the paired differences and the verdict", async () => {
    // leastconn's p99 is 30 ms lower on every seed, ±1: a winner. The p50s differ by +1, -1, +0.5
    // ms: the interval contains 0.
    const p50 = { roundrobin: [18, 19, 17.5], leastconn: [19, 18, 18] };
    const p99 = { roundrobin: [100, 101, 99], leastconn: [70, 70, 70] };
    const toolkit = seededToolkit((strategy, seed) => {
      const s = strategy as keyof typeof p50;
      return { p50Ms: p50[s][seed - 7] ?? 0, p99Ms: p99[s][seed - 7] ?? 0 };
    });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--json", "-"], toolkit)).toBe(0);
    const comparison = JSON.parse(io.stdout()) as ComparisonJson;
    expect(comparison.replications).toBe(3);
    expect(comparison.seeds).toEqual([7, 8, 9]);
    expect(comparison.strategies).toEqual(["roundrobin", "leastconn"]);
    expect(comparison.runs.map((r) => [r.strategy, r.seed])).toEqual([
      ["roundrobin", 7],
      ["leastconn", 7],
    ]);
    const row = (key: string) => comparison.rows.find((r) => r.key === key);
    // Differences 30, 31, 29: mean 30, s = 1, t(2) = 4.303: 30 ± 4.303/√3 = 30 ± 2.484.
    expect(row("latency.p99")).toMatchObject({
      better: "lower",
      unit: "ms",
      strategies: [
        { strategy: "roundrobin", values: [100, 101, 99], mean: 100 },
        { strategy: "leastconn", values: [70, 70, 70], mean: 70 },
      ],
      verdict: "winner",
      best: "leastconn",
      winner: "leastconn",
      // 12 significant digits, as every mean of lbsim check.
      differences: [{ strategy: "roundrobin", mean: 30, percent: 42.8571428571 }],
    });
    const ci = row("latency.p99")?.differences?.[0]?.ci95;
    expect(ci?.low).toBeCloseTo(30 - 4.303 / Math.sqrt(3), 9);
    expect(ci?.high).toBeCloseTo(30 + 4.303 / Math.sqrt(3), 9);
    expect(row("latency.p50")).toMatchObject({
      verdict: "indistinguishable",
      best: "roundrobin",
      indistinguishable: ["roundrobin", "leastconn"],
    });
    expect(row("latency.p50")?.winner).toBeUndefined();
    expect(row("latency.p90")?.verdict).toBe("same");
    expect(row("requests.total")?.verdict).toBe("unranked");
  });

  it("judges the expectations on the means over the seeds, as lbsim check does", async () => {
    // roundrobin's p99 is 90, 110, 95: one seed over 100 ms, a mean of 98.3 under it.
    const p99 = { roundrobin: [90, 110, 95], leastconn: [60, 65, 70] };
    const toolkit = seededToolkit(
      (strategy, seed) => ({ p50Ms: 18, p99Ms: p99[strategy as keyof typeof p99][seed - 7] ?? 0 }),
      { expect: ["p99 < 100ms", "leastconn.p99 < roundrobin.p99"] },
    );
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--json", "-"], toolkit)).toBe(0);
    const comparison = JSON.parse(io.stdout()) as ComparisonJson;
    const means = comparison.meanChecks;
    expect(means?.runs.map((r) => [r.strategy, r.checks.map((c) => [c.name, c.pass, c.actual])])).toEqual([
      ["roundrobin", [["p99 < 100ms", true, 98.3333333333]]],
      ["leastconn", [["p99 < 100ms", true, 65]]],
    ]);
    expect(means?.checks.map((c) => [c.name, c.pass, c.limit])).toEqual([
      ["leastconn.p99 < roundrobin.p99", true, 98.3333333333],
    ]);
  });

  it("keeps the complete replications when Ctrl-C stops a later one (exit 130)", async () => {
    const toolkit = seededToolkit(() => ({ p50Ms: 18, p99Ms: 90 }), {
      stopAt: { seed: 8, strategy: "leastconn" },
    });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "3"];
    expect(await cli([...argv, "--json", join(dir, "c.json")], toolkit)).toBe(130);
    const comparison = JSON.parse(readFileSync(join(dir, "c.json"), "utf8")) as ComparisonJson;
    expect(comparison.partial).toBe(true);
    expect(comparison.seeds).toEqual([7]);
    expect(comparison.runs.map((r) => [r.strategy, r.seed, r.partial])).toEqual([
      ["roundrobin", 7, undefined],
      ["leastconn", 7, undefined],
    ]);
    expect(io.stdout()).toContain(
      "PARTIAL: stopped by Ctrl-C; after 1 of 3 replications (the figures cover those)",
    );
  });
});

/** The sample scenario with backends web (roundrobin) and api (leastconn). */
function twoBackends() {
  const base = sampleScenario();
  const web = { ...base.backend, name: "web", balance: "roundrobin" };
  const api = { ...base.backend, name: "api", balance: "leastconn" };
  return sampleScenario({ backend: web, backends: [web, api] });
}

describe("lbsim compare --backend", () => {
  it("replaces the balance of that backend only, and the others keep theirs", async () => {
    const toolkit = fakeToolkit({ scenario: twoBackends() });
    const argv = [
      "compare",
      "demo.yaml",
      "--strategies",
      "roundrobin,random(2)",
      "--backend",
      "api",
      "--quiet",
    ];
    expect(await cli(argv, toolkit)).toBe(0);
    expect(
      toolkit.jobs.map((j) => [j.strategy, (j.scenario.backends ?? []).map((b) => `${b.name}:${b.balance}`)]),
    ).toEqual([
      [undefined, ["web:roundrobin", "api:roundrobin"]],
      [undefined, ["web:roundrobin", "api:random(2)"]],
    ]);
  });

  it("says in the table which backends the strategies balance", async () => {
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,random(2)"];
    expect(await cli([...argv, "--backend", "api"], fakeToolkit({ scenario: twoBackends() }))).toBe(0);
    expect(io.stdout()).toContain(
      "The strategies balance backend api; the others keep their own: web roundrobin.",
    );
    io = cliFolder("lbsim-compare-").io;
    expect(await cli(argv, fakeToolkit({ scenario: twoBackends() }))).toBe(0);
    expect(io.stdout()).toContain(
      "Every backend (web, api) balances with the compared strategy; --backend NAME compares one backend's.",
    );
  });

  it("refuses an unknown backend with the nearest name (exit 2), before running anything", async () => {
    const toolkit = fakeToolkit({ scenario: twoBackends() });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--backend", "apo"];
    expect(await cli(argv, toolkit)).toBe(2);
    expect(io.stderr()).toBe(
      'lbsim: --backend: unknown backend "apo": demo.yaml has "web", "api" (hint: did you mean "api"?)\n',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });
});
