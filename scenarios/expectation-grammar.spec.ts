// parseExpectations: the expect: lines of a scenario built in code, parsed as the loader parses a file's.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { parseExpectation, parseExpectations } from "./expectation-grammar.js";

describe("parseExpectations", () => {
  it("parses each line into the same typed expectation the loader gives", () => {
    const lines = ["p99 < 300ms", "leastconn.p99 < roundrobin.p99"];
    expect(parseExpectations(lines)).toEqual(lines.map((line) => parseExpectation(line)));
    expect(parseExpectations(lines).map((e) => e.text)).toEqual(lines);
  });

  it("throws an InputError at the first line that does not parse, with its index and hint", () => {
    let thrown: unknown;
    try {
      parseExpectations(["p99 < 1s", "errors < 5", "p98 < 1s"]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).issues).toEqual([
      {
        code: "bad-value",
        file: "",
        line: 0,
        column: 0,
        path: "expect[1]",
        message: "errors is a ratio: a bare number is a fraction (1 = 100%), so 5 would mean 500%",
        hint: "did you mean 5%?",
      },
    ]);
  });
});
