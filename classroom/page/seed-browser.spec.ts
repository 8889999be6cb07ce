// The seed field in chromium: a seed typed in restarts the run with it, the page then counts what `lbsim run --seed N` counts, and the export carries that seed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeWithBrowser } from "../../test/browser.js";
import { lbsimRun, servedPage, sourceOf } from "../classroom-test-support.js";
import { countsOf, lastExport, runToEnd } from "./page-drive-test-support.js";

/** Random arrivals and service times, so that another seed gives other per-server counts. */
function randomScenario(dir: string): string {
  const file = join(dir, "seeded.yaml");
  writeFileSync(
    file,
    `name: seeded
seed: 1
duration: 8s
warmup: 1s
backend:
  name: web
  balance: leastconn
  check: { type: http, inter: 1s, rise: 2, fall: 3 }
  service: { lognormal: { median: 20ms, sigma: 0.8 } }
  servers:
    - { name: web01 }
    - { name: web02 }
    - { name: web03 }
clients:
  - { name: browsers, arrivals: { poisson: 150/s } }
`,
  );
  return file;
}

describe("the classroom page's seed field", () => {
  let file = "";
  const served = servedPage(() => {
    file = randomScenario(mkdtempSync(join(tmpdir(), "lbsim-classroom-seed-")));
    return sourceOf(file);
  });

  describeWithBrowser("seed", (browser) => {
    it("restarts the run with the seed typed in: the counts of lbsim run --seed 7, and the export says seed 7", async () => {
      const { page, consoleErrors, requests } = await browser.openPage(served.url(), { sameOrigin: true });
      await expect.poll(() => page.locator("#seed").inputValue()).toBe("1");
      await page.locator("#seed").fill("7");
      await page.locator("#seed").dispatchEvent("change");
      await expect.poll(() => page.locator("#title").textContent()).toContain("seed 7");
      await runToEnd(page);
      const pageCounts = await countsOf(page);
      expect(await page.locator("#seed").inputValue()).toBe("7");
      const withSeven = lbsimRun(file, ["--seed", "7"]).requests;
      expect(pageCounts).toEqual(withSeven);
      // The seed matters here: the scenario's own seed counts otherwise.
      expect(lbsimRun(file).requests).not.toEqual(withSeven);
      await page.locator("#export").click();
      const exported = await lastExport(page);
      expect(exported).toMatch(/^seed: 7$/m);
      const exportFile = join(served.dir(), "exported.yaml");
      writeFileSync(exportFile, exported);
      expect(lbsimRun(exportFile).requests).toEqual(pageCounts);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    });

    it("marks a seed the CLI would refuse and keeps the run going with its seed", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), { sameOrigin: true });
      await expect.poll(() => page.locator("#seed").inputValue()).toBe("1");
      await page.waitForFunction(() => Number(document.getElementById("clock")?.dataset.nowMs) > 500);
      await page.locator("#seed").fill("1.5");
      await page.locator("#seed").dispatchEvent("change");
      expect(await page.locator("#seed").getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#seed").getAttribute("title")).toContain("whole number");
      // Not restarted: the clock ran on, the title still names seed 1.
      expect(Number(await page.locator("#clock").getAttribute("data-now-ms"))).toBeGreaterThan(500);
      expect(await page.locator("#title").textContent()).toContain("seed 1");
      expect(consoleErrors).toEqual([]);
    });
  });
});
