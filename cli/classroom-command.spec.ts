// lbsim classroom: the same bad-input messages and exit code as lbsim run, the page served with
// the given scenario (a cfg with clients added) until Ctrl-C, the browser opener.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./app.js";
import { opener } from "./classroom-command.js";
import { createToolkit, findPackage } from "./main.js";
import { recordingIo, runMain } from "./test-support.js";

describe("lbsim classroom", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-cli-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports a missing file and an invalid scenario exactly as lbsim run does, with exit 2", async () => {
    const missing = join(dir, "nope.yaml");
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: bad\nduration: 3q\n");
    for (const file of [missing, bad]) {
      const run = await runMain(["run", file]);
      const classroom = await runMain(["classroom", file, "--no-open"]);
      expect(classroom.code).toBe(2);
      expect(run.code).toBe(2);
      expect(classroom.stderr).toBe(run.stderr);
      expect(classroom.stdout).toBe("");
    }
    expect((await runMain(["classroom", bad])).stderr).toContain("bad.yaml:2:11: duration:");
  });

  it("reports a malformed haproxy.cfg at its line and column, with exit 2", async () => {
    const cfg = join(dir, "bad.cfg");
    writeFileSync(cfg, "backend web\n    timeout server soon\n    server s1 10.0.0.1:80\n");
    const { code, stderr } = await runMain(["classroom", cfg, "--no-open"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.cfg:2:\d+: /);
  });

  it("refuses a bad --port and a second file", async () => {
    expect((await runMain(["classroom", "--port", "http"])).code).toBe(2);
    expect((await runMain(["classroom", "a.yaml", "b.yaml"])).stderr).toContain("takes one file");
  });

  it("serves the page with the given haproxy.cfg made a scenario until Ctrl-C, then stops cleanly", async () => {
    const cfg = join(dir, "tutorial.cfg");
    writeFileSync(
      cfg,
      "backend web_servers\n    balance roundrobin\n    server web01 10.0.0.1:80 check\n    server web02 10.0.0.2:80 check\n",
    );
    const io = recordingIo(dir, { env: {} });
    const done = runCli(["classroom", cfg, "--no-open"], createToolkit({}), findPackage(), io);
    await expect.poll(() => io.stdout(), { timeout: 5000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(io.stdout())?.[0] ?? "";
    try {
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain("lbsim classroom");
      const { source } = (await (await fetch(`${url}scenario`)).json()) as {
        source: { file: string; text: string; note: string };
      };
      expect(source.file).toBe(cfg.replace(/\.cfg$/, ".yaml"));
      expect(source.text).toContain("- { name: web01, check: true }");
      expect(source.text).toContain("arrivals: { poisson: 50/s }");
      expect(source.note).toContain("50 requests/s");
    } finally {
      io.interrupt();
    }
    expect(await done).toBe(0);
    expect(io.stderr()).toContain("stopped");
    await expect(fetch(url)).rejects.toThrow();
  });

  it("opens the browser with the system's opener when there is one on the PATH", () => {
    expect(opener("linux", "")).toBeUndefined();
    const bin = mkdtempSync(join(dir, "bin-"));
    writeFileSync(join(bin, "xdg-open"), "#!/bin/sh\n");
    chmodSync(join(bin, "xdg-open"), 0o755);
    expect(opener("linux", `/nowhere:${bin}`)).toEqual({ command: "xdg-open", args: [] });
    expect(opener("darwin", "")).toBeUndefined();
    expect(opener("win32", "")).toEqual({ command: "cmd", args: ["/c", "start", '""'] });
  });
});
