// The replay specs' sandbox: a temp folder per test, lbsim run in process there, the replay's JSON read back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import type { Results } from "../sim/index.js";
import { runCli } from "./app.js";
import { createToolkit } from "./main.js";
import type { LoggedResults } from "./replay-run.js";
import { fakePackage, recordingIo } from "./test-support.js";

export interface ReplayJson {
  readonly logged: LoggedResults;
  readonly replayed: Results;
  readonly replayedAsLogged?: Results;
  readonly estimate: { readonly speeds: ReadonlyArray<{ server: string; speed: number }> };
  readonly log: { readonly bad: number; readonly requests: number };
}

export const counts = (servers: ReadonlyArray<{ name: string; requests: number }>) =>
  Object.fromEntries(servers.map((s) => [s.name, s.requests]));

/** Call at the top of a spec: a fresh folder before each test, removed after. */
export function replaySandbox(): {
  readonly at: (file: string) => string;
  readonly lbsim: (...argv: string[]) => Promise<{ code: number; out: string; err: string }>;
  readonly replayJson: (...argv: string[]) => Promise<ReplayJson>;
} {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lbsim-replay-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lbsim = async (...argv: string[]) => {
    const io = recordingIo(dir);
    const code = await runCli(argv, createToolkit({ LBSIM_WORKER: "0" }), fakePackage(dir), io);
    return { code, out: io.stdout(), err: io.stderr() };
  };
  return {
    at: (file) => join(dir, file),
    lbsim,
    replayJson: async (...argv) => {
      const r = await lbsim("replay", ...argv, "--json", "-");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as ReplayJson;
    },
  };
}
