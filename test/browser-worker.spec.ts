// sim/ runs unchanged in a browser worker: bundled for the browser and run where Node is absent.
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import type { CheckParams } from "../scenarios/types.js";
import { createModel } from "../sim/index.js";
import { scenario, server, simulate } from "../sim/test-support.js";
import { resolveStrategy } from "../strategies/index.js";
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

async function bareContext(): Promise<Record<string, unknown>> {
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
    const s = scenario({
      durationMs: 6000,
      backend: {
        balance: "roundrobin",
        servers: [server("web01", { check: CHECK }), server("web02", { check: CHECK })],
      },
    });
    const inWorker = JSON.parse((context.drive as (s: unknown) => string)(s)) as ReturnType<typeof drive>;
    const inNode = drive(createModel(s, { resolveStrategy: resolve, deterministic: true }));
    expect(inWorker).toEqual(inNode);
    // The crash applied at 1.5 s took web01 DOWN in the worker too, and Results record it.
    expect(inWorker.snapshots.at(-1)!.servers[0]!.state).toBe("DOWN");
    expect(inWorker.results.timeline[0]).toMatchObject({ atMs: 1500, action: "crash", server: "web01" });
    expect(inWorker.results.requests.total).toBeGreaterThan(400);
  });
});
