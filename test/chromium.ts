// chromium: Debian's chromium found on the PATH and driven by playwright-core, pages that may not reach the network; no vitest here (scripts/ use it too).
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** What a missing browser says; with CI set it fails the suite (as a missing haproxy does). */
export const CHROMIUM_NOT_FOUND = "chromium not found on PATH; CI must install it: apt-get install chromium";

/** Debian names the binary `chromium`; Ubuntu's and older packages `chromium-browser`. */
const CHROMIUM_NAMES = ["chromium", "chromium-browser"] as const;

/** The first executable `chromium`, else `chromium-browser`, on `pathVariable`; undefined when none. */
export function findChromium(pathVariable: string | undefined = process.env.PATH): string | undefined {
  const folders = (pathVariable ?? "").split(delimiter).filter((folder) => isAbsolute(folder));
  for (const name of CHROMIUM_NAMES) {
    for (const folder of folders) {
      const candidate = join(folder, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here: the next folder.
      }
    }
  }
  return undefined;
}

/**
 * Starts headless chromium. `--no-sandbox`: CI runs as root, where chromium's sandbox refuses to
 * start. Throws CHROMIUM_NOT_FOUND when there is no browser.
 */
export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  if (executablePath === undefined) throw new Error(CHROMIUM_NOT_FOUND);
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
}

/** A page opened with `openPage`, and what it did while loading and since. */
export interface OpenedPage {
  readonly page: Page;
  /** Console messages of type error and uncaught exceptions (`pageerror`), in order. */
  readonly consoleErrors: string[];
  /**
   * Every URL the page requested besides its own and `data:`/`blob:` ones, in order. None of them
   * left the machine: each was aborted before it was sent.
   */
  readonly requests: string[];
  /** Closes the page and its context; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenPageOptions {
  /** Viewport in CSS pixels (default 1280 × 800). */
  readonly width?: number;
  readonly height?: number;
  /**
   * Also allow every URL of the page's own origin (a page served over http, like the classroom's,
   * loads its script and data beside it); anything else is still recorded and aborted.
   */
  readonly sameOrigin?: boolean;
}

/** `file` (a path) as a file:// URL; a string with a scheme (`file:`, `http:`) as it is. */
export function pageUrl(fileOrUrl: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(fileOrUrl) ? fileOrUrl : pathToFileURL(resolve(fileOrUrl)).href;
}

/** A URL without its fragment: `report.html#summary` is still the page's own file. */
function withoutFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * Opens `fileOrUrl` in a fresh context (no cookies, cache or storage shared with other pages) and
 * waits for `load`. Every request but the page's own URL and `data:`/`blob:` ones is recorded in
 * `requests` and aborted, so a page under test can never reach the network.
 */
export async function openPage(
  browser: Browser,
  fileOrUrl: string,
  options: OpenPageOptions = {},
): Promise<OpenedPage> {
  const url = pageUrl(fileOrUrl);
  const own = withoutFragment(url);
  const origin = options.sameOrigin === true ? new URL(url).origin : undefined;
  const allowed = (requestUrl: string): boolean =>
    withoutFragment(requestUrl) === own ||
    requestUrl.startsWith("data:") ||
    requestUrl.startsWith("blob:") ||
    (origin !== undefined && origin !== "null" && requestUrl.startsWith(`${origin}/`));
  const context: BrowserContext = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    serviceWorkers: "block",
  });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await context.close();
  };
  try {
    // Routing sees http(s) and other files before anything is sent; `request` events see every
    // scheme (file:// included), so that is where they are recorded.
    await context.route("**/*", (route) =>
      allowed(route.request().url()) ? route.continue() : route.abort("blockedbyclient"),
    );
    await context.routeWebSocket(/.*/, (socket) => {
      requests.push(socket.url());
      return socket.close();
    });
    const page = await context.newPage();
    page.on("request", (request) => {
      if (!allowed(request.url())) requests.push(request.url());
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(`${error.name}: ${error.message}`));
    await page.goto(url, { waitUntil: "load" });
    return { page, consoleErrors, requests, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface ScreenshotOptions {
  /** The whole scrollable page instead of the viewport (default false). */
  readonly fullPage?: boolean;
  /** Only this element (a CSS selector), e.g. the summary; overrides fullPage. */
  readonly selector?: string;
}

/** Saves a PNG screenshot of `page` to `path` (folders created); returns `path`. */
export async function saveScreenshot(
  page: Page,
  path: string,
  options: ScreenshotOptions = {},
): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  // Screenshots of the same page should not differ by a blinking caret or a running animation.
  const settings = { path, animations: "disabled", caret: "hide" } as const;
  if (options.selector !== undefined) {
    await page.locator(options.selector).first().screenshot(settings);
  } else {
    await page.screenshot({ ...settings, fullPage: options.fullPage ?? false });
  }
  return path;
}
