// Spec of the report page in a real browser: charts drawn by the inlined script, tooltips, large type, resizing, safety.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeWithBrowser, pageUrl } from "../test/browser.js";
import { chartSlots } from "./charts/index.js";
import { tooltipAt } from "./client/tooltip-text.js";
import { reportHtml } from "./report-html.js";
import { HOSTILE, sampleSection, sampleView } from "./view-test-support.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-page-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const description = "</script><script>alert(1)</script>";
const view = sampleView([
  { ...sampleSection({ backends: ["web", HOSTILE], instances: true }), description },
  sampleSection({ id: "s1", scenario: "second" }),
]);
const file = join(dir, "report.html");
writeFileSync(file, reportHtml(view));

describeWithBrowser("the report page", (browser) => {
  it("draws every chart into its container, with no console error and no request", async () => {
    const { page, consoleErrors, requests } = await browser.openPage(file);
    const drawn = await page.$$eval("div.chart[data-chart-id]", (divs) =>
      divs.map((d) => [d.getAttribute("data-chart"), d.querySelector("svg")?.getAttribute("data-chart")]),
    );
    const slots = chartSlots(view);
    expect(drawn).toEqual(slots.map((s) => [s.chart, s.chart]));
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("draws at the container's width, and again when the window is resized", async () => {
    const { page } = await browser.openPage(file, { width: 1280, height: 720 });
    const width = () =>
      page.$eval('div.chart[data-chart="latency-over-time"]', (d) => [
        Math.floor(d.clientWidth),
        Number(d.querySelector("svg")?.getAttribute("width")),
      ]);
    const [wide, drawnWide] = await width();
    expect(drawnWide).toBe(wide);
    await page.setViewportSize({ width: 400, height: 800 });
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('div.chart[data-chart="latency-over-time"] svg')?.getAttribute("width"),
        ) < 400,
    );
    const [narrow, drawnNarrow] = await width();
    expect(drawnNarrow).toBe(Math.max(320, narrow ?? 0));
  });

  it("shows the bucket's exact values in a tooltip and a crosshair over a time chart", async () => {
    const { page } = await browser.openPage(file);
    const chart = page.locator('div.chart[data-chart="latency-over-time"]').first();
    await chart.scrollIntoViewIfNeeded();
    const at = await chart.evaluate((div) => {
      const svg = div.querySelector("svg") as SVGSVGElement;
      const plot = svg.querySelector("g.plot") as Element;
      const [x0, x1] = (plot.getAttribute("data-x-range") ?? "").split(" ").map(Number);
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      return {
        x: box.left + ((x0 ?? 0) + ((x1 ?? 0) - (x0 ?? 0)) * 0.3) * scale,
        y: box.top + box.height / 2,
      };
    });
    await page.mouse.move(at.x, at.y);
    const tip = chart.locator(".tooltip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    // 30% across a 2 s run: 600 ms, the second bucket.
    const expected = tooltipAt({ chart: "latency-over-time", section: 0 }, view, 600)?.lines.join("\n");
    expect(await tip.textContent()).toBe(expected);
    expect(await chart.locator("line.crosshair").getAttribute("visibility")).toBe("visible");
    await page.mouse.move(1, 1);
    await expect.poll(() => tip.isVisible()).toBe(false);
  });

  it("large type: the button and #large redraw the charts with 20 px text", async () => {
    const { page } = await browser.openPage(file);
    const fontSize = () => page.$eval("div.chart svg", (svg) => svg.getAttribute("font-size"));
    expect(await fontSize()).toBe("12");
    await page.click("#large-type");
    expect(await fontSize()).toBe("20");
    expect(await page.$eval("html", (h) => h.classList.contains("large"))).toBe(true);
    expect(new URL(page.url()).hash).toBe("#large");
    await page.click("#large-type");
    expect(await fontSize()).toBe("12");

    const second = await browser.openPage(`${pageUrl(file)}#large`);
    expect(await second.page.$eval("div.chart svg", (svg) => svg.getAttribute("font-size"))).toBe("20");
    expect(await second.page.$eval("#large-type", (b) => b.getAttribute("aria-pressed"))).toBe("true");
  });

  it("shows hostile names and descriptions as text and runs none of them", async () => {
    const { page, consoleErrors } = await browser.openPage(file);
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    expect(await page.$eval(".description", (d) => d.textContent)).toBe(description);
    expect(await page.$$eval("img", (imgs) => imgs.length)).toBe(0);
    const titles = await page.$$eval(".backend-title", (h) => h.map((e) => e.textContent));
    expect(titles).toContain(`Backend ${HOSTILE}`);
    expect(dialogs).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
