// The reports lbsim writes for the failover scenario (a run, a comparison, a check with replications), opened in chromium.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findPackage } from "../cli/main.js";
import { runMain } from "../cli/test-support.js";
import type { Results } from "../sim/index.js";
import { describeWithBrowser } from "../test/browser.js";

const scenario = join(findPackage().libraryDir, "failover.yaml");
const dir = mkdtempSync(join(tmpdir(), "lbsim-reports-"));
const at = (name: string) => join(dir, name);
let results: Results;

beforeAll(async () => {
  const quiet = ["--deterministic", "-q"];
  const run = await runMain([
    "run",
    scenario,
    "--json",
    at("run.json"),
    "--report",
    at("run.html"),
    ...quiet,
  ]);
  expect(run.code).toBe(0);
  const compare = [
    "compare",
    scenario,
    "--strategies",
    "roundrobin,leastconn",
    "--report",
    at("compare.html"),
  ];
  expect((await runMain([...compare, ...quiet])).code).toBe(0);
  const check = ["check", scenario, "--replications", "3", "--report", at("check.html"), "-q"];
  expect((await runMain(check)).code).toBe(0);
  results = JSON.parse(readFileSync(at("run.json"), "utf8")) as Results;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each drawn series of the first latency chart: its name, points, and whether a band goes with it. */
function latencySeries(page: Page) {
  return page.$$eval('div.chart[data-chart="latency-over-time"] svg path.series', (paths) =>
    paths.map((p) => [p.getAttribute("data-series"), Number(p.getAttribute("data-points"))] as const),
  );
}

describeWithBrowser("the reports of the failover scenario", (browser) => {
  it.each(["run", "compare", "check"])(
    "%s: every chart drawn, no console error, no request",
    async (kind) => {
      const { page, consoleErrors, requests } = await browser.openPage(at(`${kind}.html`));
      const charts = await page.$$eval("div.chart[data-chart-id]", (divs) =>
        divs.map((d) => d.getAttribute("data-chart") === d.querySelector("svg")?.getAttribute("data-chart")),
      );
      expect(charts).toHaveLength(6);
      expect(charts.every(Boolean)).toBe(true);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    },
  );

  it("run: p50, p90 and p99 with a point per bucket", async () => {
    const { page } = await browser.openPage(at("run.html"));
    const buckets = results.series.atMs.length;
    expect(await latencySeries(page)).toEqual([
      ["roundrobin|p50", buckets],
      ["roundrobin|p90", buckets],
      ["roundrobin|p99", buckets],
    ]);
  });

  it("compare: one set of lines per strategy", async () => {
    const { page } = await browser.openPage(at("compare.html"));
    const names = (await latencySeries(page)).map(([name]) => name).sort();
    expect(names).toEqual(["p50", "p90", "p99"].flatMap((p) => [`roundrobin|${p}`, `leastconn|${p}`]).sort());
  });

  it("run: the markers sit at the times of the timeline's actions, on every time chart", async () => {
    const { page } = await browser.openPage(at("run.html"));
    const actions = results.timeline.map((t) => t.atMs);
    expect(actions).toEqual([5000, 12_000]);
    // The errors chart of a run without errors says so instead of drawing a plot.
    for (const chart of ["latency-over-time", "server-load", "health"]) {
      const markers = await page.$$eval(`div.chart[data-chart="${chart}"] svg g.marker`, (groups) =>
        groups.map((g) => {
          // Against the plot it marks (the in-flight chart has a panel per server).
          const plot = g.closest("g.plot") ?? g.closest("svg")?.querySelector("g.plot[data-x-domain]");
          const [d0, d1] = (plot?.getAttribute("data-x-domain") ?? "").split(" ").map(Number);
          const [r0, r1] = (plot?.getAttribute("data-x-range") ?? "").split(" ").map(Number);
          const x = Number(g.querySelector("line")?.getAttribute("x1"));
          const ms = (d0 ?? 0) + ((x - (r0 ?? 0)) / ((r1 ?? 1) - (r0 ?? 0))) * ((d1 ?? 1) - (d0 ?? 0));
          return [Number(g.getAttribute("data-at-ms")), Math.round(ms)];
        }),
      );
      expect(new Set(markers.map(([atMs]) => atMs)), chart).toEqual(new Set(actions));
      // Each line drawn where its marker says (to the pixel or so: 20 s over at most 1200 px).
      for (const [atMs, drawnMs] of markers)
        expect(Math.abs((drawnMs ?? 0) - (atMs ?? 0)), chart).toBeLessThan(40);
    }
  });

  it("run: the swimlane shows web02 DOWN from the time the Results say", async () => {
    const { page } = await browser.openPage(at("run.html"));
    const down = results.servers.find((s) => s.name === "web02")?.states.find((s) => s.state === "DOWN");
    expect(down).toBeDefined();
    const spans = await page.$$eval('rect.state[data-server="web02"][data-state="DOWN"]', (rects) =>
      rects.map((r) => Number(r.getAttribute("data-from-ms"))),
    );
    expect(spans).toEqual([down?.atMs]);
  });

  it("check with replications: the mean lines with a 95% band", async () => {
    const { page } = await browser.openPage(at("check.html"));
    const bands = await page.$$eval('div.chart[data-chart="latency-over-time"] svg path.band', (paths) =>
      paths.map((p) => p.getAttribute("data-series")),
    );
    expect(bands).toContain("roundrobin|p99");
    expect(await page.$eval("dl.meta", (dl) => dl.textContent)).toContain("Replications3");
  });
});
