// sim/ runs unchanged in a browser worker: bundled for the browser and run where Node is absent.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import type { CheckParams } from "../scenarios/types.js";
import { createModel } from "../sim/index.js";
import { scenario, server, simulate } from "../sim/test-support.js";
import { resolveStrategy } from "../strategies/index.js";
import { describeWithBrowser } from "./browser.js";
import { drive } from "./stepping-drive.js";

const CHECK: CheckParams = {
  type: "tcp",
  interMs: 500,
  fastinterMs: 500,
  downinterMs: 500,
  rise: 2,
  fall: 2,
  timeoutMs: null,
};

const resolve = (name: string) => {
  const factory = resolveStrategy(name);
  if (factory === undefined) throw new Error(`unknown strategy ${name}`);
  return factory;
};

/** The entry a classroom Web Worker would use: the engine and the strategies, nothing else. */
const ENTRY = `
  import { createModel, run } from "./sim/index.ts";
  import { resolveStrategy } from "./strategies/index.ts";
  import { drive } from "./test/stepping-drive.ts";
  const options = { resolveStrategy: (name) => resolveStrategy(name), deterministic: true };
  globalThis.simulate = (scenario) => JSON.stringify(run(scenario, options));
  globalThis.drive = (scenario) => JSON.stringify(drive(createModel(scenario, options)));
`;

/** A real Web Worker's script: drives the model it is sent and posts the outcome back as JSON. */
const WORKER_ENTRY = `
  import { createModel } from "./sim/index.ts";
  import { resolveStrategy } from "./strategies/index.ts";
  import { drive } from "./test/stepping-drive.ts";
  const options = { resolveStrategy: (name) => resolveStrategy(name), deterministic: true };
  self.onmessage = (event) => self.postMessage(JSON.stringify(drive(createModel(event.data, options))));
`;

async function bundled(entry: string): Promise<string> {
  const bundle = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: "ts", sourcefile: "worker-entry.ts" },
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
  });
  return bundle.outputFiles[0]!.text;
}

async function bareContext(): Promise<Record<string, unknown>> {
  const code = await bundled(ENTRY);
  expect(code).not.toMatch(/require\("node:|from "node:/);
  // A bare context: no require, no process, no Buffer — only what a worker also has.
  const context: Record<string, unknown> = { performance: { now: () => 0 } };
  runInNewContext(code, context);
  expect(context.process).toBeUndefined();
  return context;
}

describe("sim/ in a browser worker", () => {
  it("bundles for the browser without Node's modules and gives the same Results as in Node", async () => {
    const context = await bareContext();
    const s = scenario({
      durationMs: 5000,
      backend: {
        balance: "leastconn",
        servers: [server("web01", { slots: 2 }), server("web02", { discipline: "ps", slots: 2 })],
      },
      events: [{ atMs: 2000, kind: "crash", server: "web01" }],
    });
    const inWorker = (context.simulate as (s: unknown) => string)(s);
    expect(inWorker).toBe(JSON.stringify(simulate(s)));
    expect(JSON.parse(inWorker).requests.total).toBeGreaterThan(400);
  });

  it("drives the stepping API there: steps, a crash applied now, snapshots and Results equal to Node's", async () => {
    const context = await bareContext();
    const s = drivenScenario();
    const inWorker = JSON.parse((context.drive as (s: unknown) => string)(s)) as ReturnType<typeof drive>;
    const inNode = drive(createModel(s, { resolveStrategy: resolve, deterministic: true }));
    expect(inWorker).toEqual(inNode);
    // The crash applied at 1.5 s took web01 DOWN in the worker too, and Results record it.
    expect(inWorker.snapshots.at(-1)!.servers[0]!.state).toBe("DOWN");
    expect(inWorker.results.timeline[0]).toMatchObject({ atMs: 1500, action: "crash", server: "web01" });
    expect(inWorker.results.requests.total).toBeGreaterThan(400);
  });
});

/** The scenario both worker tests drive: two checked servers, web01 crashed at 1.5 s by `apply`. */
function drivenScenario() {
  return scenario({
    durationMs: 6000,
    backend: {
      balance: "roundrobin",
      servers: [server("web01", { check: CHECK }), server("web02", { check: CHECK })],
    },
  });
}

const dir = mkdtempSync(join(tmpdir(), "lbsim-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithBrowser("the stepping API in a chromium Web Worker", (browser) => {
  it("steps, applies a crash and posts snapshots and Results equal to Node's", async () => {
    const code = await bundled(WORKER_ENTRY);
    const page = join(dir, "worker.html");
    // The worker's script comes from a Blob: nothing is fetched. `<` is escaped so that the code
    // cannot close the page's script element.
    writeFileSync(
      page,
      `<!doctype html><html><head><meta charset="utf-8"><title>worker</title></head><body><script>
        const code = ${JSON.stringify(code).replace(/</g, "\\u003c")};
        const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
        worker.onmessage = (event) => { window.outcome = event.data; };
        worker.onerror = (event) => { window.outcome = "error: " + event.message; };
        window.start = (s) => worker.postMessage(s);
      </script></body></html>`,
    );
    const { page: opened, consoleErrors, requests } = await browser.openPage(page);
    const s = drivenScenario();
    // Structured clone keeps the scenario's Infinity fields (JSON would not).
    await opened.evaluate((sent) => (window as unknown as { start: (x: unknown) => void }).start(sent), s);
    await opened.waitForFunction(
      () => (window as unknown as { outcome?: string }).outcome !== undefined,
      null,
      {
        timeout: 20_000,
      },
    );
    const outcome = await opened.evaluate(() => (window as unknown as { outcome: string }).outcome);
    expect(outcome.startsWith("error")).toBe(false);
    const inNode = drive(createModel(s, { resolveStrategy: resolve, deterministic: true }));
    expect(JSON.parse(outcome)).toEqual(JSON.parse(JSON.stringify(inNode)));
    expect(JSON.parse(outcome).snapshots.at(-1).servers[0].state).toBe("DOWN");
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
