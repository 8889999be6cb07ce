// browser.spec: finding chromium on the PATH, and pages in it: elements read, network requests recorded and aborted, errors collected, screenshots.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWithBrowser, findChromium, pageUrl, saveScreenshot } from "./browser.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-browser-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a page into the temp dir; returns its path. */
function page(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body>${body}</body></html>`,
  );
  return path;
}

/** An executable (or not) file `name` in a fresh folder; returns the folder. */
function binFolder(name: string, executable = true): string {
  const folder = mkdtempSync(join(dir, "bin-"));
  writeFileSync(join(folder, name), "#!/bin/sh\n");
  chmodSync(join(folder, name), executable ? 0o755 : 0o644);
  return folder;
}

describe("findChromium", () => {
  it("finds chromium, else chromium-browser, on the PATH given, in PATH order", () => {
    const browserOnly = binFolder("chromium-browser");
    const first = binFolder("chromium");
    const second = binFolder("chromium");
    expect(findChromium(browserOnly)).toBe(join(browserOnly, "chromium-browser"));
    expect(findChromium([browserOnly, first, second].join(":"))).toBe(join(first, "chromium"));
  });

  it("finds nothing on a PATH without it, an empty one, or one where it is not executable", () => {
    expect(findChromium(binFolder("firefox"))).toBeUndefined();
    expect(findChromium("")).toBeUndefined();
    expect(findChromium(binFolder("chromium", false))).toBeUndefined();
  });
});

describe("pageUrl", () => {
  it("turns a path into a file:// URL and leaves a URL as it is", () => {
    expect(pageUrl("/tmp/a b/report.html")).toBe("file:///tmp/a%20b/report.html");
    expect(pageUrl("http://127.0.0.1:8080/x")).toBe("http://127.0.0.1:8080/x");
  });
});

/** A loopback server that counts what reaches it: nothing may. */
const hits: string[] = [];
let server: Server | undefined;
let origin = "";

describeWithBrowser("test/browser.ts pages", (browser) => {
  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? "");
      response.end("reached");
    });
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => (server === undefined ? done() : server.close(() => done())));
  });

  let firstPage: Page | undefined;

  it("loads a self-contained page with an inline SVG and reads its attributes", async () => {
    const file = page(
      "chart.html",
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100" data-chart="shares">` +
        `<rect class="bar" data-series="roundrobin|web01" data-value="42" x="0" y="0" width="42" height="20" fill="#36c"/>` +
        `<image href="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1"/></svg>` +
        `<script>document.body.dataset.drawn = String(document.querySelectorAll("rect.bar").length);</script>`,
    );
    const { page: opened, consoleErrors, requests } = await browser.openPage(file);
    firstPage = opened;
    expect(await opened.locator('svg[data-chart="shares"] rect.bar').getAttribute("data-value")).toBe("42");
    expect(await opened.locator("body").getAttribute("data-drawn")).toBe("1");
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("closes the previous test's page", () => {
    expect(firstPage?.isClosed()).toBe(true);
  });

  it("records every request to the network and aborts it before it leaves", async () => {
    const file = page(
      "network.html",
      `<img src="https://example.invalid/y.png"><img src="${origin}/img.png">` +
        `<script>
          document.body.dataset.fetched = "pending";
          Promise.allSettled([fetch("http://example.invalid/x"), fetch("${origin}/x")]).then((outcomes) => {
            document.body.dataset.fetched = outcomes.map((o) => o.status).join(",");
          });
        </script>`,
    );
    const { page: opened, requests } = await browser.openPage(file);
    await opened.waitForFunction(() => document.body.dataset.fetched !== "pending");
    expect(await opened.locator("body").getAttribute("data-fetched")).toBe("rejected,rejected");
    expect([...requests].sort()).toEqual(
      [
        "http://example.invalid/x",
        "https://example.invalid/y.png",
        `${origin}/img.png`,
        `${origin}/x`,
      ].sort(),
    );
    // The loopback server stands for the internet: had anything been sent, it would have arrived.
    expect(hits).toEqual([]);
  });

  it("records another local file the page loads: a report must not need one", async () => {
    writeFileSync(join(dir, "beside.css"), "body { color: red; }");
    const file = page("local.html", `<link rel="stylesheet" href="beside.css"><p>x</p>`);
    const { requests } = await browser.openPage(`${pageUrl(file)}#summary`);
    expect(requests).toEqual([pageUrl(join(dir, "beside.css"))]);
  });

  it("collects uncaught exceptions and console errors, not other console messages", async () => {
    const file = page(
      "throws.html",
      `<script>console.log("fine"); console.warn("careful"); console.error("drawn badly");</script>` +
        `<script>throw new TypeError("boom");</script>`,
    );
    const { consoleErrors, requests } = await browser.openPage(file);
    expect(consoleErrors).toEqual(["drawn badly", "TypeError: boom"]);
    expect(requests).toEqual([]);
  });

  it("saves screenshots of the viewport, the whole page and one element", async () => {
    const file = page(
      "tall.html",
      `<div id="summary" style="width:300px;height:120px;background:#36c"></div><div style="height:2000px"></div>`,
    );
    const { page: opened } = await browser.openPage(file, { width: 640, height: 480 });
    const shots = join(dir, "shots", "deeper");
    const size = (path: string) => {
      const png = readFileSync(path);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    };
    expect(size(await saveScreenshot(opened, join(shots, "top.png")))).toEqual({ width: 640, height: 480 });
    const full = size(await saveScreenshot(opened, join(shots, "full.png"), { fullPage: true }));
    expect(full.height).toBeGreaterThan(2000);
    expect(size(await saveScreenshot(opened, join(shots, "summary.png"), { selector: "#summary" }))).toEqual({
      width: 300,
      height: 120,
    });
  });
});
