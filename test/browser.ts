// browser: the vitest side of the report's browser specs: one headless chromium per suite, pages closed after each test, skipped or failed without a browser as haproxy's specs are.
//
// Use it as
//   describeWithBrowser("the comparison report", (browser) => {
//     it("draws every chart", async () => {
//       const { page, consoleErrors, requests } = await browser.openPage(reportFile);
//       …
//       expect(consoleErrors).toEqual([]);
//       expect(requests).toEqual([]);
//     });
//   });
// The browser is Debian's chromium on the PATH (`apt-get install chromium`), driven by
// playwright-core (which downloads no browser). Without one the suite is skipped with that hint on a
// developer machine, and fails when `CI` is set. The browser is closed in afterAll, whatever failed.
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import {
  CHROMIUM_NOT_FOUND,
  findChromium,
  launchChromium,
  type OpenedPage,
  type OpenPageOptions,
  openPage,
} from "./chromium.js";

export {
  CHROMIUM_NOT_FOUND,
  findChromium,
  type OpenedPage,
  type OpenPageOptions,
  pageUrl,
  type ScreenshotOptions,
  saveScreenshot,
} from "./chromium.js";

/** What a suite's tests get: pages of the suite's one browser. */
export interface BrowserSession {
  /** Opens a page (see chromium.ts openPage); it is closed after the test that opened it. */
  openPage(fileOrUrl: string, options?: OpenPageOptions): Promise<OpenedPage>;
  /** The suite's browser, for what openPage does not cover. */
  browser(): Browser;
}

/**
 * `describe` for specs that need a real browser: skipped with a hint on a developer machine without
 * chromium, failing when the CI environment variable is set. `path` is the PATH to search (tests).
 */
export function describeWithBrowser(
  title: string,
  body: (session: BrowserSession) => void,
  path: string | undefined = process.env.PATH,
): void {
  const executablePath = findChromium(path);
  if (executablePath !== undefined) {
    describe(title, () => body(liveSession(executablePath)));
    return;
  }
  if (process.env.CI !== undefined) {
    describe(title, () => {
      it("needs chromium, which CI must provide", () => {
        throw new Error(`${CHROMIUM_NOT_FOUND} (CI is set)`);
      });
    });
    return;
  }
  console.warn(`Browser suite "${title}" skipped: ${CHROMIUM_NOT_FOUND}.`);
  describe.skipIf(true)(title, () => body(absentSession()));
}

/** Launches in beforeAll, closes each test's pages in afterEach and the browser in afterAll. */
function liveSession(executablePath: string): BrowserSession {
  let browser: Browser | undefined;
  const open: OpenedPage[] = [];
  beforeAll(async () => {
    browser = await launchChromium(executablePath);
  });
  afterEach(async () => {
    const pages = open.splice(0);
    await Promise.all(pages.map((page) => page.close()));
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  const running = (): Browser => {
    if (browser === undefined)
      throw new Error("the browser is not running (outside a test, or it failed to start)");
    return browser;
  };
  return {
    browser: running,
    async openPage(fileOrUrl, options) {
      const opened = await openPage(running(), fileOrUrl, options);
      open.push(opened);
      return opened;
    },
  };
}

/** A skipped suite's tests never run; anything that calls this anyway is told why. */
function absentSession(): BrowserSession {
  const missing = (): never => {
    throw new Error(CHROMIUM_NOT_FOUND);
  };
  return { browser: missing, openPage: missing };
}
