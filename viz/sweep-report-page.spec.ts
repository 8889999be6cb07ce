// Spec of the sweep report in a real browser (chromium): charts present, points drawn at their values' ticks, the tooltip's text, no error, no request.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeWithBrowser } from "../test/browser.js";
import { sweepReportHtml } from "./sweep-html.js";
import { sampleSweep } from "./sweep-test-support.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-sweep-page-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, "sweep.html");
writeFileSync(file, sweepReportHtml(sampleSweep(), [7]));

describeWithBrowser("the sweep report page", (browser) => {
  it("shows a chart per metric with a line per strategy, with no console error and no request", async () => {
    const { page, consoleErrors, requests } = await browser.openPage(file);
    const charts = await page.$$eval("div.sweep-chart", (divs) =>
      divs.map((d) => ({
        metric: d.querySelector("svg")?.getAttribute("data-metric"),
        series: Array.from(d.querySelectorAll("path.series")).map((p) => p.getAttribute("data-series")),
        width: d.querySelector("svg")?.getBoundingClientRect().width ?? 0,
      })),
    );
    expect(charts.map((c) => c.metric)).toEqual(["p99Ms", "errorRate"]);
    for (const c of charts) {
      expect(c.series).toEqual(["roundrobin", "leastconn"]);
      expect(c.width).toBeGreaterThan(600);
    }
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("draws each point at the height of its value on the y axis", async () => {
    const { page } = await browser.openPage(file);
    // roundrobin's p99 is 20 ms at 100/s and 30 ms at 200/s: on the axis's "20" and "30" ticks.
    const at = await page.$eval('div.sweep-chart[data-metric="p99Ms"] svg', (svg) => {
      const middle = (el: Element) => {
        const r = el.getBoundingClientRect();
        return r.top + r.height / 2;
      };
      const tick = (label: string) => {
        const t = Array.from(svg.querySelectorAll("g.axis-y text")).find((e) => e.textContent === label);
        return t === undefined ? Number.NaN : middle(t);
      };
      const point = (x: string) => {
        const c = svg.querySelector(`circle.point[data-series="roundrobin"][data-x="${x}"]`);
        return c === null ? Number.NaN : middle(c);
      };
      return { tick20: tick("20"), tick30: tick("30"), p100: point("100/s"), p200: point("200/s") };
    });
    expect(Math.abs(at.p100 - at.tick20)).toBeLessThan(2);
    expect(Math.abs(at.p200 - at.tick30)).toBeLessThan(2);
    expect(at.p200).toBeLessThan(at.p100);
  });

  it("shows a point's exact mean ± half-width, interval and n in a tooltip on hover", async () => {
    const { page } = await browser.openPage(file);
    const chart = page.locator('div.sweep-chart[data-metric="p99Ms"]');
    await chart.scrollIntoViewIfNeeded();
    // leastconn at 200/s: the second strategy of the second row (31 ms, 29–33).
    const hit = chart.locator("circle.hit").nth(3);
    expect(await hit.getAttribute("data-tip")).toContain("leastconn");
    // Its <title> moved to data-tip: the browser's own tooltip does not show over the box.
    expect(await chart.locator("circle.hit title").count()).toBe(0);
    await hit.hover({ force: true });
    const tip = chart.locator("div.tooltip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe(
      "leastconn · clients.load.arrivals.poisson = 200/s\np99 latency: 31 ms ± 2 ms (95%: 29 ms to 33 ms), n = 3",
    );
    await page.mouse.move(1, 1);
    await expect.poll(() => tip.isVisible()).toBe(false);
    // A tap (a touch screen moves no pointer before it) shows it too.
    await hit.dispatchEvent("pointerdown", { bubbles: true });
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain("p99 latency: 31 ms ± 2 ms");
  });
});
