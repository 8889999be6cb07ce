// Spec of `lbsim sweep --replications auto` on real worker threads (the built CLI): the same bytes for 1 and 3 workers, warmup: auto in the threads.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliBuilt, LBSIM_BIN, twoServerScenario } from "./built-cli-test-support.js";
import type { SweepJson } from "./sweep-output.js";

const bin = LBSIM_BIN;
const built = cliBuilt();

/** 5 s at up to 60 requests a second on two servers: a noisy run, so rows need different counts. */
const SHORT = twoServerScenario("short", 3, "5s", 60);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-sweep-auto-pool-"));
  writeFileSync(join(dir, "short.yaml"), SHORT);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!built)(
  "lbsim sweep --replications auto on the thread pool (the built CLI; npm run build)",
  () => {
    it("writes byte-identical JSON and CSV with 1 and 3 workers", () => {
      for (const workers of ["1", "3"]) {
        const child = spawnSync(
          process.execPath,
          [
            bin,
            "sweep",
            "short.yaml",
            "--set",
            "clients.load.arrivals.poisson=30/s,60/s",
            "--strategies",
            "roundrobin,leastconn",
            "--replications",
            "auto",
            "--precision",
            "10%",
            "--workers",
            workers,
            "--json",
            `w${workers}.json`,
            "--csv",
            `w${workers}.csv`,
            "-q",
          ],
          { cwd: dir, encoding: "utf8", timeout: 120_000 },
        );
        expect(child.stderr).toBe("");
        expect(child.status).toBe(0);
      }
      const read = (name: string) => readFileSync(join(dir, name), "utf8");
      expect(read("w3.json")).toBe(read("w1.json"));
      expect(read("w3.csv")).toBe(read("w1.csv"));
      const json = JSON.parse(read("w1.json")) as SweepJson;
      const counts = json.rows.map((r) => r.seeds.length);
      // The rows settled on counts of their own, past the first five.
      expect(new Set(counts).size).toBeGreaterThan(1);
      expect(Math.max(...counts)).toBeGreaterThan(5);
    }, 120_000);
  },
);
