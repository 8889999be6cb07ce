// Spec of `lbsim sweep --shard` and `lbsim merge` in process: shards joined byte for byte, and every refusal.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { interruptingToolkit, realToolkit, SMALL, sweepHelpers } from "./sweep-test-support.js";
import { cliSandbox } from "./test-support.js";

const sandbox = cliSandbox("lbsim-merge-");
const { write } = sweepHelpers(sandbox);

const GRID = [
  "--set",
  "clients.load.arrivals.poisson=40/s,80/s",
  "--strategies",
  "roundrobin,leastconn",
  "--replications",
  "3",
];

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  sandbox.freshIo();
  const code = await sandbox.cli(argv, realToolkit());
  return { code, out: sandbox.io.stdout(), err: sandbox.io.stderr() };
}

const read = (name: string) => readFileSync(join(sandbox.dir, name), "utf8");

/** Shards 1..n of the grid (plus `extra`), as s1.json…; each must succeed. */
async function shards(n: number, extra: string[] = [], prefix = "s"): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= n; i++) {
    const file = `${prefix}${i}.json`;
    const run = await cli(["sweep", "small.yaml", ...GRID, ...extra, "--shard", `${i}/${n}`, "--json", file]);
    expect(run.code, run.err).toBe(0);
    files.push(file);
  }
  return files;
}

describe("lbsim merge: the shards joined are the one-machine sweep, byte for byte", () => {
  it.each([3, 5, 13])("with %i shards, in any order: the same JSON, CSV and table", async (n) => {
    write("small.yaml", SMALL);
    const whole = await cli(["sweep", "small.yaml", ...GRID, "--json", "whole.json", "--csv", "whole.csv"]);
    expect(whole.code).toBe(0);
    const files = await shards(n);
    const merged = await cli(["merge", ...files.reverse(), "--json", "merged.json", "--csv", "merged.csv"]);
    expect(merged.code, merged.err).toBe(0);
    expect(read("merged.json")).toBe(read("whole.json"));
    expect(read("merged.csv")).toBe(read("whole.csv"));
    expect(merged.out).toBe(whole.out);
    expect(merged.out).toContain("leastconn");
  });

  it("writes the JSON to stdout with --json - (and no table)", async () => {
    write("small.yaml", SMALL);
    const whole = await cli(["sweep", "small.yaml", ...GRID, "--json", "-", "-q"]);
    const merged = await cli(["merge", ...(await shards(2)), "--json", "-"]);
    expect(merged.out).toBe(whole.out);
  });

  it("a shard holds the runs of its slice, not means: 4 of 12 runs for shard 2/3", async () => {
    write("small.yaml", SMALL);
    await shards(3);
    const shard = JSON.parse(read("s2.json"));
    expect(shard.kind).toBe("lbsim-sweep-shard");
    expect(shard.shard).toEqual({ index: 2, count: 3 });
    expect(shard.runs.map((r: { task: number }) => r.task)).toEqual([1, 4, 7, 10]);
    expect(shard.runs[0].figures).toHaveLength(shard.grid.metrics.length);
    expect(shard.grid).toMatchObject({ file: "small.yaml", seed: 7, replications: 3, backend: null });
  });
});

describe("lbsim merge: refusals (exit 2, a clear message)", () => {
  it("refuses a shard of a different sweep (another --set), naming what differs", async () => {
    write("small.yaml", SMALL);
    const [one] = await shards(2);
    const other = await cli([
      "sweep",
      "small.yaml",
      ...GRID.slice(0, 1),
      "clients.load.arrivals.poisson=40/s,90/s",
      ...GRID.slice(2),
      "--shard",
      "2/2",
      "--json",
      "other.json",
    ]);
    expect(other.code).toBe(0);
    const merged = await cli(["merge", one as string, "other.json"]);
    expect(merged.code).toBe(2);
    expect(merged.err).toBe(
      'lbsim merge: shards of different sweeps: s1.json (1/2) and other.json (2/2) differ in --set values\nRun "lbsim merge --help" for usage.\n',
    );
  });

  it("refuses a shard of another scenario text", async () => {
    write("small.yaml", SMALL);
    const [one] = await shards(2);
    write("small.yaml", SMALL.replace("duration: 2s", "duration: 3s"));
    const [, two] = await shards(2, [], "t");
    const merged = await cli(["merge", one as string, two as string]);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain("differ in scenario text");
  });

  it("refuses a shard whose scenario extends another parent file (same text, different parsed scenario)", async () => {
    write("parent.yaml", SMALL);
    // The swept field is written in the child: a path is resolved in the file given.
    write("small.yaml", "extends: parent.yaml\nname: child\nduration: 2s\n");
    // The real toolkit resolves extends: from the scenario's path: given whole, the sandbox's.
    const scenario = join(sandbox.dir, "small.yaml");
    const shard = (i: number, file: string) =>
      cli(["sweep", scenario, "--set", "duration=1s,2s", "--shard", `${i}/2`, "--json", file]);
    expect((await shard(1, "a.json")).code).toBe(0);
    write("parent.yaml", SMALL.replace("exponential: 10ms", "exponential: 12ms"));
    expect((await shard(2, "b.json")).code).toBe(0);
    const merged = await cli(["merge", "a.json", "b.json"]);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain("differ in parsed scenarios (the files the scenario extends or imports)\n");
  });

  it("refuses shards of different seeds", async () => {
    write("small.yaml", SMALL);
    const [one] = await shards(2);
    const [, two] = await shards(2, ["--seed", "8"], "t");
    const merged = await cli(["merge", one as string, two as string]);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain("shards of different seeds: s1.json has seed 7, t2.json seed 8");
  });

  it("refuses shards of different lbsim versions", async () => {
    write("small.yaml", SMALL);
    const [one, two] = await shards(2);
    write(two as string, read(two as string).replace(/"lbsim": "[^"]*"/, '"lbsim": "9.9.9"'));
    const merged = await cli(["merge", one as string, two as string]);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain("shards of different lbsim versions");
    expect(merged.err).toContain("s2.json by lbsim 9.9.9");
  });

  it("names a missing shard, and several", async () => {
    write("small.yaml", SMALL);
    const files = await shards(4);
    const one = await cli(["merge", files[0] as string, files[2] as string, files[3] as string]);
    expect(one.code).toBe(2);
    expect(one.err).toContain("lbsim merge: shard 2/4 missing (got 3 of 4)");
    const two = await cli(["merge", files[2] as string, files[1] as string]);
    expect(two.err).toContain("lbsim merge: shards 1/4, 4/4 missing (got 2 of 4)");
  });

  it("refuses a doubled shard, the same file or a copy", async () => {
    write("small.yaml", SMALL);
    const [one, two] = await shards(2);
    write("copy.json", read(two as string));
    const same = await cli(["merge", one as string, one as string, two as string]);
    expect(same.code).toBe(2);
    expect(same.err).toContain("shard 1/2 given twice: s1.json and s1.json (the same file)");
    const copy = await cli(["merge", one as string, two as string, "copy.json"]);
    expect(copy.err).toContain("shard 2/2 given twice: s2.json and copy.json\n");
  });

  it("refuses a sweep's JSON, an edited shard, and an unreadable file", async () => {
    write("small.yaml", SMALL);
    const [one, two] = await shards(2);
    await cli(["sweep", "small.yaml", ...GRID, "--json", "whole.json", "-q"]);
    const whole = await cli(["merge", one as string, "whole.json"]);
    expect(whole.code).toBe(2);
    expect(whole.err).toContain("whole.json is not a shard file");
    expect(whole.err).toContain("already merged");
    const shard = JSON.parse(read(two as string));
    shard.grid.replications = 2;
    writeFileSync(join(sandbox.dir, "edited.json"), JSON.stringify(shard));
    const edited = await cli(["merge", one as string, "edited.json"]);
    expect(edited.err).toContain("edited.json: its fingerprint does not match its grid");
    const missing = await cli(["merge", one as string, "nope.json"]);
    expect(missing.err).toContain("cannot read the shard nope.json: no such file");
  });

  it("refuses to write the merged sweep over a shard", async () => {
    write("small.yaml", SMALL);
    const [one, two] = await shards(2);
    const before = read(one as string);
    const merged = await cli(["merge", one as string, two as string, "--json", one as string]);
    expect(merged.code).toBe(2);
    expect(read(one as string)).toBe(before);
  });
});

describe("lbsim sweep --shard: bad input before anything runs", () => {
  it("needs --json (a shard is a file) and refuses --csv", async () => {
    write("small.yaml", SMALL);
    const toolkit = realToolkit();
    sandbox.freshIo();
    expect(await sandbox.cli(["sweep", "small.yaml", ...GRID, "--shard", "1/2"], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain("give --json FILE");
    sandbox.freshIo();
    expect(
      await sandbox.cli(
        ["sweep", "small.yaml", ...GRID, "--shard", "1/2", "--json", "a.json", "--csv", "a.csv"],
        toolkit,
      ),
    ).toBe(2);
    expect(sandbox.io.stderr()).toContain("lbsim merge --csv writes the CSV");
    sandbox.freshIo();
    const auto = ["--replications", "auto", "--shard", "1/2", "--json", "a.json"];
    expect(await sandbox.cli(["sweep", "small.yaml", "--set", "duration=1s,2s", ...auto], toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toContain("--shard needs a fixed --replications N");
    expect(toolkit.runs()).toBe(0);
  });

  it("runs only its slice: shard 1/3 of 12 runs runs 4", async () => {
    write("small.yaml", SMALL);
    const toolkit = realToolkit();
    sandbox.freshIo();
    expect(
      await sandbox.cli(["sweep", "small.yaml", ...GRID, "--shard", "1/3", "--json", "a.json"], toolkit),
    ).toBe(0);
    expect(toolkit.runs()).toBe(4);
    expect(sandbox.io.stderr()).toContain("shard 1/3: 4 of 12 runs");
  });
});

describe("lbsim sweep --shard: Ctrl-C", () => {
  it("writes no shard file (merge could not use a partial slice) and exits 130", async () => {
    write("small.yaml", SMALL);
    const toolkit = interruptingToolkit(2, () => sandbox.io.interrupt());
    sandbox.freshIo();
    expect(
      await sandbox.cli(["sweep", "small.yaml", ...GRID, "--shard", "1/2", "--json", "a.json"], toolkit),
    ).toBe(130);
    expect(existsSync(join(sandbox.dir, "a.json"))).toBe(false);
    expect(sandbox.io.stderr()).toContain("a shard is written only whole, so nothing was written");
  });
});

describe("lbsim merge: help", () => {
  it("answers lbsim merge --help and lbsim help merge with the same text, and the main help lists merge", async () => {
    const own = await cli(["merge", "--help"]);
    const viaHelp = await cli(["help", "merge"]);
    expect(own.code).toBe(0);
    expect(own.out).toContain("Usage: lbsim merge <shard.json>…");
    expect(viaHelp.out).toBe(own.out);
    const main = await cli(["--help"]);
    expect(main.out).toContain("lbsim merge <shard.json>…");
    expect(main.out).not.toContain("Coming in later versions");
    expect((await cli(["help", "sweep"])).out).toContain("--shard i/n|auto/n");
  });

  it("needs at least one shard file", async () => {
    const none = await cli(["merge"]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("lbsim merge: missing the shard files");
  });
});
