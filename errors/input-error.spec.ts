// InputError: one or more issues, each printed as file:line:col: path: message (hint: …).
import { describe, expect, it } from "vitest";
import { InputError as FromScenarios } from "../scenarios/index.js";
import { formatIssue, InputError, type InputIssue } from "./index.js";

const ISSUE: InputIssue = {
  code: "unknown-key",
  file: "scenario.yaml",
  line: 14,
  column: 7,
  path: "backend.servers[0].weigth",
  message: 'unknown key "weigth"',
  hint: 'did you mean "weight"?',
};

describe("InputError", () => {
  it("prints an issue as file:line:col: path: message (hint: …)", () => {
    expect(formatIssue(ISSUE)).toBe(
      'scenario.yaml:14:7: backend.servers[0].weigth: unknown key "weigth" (hint: did you mean "weight"?)',
    );
  });

  it("leaves out what an issue does not know: the line, the file, the path, the hint", () => {
    expect(formatIssue({ ...ISSUE, line: 0, column: 0 })).toMatch(/^scenario\.yaml: backend/);
    expect(formatIssue({ code: "bad-value", file: "", line: 0, column: 0, path: "", message: "bad" })).toBe(
      "bad",
    );
  });

  it("carries every issue and prints one per line", () => {
    const error = new InputError([ISSUE, { ...ISSUE, line: 15 }]);
    expect(error.name).toBe("InputError");
    expect(error.issues).toHaveLength(2);
    expect(error.message.split("\n")).toEqual([formatIssue(ISSUE), formatIssue({ ...ISSUE, line: 15 })]);
    expect(InputError.one(ISSUE).issues).toEqual([ISSUE]);
  });

  it("is still exported by scenarios/, as the same class, for older imports", () => {
    expect(FromScenarios).toBe(InputError);
    expect(InputError.one(ISSUE)).toBeInstanceOf(FromScenarios);
  });
});
