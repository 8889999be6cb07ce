// The classroom page in chromium, served by its own server: demos flow, a crash goes DOWN when
// `lbsim run` of the export says, undo, export → same counts, import errors, hostile text as text.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { describeWithBrowser } from "../../test/browser.js";
import { failoverWithoutEvents, lbsimRun, servedPage, sourceOf } from "../classroom-test-support.js";
import { countsOf, lastExport, runToEnd, stateOf } from "./page-drive-test-support.js";

async function nowMs(page: Page): Promise<number> {
  return Number(await page.locator("#clock").getAttribute("data-now-ms"));
}

/** Presses a button and waits for a frame past `before` (the worker answers each command with one). */
async function stepTo(page: Page, click: () => Promise<void>): Promise<number> {
  const before = await nowMs(page);
  await click();
  await page.waitForFunction((b) => Number(document.getElementById("clock")?.dataset.nowMs) > b, before);
  return nowMs(page);
}

async function setNumber(page: Page, id: string, value: number): Promise<void> {
  await page.locator(`#${id}`).fill(String(value));
  await page.locator(`#${id}`).dispatchEvent("change");
}

async function pause(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById("clock")?.dataset.nowMs !== undefined);
  if ((await page.locator("#play").textContent()) === "Pause") await page.locator("#play").click();
  await expect.poll(() => page.locator("#play").textContent()).toBe("Play");
}

describe("the classroom page", () => {
  const demos = servedPage(() => null);

  describeWithBrowser("demos", (browser) => {
    it("plays the tutorial at once and shows traffic on every server, with no console error and no request off the page", async () => {
      const { page, consoleErrors, requests } = await browser.openPage(`${demos.url()}#demo=tutorial`, {
        sameOrigin: true,
      });
      await page.locator("#speed").selectOption("25");
      await page.waitForFunction(() => Number(document.getElementById("clock")?.dataset.nowMs) > 8000);
      const counts = await countsOf(page);
      expect(Object.keys(counts)).toEqual(["ha-proxy1", "ha-proxy2"]);
      for (const n of Object.values(counts)) expect(n).toBeGreaterThan(0);
      expect(await page.locator("#caption").textContent()).toContain("alternate");
      expect(await page.locator("#question").textContent()).toMatch(/^Ask the class: /);
      // Its icon is inline, so a browser asks the server for no /favicon.ico (a 404 in the console).
      expect(await page.$eval('link[rel="icon"]', (link) => link.getAttribute("href"))).toBe("data:,");
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    });
  });
});

describe("the classroom page on a scenario without its timeline", () => {
  const served = servedPage(() => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-src-"));
    return sourceOf(failoverWithoutEvents(dir));
  });

  describeWithBrowser("controls", (browser) => {
    it("undo takes back a pending action before it takes effect, redo puts it back", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), { sameOrigin: true });
      await pause(page);
      await page.locator("#server").selectOption({ label: "2  web02" });
      await page.locator('button[data-control="crash"]').click();
      await expect.poll(() => page.locator("#pending li").allTextContents()).toEqual(["crash web02"]);
      await page.keyboard.press("u");
      await expect.poll(() => page.locator("#pending li").count()).toBe(0);
      await page.keyboard.press("Shift+U");
      await expect.poll(() => page.locator("#pending li").allTextContents()).toEqual(["crash web02"]);
      await page.locator("#undo").click();
      await expect.poll(() => page.locator("#pending li").count()).toBe(0);
      // Undone, it never happens: web02 stays UP past the time checks would have failed.
      await setNumber(page, "stepMs", 5000);
      await stepTo(page, () => page.locator("#step").click());
      expect(await page.locator("#applied li").count()).toBe(0);
      expect(await stateOf(page, "web02")).toBe("UP");
      // A crash that took effect is in Done; Restart replays the scenario from 0 s without it.
      await page.keyboard.press("c");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator("#applied li").count()).toBe(1);
      await page.locator("#restart").click();
      await expect.poll(() => nowMs(page)).toBeLessThan(5000);
      expect(await page.locator("#applied li").count()).toBe(0);
      expect(consoleErrors).toEqual([]);
    });

    it("a crash goes DOWN and a restore UP when lbsim run of the export says; the export replays the same counts", async () => {
      const { page, consoleErrors, requests } = await browser.openPage(served.url(), { sameOrigin: true });
      await pause(page);
      await setNumber(page, "stepMs", 1000);
      while ((await nowMs(page)) < 3000) await stepTo(page, () => page.locator("#step").click());
      await page.locator("#server").selectOption({ label: "2  web02" });
      await page.keyboard.press("c");
      const beforeCrashMs = await nowMs(page);
      await setNumber(page, "stepMs", 50);
      // Step in 50 ms until DOWN: the page shows it in the step where lbsim run has it.
      let pageDownMs = 0;
      for (let i = 0; i < 100 && pageDownMs === 0; i++) {
        const at = await stepTo(page, () => page.locator("#step").click());
        if ((await stateOf(page, "web02")) === "DOWN") pageDownMs = at;
      }
      expect(pageDownMs).toBeGreaterThan(0);
      // Once DOWN, its traffic moves to the others: in the next second web02 gets nothing new.
      const atDown = await countsOf(page);
      await setNumber(page, "stepMs", 1000);
      await stepTo(page, () => page.locator("#step").click());
      const secondLater = await countsOf(page);
      expect(secondLater.web02).toBe(atDown.web02);
      expect((secondLater.web01 ?? 0) - (atDown.web01 ?? 0)).toBeGreaterThan(15);
      expect((secondLater.web03 ?? 0) - (atDown.web03 ?? 0)).toBeGreaterThan(15);
      await setNumber(page, "stepMs", 50);
      await page.locator('button[data-control="restore"]').click();
      // With the restore: redispatch off (failover.yaml has it on) and leastconn from now on.
      await page.locator('button[data-control="redispatch"]').click();
      await page.locator("#strategy").selectOption("leastconn");
      await page.locator('button[data-control="strategy"]').click();
      const beforeRestoreMs = await nowMs(page);
      let pageUpMs = 0;
      for (let i = 0; i < 100 && pageUpMs === 0; i++) {
        const at = await stepTo(page, () => page.locator("#step").click());
        if ((await stateOf(page, "web02")) === "UP") pageUpMs = at;
      }
      expect(pageUpMs).toBeGreaterThan(0);
      // Play to the end, fast, then export.
      await runToEnd(page, true);
      const pageCounts = await countsOf(page);
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export").click()]);
      expect(download.suggestedFilename()).toBe("failover-classroom.yaml");
      const downloadedFile = await download.path();
      const exported = await lastExport(page);
      expect(readFileSync(downloadedFile, "utf8")).toBe(exported);
      // Each action took effect at the simulated time it was applied, the time the export writes.
      const crashAtMs = beforeCrashMs;
      const restoreAtMs = beforeRestoreMs;
      expect(exported).toContain(`{ at: ${crashAtMs}ms, crash: web02 }`);
      expect(exported).toContain(`{ at: ${restoreAtMs}ms, redispatch: false, backend: web_servers }`);
      expect(exported).toContain(`{ at: ${restoreAtMs}ms, balance: leastconn, backend: web_servers }`);
      expect(exported).toContain(`{ at: ${restoreAtMs}ms, restore: web02 }`);
      const exportFile = join(served.dir(), "exported.yaml");
      writeFileSync(exportFile, exported);
      const run = lbsimRun(exportFile);
      expect(pageCounts).toEqual(run.requests);
      const states = run.states.web02 ?? [];
      const runDownMs = states.find((s) => s.state === "DOWN" && s.atMs > crashAtMs)?.atMs ?? Number.NaN;
      const runUpMs = states.find((s) => s.state === "UP" && s.atMs > restoreAtMs)?.atMs ?? Number.NaN;
      // fall 3, inter 1s: DOWN 2 to 3 s after the crash; rise 2: UP 1 to 2 s after the restore.
      expect(runDownMs - crashAtMs).toBeGreaterThan(2000);
      expect(runDownMs - crashAtMs).toBeLessThanOrEqual(3000);
      expect(runUpMs - restoreAtMs).toBeGreaterThan(1000);
      expect(runUpMs - restoreAtMs).toBeLessThanOrEqual(2000);
      // The page saw each change in the 50 ms step that holds lbsim run's time.
      expect(pageDownMs).toBeGreaterThanOrEqual(runDownMs);
      expect(pageDownMs).toBeLessThan(runDownMs + 50);
      expect(pageUpMs).toBeGreaterThanOrEqual(runUpMs);
      expect(pageUpMs).toBeLessThan(runUpMs + 50);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    });

    it("shows a malformed import's error with its line and column, and hostile text as text", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), { sameOrigin: true });
      await page.locator("#import").setInputFiles({
        name: "bad.yaml",
        mimeType: "application/yaml",
        buffer: Buffer.from("name: bad\nduration: 3q\n"),
      });
      await expect
        .poll(() => page.locator("#problems-list li").allTextContents())
        .toContain(
          'bad.yaml:2:11: duration: found "3q", expected a duration such as 250ms, 5s, 2m, 1h, 500us, 1d or a bare number of milliseconds (hint: the units are us, ms, s, m, h, d)',
        );
      const hostile = "<img src=x onerror=alert(1)>";
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.locator("#import").setInputFiles({
        name: "hostile.yaml",
        mimeType: "application/yaml",
        buffer: Buffer.from(
          `name: "${hostile}"\nduration: 5s\nbackend:\n  service: { exponential: 5ms }\n  servers:\n    - { name: "${hostile}" }\nclients:\n  - { name: c, arrivals: { poisson: 10/s } }\n`,
        ),
      });
      await expect.poll(() => page.locator("#problems-list").textContent()).toContain(hostile);
      expect(await page.locator("img").count()).toBe(0);
      await page.locator("#import").setInputFiles({
        name: "hostile-name.yaml",
        mimeType: "application/yaml",
        buffer: Buffer.from(
          `name: "${hostile}"\nduration: 5s\nbackend:\n  service: { exponential: 5ms }\n  servers:\n    - { name: web01 }\nclients:\n  - { name: c, arrivals: { poisson: 10/s } }\n`,
        ),
      });
      await expect.poll(() => page.locator("#title").textContent()).toContain(hostile);
      expect(await page.locator("img").count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  });
});
