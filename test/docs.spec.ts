// The documentation holds: README.md and docs/*.md link only to files and headings that exist, every
// page is reachable from the README, and every complete scenario they show passes `lbsim check`.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/app.js";
import type { CheckJson } from "../cli/check-command.js";
import { createToolkit, findPackage } from "../cli/main.js";
import { recordingIo } from "../cli/test-support.js";
import { headingAnchors, relativeLinks, scenarioBlocks } from "./markdown.js";

const pkg = findPackage();
const pages = [
  "README.md",
  ...readdirSync(join(pkg.root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];
const text = (page: string): string => readFileSync(join(pkg.root, page), "utf8");

describe("links of the documentation", () => {
  it("has the pages the README links to", () => {
    expect(pages.length).toBeGreaterThan(1);
  });

  it.each(pages)("%s: every relative link points at an existing file and heading", (page) => {
    const dead: string[] = [];
    for (const link of relativeLinks(text(page))) {
      const target = link.path === "" ? join(pkg.root, page) : join(pkg.root, dirname(page), link.path);
      const where = `${page}:${link.line}: ${link.path}${link.anchor === "" ? "" : `#${link.anchor}`}`;
      if (!existsSync(target)) {
        dead.push(`${where} (no such file)`);
      } else if (link.anchor !== "") {
        if (!target.endsWith(".md")) dead.push(`${where} (an anchor in a file that is not Markdown)`);
        else if (!headingAnchors(readFileSync(target, "utf8")).has(link.anchor))
          dead.push(`${where} (no such heading in ${relative(pkg.root, target)})`);
      }
    }
    expect(dead).toEqual([]);
  });

  it("reaches every page of docs/ from the README", () => {
    const linked = new Set(relativeLinks(text("README.md")).map((l) => l.path));
    expect(pages.filter((p) => p !== "README.md" && !linked.has(p))).toEqual([]);
  });
});

/** `lbsim check <file> --json -` in this process: the exit code, the check JSON and stderr. */
async function check(file: string): Promise<{ code: number; report: CheckJson; stderr: string }> {
  const io = recordingIo(pkg.root);
  const code = await runCli(["check", file, "--json", "-"], createToolkit({ LBSIM_WORKER: "0" }), pkg, io);
  return { code, report: JSON.parse(io.stdout()) as CheckJson, stderr: io.stderr() };
}

describe("scenarios shown in the documentation (lbsim check)", () => {
  const blocks = pages.flatMap((page) => scenarioBlocks(text(page)).map((b) => ({ ...b, page })));
  const dir = mkdtempSync(join(tmpdir(), "lbsim-docs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The examples are written to be saved at the project's root: give them the files they name.
  mkdirSync(join(dir, "scenarios", "library"), { recursive: true });
  for (const file of readdirSync(pkg.libraryDir)) {
    if (file.endsWith(".cfg"))
      copyFileSync(join(pkg.libraryDir, file), join(dir, "scenarios", "library", file));
  }

  it("has complete scenarios to check, in the docs pages too", () => {
    expect(blocks.some((b) => b.page.startsWith("docs/"))).toBe(true);
  });

  it.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))(
    "the scenario at %s loads and holds its expectations",
    async (_where, block) => {
      const path = join(dir, `${block.page.replace(/[/.]/g, "-")}-${block.line}.yaml`);
      writeFileSync(path, block.text);
      const { code, report, stderr } = await check(path);
      const failed = report.scenarios[0]?.checks
        .filter((c) => !c.pass)
        .map((c) => `${c.name} (actual ${c.actual})`);
      expect(failed).toEqual([]);
      // Nothing on stderr but the progress line off a terminal (no warning, no error).
      expect(
        stderr.replace(/^lbsim check: \[1\/1\] \S+ done in [\d.]+s \(seed \d+; [\d.]+s elapsed\)\n/, ""),
      ).toBe("");
      expect(code).toBe(0);
      expect(["pass", "no expectations"]).toContain(report.scenarios[0]?.status);
    },
  );
});
