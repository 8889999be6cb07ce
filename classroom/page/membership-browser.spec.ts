// Add server and Remove server in chromium: the added server appears in the drawing and takes
// traffic, the removed one leaves it, and the export replays the page's counts with `lbsim run`.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { describeWithBrowser } from "../../test/browser.js";
import { failoverWithoutEvents, lbsimRun, servedPage, sourceOf } from "../classroom-test-support.js";
import { COMING } from "./controls.js";
import { countsOf, lastExport, runToEnd, stateOf } from "./page-drive-test-support.js";

/** failover.yaml (3 servers, roundrobin, 50/s) without its timeline, and web04 declared `added: false`. */
function withSpare(): string {
  const dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-membership-"));
  const quiet = failoverWithoutEvents(dir);
  const text = sourceOf(quiet).text.replace(
    "    - { name: web03, slots: 8 }\n",
    "    - { name: web03, slots: 8 }\n    - { name: web04, slots: 8, added: false }\n",
  );
  writeFileSync(quiet, text);
  return quiet;
}

const nowMs = async (page: Page) => Number(await page.locator("#clock").getAttribute("data-now-ms"));

async function stepBy(page: Page, ms: number): Promise<void> {
  await page.locator("#stepMs").fill(String(ms));
  await page.locator("#stepMs").dispatchEvent("change");
  const before = await nowMs(page);
  await page.locator("#step").click();
  await page.waitForFunction((b) => Number(document.getElementById("clock")?.dataset.nowMs) > b, before);
}

/** The server cards drawn now (not those fading out), by name. */
const drawn = (page: Page) =>
  page
    .locator(".lbsim-topology g.servers > g[data-key]")
    .evaluateAll((gs) => gs.map((g) => g.getAttribute("data-key")));

describe("the classroom page's Add server and Remove server", () => {
  const served = servedPage(() => sourceOf(withSpare()));

  describeWithBrowser("add and remove", (browser) => {
    it("adds web04 (drawn, takes traffic), removes web02 (gone once idle), and exports what lbsim run replays", async () => {
      const { page, consoleErrors, requests } = await browser.openPage(served.url(), { sameOrigin: true });
      await page.waitForFunction(() => document.getElementById("clock")?.dataset.nowMs !== undefined);
      if ((await page.locator("#play").textContent()) === "Pause") await page.locator("#play").click();
      for (const id of ["add", "remove"]) {
        const button = page.locator(`button[data-control="${id}"]`);
        expect(await button.isDisabled(), id).toBe(false);
        expect(await button.getAttribute("title"), id).not.toBe(COMING);
      }
      await stepBy(page, 2000);
      // web04 is declared but not in the backend: listed with no request, not drawn.
      expect(await stateOf(page, "web04")).toBe("ABSENT");
      await expect.poll(() => drawn(page)).toEqual(["web01", "web02", "web03"]);

      await page.keyboard.press("n");
      await expect
        .poll(() => page.locator("#pending li").allTextContents())
        .toEqual(["add a server (web01 if absent)"]);
      await page.keyboard.press("Enter");
      await expect
        .poll(() => page.locator("#applied li").allTextContents())
        .toEqual([expect.stringContaining("add server web_servers/web04 + ready")]);
      await stepBy(page, 2000);
      expect(await stateOf(page, "web04")).toBe("UP");
      await expect.poll(() => drawn(page)).toEqual(["web01", "web02", "web03", "web04"]);
      // Roundrobin over four: a quarter of the 100 requests of those 2 s, give or take the re-integration.
      expect((await countsOf(page)).web04).toBeGreaterThan(15);

      await page.locator("#server").selectOption({ label: "2  web02" });
      await page.locator('button[data-control="remove"]').click();
      await page.keyboard.press("Enter");
      await stepBy(page, 1000);
      // MAINT at once, then `del server` as soon as it is idle (its requests last ~5 ms).
      await expect
        .poll(() => page.locator("#applied li").allTextContents())
        .toEqual([
          expect.stringContaining("add server web_servers/web04 + ready"),
          expect.stringContaining("remove web02"),
          expect.stringContaining("del server web_servers/web02"),
        ]);
      expect(await stateOf(page, "web02")).toBe("ABSENT");
      await expect.poll(() => drawn(page)).toEqual(["web01", "web03", "web04"]);
      const atRemoval = (await countsOf(page)).web02;
      await stepBy(page, 1000);
      expect((await countsOf(page)).web02).toBe(atRemoval);

      await runToEnd(page, true);
      const pageCounts = await countsOf(page);
      await Promise.all([page.waitForEvent("download"), page.locator("#export").click()]);
      const exported = await lastExport(page);
      expect(exported).toMatch(/runtime: add server web_servers\/web04 \}/);
      expect(exported).toMatch(/runtime: set server web_servers\/web04 state ready \}/);
      expect(exported).toMatch(/runtime: del server web_servers\/web02 \}/);
      const file = join(served.dir(), "exported.yaml");
      writeFileSync(file, exported);
      expect(lbsimRun(file).requests).toEqual(pageCounts);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    });
  });
});

describe("the classroom page's Add server on a scenario that declares no server to add", () => {
  const served = servedPage(() =>
    sourceOf(failoverWithoutEvents(mkdtempSync(join(tmpdir(), "lbsim-classroom-spare-")))),
  );

  describeWithBrowser("add a spare", (browser) => {
    it("adds web04, a copy of web03, goes on with the same run, and the export declares it for lbsim run", async () => {
      const { page, consoleErrors, requests } = await browser.openPage(served.url(), { sameOrigin: true });
      await page.waitForFunction(() => document.getElementById("clock")?.dataset.nowMs !== undefined);
      if ((await page.locator("#play").textContent()) === "Pause") await page.locator("#play").click();
      await stepBy(page, 3000);
      const before = await countsOf(page);
      const beforeMs = await nowMs(page);
      await page.locator('button[data-control="add"]').click();
      await page.keyboard.press("Enter");
      await expect.poll(() => drawn(page)).toEqual(["web01", "web02", "web03", "web04"]);
      expect(await page.locator("#note").textContent()).toContain("web04 is a copy of web03");
      expect(await page.locator("#problems").isHidden()).toBe(true);
      // The run went on where it was: same time, same counts so far.
      expect(await nowMs(page)).toBeGreaterThanOrEqual(beforeMs);
      const after = await countsOf(page);
      for (const name of ["web01", "web02", "web03"]) expect(after[name]).toBe(before[name]);
      await stepBy(page, 2000);
      expect((await countsOf(page)).web04).toBeGreaterThan(15);
      await runToEnd(page, true);
      const pageCounts = await countsOf(page);
      await Promise.all([page.waitForEvent("download"), page.locator("#export").click()]);
      const exported = await lastExport(page);
      expect(exported).toContain("{ name: web04, slots: 8, added: false }");
      const file = join(served.dir(), "exported-spare.yaml");
      writeFileSync(file, exported);
      expect(lbsimRun(file).requests).toEqual(pageCounts);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    });
  });
});
