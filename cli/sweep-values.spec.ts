// Spec of cli/sweep-values.ts: lists and ranges with units, no floating-point drift, clear refusals.
import { describe, expect, it } from "vitest";
import { UsageError } from "./args.js";
import { MAX_VALUES_PER_SET, parseValues, splitSet } from "./sweep-values.js";

describe("parseValues", () => {
  it("keeps a list's values as written, units and all", () => {
    expect(parseValues("1s,2s,5s", "backend.check.inter")).toEqual(["1s", "2s", "5s"]);
  });

  it("does not split a value at a comma inside braces (a distribution written inline)", () => {
    expect(parseValues("{ exponential: 10ms },{ constant: 5ms }", "backend.service")).toEqual([
      "{ exponential: 10ms }",
      "{ constant: 5ms }",
    ]);
  });

  it("reads a range with units, its end included: 100/s..250/s:10/s is 16 rates", () => {
    const values = parseValues("100/s..250/s:10/s", "clients.load.arrivals.poisson");
    expect(values).toHaveLength(16);
    expect(values[0]).toBe("100/s");
    expect(values[1]).toBe("110/s");
    expect(values.at(-1)).toBe("250/s");
  });

  it("reads a unitless range: 1..8:1 is 1 to 8", () => {
    expect(parseValues("1..8:1", "backend.servers.web01.weight")).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
    ]);
  });

  it("does not drift: 0.1..0.3:0.1 is exactly 0.1, 0.2, 0.3 (adding 0.1 thrice gives 0.30000000000000004)", () => {
    expect(0.1 + 0.1 + 0.1).not.toBe(0.3);
    expect(parseValues("0.1..0.3:0.1", "p")).toEqual(["0.1", "0.2", "0.3"]);
    // Ten steps of 0.1: the last lands on 1 within float noise and is kept, written plainly.
    expect(parseValues("0..1:0.1", "p")).toEqual([
      "0",
      "0.1",
      "0.2",
      "0.3",
      "0.4",
      "0.5",
      "0.6",
      "0.7",
      "0.8",
      "0.9",
      "1",
    ]);
  });

  it("stops at the last step below the end when the end is off the grid", () => {
    expect(parseValues("10ms..25ms:10ms", "p")).toEqual(["10ms", "20ms"]);
  });

  it.each([
    ["1s..5s", "a range needs a step"],
    ["1s..5ms:1s", 'the start\'s unit "s" differs from the end\'s "ms"'],
    ["1s..5s:100ms", 'the step\'s unit "ms" differs from the range\'s "s"'],
    ["5..1:1", "the end is below the start"],
    ["1..5:0", "the step must be above 0"],
    ["a..b:1", 'the start "a" is not a number'],
    ["1s,,2s", "an empty value"],
  ])("refuses %s (%s)", (text, message) => {
    expect(() => parseValues(text, "backend.check.inter")).toThrow(UsageError);
    expect(() => parseValues(text, "backend.check.inter")).toThrow(message);
  });

  it(`refuses more than ${MAX_VALUES_PER_SET} values from one --set (a step typed too small)`, () => {
    expect(() => parseValues("1..100000:1", "p")).toThrow(
      `100000 values (at most ${MAX_VALUES_PER_SET} per --set)`,
    );
  });
});

describe("splitSet", () => {
  it("splits at the first =", () => {
    expect(splitSet("backend.timeout.server=1s,2s")).toEqual({
      path: "backend.timeout.server",
      values: "1s,2s",
    });
  });

  it.each(["=1s", "backend.timeout.server=", "backend.timeout.server"])("refuses %s", (text) => {
    expect(() => splitSet(text)).toThrow("--set expects path=values");
  });
});
