// user-strategy spec: loading a strategy file, and clear InputErrors naming the file and what is wrong.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { FakeModel } from "./test-support.js";
import { loadUserStrategy } from "./user-strategy.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The InputError a promise or a call rejects with. */
async function inputErrorOf(run: () => unknown): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("loadUserStrategy", () => {
  it("loads a default-exported factory and runs the strategy it builds", async () => {
    const factory = await loadUserStrategy(fixture("round-robin.mjs"));
    const model = new FakeModel(factory, [1, 1, 1]);
    expect(model.strategy.name).toBe("my-round-robin");
    expect(model.sequence(4)).toEqual(["s1", "s2", "s3", "s1"]);
    model.down(1);
    expect(model.sequence(2)).toEqual(["s3", "s1"]);
    expect(model.strategy.queueWhenBacklogged).toBe(false);
    expect(model.strategy.ignoresFullness).toBe(false);
  });

  it("loads `createStrategy` from an ES module and from CommonJS, naming it after the file if it has no name", async () => {
    const named = new FakeModel(await loadUserStrategy(fixture("named.js")), [1, 1]);
    expect(named.strategy.name).toBe("named");
    expect(named.sequence(2)).toEqual(["s1", "s1"]);
    expect(typeof named.strategy.observed).toBe("function");
    const cjs = new FakeModel(await loadUserStrategy(fixture("commonjs.cjs")), [1, 1]);
    expect(cjs.strategy.name).toBe("cjs");
    expect(cjs.strategy.queueWhenBacklogged).toBe(true);
    expect(cjs.sequence(2)).toEqual(["s2", "s2"]);
  });

  it("reports a missing file as file-not-found", async () => {
    const error = await inputErrorOf(() => loadUserStrategy("strategies/fixtures/nope.mjs"));
    expect(error.issues[0]).toMatchObject({ code: "file-not-found", file: "strategies/fixtures/nope.mjs" });
  });

  it("reports a file that exports no factory, naming what it does export", async () => {
    const error = await inputErrorOf(() => loadUserStrategy(fixture("no-factory.mjs")));
    expect(error.issues[0]).toMatchObject({ code: "unknown-strategy" });
    expect(error.message).toContain("no-factory.mjs");
    expect(error.message).toContain("found: balance");
    expect(error.message).toContain("createStrategy");
  });

  it("reports a file that fails while being imported", async () => {
    const error = await inputErrorOf(() => loadUserStrategy(fixture("throws-on-import.mjs")));
    expect(error.issues[0]).toMatchObject({ code: "unknown-strategy" });
    expect(error.message).toContain("cannot start");
  });

  it("tells to compile a TypeScript file that Node cannot import", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lbsim-user-strategy-"));
    try {
      const file = join(dir, "mine.ts");
      await writeFile(file, "export default (servers: unknown[]) => servers;\n");
      const refuse = async () => {
        throw Object.assign(new TypeError('Unknown file extension ".ts"'), {
          code: "ERR_UNKNOWN_FILE_EXTENSION",
        });
      };
      const error = await inputErrorOf(() => loadUserStrategy(file, refuse));
      expect(error.issues[0]).toMatchObject({ code: "unknown-strategy", file });
      expect(error.message).toContain("compile it to JavaScript first");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("checks the strategy on first use and lists everything it lacks", async () => {
    const factory = await loadUserStrategy(fixture("incomplete.mjs"));
    const error = await inputErrorOf(() => new FakeModel(factory, [1]));
    expect(error.issues[0]).toMatchObject({ code: "bad-value" });
    expect(error.message).toContain("incomplete.mjs");
    expect(error.message).toContain("released(), pick()");
    expect(error.message).toContain("ignoresFullness (not a boolean)");
  });

  it("reports a factory that throws, and a pick that returns a stranger", async () => {
    const throwing = await loadUserStrategy(fixture("factory-throws.mjs"));
    const thrown = await inputErrorOf(() => new FakeModel(throwing, [1]));
    expect(thrown.message).toContain("needs at least 3 servers");
    const foreign = new FakeModel(await loadUserStrategy(fixture("foreign-pick.mjs")), [1]);
    const picked = await inputErrorOf(() => foreign.pick());
    expect(picked.issues[0]).toMatchObject({ code: "bad-value" });
    expect(picked.message).toContain("not one of the servers");
  });
});
