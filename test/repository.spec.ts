// The repository holds no stray log (log2.txt, an HAProxy error log, was committed once) and .gitignore keeps them out.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" });
/** A checkout (a worktree's .git is a file); an unpacked tarball has no history to check. */
const inGit = existsSync(resolve(ROOT, ".git"));

describe.runIf(inGit)("the repository", () => {
  it("tracks no log file but the httplog golden", () => {
    const logs = git("ls-files")
      .split("\n")
      .filter((file) => /\.log$|(^|\/)log\d*\.txt$|httplog\.txt$/i.test(file));
    expect(logs).toEqual(["cli/golden/httplog.txt"]);
  });

  it("ignores HAProxy's error logs and --log files at the root, not the goldens", () => {
    const ignored = (path: string) => {
      try {
        git("check-ignore", "-q", "--no-index", path);
        return true;
      } catch {
        return false; // exit 1: not ignored
      }
    };
    expect(["log2.txt", "haproxy.log", "out/run.log", "test/haproxy/haproxy.log"].filter(ignored)).toEqual([
      "log2.txt",
      "haproxy.log",
      "out/run.log",
      "test/haproxy/haproxy.log",
    ]);
    expect(ignored("cli/golden/httplog.txt")).toBe(false);
    expect(ignored("scenarios/library/tutorial.cfg")).toBe(false);
  });
});
