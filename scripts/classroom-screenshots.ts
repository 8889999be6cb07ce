// classroom-screenshots: docs/images/classroom-*.png, the classroom page in chromium at 1280×720
// on the failover demo, stepped to fixed simulated times (opened with #paused, so deterministic):
// the page at 8 s with web02 DOWN, presenter mode, the help overlay, and a crash as a sequence.
// `npm run screenshots:classroom` (after npm run build; needs chromium on the PATH).
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startClassroomServer } from "../classroom/server.js";
import {
  CHROMIUM_NOT_FOUND,
  findChromium,
  launchChromium,
  openPage,
  saveScreenshot,
} from "../test/chromium.js";

const OUT_DIR = "docs/images";
const PAGE_DIR = join("dist", "classroom", "www");

async function stepTo(page: Page, targetMs: number, stepMs: number): Promise<void> {
  await page.locator("#stepMs").fill(String(stepMs));
  await page.locator("#stepMs").dispatchEvent("change");
  for (;;) {
    const now = Number(await page.locator("#clock").getAttribute("data-now-ms"));
    if (now >= targetMs) return;
    await page.locator("#step").click();
    await page.waitForFunction((b) => Number(document.getElementById("clock")?.dataset.nowMs) > b, now);
  }
}

/** Lets the drawing settle (eased bars, charts redrawn at most 4 times a second). */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(600);
}

async function main(): Promise<number> {
  const chromium = findChromium();
  if (chromium === undefined) {
    process.stderr.write(`classroom-screenshots: ${CHROMIUM_NOT_FOUND}\n`);
    return 2;
  }
  const server = await startClassroomServer({ pageDir: PAGE_DIR, source: null });
  const browser = await launchChromium(chromium);
  const written: string[] = [];
  try {
    const shot = async (page: Page, name: string) =>
      written.push(await saveScreenshot(page, join(OUT_DIR, `classroom-${name}.png`)));
    const open = async (hash: string) => {
      const opened = await openPage(browser, `${server.url}#${hash}`, {
        width: 1280,
        height: 720,
        sameOrigin: true,
      });
      await opened.page.waitForFunction(() => document.getElementById("clock")?.dataset.nowMs !== undefined);
      return opened;
    };
    const failover = await open("demo=failover&paused");
    await stepTo(failover.page, 8000, 1000);
    await settle(failover.page);
    await shot(failover.page, "failover");
    await failover.page.keyboard.press("f");
    await settle(failover.page);
    await shot(failover.page, "presenter");
    await failover.page.keyboard.press("f");
    await failover.page.keyboard.press("?");
    await shot(failover.page, "help");
    const problems = [...failover.consoleErrors, ...failover.requests];
    await failover.close();

    // A crash as a sequence: traffic flowing, the crash pending, the checks failing, DOWN.
    const tutorial = await open("demo=tutorial&paused");
    await stepTo(tutorial.page, 10_000, 1000);
    await settle(tutorial.page);
    await shot(tutorial.page, "crash-1-flowing");
    await tutorial.page.keyboard.press("2");
    await tutorial.page.keyboard.press("c");
    await shot(tutorial.page, "crash-2-pending");
    await stepTo(tutorial.page, 11_000, 1000);
    await settle(tutorial.page);
    await shot(tutorial.page, "crash-3-checks-failing");
    await stepTo(tutorial.page, 20_000, 1000);
    await settle(tutorial.page);
    await shot(tutorial.page, "crash-4-down");
    problems.push(...tutorial.consoleErrors, ...tutorial.requests);
    await tutorial.close();
    if (problems.length > 0) {
      process.stderr.write(`classroom-screenshots: the page reported:\n  ${problems.join("\n  ")}\n`);
      return 1;
    }
  } finally {
    await browser.close();
    await server.close();
  }
  process.stdout.write(`${written.join("\n")}\n`);
  return 0;
}

process.exitCode = await main();
