// Spec of `lbsim sweep|merge --report`: the page written beside the JSON, the same bytes from shards + merge and for any --workers, refusals before anything runs, Ctrl-C.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliBuilt, LBSIM_BIN, twoServerScenario } from "./built-cli-test-support.js";
import type { Toolkit } from "./context.js";
import type { SweepJson } from "./sweep-output.js";
import { interruptingToolkit, realToolkit, SMALL, sweepHelpers } from "./sweep-test-support.js";
import { cliSandbox } from "./test-support.js";

const sandbox = cliSandbox("lbsim-sweep-report-");
const { write } = sweepHelpers(sandbox);

const GRID = [
  "--set",
  "clients.load.arrivals.poisson=40/s,80/s",
  "--strategies",
  "roundrobin,leastconn",
  "--replications",
  "3",
];

async function cli(
  argv: string[],
  toolkit: Toolkit = realToolkit(),
): Promise<{ code: number; out: string; err: string }> {
  sandbox.freshIo();
  const code = await sandbox.cli(argv, toolkit);
  return { code, out: sandbox.io.stdout(), err: sandbox.io.stderr() };
}

const read = (name: string) => readFileSync(join(sandbox.dir, name), "utf8");
const exists = (name: string) => existsSync(join(sandbox.dir, name));

describe("lbsim sweep --report", () => {
  it("writes the page beside the JSON: a chart per metric of the JSON, each point's figures from its row", async () => {
    write("small.yaml", SMALL);
    const run = await cli(["sweep", "small.yaml", ...GRID, "--json", "s.json", "--report", "s.html"]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain("lbsim: wrote the report to s.html");
    const json = JSON.parse(read("s.json")) as SweepJson;
    const html = read("s.html");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect([...html.matchAll(/<svg[^>]* data-metric="(\w+)"/g)].map((m) => m[1])).toEqual(
      json.metrics.map((m) => m.key),
    );
    // leastconn's p99 at 80/s, as the JSON says it, in that point's tooltip (4 significant digits).
    const row = json.rows.find(
      (r) => r.strategy === "leastconn" && r.values["clients.load.arrivals.poisson"] === "80/s",
    );
    const p99 = row?.metrics.p99Ms;
    if (p99?.mean == null || p99.low === null || p99.high === null) throw new Error("no p99 in the row");
    const sig = (x: number) => String(Number(x.toPrecision(4)));
    expect(html).toContain(
      `leastconn · clients.load.arrivals.poisson = 80/s\np99 latency: ${sig(p99.mean)} ms ± ${sig((p99.high - p99.low) / 2)} ms`,
    );
    expect(html).toContain("<dt>Seed</dt><dd>7 (replication r runs seed + r)</dd>");
    expect(html).toContain("2 points × 2 strategies × 3 replications = 12 runs");
  });

  it("is the same page, byte for byte, from shards joined by lbsim merge --report", async () => {
    write("small.yaml", SMALL);
    expect((await cli(["sweep", "small.yaml", ...GRID, "--report", "whole.html", "-q"])).code).toBe(0);
    for (const i of [1, 2, 3]) {
      const shard = await cli([
        "sweep",
        "small.yaml",
        ...GRID,
        "--shard",
        `${i}/3`,
        "--json",
        `s${i}.json`,
        "-q",
      ]);
      expect(shard.code, shard.err).toBe(0);
    }
    const merged = await cli(["merge", "s3.json", "s1.json", "s2.json", "--report", "merged.html"]);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.err).toContain("lbsim: wrote the report to merged.html");
    expect(read("merged.html")).toBe(read("whole.html"));
  });

  it("refuses --report with --shard (exit 2, before running): merge writes the report", async () => {
    write("small.yaml", SMALL);
    const toolkit = realToolkit();
    const run = await cli(
      ["sweep", "small.yaml", ...GRID, "--shard", "1/2", "--json", "a.json", "--report", "a.html"],
      toolkit,
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain("pass --report to lbsim merge");
    expect(toolkit.runs()).toBe(0);
    expect(exists("a.json")).toBe(false);
  });

  it("refuses a report it could not write (exit 2) before any run", async () => {
    write("small.yaml", SMALL);
    for (const [target, said] of [
      ["missing/r.html", 'cannot write "missing/r.html": the folder'],
      [".", "it is a folder"],
      ["small.yaml", "it is the scenario file"],
      ["-", "--report needs a file name"],
    ] as const) {
      const toolkit = realToolkit();
      const run = await cli(["sweep", "small.yaml", ...GRID, "--report", target], toolkit);
      expect(run.code, target).toBe(2);
      expect(run.err).toContain(said);
      expect(toolkit.runs()).toBe(0);
    }
    const same = await cli(["sweep", "small.yaml", ...GRID, "--json", "x.json", "--report", "x.json"]);
    expect(same.code).toBe(2);
    expect(same.err).toContain("is also the --json file");
  });

  it("Ctrl-C: writes the report of what finished, marked partial, and exits 130", async () => {
    write("small.yaml", SMALL);
    const toolkit = interruptingToolkit(4, () => sandbox.io.interrupt());
    const run = await cli(
      ["sweep", "small.yaml", ...GRID, "--json", "p.json", "--report", "p.html"],
      toolkit,
    );
    expect(run.code).toBe(130);
    const json = JSON.parse(read("p.json")) as SweepJson;
    expect(json.complete).toBe(false);
    const html = read("p.html");
    expect(html).toContain(
      `<strong>Partial report.</strong> Ctrl-C stopped the sweep: ${json.runs.missing} of ${json.runs.total} runs are missing.`,
    );
  });

  it("says auto replications' precision and range in the header with --replications auto", async () => {
    write("small.yaml", SMALL);
    const run = await cli([
      "sweep",
      "small.yaml",
      ...GRID.slice(0, 4),
      "--replications",
      "auto",
      "--precision",
      "50%",
      "--max",
      "6",
      "--report",
      "a.html",
      "-q",
    ]);
    expect(run.code, run.err).toBe(0);
    expect(read("a.html")).toContain(
      "<dt>Replications</dt><dd>auto: precision 50% (95% half-width within that share of the mean), 5 to 6 per row</dd>",
    );
  });

  it("is listed by lbsim help sweep and lbsim merge --help", async () => {
    expect((await cli(["help", "sweep"])).out).toMatch(/--report FILE\.html +write an HTML report/);
    const merge = await cli(["merge", "--help"]);
    expect(merge.out).toContain("[--report FILE.html]");
    expect(merge.out).toMatch(/--report FILE\.html +write an HTML report/);
  });
});

describe("lbsim merge --report: refusals", () => {
  it("refuses a report path that is one of the shard files, or unwritable (exit 2)", async () => {
    write("small.yaml", SMALL);
    for (const i of [1, 2])
      expect(
        (await cli(["sweep", "small.yaml", ...GRID, "--shard", `${i}/2`, "--json", `s${i}.json`, "-q"])).code,
      ).toBe(0);
    const over = await cli(["merge", "s1.json", "s2.json", "--report", "s1.json"]);
    expect(over.code).toBe(2);
    expect(over.err).toContain("--report s1.json is one of the shard files");
    const nowhere = await cli(["merge", "s1.json", "s2.json", "--report", "no/such/r.html"]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.err).toContain('cannot write "no/such/r.html"');
  });
});

const built = cliBuilt();

describe.skipIf(!built)("lbsim sweep --report on the thread pool (the built CLI; npm run build)", () => {
  it("writes the same report bytes with 1 and 2 workers", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-sweep-report-pool-"));
    try {
      writeFileSync(join(dir, "mid.yaml"), twoServerScenario("mid", 3, "10s", 150, 2));
      for (const workers of ["1", "2"]) {
        const child = spawnSync(
          process.execPath,
          [
            LBSIM_BIN,
            "sweep",
            "mid.yaml",
            "--set",
            "clients.load.arrivals.poisson=100/s..200/s:50/s",
            "--strategies",
            "roundrobin,leastconn",
            "--replications",
            "3",
            "--workers",
            workers,
            "--report",
            `w${workers}.html`,
            "-q",
          ],
          { cwd: dir, encoding: "utf8", timeout: 120_000 },
        );
        expect(child.stderr).toBe("");
        expect(child.status).toBe(0);
      }
      const page = (name: string) => readFileSync(join(dir, name), "utf8");
      expect(page("w2.html")).toBe(page("w1.html"));
      expect(page("w1.html")).toContain('data-metric="p99Ms"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
