// The lines of a scenario's expect: entries and baseline: key, as CI annotations point at them.
import { describe, expect, it } from "vitest";
import { expectPositions } from "./expect-positions.js";

describe("expectPositions", () => {
  it("gives each expect: entry its own line, in block and flow style", () => {
    const text = `duration: 10s\n\nexpect:\n  - "p99 < 100ms"\n  # a comment\n  -   errors < 1%  \nbaseline: {p99: 5%}\n`;
    expect(expectPositions(text)).toEqual({
      expect: 3,
      baseline: 7,
      entries: [
        { text: "p99 < 100ms", line: 4 },
        { text: "errors < 1%", line: 6 },
      ],
    });
    expect(expectPositions(`expect: ["p50 < 1s", "p99 < 2s"]\n`).entries).toEqual([
      { text: "p50 < 1s", line: 1 },
      { text: "p99 < 2s", line: 1 },
    ]);
  });

  it("reads JSON scenario files too", () => {
    const text = `{\n  "duration": "10s",\n  "expect": [\n    "p99 < 100ms"\n  ]\n}\n`;
    expect(expectPositions(text)).toEqual({ expect: 3, entries: [{ text: "p99 < 100ms", line: 4 }] });
  });

  it("has no positions for a file that does not parse or has no expect:", () => {
    expect(expectPositions("expect: [\n")).toEqual({ entries: [] });
    expect(expectPositions("duration: 10s\n")).toEqual({ entries: [] });
  });
});
