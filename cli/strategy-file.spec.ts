// End-to-end: a user's own strategy file, named by `balance:` in a scenario or by `--strategy`, through main().
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Results } from "../sim/index.js";
import { main } from "./main.js";
import { isStrategyFile } from "./simulate.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/first-usable.mjs", import.meta.url));
const STRATEGIES_PAGE = fileURLToPath(new URL("../docs/strategies.md", import.meta.url));
const STACK = /\n\s+at /;

let dir: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-strategy-file-"));
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

/**
 * Two servers with a constant 5 ms service and 100 requests/s for 10 s (1,000 requests); web01 is
 * put in maintenance at 5 s, so "the first usable server" sends the first half to web01, the rest
 * to web02.
 */
function scenario(
  balance: string,
  at = dir,
  arrivals = "{constant: 100/s}",
  events = '[{at: 5s, runtime: "disable server backend/web01"}]',
): string {
  const path = join(at, "scenario.yaml");
  writeFileSync(
    path,
    `name: own-strategy
seed: 3
duration: 10s
backend:
  balance: ${balance}
  servers:
    - {name: web01, service: {constant: 5ms}}
    - {name: web02, service: {constant: 5ms}}
clients:
  - name: browsers
    arrivals: ${arrivals}
events: ${events}
`,
  );
  return path;
}

function results(): Results {
  return JSON.parse(stdout) as Results;
}

function requestsBy(r: Results): Record<string, number> {
  return Object.fromEntries(r.servers.map((s) => [s.name, s.requests]));
}

describe("isStrategyFile", () => {
  it("takes paths and JavaScript or TypeScript file names, and no balance keyword", () => {
    for (const value of [
      "./mine.mjs",
      "../x/mine.js",
      "/abs/mine",
      "mine.js",
      "s/mine.cjs",
      "mine.ts",
      "./dir",
    ]) {
      expect(isStrategyFile(value), value).toBe(true);
    }
    for (const value of [
      "roundrobin",
      "random(2)",
      "uri whole len 10",
      "hdr(host)",
      "url_param js",
      "mine",
    ]) {
      expect(isStrategyFile(value), value).toBe(false);
    }
  });
});

describe("a user's strategy file", () => {
  it("runs from a scenario's balance, relative to the scenario, with the name as written", async () => {
    copyFileSync(FIXTURE, join(dir, "first-usable.mjs"));
    expect(await main(["run", scenario("./first-usable.mjs"), "--json", "-", "--deterministic"])).toBe(0);
    const r = results();
    expect(r.strategy).toBe("./first-usable.mjs");
    expect(r.requests.total).toBe(1000);
    expect(r.requests.failed).toBe(0);
    // Arrivals at 0, 10, …, 4990 ms find web01 usable; from 5000 ms on it is in maintenance.
    expect(requestsBy(r)).toEqual({ web01: 500, web02: 500 });
    expect(stderr).toBe("");
  });

  it("finds ../ relative to the scenario's folder, not the current one", async () => {
    copyFileSync(FIXTURE, join(dir, "first-usable.mjs"));
    mkdirSync(join(dir, "scenarios"));
    const path = scenario("../first-usable.mjs", join(dir, "scenarios"));
    expect(await main(["run", path, "--json", "-"])).toBe(0);
    expect(requestsBy(results())).toEqual({ web01: 500, web02: 500 });
  });

  it("runs --strategy ./file relative to the current folder", async () => {
    copyFileSync(FIXTURE, join(dir, "mine.mjs"));
    const path = scenario("roundrobin");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await main(["run", "scenario.yaml", "--strategy", "./mine.mjs", "--json", "-"])).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const r = results();
    expect(r.strategy).toBe("./mine.mjs");
    expect(requestsBy(r)).toEqual({ web01: 500, web02: 500 });
    expect(path).toBe(join(dir, "scenario.yaml"));
  });

  it("gives the same Results as a built-in strategy that chooses alike", async () => {
    // `first` without maxconn: the lowest id among the usable servers, as the fixture does.
    copyFileSync(FIXTURE, join(dir, "first-usable.mjs"));
    const path = scenario("./first-usable.mjs");
    expect(await main(["run", path, "--json", "-", "--deterministic"])).toBe(0);
    const own = results();
    stdout = "";
    expect(await main(["run", path, "--json", "-", "--deterministic", "--strategy", "first"])).toBe(0);
    const builtIn = results();
    expect({ ...own, strategy: "first" }).toEqual(builtIn);
  });

  it("names a missing file, where it was looked for, with exit code 2 and no stack", async () => {
    expect(await main(["run", scenario("./nope.mjs"), "--json", "-"])).toBe(2);
    expect(stderr).toBe(
      `${join(dir, "nope.mjs")}: strategy file not found (hint: backend.balance "./nope.mjs" in ` +
        `${join(dir, "scenario.yaml")} is relative to the scenario's folder)\n`,
    );
    expect(stdout).toBe("");
  });

  it("names a file that exports no strategy factory", async () => {
    writeFileSync(join(dir, "empty.mjs"), 'export const balance = "roundrobin";\n');
    expect(await main(["run", scenario("./empty.mjs"), "--json", "-"])).toBe(2);
    expect(stderr).toContain(`${join(dir, "empty.mjs")}: exports no strategy factory (found: balance)`);
    expect(stderr).toContain("createStrategy");
    expect(stderr).not.toMatch(STACK);
  });

  it("refuses a TypeScript file as Node does, telling how to compile it", async () => {
    writeFileSync(join(dir, "mine.ts"), "export default (servers: unknown[]) => servers;\n");
    expect(await main(["run", scenario("./mine.ts"), "--json", "-"])).toBe(2);
    expect(stderr).toContain(`${join(dir, "mine.ts")}: Node cannot import a TypeScript file`);
    expect(stderr).toContain("npx esbuild mine.ts --outfile=mine.mjs");
    expect(stderr).not.toMatch(STACK);
  });

  it("reports a strategy that lacks a callback before running, and one that throws while running", async () => {
    writeFileSync(join(dir, "partial.mjs"), "export default () => ({ pick: () => undefined });\n");
    const trace = join(dir, "t.csv");
    expect(await main(["run", scenario("./partial.mjs"), "--trace", trace])).toBe(2);
    expect(stderr).toContain(`${join(dir, "partial.mjs")}: the strategy lacks serverUp(), serverDown()`);
    expect(() => readFileSync(trace)).toThrow();

    stderr = "";
    writeFileSync(
      join(dir, "broken.mjs"),
      `export default (servers) => ({
  serverUp() {}, serverDown() {}, weightChanged() {}, taken() {}, released() {},
  pick: (request) => servers[request.nosuch.length],
});
`,
    );
    expect(await main(["run", scenario("./broken.mjs"), "--json", "-"])).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^${join(dir, "broken.mjs").replaceAll(".", "\\.")}: the strategy's pick\\(\\) threw TypeError: `,
      ),
    );
    expect(stderr).not.toMatch(STACK);
    expect(stderr).not.toContain("internal error");
  });

  it("says a file strategy may be given when the balance is unknown", async () => {
    expect(await main(["run", scenario("my-strategy"), "--json", "-"])).toBe(2);
    expect(stderr).toContain("or a file of your own, such as ./my-strategy.mjs");
  });

  it("lists the option in lbsim list", async () => {
    expect(await main(["list"])).toBe(0);
    expect(stdout).toMatch(/^ {2}\.\/my-strategy\.mjs +your own, from a JavaScript file/m);
  });
});

describe("docs/strategies.md", () => {
  it("has an example strategy file that runs as written", async () => {
    const page = readFileSync(STRATEGIES_PAGE, "utf8");
    const section = page.slice(page.indexOf("\n## Your own strategy"));
    const example = /\n```js\n(\/\/ (\S+\.mjs):[\s\S]*?)```/.exec(section);
    expect(example, "a ```js block whose first line is // <name>.mjs: …").not.toBeNull();
    const [, body, name] = example!;
    writeFileSync(join(dir, name!), body!);
    // Busy enough that web01 is often in flight when a request comes: ties go to the first.
    const path = scenario(`./${name}`, dir, "{poisson: 250/s}", "[]");
    expect(await main(["run", path, "--json", "-"])).toBe(0);
    const r = results();
    expect(r.strategy).toBe(`./${name}`);
    const by = requestsBy(r);
    expect(by.web01! + by.web02!).toBe(r.requests.total);
    expect(by.web01).toBeGreaterThan(by.web02!);
    expect(by.web02).toBeGreaterThan(200);
    expect(r.requests.failed).toBe(0);
  });
});
