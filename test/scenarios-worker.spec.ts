// scenarios/ parses in a browser worker: its index bundles without Node's modules and parses text where Node is absent.
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { importHaproxyCfg, parseScenario } from "../scenarios/index.js";

/** What a classroom Web Worker would do: parse a scenario and its haproxy.cfg, both given as text. */
const ENTRY = `
  import { importHaproxyCfg, InputError, parseScenario } from "./scenarios/index.ts";
  const readHaproxy = (cfg) => (name) => ({ ok: true, file: name, text: cfg });
  globalThis.parse = (yaml, cfg) =>
    JSON.stringify(parseScenario(yaml, "tutorial.yaml", { readHaproxy: readHaproxy(cfg) }));
  globalThis.importCfg = (cfg) => JSON.stringify(importHaproxyCfg(cfg, "haproxy.cfg"));
  globalThis.errorOf = (yaml) => {
    try {
      parseScenario(yaml, "s.yaml");
      return "no error";
    } catch (error) {
      return error instanceof InputError ? error.issues : "not an InputError";
    }
  };
`;

const TUTORIAL_YAML = readFileSync("scenarios/library/tutorial.yaml", "utf8");
const TUTORIAL_CFG = readFileSync("scenarios/library/tutorial.cfg", "utf8");

type Worker = {
  parse(yaml: string, cfg: string): string;
  importCfg(cfg: string): string;
  errorOf(yaml: string): unknown;
};

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: "ts", sourcefile: "worker-entry.ts" },
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

describe("scenarios/ in a browser worker", () => {
  it("bundles scenarios/index.ts for the browser without any node: module", async () => {
    const code = await bundle();
    // esbuild leaves a Node module it cannot bundle as require("node:…") or import … from "node:…".
    expect(code).not.toMatch(/["']node:/);
    expect(code.length).toBeGreaterThan(100_000); // the parser, yaml and zod really are in it
  });

  it("parses a scenario and its haproxy.cfg in a bare context, as Node does", async () => {
    // A bare context: no require, no process, no Buffer, no file system.
    const context: Record<string, unknown> = {};
    runInNewContext(await bundle(), context);
    expect(context.process).toBeUndefined();
    const worker = context as unknown as Worker;
    const readHaproxy = () => ({ ok: true as const, file: "tutorial.cfg", text: TUTORIAL_CFG });
    const inNode = parseScenario(TUTORIAL_YAML, "tutorial.yaml", { readHaproxy });
    const parsed = worker.parse(TUTORIAL_YAML, TUTORIAL_CFG);
    expect(parsed).toBe(JSON.stringify(inNode));
    // The cfg's backend and both servers reached the Scenario (tutorial.cfg: web_servers, ha-proxy1/2).
    expect(JSON.parse(parsed).backend).toMatchObject({
      name: "web_servers",
      servers: [{ name: "ha-proxy1" }, { name: "ha-proxy2" }],
    });
    expect(worker.importCfg(TUTORIAL_CFG)).toBe(
      JSON.stringify(importHaproxyCfg(TUTORIAL_CFG, "haproxy.cfg")),
    );
  });

  it("reports bad input as an InputError at its line and column inside the worker", async () => {
    const context: Record<string, unknown> = {};
    runInNewContext(await bundle(), context);
    const yaml = [
      "duration: 10s",
      "backend:",
      "  servers:",
      "    - {name: web01, service: {constant: 5 parsecs}}",
      "clients: [{name: c, arrivals: {poisson: 10/s}}]",
    ].join("\n");
    expect((context as unknown as Worker).errorOf(yaml)).toMatchObject([
      {
        code: "bad-duration",
        file: "s.yaml",
        line: 4,
        column: 41,
        path: "backend.servers[0].service.constant",
      },
    ]);
  });
});
