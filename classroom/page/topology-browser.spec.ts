// The topology and the live charts in a real browser (headless chromium), fed real snapshots of the stepping model: names, states in HAProxy's colours, a hostile name as text, no console error, and the frame times at 10 servers × 500 req/s.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Snapshot } from "../../sim/index.js";
import { describeWithBrowser, pageUrl, saveScreenshot } from "../../test/browser.js";
import { TRANSITION_MS } from "./topology.js";
import { DOT_CAP } from "./topology-dots.js";
import { harnessHtml } from "./view-harness/harness-page-test-support.js";
import type { Harness } from "./view-harness/harness-test-support.js";
import { type Recording, record } from "./view-harness/snapshots-test-support.js";
import { STATE_COLORS, viewStyle } from "./view-style.js";

/** The harness page's window, as the tests reach it through page.evaluate. */
type HarnessWindow = { harness: Harness };

const HOSTILE = "<img src=x onerror=alert(1)>";
/** Set to a folder to keep screenshots of the harness (normal and presenter mode) there. */
const SHOTS = process.env.LBSIM_VIEW_SCREENSHOTS;

const dir = mkdtempSync(join(tmpdir(), "lbsim-view-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** failover.yaml stepped every 100 ms to 9.5 s, web02 crashed now at 5 s (its checks fail at 5.33, 6.33, 7.33 s: DOWN at 7.33 s). */
let failover: Recording;
/** 10 servers at 500 req/s, stepped every 50 ms (a slow page's frames; the worker posts one about every 16 ms) for 4 s after a 2 s start. */
let busy: Recording;
let page3 = "";
let page10 = "";

beforeAll(async () => {
  failover = record({
    file: "failover.yaml",
    stepMs: 100,
    untilMs: 9500,
    actions: [{ atMs: 5000, action: { kind: "crash", server: "web02" }, text: "crash web02" }],
  });
  busy = record({
    file: "failover.yaml",
    stepMs: 50,
    untilMs: 6000,
    servers: 10,
    ratePerSecond: 500,
    maxconn: 20,
    actions: [{ atMs: 3000, action: { kind: "crash", server: "web03" }, text: "crash web03" }],
  });
  page3 = join(dir, "harness3.html");
  writeFileSync(page3, await harnessHtml(failover.maxconn));
  page10 = join(dir, "harness10.html");
  writeFileSync(page10, await harnessHtml(busy.maxconn));
});

/** `snapshot` with web03 renamed to a name that would run code if it were ever parsed as HTML. */
function hostile(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    servers: snapshot.servers.map((s) => (s.name === "web03" ? { ...s, name: HOSTILE } : s)),
  };
}

const fillOf = (page: import("playwright-core").Page, name: string) =>
  page.$$eval(
    "g.server",
    (cards, wanted) =>
      cards
        .find((g) => g.getAttribute("data-key") === wanted)
        ?.querySelector("rect.card")
        ?.getAttribute("fill") ?? null,
    name,
  );

describeWithBrowser("the classroom topology and live charts", (browser) => {
  it("draws every server with its name, and the crashed one goes yellow then DOWN red after fall 3 checks", async () => {
    const { page, consoleErrors, requests } = await browser.openPage(page3, { width: 1280, height: 720 });
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    // Fed as fast as the test can; with screenshots, the last second at the worker's pace (a frame
    // every 100 ms at ×1) so the dots in the picture are those of that second.
    const feedUntil = async (untilMs: number) => {
      for (const snapshot of failover.snapshots.filter((s) => s.nowMs <= untilMs && s.nowMs > fedMs)) {
        await page.evaluate(([s]) => (window as unknown as HarnessWindow).harness.feed(s, 100), [
          hostile(snapshot),
        ] as const);
        if (SHOTS !== undefined && snapshot.nowMs > untilMs - 1000) await page.waitForTimeout(100);
      }
      fedMs = untilMs;
    };
    let fedMs = 0;
    await feedUntil(4900);
    // Each card's tooltip names it whole; the drawn name is cut to its column when too long ("…").
    const titles = await page.$$eval("g.server:not(.leaving) > title", (t) =>
      t.map((e) => e.textContent?.split(" (backend")[0]),
    );
    expect(titles).toEqual(["web01", "web02", HOSTILE]);
    const drawn = await page.$$eval("g.server:not(.leaving) text.name", (t) =>
      t.map((e) => e.textContent ?? ""),
    );
    expect(drawn.slice(0, 2)).toEqual(["web01", "web02"]);
    expect(HOSTILE.startsWith(drawn[2]!.replace(/…$/, ""))).toBe(true);
    expect(drawn[2]!.length).toBeGreaterThan(10);
    expect(await fillOf(page, "web02")).toBe(STATE_COLORS.up);
    // 6.5 s: one check failed at 6.33 s after the one at 5.33 s: still UP, going down (HAProxy's yellow).
    await feedUntil(6500);
    if (SHOTS !== undefined) await saveScreenshot(page, join(SHOTS, "classroom-view-failing.png"));
    expect(await page.$eval('g.server[data-key="web02"]', (g) => g.getAttribute("data-state"))).toBe(
      "UP 1/3",
    );
    expect(await fillOf(page, "web02")).toBe(STATE_COLORS.goingDown);
    await feedUntil(7300);
    expect(await fillOf(page, "web02")).toBe(STATE_COLORS.goingDown);
    await feedUntil(7400);
    expect(await fillOf(page, "web02")).toBe(STATE_COLORS.down);
    expect(await page.$eval('g.server[data-key="web02"] text.state', (t) => t.textContent)).toBe("DOWN");
    if (SHOTS !== undefined) await saveScreenshot(page, join(SHOTS, "classroom-view-down.png"));
    // Its link is drawn dead (dashed), the others' not.
    const dashes = await page.$$eval("g.links path", (paths) =>
      paths.map((p) => p.getAttribute("stroke-dasharray")),
    );
    expect(dashes.map((d) => d !== "none")).toEqual([false, true, false]);
    await feedUntil(9500);
    expect(await fillOf(page, "web01")).toBe(STATE_COLORS.up);
    // The hostile name is text: no element was made of it, nothing ran. And no console error: the
    // harness's policy (style-src 'none') would log one for any inline style the drawing used.
    expect(await page.$$eval("img", (imgs) => imgs.length)).toBe(0);
    expect(dialogs).toBe(0);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("keys cards by name: an added server fades in, a removed one fades out, the others keep their element", async () => {
    const { page, consoleErrors } = await browser.openPage(page3, { width: 1280, height: 720 });
    const base = failover.snapshots[20]!;
    // The added server carries its maxconn in the snapshot (as a page adds it from the scenario).
    const extra = { ...base.servers[0]!, name: "web04", inFlight: 3, maxconn: 4 };
    const feed = (s: Snapshot) =>
      page.evaluate(([x]) => (window as unknown as HarnessWindow).harness.feed(x, 100), [s] as const);
    await feed(base);
    await page.$eval('g.server[data-key="web01"]', (g) => g.setAttribute("data-marked", "yes"));
    const web01Y = () => page.$eval('g.server[data-key="web01"]', (g) => g.getBoundingClientRect().top);
    const before = await web01Y();
    await feed({ ...base, nowMs: base.nowMs + 100, servers: [...base.servers, extra] });
    expect(
      await page.$$eval("g.server:not(.leaving)", (g) => g.map((e) => e.getAttribute("data-key"))),
    ).toEqual(["web01", "web02", "web03", "web04"]);
    expect(await page.$eval('g.server[data-key="web01"]', (g) => g.getAttribute("data-marked"))).toBe("yes");
    expect(await page.$eval('g.server[data-key="web04"] text.inflight-value', (t) => t.textContent)).toBe(
      "3/4",
    );
    expect(await page.$$eval('g.server[data-key="web04"] g.slots rect', (r) => r.length)).toBe(4);
    // Four rows instead of three: the cards move (animated), web01 upward.
    await page.waitForTimeout(600);
    expect(await web01Y()).toBeLessThan(before);
    expect(await page.$$eval("g.links path", (p) => p.length)).toBe(4);
    const without = [...base.servers, extra].filter((s) => s.name !== "web02");
    await feed({ ...base, nowMs: base.nowMs + 200, servers: without });
    expect(await page.$$eval("g.server.leaving", (g) => g.length)).toBe(1);
    await page.waitForFunction(() => document.querySelectorAll("g.server").length === 3);
    expect(await page.$$eval("g.server", (g) => g.map((e) => e.getAttribute("data-key")))).toEqual([
      "web01",
      "web03",
      "web04",
    ]);
    expect(await page.$eval('g.server[data-key="web01"]', (g) => g.getAttribute("data-marked"))).toBe("yes");
    expect(consoleErrors).toEqual([]);
  });

  it("keys the balancer's queues by backend: a new backend gets its own, the first keeps its element", async () => {
    const { page, consoleErrors } = await browser.openPage(page3, { width: 1280, height: 720 });
    const base = failover.snapshots[20]!;
    const feed = (s: Snapshot) =>
      page.evaluate(([x]) => (window as unknown as HarnessWindow).harness.feed(x, 100), [s] as const);
    await feed(base);
    const first = base.backends[0]!.name;
    expect(await page.$$eval("g.backend", (g) => g.map((e) => e.getAttribute("data-backend")))).toEqual([
      first,
    ]);
    await page.$eval("g.backend", (g) => g.setAttribute("data-marked", "yes"));
    await feed({
      ...base,
      nowMs: base.nowMs + 100,
      backends: [...base.backends, { name: HOSTILE, queued: 3 }],
    });
    const backends = await page.$$eval("g.backend", (g) =>
      g.map((e) => [
        e.getAttribute("data-backend"),
        e.getAttribute("data-marked"),
        e.querySelector("text.backend-name")?.textContent,
        e.querySelector("text.backend-queue-value")?.textContent,
      ]),
    );
    expect(backends[0]!.slice(0, 2)).toEqual([first, "yes"]);
    expect(backends[1]![0]).toBe(HOSTILE);
    // Two backends: each queue is named (as text, cut to the balancer's width), the new one's count shown.
    expect(HOSTILE.startsWith(String(backends[1]![2]).replace(/…$/, ""))).toBe(true);
    expect(backends[1]![3]).toBe("3");
    expect(await page.$$eval("img", (imgs) => imgs.length)).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it("says how many balancer instances share the servers, and says HAProxy alone again without them", async () => {
    const { page, consoleErrors } = await browser.openPage(page3, { width: 1280, height: 720 });
    const title = () => page.$eval("g.balancer > text", (t) => t.textContent);
    const [first, second] = failover.snapshots;
    const feed = (snapshot: Snapshot) =>
      page.evaluate(([s]) => (window as unknown as HarnessWindow).harness.feed(s, 100), [snapshot] as const);
    await feed(first!);
    expect(await title()).toBe("HAProxy");
    // Only the number of instances is read: eight copies of the first instance's view stand for them.
    const view = { index: 0, name: "lb1", servers: first!.servers, backends: first!.backends };
    await feed({
      ...second!,
      balancers: Array.from({ length: 8 }, (_, i) => ({ ...view, index: i, name: `lb${i + 1}` })),
    });
    expect(await title()).toBe("HAProxy ×8");
    await page.setViewportSize({ width: 900, height: 720 });
    await page.waitForTimeout(100);
    expect(await title()).toBe("HAProxy ×8");
    // 64 instances (the most a scenario may have): a smaller type keeps the title inside its box.
    await feed({
      ...second!,
      balancers: Array.from({ length: 64 }, (_, i) => ({ ...view, index: i, name: `lb${i + 1}` })),
    });
    expect(await title()).toBe("HAProxy ×64");
    const [textWidth, boxWidth] = await page.$eval("g.balancer", (g) => [
      (g.querySelector("text") as SVGTextElement).getBBox().width,
      (g.querySelector("rect") as SVGRectElement).getBBox().width,
    ]);
    expect(textWidth).toBeLessThan(boxWidth!);
    await feed(first!);
    expect(await title()).toBe("HAProxy");
    expect(consoleErrors).toEqual([]);
  });

  it("eases the bars with one transition per card that each new snapshot interrupts: none pile up, none run once the snapshots stop", async () => {
    const { page, consoleErrors } = await browser.openPage(page10, { width: 1280, height: 720 });
    // Snapshots 300 ms apart first: each ease then lasts ~300 ms, and the burst's first ones as long.
    for (const snapshot of busy.snapshots.slice(0, 5)) {
      await page.evaluate(([x]) => (window as unknown as HarnessWindow).harness.feed(x, 300), [
        snapshot,
      ] as const);
      await page.waitForTimeout(300);
    }
    const { most, after } = (await page.evaluate(
      ([s, settleMs]) => (window as unknown as HarnessWindow).harness.burst(s, settleMs),
      [busy.snapshots.slice(5, 65), TRANSITION_MS + 300] as const,
    )) as { most: number; after: number };
    // At most: the running ease, the next one scheduled, and the card's entrance.
    expect(most).toBeLessThanOrEqual(3);
    expect(after).toBe(0);
    // Each card shows the last snapshot's in flight: lit slots (maxconn 20) = its requests in flight.
    const last = busy.snapshots[64]!;
    const lit = await page.$$eval(
      "g.server",
      (cards, busyInk) =>
        cards.map((g) => [
          g.getAttribute("data-key"),
          Array.from(g.querySelectorAll("g.slots rect")).filter((r) => r.getAttribute("fill") === busyInk)
            .length,
        ]),
      viewStyle(false).busy,
    );
    expect(Object.fromEntries(lit)).toEqual(
      Object.fromEntries(last.servers.map((s) => [s.name, s.inFlight])),
    );
    expect(consoleErrors).toEqual([]);
  });

  it("presenter mode draws larger type and thicker outlines, and still fits 10 servers in 1280 × 720", async () => {
    const sizes: Record<string, unknown> = {};
    for (const mode of ["", "#large"]) {
      const { page } = await browser.openPage(`${pageUrl(page10)}${mode}`, { width: 1280, height: 720 });
      await page.evaluate(([s]) => (window as unknown as HarnessWindow).harness.feed(s, 50), [
        busy.snapshots[40]!,
      ] as const);
      // The cards slide in (TRANSITION_MS): measured where they come to rest.
      await page.waitForTimeout(TRANSITION_MS + 200);
      sizes[mode || "normal"] = await page.$eval("svg.lbsim-topology", (svg) => {
        const cards = Array.from(svg.querySelectorAll("g.server rect.card"));
        const last = cards.at(-1)!.getBoundingClientRect();
        return {
          fontSize: svg.getAttribute("font-size"),
          stroke: cards[0]!.getAttribute("stroke"),
          strokeWidth: Number(cards[0]!.getAttribute("stroke-width")),
          cards: cards.length,
          inside: last.bottom <= 720 && last.right <= 1280,
        };
      });
    }
    expect(sizes).toEqual({
      normal: { fontSize: "15", stroke: "#6e7781", strokeWidth: 1.2, cards: 10, inside: true },
      "#large": { fontSize: "24", stroke: "#000000", strokeWidth: 2.2, cards: 10, inside: true },
    });
  });

  it("draws the live charts with the crash marked, a band per server and the shares", async () => {
    const { page, consoleErrors } = await browser.openPage(page3, { width: 1280, height: 720 });
    await page.evaluate(
      ([series, actions]) =>
        (window as unknown as HarnessWindow).harness.charts(series, actions, {
          web01: 1,
          web02: 1,
          web03: 1,
        }),
      [failover.series, failover.actions] as const,
    );
    await page.waitForSelector('figure[data-chart="shares"] svg');
    const markers = await page.$$eval('figure[data-chart="latency-over-time"] g.marker', (g) =>
      g.map((m) => [m.getAttribute("data-at-ms"), m.getAttribute("data-action")]),
    );
    expect(markers).toEqual([["5000", "crash"]]);
    const bands = await page.$$eval('figure[data-chart="throughput"] path.band', (p) =>
      p.map((b) => b.getAttribute("data-server")),
    );
    expect(bands).toEqual(["web01", "web02", "web03"]);
    expect(await page.$$eval('figure[data-chart="shares"] svg', (s) => s.length)).toBe(1);
    expect(consoleErrors).toEqual([]);
  });

  it("redraws the live charts at most 4 times a second however often they are updated", async () => {
    const { page, consoleErrors } = await browser.openPage(page3, { width: 1280, height: 720 });
    // 9 updates, each with one more closed second, 50 ms apart (0.45 s): every one would redraw
    // without the limit; with it, the first at once and then one per 250 ms.
    const draws = await page.evaluate(
      ([series]) => (window as unknown as HarnessWindow).harness.throttled(series, 9, 50),
      [failover.series] as const,
    );
    expect(draws).toBeGreaterThanOrEqual(2);
    expect(draws).toBeLessThanOrEqual(4);
    expect(consoleErrors).toEqual([]);
  });

  it("animates 10 servers at 500 req/s at 60 frames a second: every frame's work is small", async () => {
    const { page, consoleErrors } = await browser.openPage(page10, { width: 1280, height: 720 });
    // The first 2 s set the scene (and the bars' scales); the 4 s after are measured.
    const warm = busy.snapshots.filter((s) => s.nowMs <= 2000);
    const measured = busy.snapshots.filter((s) => s.nowMs > 2000);
    await page.evaluate(([s]) => (window as unknown as HarnessWindow).harness.play(s, 50), [warm] as const);
    const { workMs, intervalsMs, maxDots } = (await page.evaluate(
      ([s]) => (window as unknown as HarnessWindow).harness.play(s, 50),
      [measured] as const,
    )) as { workMs: number[]; intervalsMs: number[]; maxDots: number };
    const q = (values: number[], p: number) =>
      [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!;
    const figures = {
      frames: workMs.length,
      workP50: q(workMs, 0.5),
      workP95: q(workMs, 0.95),
      workMax: Math.max(...workMs),
      intervalP50: q(intervalsMs, 0.5),
      intervalP95: q(intervalsMs, 0.95),
      maxDots,
    };
    console.log(`classroom topology frame times (ms): ${JSON.stringify(figures)}`);
    // 4 s of rAF at 60/s is ~240 frames; a loaded 2-core machine may drop some, never most.
    expect(workMs.length).toBeGreaterThan(120);
    // A frame has 16.7 ms; the drawing must leave most of it to the browser (generous: a shared CI core).
    expect(figures.workP95).toBeLessThan(8);
    expect(figures.intervalP50).toBeLessThan(25);
    expect(maxDots).toBeGreaterThan(20);
    expect(maxDots).toBeLessThanOrEqual(DOT_CAP);
    const cards = await page.$$eval("g.server:not(.leaving)", (g) => g.length);
    expect(cards).toBe(10);
    expect(consoleErrors).toEqual([]);
    if (SHOTS !== undefined) {
      await page.evaluate(
        ([series, actions]) => (window as unknown as HarnessWindow).harness.charts(series, actions),
        [busy.series, busy.actions] as const,
      );
      await page.waitForSelector('figure[data-chart="shares"] svg');
      await saveScreenshot(page, join(SHOTS, "classroom-view-normal.png"));
      const large = await browser.openPage(`${pageUrl(page10)}#large`, { width: 1280, height: 720 });
      await large.page.evaluate(([s]) => (window as unknown as HarnessWindow).harness.play(s, 50), [
        busy.snapshots.slice(-30),
      ] as const);
      await saveScreenshot(large.page, join(SHOTS, "classroom-view-presenter.png"));
      await large.page.evaluate(
        ([series, actions]) => (window as unknown as HarnessWindow).harness.charts(series, actions),
        [busy.series, busy.actions] as const,
      );
      await large.page.waitForSelector('figure[data-chart="shares"] svg');
      await saveScreenshot(large.page, join(SHOTS, "classroom-view-presenter-full.png"), { fullPage: true });
      await saveScreenshot(page, join(SHOTS, "classroom-view-normal-full.png"), { fullPage: true });
      for (const mode of ["narrow", "large,narrow"]) {
        const opened = await browser.openPage(`${pageUrl(page10)}#${mode}`, { width: 1280, height: 720 });
        await opened.page.evaluate(([s]) => (window as unknown as HarnessWindow).harness.play(s, 50), [
          busy.snapshots.slice(-30),
        ] as const);
        await saveScreenshot(opened.page, join(SHOTS, `classroom-view-${mode.replace(",", "-")}.png`));
      }
    }
  });
});
