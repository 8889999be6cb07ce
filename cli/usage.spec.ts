// Spec of cli/usage.ts's documentation list: `lbsim help` names every page of docs/, and each exists.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findPackage } from "./main.js";
import { DOCUMENTATION, mainHelp } from "./usage.js";

const root = findPackage().root;

describe("lbsim help: Documentation", () => {
  it("lists every page of docs/ and the README", () => {
    const pages = readdirSync(join(root, "docs"))
      .filter((name) => name.endsWith(".md"))
      .map((name) => `docs/${name}`);
    expect(pages.length).toBeGreaterThan(0);
    expect(DOCUMENTATION.map((d) => d.path).sort()).toEqual(["README.md", ...pages].sort());
  });

  it("names files that exist, relative to the package root", () => {
    for (const { path } of DOCUMENTATION) expect(existsSync(join(root, path)), path).toBe(true);
  });

  it("prints each page with what it holds, after the exit codes", () => {
    const help = mainHelp();
    const section = help.slice(help.indexOf("\nDocumentation"));
    expect(help.indexOf("\nDocumentation")).toBeGreaterThan(help.indexOf("Exit codes:"));
    for (const { path, about } of DOCUMENTATION) {
      expect(section).toMatch(new RegExp(`^ {2}${path.replace(/\./g, "\\.")} +${about}$`, "m"));
    }
  });

  it("starts the reader with a command that works after npm install (npx)", () => {
    expect(mainHelp()).toContain("Start with:  npx lbsim run scenarios/library/tutorial.yaml");
  });
});
