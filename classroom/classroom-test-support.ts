// Helpers for the classroom specs: the built page served on 127.0.0.1, a scenario without its
// timeline (the class breaks it), and `lbsim run` of an exported file, per-server counts and states.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { type ClassroomServer, startClassroomServer } from "./server.js";
import type { ScenarioSource } from "./source.js";
import { readScenarioSource } from "./source-node.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PAGE_DIR = join(ROOT, "dist", "classroom", "www");

/** failover.yaml (3 servers, checks inter 1s fall 3 rise 2, constant 50/s) without its crash and restore. */
export function failoverWithoutEvents(dir: string): string {
  const text = readFileSync(join(ROOT, "scenarios", "library", "failover.yaml"), "utf8")
    .replace(/^events:\n(\s+- .*\n)+/m, "")
    .replace(/^expect:\n(\s+(- |#).*\n)+/m, "");
  const file = join(dir, "failover-quiet.yaml");
  writeFileSync(file, text);
  return file;
}

/** A server for the suite, on 127.0.0.1, started before it and closed after it whatever happened. */
export function servedPage(source: () => ScenarioSource | null): { url(): string; dir(): string } {
  let server: ClassroomServer | undefined;
  let dir = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-"));
    server = await startClassroomServer({ pageDir: PAGE_DIR, source: source() });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: () => {
      if (server === undefined) throw new Error("the classroom server did not start");
      return server.url;
    },
    dir: () => dir,
  };
}

export function sourceOf(path: string): ScenarioSource {
  return readScenarioSource(path, path.split("/").pop() ?? path);
}

export interface RunOutcome {
  readonly requests: Record<string, number>;
  readonly states: Record<string, ReadonlyArray<{ atMs: number; state: string }>>;
}

/** `lbsim run FILE --json -` (and `args`, such as `--seed 7`) with the built CLI: per-server requests and state timelines. */
export function lbsimRun(file: string, args: ReadonlyArray<string> = []): RunOutcome {
  let stdout: string;
  try {
    stdout = execFileSync(
      process.execPath,
      [join(ROOT, "bin", "lbsim.js"), "run", file, ...args, "--json", "-", "--quiet"],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
  } catch (error) {
    // Exit 1 (an expectation failed) still printed the Results.
    const out = (error as { stdout?: string }).stdout;
    if (out === undefined || out === "") throw error;
    stdout = out;
  }
  const results = JSON.parse(stdout) as {
    servers: Array<{ name: string; requests: number; states: Array<{ atMs: number; state: string }> }>;
  };
  return {
    requests: Object.fromEntries(results.servers.map((s) => [s.name, s.requests])),
    states: Object.fromEntries(results.servers.map((s) => [s.name, s.states])),
  };
}
