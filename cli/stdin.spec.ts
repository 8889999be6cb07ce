// Spec of `-` as a scenario (cli/stdin.ts): standard input for run, compare and check, named <stdin>, relative to the current folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadScenarioFile, type Scenario } from "../scenarios/node.js";
import { runCli } from "./app.js";
import { cliBuilt, LBSIM_BIN } from "./built-cli-test-support.js";
import type { CheckJson } from "./check-report.js";
import { fakePackage, fakeToolkit, recordingIo } from "./test-support.js";

const SCENARIO = `name: piped
duration: 2s
backend:
  servers:
    - {name: web01, service: {constant: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 20/s}}
compare: [roundrobin, leastconn]
expect: ["p99 < 1s"]
`;

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-stdin-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A fake toolkit with the real loader, recording what it was asked to load. */
function loading() {
  const loads: Array<{ path: string; text?: string }> = [];
  let scenario: Scenario | undefined;
  const toolkit = {
    ...fakeToolkit(),
    loadScenarioFile: (path: string, options: { text?: string } = {}) => {
      loads.push({ path, ...(options.text === undefined ? {} : { text: options.text }) });
      scenario = loadScenarioFile(path, options);
      return scenario;
    },
  };
  return { toolkit, loads, scenario: () => scenario };
}

describe("a scenario read from standard input", () => {
  for (const command of [["run"], ["compare"], ["check"]]) {
    it(`lbsim ${command[0]} - loads standard input's text as <stdin>`, async () => {
      let reads = 0;
      const io = recordingIo(dir, {
        readStdin: () => {
          reads++;
          return SCENARIO;
        },
      });
      const { toolkit, loads, scenario } = loading();
      const code = await runCli([...command, "-", "--json", "-"], toolkit, fakePackage(dir), io);
      expect(io.stderr()).not.toContain("not found");
      // The fake simulator's Results carry a failing check of their own (exit 1 for run): no exit 2.
      expect(code).not.toBe(2);
      expect(loads).toEqual([{ path: "<stdin>", text: SCENARIO }]);
      expect(reads).toBe(1);
      expect(scenario()?.name).toBe("piped");
      // The runs happen in the current folder: traces and strategy files resolve there.
      expect(toolkit.jobs[0]?.scenarioDir).toBe(dir);
    });
  }

  it("names <stdin> in messages about the scenario", async () => {
    const io = recordingIo(dir, { readStdin: () => "duration: 2s\nclients: []\n" });
    expect(await runCli(["run", "-"], loading().toolkit, fakePackage(dir), io)).toBe(2);
    expect(io.stderr()).toMatch(/^<stdin>:2:10: /m);
  });

  it("check reads standard input once when - is given twice", async () => {
    let reads = 0;
    const io = recordingIo(dir, {
      readStdin: () => {
        reads++;
        return SCENARIO;
      },
    });
    const { toolkit } = loading();
    expect(await runCli(["check", "-", "-", "--json", "-"], toolkit, fakePackage(dir), io)).toBe(0);
    expect(reads).toBe(1);
    expect((JSON.parse(io.stdout()) as CheckJson).scenarios.map((s) => s.file)).toEqual(["<stdin>"]);
  });
});

const bin = LBSIM_BIN;
const built = cliBuilt("cli/main.js");

describe.skipIf(!built)("lbsim run - through bin/lbsim.js (the built CLI; npm run build)", () => {
  it("reads the scenario from a pipe, with extends: relative to the current folder", () => {
    writeFileSync(join(dir, "base.yaml"), SCENARIO.replace("name: piped\n", ""));
    const child = spawnSync(process.execPath, [bin, "run", "-", "--json", "-", "--deterministic"], {
      cwd: dir,
      input: "name: from-pipe\nextends: base.yaml\nseed: 5\n",
      encoding: "utf8",
      env: { ...process.env, LBSIM_WORKER: "0" },
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    const results = JSON.parse(child.stdout) as {
      scenario: string;
      seed: number;
      requests: { total: number };
    };
    expect(results).toMatchObject({ scenario: "from-pipe", seed: 5 });
    expect(results.requests.total).toBeGreaterThan(0);
  });

  it("refuses binary standard input as it refuses a binary file (exit 2, no stack trace)", () => {
    const child = spawnSync(process.execPath, [bin, "run", "-"], {
      cwd: dir,
      input: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]),
      encoding: "utf8",
      env: { ...process.env, LBSIM_WORKER: "0" },
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/^<stdin>:1:\d+: not a text file/);
    expect(child.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
