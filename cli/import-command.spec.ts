// `lbsim import <haproxy.cfg>`: the golden scenario of the tutorial's cfg, and its exit codes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenarios/index.js";
import { runCli } from "./app.js";
import { createToolkit, findPackage } from "./main.js";
import { recordingIo } from "./test-support.js";

const pkg = findPackage();
const dir = mkdtempSync(join(tmpdir(), "lbsim-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lbsimImport(...args: string[]) {
  const io = recordingIo(pkg.root);
  const code = await runCli(["import", ...args], createToolkit({ LBSIM_WORKER: "0" }), pkg, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("lbsim import", () => {
  it("prints the tutorial's scenario as in the golden file", async () => {
    const { code, stdout, stderr } = await lbsimImport("scenarios/library/tutorial.cfg");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    await expect(stdout).toMatchFileSnapshot("golden/import-tutorial.yaml");
  });

  it("prints a scenario that loads once its clients are uncommented", async () => {
    const { stdout } = await lbsimImport("scenarios/library/tutorial.cfg");
    const text = stdout.replace(/^# ( *)(clients:|- name:|arrivals:|sources:|paths:)/gm, "$1$2");
    const scenario = parseScenario(text, "imported.yaml");
    expect(scenario.backend).toMatchObject({
      name: "web_servers",
      balance: "roundrobin",
      timeout: { connectMs: 5000, serverMs: 50_000 },
    });
    expect(scenario.frontend).toMatchObject({ name: "test", clientTimeoutMs: 50_000 });
    expect(scenario.backend.servers.map((s) => [s.name, s.check?.type])).toEqual([
      ["ha-proxy1", "http"],
      ["ha-proxy2", "http"],
    ]);
  });

  it("lists what it did not understand at the end, and on stderr", async () => {
    const file = join(dir, "odd.cfg");
    writeFileSync(
      file,
      "frontend f\n  default_backend b\n  use_backend be_%[req.hdr(host)]\nbackend b\n  retry-on conn-failure\n  server s 1:1\nbackend c\n  server t 1:1\n",
    );
    const { code, stdout, stderr } = await lbsimImport(file);
    expect(code).toBe(0);
    expect(stdout).toContain("# Not understood or not simulated:\n");
    expect(stdout).toContain(
      `#   ${file}:3: use_backend be_%[req.hdr(host)]: a backend name computed per request (%[…]) is not simulated`,
    );
    expect(stdout).toContain(`#   ${file}:5: "retry-on" in backend b is not understood; it is left out`);
    expect(stdout).toContain(`#   ${file}:7: backend c receives no traffic`);
    expect(stderr.split("\n")[0]).toBe(
      `${file}:3: warning: use_backend be_%[req.hdr(host)]: a backend name computed per request (%[…]) is not simulated; the rule is left out`,
    );
  });

  it("exits 2 with file:line:col for a malformed value", async () => {
    const file = join(dir, "bad.cfg");
    writeFileSync(file, "backend b\n  timeout server 5x\n  server s 1:1\n");
    const { code, stdout, stderr } = await lbsimImport(file);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${file}:2:18: timeout server: found "5x"`);
  });

  it("exits 2 for a missing file, and 2 with usage for no file", async () => {
    expect(await lbsimImport("nope.cfg")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("nope.cfg: haproxy.cfg file not found"),
    });
    expect(await lbsimImport()).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("import needs a haproxy.cfg file"),
    });
  });

  it("has help", async () => {
    const { stdout } = await lbsimImport("--help");
    expect(stdout).toContain("Usage: lbsim import <haproxy.cfg>");
    expect(stdout).toContain("the routing between them (acl, use_backend,\ndefault_backend)");
    expect(stdout).not.toContain("use_backend routing");
  });
});
