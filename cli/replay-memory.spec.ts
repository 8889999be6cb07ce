// A log larger than the heap the replay is given: it streams, so it ends in that heap, in bounded time.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cliBuilt, LBSIM_BIN } from "./built-cli-test-support.js";

const LINES = 400_000;
const HEAP_MB = 48;
const built = cliBuilt("cli/replay-command.js");
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-replay-big-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 400,000 sequential requests, 5 ms apart, over three servers in turn: ~59 MB of httplog lines. */
function writeBigLog(path: string): void {
  const fd = openSync(path, "w");
  try {
    const two = (n: number) => String(n).padStart(2, "0");
    let chunk: string[] = [];
    for (let i = 0; i < LINES; i++) {
      const t = i * 5;
      const s = Math.floor(t / 1000);
      const clock = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
      const tr = 3 + (i % 7);
      chunk.push(
        `Dec  7 ${clock} lb haproxy[1]: 10.0.${i % 200}.1:${1024 + (i % 60000)} [07/Dec/2026:${clock}.${String(t % 1000).padStart(3, "0")}] ` +
          `fe be/s${(i % 3) + 1} 0/0/0/${tr}/${tr} 200 1024 - - ---- 1/1/0/0/0 0/0 "GET /p/${i % 1000} HTTP/1.1"\n`,
      );
      if (chunk.length === 10_000) {
        writeSync(fd, chunk.join(""));
        chunk = [];
      }
    }
    writeSync(fd, chunk.join(""));
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!built)("lbsim replay streams the log", () => {
  test(`a log larger than a ${HEAP_MB} MB heap replays in it, within 2 minutes`, () => {
    const log = join(dir, "big.log");
    writeBigLog(log);
    expect(statSync(log).size).toBeGreaterThan(HEAP_MB * 1024 * 1024);
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, LBSIM_BIN, "replay", log], {
      encoding: "utf8",
      timeout: 120_000,
      killSignal: "SIGKILL",
      env: { ...process.env, LBSIM_WORKER: "0" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${LINES.toLocaleString("en-US")} requests`);
    // Sequential roundrobin: the replay gives each server a third, as logged (133,334 / 133,333 / 133,333).
    expect(r.stdout).toMatch(/ {2}s1 +33\.3% \(133,334\) +33\.3% \(133,334\)/);
  }, 180_000);
});
