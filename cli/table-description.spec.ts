// Spec of cli/table-description.ts: wrapping a scenario's description for the top of a table.
import { describe, expect, it } from "vitest";
import { descriptionLines, wrapText } from "./table-description.js";
import { sgr } from "./table-paint.js";

describe("wrapText", () => {
  it("fills lines up to the width, never past it, and keeps every word in order", () => {
    const text =
      "web02 crashes at 5s (its connections are refused) and is restored at 12s, then checks pass.";
    const lines = wrapText(text, 30);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines.join(" ")).toBe(text);
    // Greedy: each line would overflow with the next line's first word.
    lines.slice(0, -1).forEach((line, i) => {
      expect(`${line} ${lines[i + 1]!.split(" ")[0]}`.length).toBeGreaterThan(30);
    });
  });

  it("re-flows a literal block's own line breaks, keeps paragraphs and list items apart", () => {
    const text = "First line\nof a paragraph.\n\nA list:\n- one item\n  that goes on\n- two\n";
    expect(wrapText(text, 40)).toEqual([
      "First line of a paragraph.",
      "",
      "A list:",
      "- one item that goes on",
      "- two",
    ]);
  });

  it("hangs a wrapped list item under its text", () => {
    expect(wrapText("- alpha beta gamma", 12)).toEqual(["- alpha beta", "  gamma"]);
  });

  it("gives a word longer than the width a line of its own", () => {
    expect(wrapText("a https://example.com/a/very/long/path b", 10)).toEqual([
      "a",
      "https://example.com/a/very/long/path",
      "b",
    ]);
  });
});

describe("descriptionLines", () => {
  it("paints each non-empty line and shows nothing for a missing or blank description", () => {
    const dim = sgr("2");
    expect(descriptionLines("one\n\ntwo", 80, dim)).toEqual([dim("one"), "", dim("two")]);
    expect(descriptionLines(undefined, 80, dim)).toEqual([]);
    expect(descriptionLines("  \n", 80, dim)).toEqual([]);
  });
});
