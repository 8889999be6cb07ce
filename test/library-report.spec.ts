// The ready scenarios in one report: `lbsim check scenarios/library --report` opened in chromium draws
// every chart of every scenario (each backend's too), with no console error and no request.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findPackage } from "../cli/main.js";
import { runMain } from "../cli/test-support.js";
import { describeWithBrowser } from "./browser.js";

const library = findPackage().libraryDir;
const scenarioFiles = readdirSync(library).filter((name) => /\.(ya?ml|json)$/.test(name));
const dir = mkdtempSync(join(tmpdir(), "lbsim-library-report-"));
const report = join(dir, "library.html");

beforeAll(async () => {
  const checked = await runMain(["check", library, "--report", report, "-q"]);
  expect(checked.code, checked.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithBrowser("the report of every ready scenario", (browser) => {
  it("draws each scenario's three charts, each backend's three and the balancer instances' one, with no console error and no request", async () => {
    // What the page should draw, from the view it carries: a section per scenario, its backends.
    const html = readFileSync(report, "utf8");
    const json = /<script type="application\/json" id="view">([\s\S]*?)<\/script>/.exec(html)?.[1];
    const view = JSON.parse(json ?? "null") as {
      sections: Array<{ scenario: string; backends: unknown[]; instances?: unknown }>;
    };
    expect(view.sections).toHaveLength(scenarioFiles.length);
    // …and the instances' chart of a scenario with several balancer instances (scale-out).
    const expected = view.sections.reduce(
      (n, s) => n + 3 + 3 * s.backends.length + (s.instances === undefined ? 0 : 1),
      0,
    );
    expect(view.sections.filter((s) => s.instances !== undefined).map((s) => s.scenario)).toEqual([
      "scale-out",
    ]);
    // content-routing alone has four backends: the count is not 6 per scenario.
    expect(expected).toBeGreaterThan(6 * scenarioFiles.length);

    const { page, consoleErrors, requests } = await browser.openPage(report);
    const charts = await page.$$eval("div.chart[data-chart-id]", (divs) =>
      divs.map((d) => d.getAttribute("data-chart") === d.querySelector("svg")?.getAttribute("data-chart")),
    );
    expect(charts).toHaveLength(expected);
    expect(charts.every(Boolean)).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
