// Spec of cli/list-command.ts: the one-line summary of a scenario's description.
import { describe, expect, it } from "vitest";
import { summary } from "./list-command.js";

describe("summary", () => {
  it("keeps the first line of a description", () => {
    expect(summary("Two servers.\nMore on the second line.")).toBe("Two servers.");
  });

  it("keeps the first sentence of a folded paragraph", () => {
    expect(summary("web02 crashes at 5s and is restored at 12s. Its checks fail at about 5.8s.")).toBe(
      "web02 crashes at 5s and is restored at 12s.",
    );
  });

  it("does not cut at a decimal point", () => {
    expect(summary("Checks fail at 5.8s, then pass")).toBe("Checks fail at 5.8s, then pass");
  });

  it("shortens a long sentence at a word, with an ellipsis", () => {
    const text = summary(`${"word ".repeat(40)}end.`);
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text.endsWith("word…")).toBe(true);
  });

  it("gives an empty summary for an empty description", () => {
    expect(summary("")).toBe("");
  });
});
