// Spec of test/markdown.ts: what the documentation tests read out of a page.
import { describe, expect, it } from "vitest";
import { headingAnchors, relativeLinks, scenarioBlocks } from "./markdown.js";

describe("scenarioBlocks", () => {
  it("tells complete scenarios from fragments", () => {
    const markdown = [
      "```yaml",
      "# yaml-language-server: $schema=x.json",
      "```",
      "```yaml",
      "name: a",
      "duration: 1s",
      "```",
      "```yaml",
      "# scenario",
      "duration: 2s",
      "```",
      "```yaml",
      "backend: {balance: leastconn}",
      "```",
    ].join("\n");
    expect(scenarioBlocks(markdown)).toEqual([
      { line: 5, text: "name: a\nduration: 1s\n" },
      { line: 9, text: "# scenario\nduration: 2s\n" },
    ]);
  });
});

describe("headingAnchors", () => {
  it("makes GitHub's anchors: code, punctuation and links dropped, spaces hyphenated", () => {
    const anchors = headingAnchors(
      [
        "# lbsim and HAProxy",
        "## Importing a haproxy.cfg",
        "## Several frontends and backends (ACL routing)",
        "### `lbsim list` and `lbsim help`",
        "## Agreement with HAProxy 2.6",
        "## See [the CLI](cli.md)",
      ].join("\n"),
    );
    expect([...anchors]).toEqual([
      "lbsim-and-haproxy",
      "importing-a-haproxycfg",
      "several-frontends-and-backends-acl-routing",
      "lbsim-list-and-lbsim-help",
      "agreement-with-haproxy-26",
      "see-the-cli",
    ]);
  });

  it("numbers a repeated heading and ignores # lines inside code blocks", () => {
    const anchors = headingAnchors(["## Checks", "```yaml", "# scenario", "```", "## Checks"].join("\n"));
    expect([...anchors]).toEqual(["checks", "checks-1"]);
  });
});

describe("relativeLinks", () => {
  it("splits path and anchor, and leaves web links, code spans and code blocks out", () => {
    const markdown = [
      "See [the CLI](docs/cli.md#exit-codes), [above](#quick-start) and [schema](../s.json).",
      "A [web page](https://example.com/x.md) and `[not a link](x.md)`.",
      "```",
      "[in code](y.md)",
      "```",
    ].join("\n");
    expect(relativeLinks(markdown)).toEqual([
      { line: 1, path: "docs/cli.md", anchor: "exit-codes" },
      { line: 1, path: "", anchor: "quick-start" },
      { line: 1, path: "../s.json", anchor: "" },
    ]);
  });
});
