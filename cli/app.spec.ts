// Spec of cli/app.ts: dispatch, help, version, unknown commands, and `lbsim list`, with a fake toolkit.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { runCli } from "./app.js";
import type { Toolkit } from "./context.js";
import { cliFolder, fakePackage, fakeToolkit, type RecordingIo, sampleScenario } from "./test-support.js";

let dir: string;
let io: RecordingIo;
beforeEach(() => {
  ({ dir, io } = cliFolder("lbsim-app-", { tutorial: true }));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[], toolkit: Toolkit = fakeToolkit()): Promise<number> {
  return runCli(argv, toolkit, fakePackage(dir), io);
}

describe("lbsim (top level)", () => {
  it("prints the version with --version", async () => {
    expect(await cli(["--version"])).toBe(0);
    expect(io.stdout()).toBe("lbsim 9.8.7\n");
  });

  it("prints the help on stdout with --help, -h and help", async () => {
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      expect(await cli(argv)).toBe(0);
    }
    expect(io.stdout()).toContain("lbsim run <scenario> [options]");
  });

  it("lists the documentation pages in lbsim help", async () => {
    expect(await cli(["help"])).toBe(0);
    expect(io.stdout()).toMatch(/\nDocumentation \(in the lbsim folder\):\n {2}README\.md +what lbsim is/);
    expect(io.stdout()).toMatch(/^ {2}docs\/cli\.md +every command and option/m);
  });

  it("prints a command's help with help run and run --help", async () => {
    expect(await cli(["help", "run"])).toBe(0);
    expect(await cli(["run", "--help"])).toBe(0);
    expect(io.stdout().match(/--json FILE\|-/g)).toHaveLength(2);
  });

  it("answers exit code 2 with the usage on stderr when no command is given", async () => {
    expect(await cli([])).toBe(2);
    expect(io.stderr()).toContain("Usage:");
    expect(io.stdout()).toBe("");
  });

  it("rejects an unknown command with a suggestion and a usage hint", async () => {
    expect(await cli(["rnu"])).toBe(2);
    expect(io.stderr()).toBe(
      'lbsim: unknown command "rnu" (did you mean "run"?)\nRun "lbsim --help" for usage.\n',
    );
  });

  it("rejects an unknown top-level option", async () => {
    expect(await cli(["--verison"])).toBe(2);
    expect(io.stderr()).toContain("lbsim: unknown option --verison (did you mean --version?)");
  });

  it("runs merge (no longer 'not implemented yet'): a missing shard file is bad input naming it", async () => {
    expect(await cli(["merge", "x.json"])).toBe(2);
    expect(io.stderr()).toBe(
      'lbsim merge: cannot read the shard x.json: no such file\nRun "lbsim merge --help" for usage.\n',
    );
  });
});

describe("lbsim list", () => {
  it("lists the strategies and each library scenario with the first line of its description", async () => {
    writeFileSync(join(dir, "scenarios", "library", "failover.yaml"), "name: failover\n");
    writeFileSync(join(dir, "scenarios", "library", "notes.txt"), "not a scenario\n");
    const toolkit: Toolkit = {
      ...fakeToolkit(),
      loadScenarioFile: (path) => {
        const name = path.endsWith("tutorial.yaml") ? "tutorial" : "failover";
        return sampleScenario({ name, description: `About ${name}.\nDetails.` });
      },
    };
    expect(await cli(["list"], toolkit)).toBe(0);
    expect(io.stdout()).toBe(
      "Strategies (backend.balance, or run --strategy NAME):\n" +
        "  roundrobin  static-rr  leastconn  first  source  uri  random\n" +
        "  ./my-strategy.mjs  your own, from a JavaScript file (docs/strategies.md); in a scenario, relative to it\n" +
        "\n" +
        "Ready scenarios (lbsim run FILE):\n" +
        "  failover  scenarios/library/failover.yaml  About failover.\n" +
        "  tutorial  scenarios/library/tutorial.yaml  About tutorial.\n",
    );
  });

  it("describes each strategy when the strategies say what they do", async () => {
    const toolkit: Toolkit = {
      ...fakeToolkit(),
      strategyNames: () => ["roundrobin", "leastconn"],
      describeStrategy: (name) => (name === "roundrobin" ? "in turn" : undefined),
    };
    expect(await cli(["list"], toolkit)).toBe(0);
    expect(io.stdout()).toMatch(
      /^Strategies \(backend\.balance, or run --strategy NAME\):\n {2}roundrobin {9}in turn\n {2}leastconn\n {2}\.\/my-strategy\.mjs {2}your own, /,
    );
  });

  it("shows a library scenario that does not load, with its issue on stderr", async () => {
    const toolkit: Toolkit = {
      ...fakeToolkit(),
      loadScenarioFile: (path) => {
        throw InputError.one({ code: "syntax", file: path, line: 2, column: 1, path: "", message: "bad" });
      },
    };
    expect(await cli(["list"], toolkit)).toBe(0);
    expect(io.stdout()).toContain("tutorial.yaml  scenarios/library/tutorial.yaml  (does not load");
    expect(io.stderr()).toContain("tutorial.yaml:2:1: bad");
  });

  it("rejects arguments", async () => {
    expect(await cli(["list", "extra"])).toBe(2);
    expect(io.stderr()).toContain("lbsim list: list takes no arguments");
  });
});
