// sim/ runs unchanged in a browser worker: bundled for the browser and run where Node is absent.
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { scenario, server, simulate } from "../sim/test-support.js";

/** The entry a classroom Web Worker would use: the engine and the strategies, nothing else. */
const ENTRY = `
  import { run } from "./sim/index.ts";
  import { resolveStrategy } from "./strategies/index.ts";
  globalThis.simulate = (scenario) =>
    JSON.stringify(run(scenario, { resolveStrategy: (name) => resolveStrategy(name), deterministic: true }));
`;

describe("sim/ in a browser worker", () => {
  it("bundles for the browser without Node's modules and gives the same Results as in Node", async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: "ts", sourcefile: "worker-entry.ts" },
      bundle: true,
      platform: "browser",
      format: "iife",
      write: false,
      logLevel: "silent",
    });
    const code = bundle.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\("node:|from "node:/);
    // A bare context: no require, no process, no Buffer — only what a worker also has.
    const context: Record<string, unknown> = { performance: { now: () => 0 } };
    runInNewContext(code, context);
    expect(context.process).toBeUndefined();
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
});
