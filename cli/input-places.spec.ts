// Bad input met by the CLI itself still gets file:line:col: an unknown `balance` or `compare:`
// name (resolved here, where user strategy files are known), and a binary haproxy.cfg to import.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./app.js";
import { createToolkit, findPackage } from "./main.js";
import { recordingIo } from "./test-support.js";

const pkg = findPackage();
const dir = mkdtempSync(join(tmpdir(), "lbsim-places-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lbsim(...args: string[]) {
  const io = recordingIo(dir);
  const code = await runCli(args, createToolkit({ LBSIM_WORKER: "0" }), pkg, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const SCENARIO = `duration: 2s
backend:
  balance: roundrobbin
  service: {exponential: 10ms}
  servers:
    - {name: web01}
clients:
  - name: c
    arrivals: {poisson: 10/s}
`;

describe("an unknown strategy name in a scenario has its line and column", () => {
  it("backend.balance, for run and check", async () => {
    writeFileSync(join(dir, "bal.yaml"), SCENARIO);
    for (const command of ["run", "check"]) {
      const { code, stderr } = await lbsim(command, join(dir, "bal.yaml"));
      expect(code).toBe(2);
      expect(stderr).toContain(
        `${join(dir, "bal.yaml")}:3:12: backend.balance: unknown strategy "roundrobbin"`,
      );
    }
  });

  it("backends[i].balance", async () => {
    const text = `duration: 2s
backends:
  - name: a
    balance: roundrobin
    service: {exponential: 10ms}
    servers: [{name: web01}]
  - name: b
    balance: leastconm
    service: {exponential: 10ms}
    servers: [{name: web02}]
frontend:
  default_backend: a
clients:
  - name: c
    arrivals: {poisson: 10/s}
`;
    writeFileSync(join(dir, "two.yaml"), text);
    const { code, stderr } = await lbsim("run", join(dir, "two.yaml"));
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${join(dir, "two.yaml")}:8:14: backends[1].balance: unknown strategy "leastconm"`,
    );
  });

  it("compare[i], for compare and check", async () => {
    writeFileSync(
      join(dir, "cmp.yaml"),
      `${SCENARIO.replace("roundrobbin", "roundrobin")}compare: [roundrobin, leastcon]\n`,
    );
    for (const command of ["compare", "check"]) {
      const { code, stderr } = await lbsim(command, join(dir, "cmp.yaml"));
      expect(code).toBe(2);
      expect(stderr).toContain(`${join(dir, "cmp.yaml")}:10:23: compare[1]: unknown strategy "leastcon"`);
    }
  });
});

describe("lbsim import of a binary file", () => {
  it("is not a text file, exit 2", async () => {
    writeFileSync(join(dir, "bin.cfg"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]));
    const { code, stdout, stderr } = await lbsim("import", "bin.cfg");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("bin.cfg:1:5: not a text file: a NUL byte here");
  });
});
