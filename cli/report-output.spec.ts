// Spec of --report, --svg and --png on run, compare and check (cli/report-output.ts), with a fake toolkit.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportView } from "../viz/view.js";
import { cspOf, scriptsOf } from "../viz/view-test-support.js";
import { checkToolkit } from "./check-test-support.js";
import { AbortedError, type Toolkit } from "./context.js";
import { findPackage } from "./main.js";
import { cliSandbox, fakeToolkit, runMain, sampleResults, sampleScenario } from "./test-support.js";

const sandbox = cliSandbox("lbsim-report-");
const { cli } = sandbox;

/** The report's inlined view, after checking the page holds the CSP, the view JSON and the script. */
function readReport(name: string): { html: string; view: ReportView } {
  const html = readFileSync(join(sandbox.dir, name), "utf8");
  expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(cspOf(html)).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'/);
  const scripts = scriptsOf(html);
  expect(scripts.map((s) => s.tag)).toEqual(['<script type="application/json" id="view">', "<script>"]);
  return { html, view: JSON.parse(scripts[0]?.content ?? "") as ReportView };
}

const compareToolkit = (): Toolkit =>
  fakeToolkit({
    body: (job) =>
      Promise.resolve({
        results: { ...sampleResults(), strategy: job.strategy ?? "roundrobin", seed: job.seed ?? 7 },
        stopped: false,
        reachedMs: 60_000,
        traceRows: 0,
      }),
  });

describe("--report", () => {
  it("run: writes the page with the run's view and says where on stderr", async () => {
    // 1: sampleResults holds a failed expectation; the report is written all the same.
    expect(await cli(["run", "demo.yaml", "--report", "r.html"])).toBe(1);
    const { view } = readReport("r.html");
    expect(view.kind).toBe("run");
    expect(view.generator).toBe("lbsim 9.8.7");
    expect(view.sections[0]?.scenario).toBe("failover-demo");
    expect(view.partial).toBeUndefined();
    expect(sandbox.io.stderr()).toContain("lbsim: wrote the report to r.html\n");
  });

  it("compare: one variant per strategy, from every replication", async () => {
    const toolkit = compareToolkit();
    const args = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--replications", "2"];
    expect(await cli([...args, "--report", "c.html", "-q"], toolkit)).toBe(0);
    const { view } = readReport("c.html");
    expect(view.kind).toBe("compare");
    expect(view.sections[0]?.variants.map((v) => v.name)).toEqual(["roundrobin", "leastconn"]);
    expect(sandbox.io.stderr()).toBe("");
  });

  it("check: a section per scenario that ran", async () => {
    const toolkit = checkToolkit({ compare: ["leastconn"], expect: ["p99 < 1s"] });
    expect(await cli(["check", "demo.yaml", "--report", "k.html", "-q"], toolkit)).toBe(0);
    const { view } = readReport("k.html");
    expect(view.kind).toBe("check");
    expect(view.sections).toHaveLength(1);
    expect(view.sections[0]?.variants.map((v) => v.name)).toEqual(["roundrobin", "leastconn"]);
  });

  it("keeps a scenario's description as text: it cannot close the JSON script element", async () => {
    const description = "</script><script>alert(1)</script>";
    const toolkit = fakeToolkit({ scenario: sampleScenario({ description }) });
    expect(await cli(["run", "demo.yaml", "--report", "r.html", "-q"], toolkit)).toBe(1);
    const { html, view } = readReport("r.html");
    expect(view.sections[0]?.description).toBe(description);
    expect(html.split("<script").length - 1).toBe(2);
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("after Ctrl-C, writes what finished and says the report is partial", async () => {
    const toolkit = fakeToolkit({
      body: (_job, control) => {
        sandbox.io.interrupt();
        return Promise.resolve({
          results: sampleResults(),
          stopped: Atomics.load(control.stop, 0) === 1,
          reachedMs: 12_000,
          traceRows: 0,
        });
      },
    });
    expect(await cli(["run", "demo.yaml", "--report", "r.html", "-q"], toolkit)).toBe(130);
    const { html, view } = readReport("r.html");
    expect(view.partial).toBe(true);
    expect(html).toContain("Partial report.");
  });

  it("writes nothing when a second Ctrl-C abandons the run", async () => {
    const toolkit = fakeToolkit({ body: () => Promise.reject(new AbortedError()) });
    expect(await cli(["run", "demo.yaml", "--report", "r.html", "-q"], toolkit)).toBe(130);
    expect(existsSync(join(sandbox.dir, "r.html"))).toBe(false);
  });

  it("refuses a report path it cannot write, before running: exit 2 with a message", async () => {
    const toolkit = fakeToolkit();
    expect(await cli(["run", "demo.yaml", "--report", "missing/r.html"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain('cannot write "missing/r.html"');
    expect(sandbox.io.stderr()).toContain("does not exist");
    expect((toolkit as ReturnType<typeof fakeToolkit>).jobs).toHaveLength(0);
  });

  it("refuses the report on the --json file, and - (stdout)", async () => {
    expect(await cli(["compare", "demo.yaml", "--json", "x.html", "--report", "x.html"])).toBe(2);
    expect(sandbox.io.stderr()).toContain('"x.html" is also the --json file');
    sandbox.freshIo();
    expect(await cli(["check", "demo.yaml", "--report", "-"])).toBe(2);
    expect(sandbox.io.stderr()).toContain("--report needs a file name (it cannot write to stdout)");
  });
});

describe("--svg and --png", () => {
  it("writes each chart of the report as an SVG file, named after its section and chart", async () => {
    expect(await cli(["run", "demo.yaml", "--svg", "charts"])).toBe(1);
    const files = readdirSync(join(sandbox.dir, "charts")).sort();
    expect(files.filter((f) => f.endsWith(".svg"))).toHaveLength(6);
    expect(files).toContain("1-failover-demo-latency-over-time.svg");
    const svg = readFileSync(join(sandbox.dir, "charts", "1-failover-demo-latency-over-time.svg"), "utf8");
    expect(svg).toMatch(/^<svg [^>]*width="960"[^>]*data-chart="latency-over-time"/);
    expect(sandbox.io.stderr()).toContain("lbsim: wrote 6 charts as SVG to charts\n");
  });

  it("writes PNG files into a folder that exists", async () => {
    sandbox.freshIo();
    expect(
      await cli(["compare", "demo.yaml", "--strategies", "roundrobin", "--png", "."], compareToolkit()),
    ).toBe(0);
    const pngs = readdirSync(sandbox.dir).filter((f) => f.endsWith(".png"));
    expect(pngs).toHaveLength(6);
    const png = readFileSync(join(sandbox.dir, pngs[0] ?? ""));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("refuses a folder that is a file, or whose parent is missing: exit 2", async () => {
    writeFileSync(join(sandbox.dir, "taken"), "");
    expect(await cli(["run", "demo.yaml", "--svg", "taken"])).toBe(2);
    expect(sandbox.io.stderr()).toContain('cannot write the charts to "taken": it is a file, not a folder');
    sandbox.freshIo();
    expect(await cli(["check", "demo.yaml", "--png", "no/such"])).toBe(2);
    expect(sandbox.io.stderr()).toContain('cannot write the charts to "no/such"');
  });
});

describe("end to end through main()", () => {
  it("compares a ready scenario and writes the same report twice, byte for byte", async () => {
    const scenario = join(findPackage().libraryDir, "tutorial.yaml");
    const report = (name: string) => join(sandbox.dir, name);
    const args = ["compare", scenario, "--strategies", "roundrobin,leastconn", "--deterministic", "-q"];
    expect((await runMain([...args, "--report", report("a.html"), "--svg", report("svg")])).code).toBe(0);
    expect((await runMain([...args, "--report", report("b.html")])).code).toBe(0);
    const { view } = readReport("a.html");
    expect(view.sections[0]?.variants.map((v) => v.name)).toEqual(["roundrobin", "leastconn"]);
    expect(readFileSync(report("a.html"), "utf8")).toBe(readFileSync(report("b.html"), "utf8"));
    expect(readdirSync(report("svg"))).toContain("1-tutorial-latency-over-time.svg");
  });
});
