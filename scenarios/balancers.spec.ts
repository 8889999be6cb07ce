// The scenario's `balancers: {count, spread}` (several balancer instances): defaults, and bad input at its line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BASE, issuesOf } from "./errors-test-support.js";
import { parseScenario } from "./parse.js";

const withBalancers = (line: string) => `${BASE}balancers: ${line}\n`;

describe("balancers: several balancer instances", () => {
  it("is absent unless given; spread defaults to roundrobin", () => {
    expect("balancers" in parseScenario(BASE, "s.yaml")).toBe(false);
    expect(parseScenario(withBalancers("{count: 4}"), "s.yaml").balancers).toEqual({
      count: 4,
      spread: "roundrobin",
    });
    expect(parseScenario(withBalancers("{count: 64, spread: source}"), "s.yaml").balancers).toEqual({
      count: 64,
      spread: "source",
    });
  });

  it("refuses a count that is not a whole number from 1 to 64, and an unknown spread, at their line", () => {
    // BASE has 10 lines: `balancers:` is line 11, its value starts at column 12.
    for (const [line, column, path] of [
      ["{count: 0}", 20, "balancers.count"],
      ["{count: 65}", 20, "balancers.count"],
      ["{count: 2.5}", 20, "balancers.count"],
      ["{count: 2, spread: hash}", 31, "balancers.spread"],
    ] as const) {
      const [issue, ...more] = issuesOf(withBalancers(line));
      expect(more).toEqual([]);
      expect(issue).toMatchObject({ file: "s.yaml", line: 11, column, path });
    }
    expect(issuesOf(withBalancers("{spread: source}"))[0]).toMatchObject({
      line: 11,
      path: "balancers.count",
    });
  });

  const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "lbsim.js");
  const built = existsSync(join(dirname(bin), "..", "dist", "cli"));
  it.skipIf(!built)("bad input exits 2 with file:line and no stack trace (bin/lbsim.js)", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-balancers-"));
    try {
      writeFileSync(join(dir, "s.yaml"), withBalancers("{count: 100}"));
      const child = spawnSync(process.execPath, [bin, "run", "s.yaml"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, LBSIM_WORKER: "0" },
      });
      expect(child.status).toBe(2);
      expect(child.stderr).toMatch(/^s\.yaml:11:20: balancers\.count: /);
      expect(child.stderr).not.toMatch(/\bat .*\.js:\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
