// Module boundaries (DESIGN.md "one direction of flow", docs/development.md): who may import whom, read from the sources.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** A test-only file: a spec or a test helper (`test-support.ts`, `<topic>-test-support.ts`), left out of dist/. */
function isTestFile(file: string): boolean {
  return file.endsWith(".spec.ts") || file.endsWith("test-support.ts") || file.startsWith("test/");
}

const LAYERS = ["sim", "strategies", "scenarios", "viz", "cli", "errors", "files", "bench", "classroom"];

function sourcesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "fixtures" && entry.name !== "golden" && entry.name !== "library") walk(path);
      } else if (entry.name.endsWith(".ts")) out.push(path);
    }
  };
  walk(folder);
  return out.sort();
}

interface Import {
  readonly from: string;
  /** The project folder a relative import lands in (`sim`, `errors`…), or "" for a package. */
  readonly folder: string;
  readonly typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?"([^"]+)"/gm;
const DYNAMIC = /\bimport\(\s*"([^"]+)"\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: Import[] = [];
  const add = (from: string, typeOnly: boolean): void => {
    const folder = from.startsWith(".") ? relative(ROOT, resolve(ROOT, file, "..", from)).split("/")[0]! : "";
    out.push({ from, folder, typeOnly });
  };
  for (const match of text.matchAll(IMPORT)) add(match[3]!, match[2] !== undefined);
  for (const match of text.matchAll(DYNAMIC)) add(match[1]!, false);
  return out;
}

/** `file → import` for every shipped (non-test) file of `folder` whose import breaks `allowed`. */
function violations(folder: string, allowed: (i: Import) => boolean): string[] {
  return sourcesUnder(folder)
    .filter((file) => !isTestFile(file))
    .flatMap((file) =>
      importsOf(file)
        .filter((i) => !allowed(i))
        .map((i) => `${file} → ${i.from}`),
    );
}

/**
 * What the classroom page and its worker may import: packages (no `node:` module), classroom/
 * itself (not its Node side), sim/, errors/, the browser entries of scenarios/ and strategies/
 * (types from anywhere in them), and viz/ but its Node parts.
 */
function classroomPageMayImport(i: Import): boolean {
  if (i.folder === "") return !i.from.startsWith("node:");
  if (i.typeOnly && ["scenarios", "strategies", "sim", "viz", "classroom"].includes(i.folder)) return true;
  switch (i.folder) {
    case "classroom":
      return !/\/(server|source-node)\.js$/.test(i.from);
    case "sim":
    case "errors":
      return true;
    case "scenarios":
      // The browser-safe entry, or a leaf that imports only types (the page's own script needs no parser).
      return /\/scenarios\/(index|switch-text)\.js$/.test(i.from);
    case "strategies":
      return /\/strategies\/index\.js$/.test(i.from);
    case "viz":
      return !/\/viz\/(node|png|export|report-html|report-bundle)\.js$/.test(i.from);
    default:
      return false;
  }
}

describe("module boundaries", () => {
  it("reads the imports of a file, type-only ones marked", () => {
    const imports = importsOf("scenarios/errors.ts");
    expect(imports).toEqual([{ from: "../errors/index.js", folder: "errors", typeOnly: false }]);
    expect(importsOf("sim/run.ts")).toContainEqual({
      from: "../scenarios/types.js",
      folder: "scenarios",
      typeOnly: true,
    });
  });

  it("errors/ is a leaf: it imports nothing, not even a package or a node: module", () => {
    expect(sourcesUnder("errors").length).toBeGreaterThan(0);
    expect(violations("errors", (i) => i.folder === "errors")).toEqual([]);
  });

  it("strategies/ imports only itself and the errors/ leaf", () => {
    expect(
      violations("strategies", (i) => i.folder === "" || ["strategies", "errors"].includes(i.folder)),
    ).toEqual([]);
  });

  it("sim/ reads the Scenario with import type only, and runs only scenarios/ leaves (ACL patterns, predefined ACLs)", () => {
    // A leaf imports types and nothing else, so sim/ still never loads YAML, zod or the cfg importer.
    const isLeaf = (file: string) => importsOf(file).every((i) => i.typeOnly);
    const target = (file: string, from: string) =>
      relative(ROOT, resolve(ROOT, file, "..", from)).replace(/\.js$/, ".ts");
    const bad = sourcesUnder("sim")
      .filter((file) => !isTestFile(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((i) => i.folder === "scenarios" && !i.typeOnly && !isLeaf(target(file, i.from)))
          .map((i) => `${file} → ${i.from}`),
      );
    expect(bad).toEqual([]);
    expect(isLeaf("scenarios/acl-patterns.ts") && isLeaf("scenarios/predefined-acls.ts")).toBe(true);
    expect(isLeaf("scenarios/acl.ts")).toBe(false);
    // Expectations: sim/ evaluates them and reads what they refer to (a leaf); the grammar is scenarios/'s.
    expect(isLeaf("scenarios/expectation-refs.ts")).toBe(true);
    // A backend change's text (Results.timeline): a leaf, apart from the events' parser.
    expect(isLeaf("scenarios/switch-text.ts")).toBe(true);
    expect(sourcesUnder("sim").filter((file) => /expectation-grammar|time-window/.test(file))).toEqual([]);
  });

  it("scenarios/ parses ACLs itself: it never reaches into sim/'s routing, model or run", () => {
    const simInternals = /^\.\.\/(?:\.\.\/)?sim\/(?:routing|model\/|run\.|engine)/;
    expect(violations("scenarios", (i) => !simInternals.test(i.from))).toEqual([]);
  });

  it("nothing but the composition roots imports cli/ or viz/", () => {
    for (const folder of ["sim", "strategies", "scenarios", "errors", "files"]) {
      expect(violations(folder, (i) => i.folder !== "cli" && i.folder !== "viz")).toEqual([]);
    }
    expect(violations("viz", (i) => i.folder !== "cli")).toEqual([]);
  });

  it("the classroom page's own script (main.ts) loads no scenario parser: the worker parses, the page draws", () => {
    // Every file main.ts runs, import by import (type-only imports load nothing).
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const i of importsOf(file))
        if (!i.typeOnly && i.from.startsWith("."))
          visit(relative(ROOT, resolve(ROOT, file, "..", i.from)).replace(/\.js$/, ".ts"));
    };
    visit("classroom/page/main.ts");
    const isLeaf = (file: string) => importsOf(file).every((i) => i.typeOnly);
    expect([...reached].filter((file) => file.startsWith("scenarios/") && !isLeaf(file))).toEqual([]);
    expect(reached).toContain("scenarios/switch-text.ts");
  });

  it("classroom/'s page and worker import only browser-safe entries; its server side (server.ts, source-node.ts) is Node", () => {
    const nodeSide = new Set(["classroom/server.ts", "classroom/source-node.ts"]);
    const browserFiles = sourcesUnder("classroom").filter((file) => !isTestFile(file) && !nodeSide.has(file));
    expect(browserFiles).toContain("classroom/page/worker.ts");
    const bad = browserFiles.flatMap((file) =>
      importsOf(file)
        .filter((i) => !classroomPageMayImport(i))
        .map((i) => `${file} → ${i.from}`),
    );
    expect(bad).toEqual([]);
    // The rule itself: what it refuses.
    for (const from of [
      "node:fs",
      "../../cli/main.js",
      "../../scenarios/node.js",
      "../../viz/node.js",
      "../server.js",
      "../source-node.js",
      "../../files/atomic.js",
    ])
      expect(
        classroomPageMayImport({
          from,
          folder: from.startsWith(".") ? (from.split("/").find((p) => p !== ".." && p !== ".") ?? "") : "",
          typeOnly: false,
        }),
        from,
      ).toBe(false);
    expect(violations("classroom", (i) => i.folder !== "cli")).toEqual([]);
  });

  it("names every test helper *test-support.ts: a file that uses vitest or fast-check is a spec or a helper", () => {
    const testLibraries = new Set(["vitest", "fast-check"]);
    const helpersNamedOtherwise = LAYERS.flatMap(sourcesUnder)
      .filter((file) => !isTestFile(file))
      .filter((file) => importsOf(file).some((i) => testLibraries.has(i.from)));
    expect(helpersNamedOtherwise).toEqual([]);
  });

  it("shipped code imports no test helper and nothing from test/", () => {
    for (const folder of LAYERS) {
      expect(violations(folder, (i) => i.folder !== "test" && !/test-support\.js$/.test(i.from))).toEqual([]);
    }
  });

  it("the build (dist/) compiles no spec, no test helper and nothing from test/", () => {
    const listed = execFileSync(
      process.execPath,
      ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--listFilesOnly"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    )
      .split("\n")
      .map((line) => relative(ROOT, line.trim()))
      .filter((file) => file !== "" && !file.startsWith("node_modules/") && !file.startsWith(".."));
    expect(listed).toContain("sim/run.ts");
    expect(listed).toContain("bench/case.ts");
    expect(listed.filter(isTestFile)).toEqual([]);
  });
});
