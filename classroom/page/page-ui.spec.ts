// The classroom page's keyboard, help overlay, every control enabled, presenter mode at
// 1280×720, and frame times with 10 servers at 500 requests/s at ×1 and ×100.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { describeWithBrowser } from "../../test/browser.js";
import { servedPage, sourceOf } from "../classroom-test-support.js";
import { COMING, CONTROLS } from "./controls.js";

/** Ten servers behind leastconn, 500 requests/s: the smoothness case. */
function tenServers(): string {
  const dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-ui-"));
  const file = join(dir, "ten.yaml");
  const servers = Array.from(
    { length: 10 },
    (_, i) => `    - { name: web${String(i + 1).padStart(2, "0")}, slots: 4 }`,
  );
  writeFileSync(
    file,
    `name: ten-servers
seed: 3
duration: 120s
warmup: 1s
backend:
  name: web
  balance: leastconn
  check: { type: http, inter: 1s, rise: 2, fall: 3 }
  service: { lognormal: { median: 20ms, sigma: 0.5 } }
  servers:
${servers.join("\n")}
clients:
  - { name: browsers, arrivals: { poisson: 500/s } }
`,
  );
  return file;
}

async function loaded(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById("clock")?.dataset.nowMs !== undefined);
}

/** rAF intervals (ms) measured in the page over `ms` of wall time. */
async function frameTimes(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (duration) =>
      new Promise<number[]>((resolve) => {
        const times: number[] = [];
        let last = performance.now();
        const start = last;
        const frame = (now: number) => {
          times.push(now - last);
          last = now;
          if (now - start < duration) requestAnimationFrame(frame);
          else resolve(times);
        };
        requestAnimationFrame(frame);
      }),
    ms,
  );
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

describe("the classroom page's keys and looks", () => {
  const served = servedPage(() => sourceOf(tenServers()));

  describeWithBrowser("ui", (browser) => {
    it("does each control from its key, and lists every key in the help overlay", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), { sameOrigin: true });
      await loaded(page);
      await page.keyboard.press(" ");
      await expect.poll(() => page.locator("#play").textContent()).toBe("Play");
      await page.keyboard.press("2");
      expect(await page.locator("#server").inputValue()).toBe("1");
      await page.keyboard.press("d");
      await page.keyboard.press("w");
      await page.keyboard.press("c");
      await expect
        .poll(() => page.locator("#pending li").allTextContents())
        .toEqual(["set server web/web02 state drain", "set server web/web02 weight 50", "crash web02"]);
      await page.keyboard.press("Control+z");
      await expect.poll(() => page.locator("#pending li").count()).toBe(2);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator("#applied li").count()).toBe(2);
      expect(await page.locator("#pending li").count()).toBe(0);
      await page.keyboard.press("+");
      expect(await page.locator("#speed").inputValue()).toBe("2");
      await page.keyboard.press("?");
      await expect.poll(() => page.locator("#help").isVisible()).toBe(true);
      const help = (await page.locator("#help").textContent()) ?? "";
      for (const control of CONTROLS) expect(help).toContain(control.label);
      await page.keyboard.press("Escape");
      await expect.poll(() => page.locator("#help").isVisible()).toBe(false);
      expect(consoleErrors).toEqual([]);
    });

    it("enables every control that acts on the model (a control without one would be disabled, saying so)", async () => {
      const { page } = await browser.openPage(served.url(), { sameOrigin: true });
      await loaded(page);
      for (const control of CONTROLS) {
        const button = page.locator(`button[data-control="${control.id}"]`);
        expect(await button.isVisible(), control.id).toBe(true);
        const coming = control.build === undefined;
        expect(await button.isDisabled(), control.id).toBe(coming);
        expect((await button.getAttribute("title")) === COMING, control.id).toBe(coming);
      }
      for (const id of ["crash", "strategy", "redispatch"])
        expect(await page.locator(`button[data-control="${id}"]`).isDisabled(), id).toBe(false);
    });

    it("switches the strategy and toggles redispatch from the buttons and keys, the labels saying what runs", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), { sameOrigin: true });
      await loaded(page);
      await page.keyboard.press(" ");
      await expect.poll(() => page.locator("#play").textContent()).toBe("Play");
      const strategy = page.locator('button[data-control="strategy"]');
      const redispatch = page.locator('button[data-control="redispatch"]');
      // ten.yaml runs leastconn without option redispatch.
      expect(await strategy.getAttribute("data-status")).toBe("now leastconn");
      expect(await redispatch.getAttribute("data-status")).toBe("off");
      expect(await redispatch.textContent()).toBe("Redispatch: off [i]");
      await page.locator("#strategy").selectOption("random(2)");
      await strategy.click();
      await redispatch.click();
      await expect
        .poll(() => page.locator("#pending li").allTextContents())
        .toEqual(["web: balance random(2)", "web: option redispatch"]);
      // Pending changes count: the labels show what will run, and the key toggles back off.
      expect(await strategy.getAttribute("data-status")).toBe("now random(2)");
      expect(await redispatch.getAttribute("data-status")).toBe("on");
      await page.keyboard.press("i");
      await expect.poll(() => redispatch.getAttribute("data-status")).toBe("off");
      await page.keyboard.press("u");
      await expect.poll(() => redispatch.getAttribute("data-status")).toBe("on");
      await page.locator("#strategy").selectOption("first");
      await page.keyboard.press("g");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator("#applied li").count()).toBe(3);
      expect(await page.locator("#pending li").count()).toBe(0);
      // Applied, they stay: the labels read them from what took effect.
      await expect.poll(() => strategy.getAttribute("data-status")).toBe("now first");
      expect(await redispatch.getAttribute("data-status")).toBe("on");
      // `first` sends everything to web01 (no maxconn; 500/s is beyond its ~180/s, so it queues):
      // once the requests already on the others are done (0.5 s), only web01's count moves.
      const step = async (ms: number) => {
        await page.locator("#stepMs").fill(String(ms));
        await page.locator("#stepMs").dispatchEvent("change");
        const clock = Number(await page.locator("#clock").getAttribute("data-now-ms"));
        await page.locator("#step").click();
        await page.waitForFunction((c) => Number(document.getElementById("clock")?.dataset.nowMs) > c, clock);
        return page.evaluate(() =>
          Array.from(document.querySelectorAll("#counts tbody tr")).map((row) =>
            Number(row.querySelector("td.requests")?.textContent),
          ),
        );
      };
      const before = await step(500);
      const after = await step(3000);
      // (web01 finishes at most its ~180/s; the table counts finished requests by closed bucket.)
      expect((after[0] ?? 0) - (before[0] ?? 0)).toBeGreaterThan(100);
      expect(after.slice(1)).toEqual(before.slice(1));
      expect(consoleErrors).toEqual([]);
    });

    it("fits 1280×720 in presenter mode, in larger type", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), {
        sameOrigin: true,
        width: 1280,
        height: 720,
      });
      await loaded(page);
      const normalPx = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));
      await page.keyboard.press("f");
      await expect.poll(() => page.evaluate(() => document.body.classList.contains("presenter"))).toBe(true);
      const largePx = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));
      expect(largePx).toBeGreaterThanOrEqual(normalPx * 1.5);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      expect(await page.locator('button[data-control="crash"]').isVisible()).toBe(true);
      expect(consoleErrors).toEqual([]);
    });

    it("keeps drawing at the frame rate at ×1 and at ×100, the worker running ahead", async () => {
      const { page, consoleErrors } = await browser.openPage(served.url(), { sameOrigin: true });
      await loaded(page);
      const atOne = await frameTimes(page, 1500);
      const startMs = Number(await page.locator("#clock").getAttribute("data-now-ms"));
      await page.locator("#speed").selectOption("100");
      const atHundred = await frameTimes(page, 2000);
      const reachedMs = Number(await page.locator("#clock").getAttribute("data-now-ms"));
      const figures = (times: number[]) => ({
        frames: times.length,
        p50: quantile(times, 0.5),
        p95: quantile(times, 0.95),
        max: Math.max(...times),
      });
      console.log(
        `classroom page frame intervals (ms): ${JSON.stringify({ x1: figures(atOne), x100: figures(atHundred) })}`,
      );
      // Headless chromium on a shared 2-core machine: the median frame is the display's (~16.7 ms),
      // and none is held up by the simulation (it runs in the worker; the page would stall for
      // seconds at ×100 if it ran here). The charts redraw twice a second, the slow frames. The
      // median's bound allows one missed display frame in two: other jobs on the host (a loaded CI
      // runner) delay frames, and 33 ms was measured with four test runs beside this one.
      for (const times of [atOne, atHundred]) {
        expect(quantile(times, 0.5)).toBeLessThan(40);
        expect(quantile(times, 0.95)).toBeLessThan(150);
        expect(Math.max(...times)).toBeLessThan(1000);
      }
      // ×100 ran ahead: far more than 2 s of simulated time in 2 s.
      expect(reachedMs - startMs).toBeGreaterThan(20_000);
      expect(consoleErrors).toEqual([]);
    });
  });
});
