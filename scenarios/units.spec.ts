// Durations and rates: accepted spellings, refusals and unit hints.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { parseDuration, parseRate, tryParseDuration, tryParseRate } from "./units.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1d", 86_400_000],
    ["500us", 0.5],
    ["1.5s", 1500],
    [" 10s ", 10_000],
    ["5000", 5000],
    [5000, 5000],
    [0, 0],
    ["0s", 0],
    [0.25, 0.25],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ["5 seconds", 'did you mean "5s"?'],
    ["5sec", 'did you mean "5s"?'],
    ["10mins", 'did you mean "10m"?'],
    ["3hours", 'did you mean "3h"?'],
    ["20MS", 'did you mean "20ms"?'],
    ["7q", "the units are us, ms, s, m, h, d"],
  ])("refuses %j with the hint %j", (text, hint) => {
    const result = tryParseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]?.code).toBe("bad-duration");
      expect(result.problems[0]?.hint).toBe(hint);
    }
  });

  it.each([
    ["-5s"],
    [-1],
    [Number.POSITIVE_INFINITY],
    [Number.NaN],
    ["abc"],
    [""],
    [true],
    [null],
    [[1]],
    [{ s: 1 }],
  ])("refuses %j", (value) => {
    expect(() => parseDuration(value)).toThrow(InputError);
  });

  it("names the field of command-line input in the error", () => {
    try {
      parseDuration("5x", "duration");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const issue = (error as InputError).issues[0];
      expect(issue).toMatchObject({ code: "bad-duration", file: "", line: 0, path: "duration" });
    }
  });
});

describe("parseRate", () => {
  it.each([
    ["200/s", 200],
    ["1200/m", 20],
    ["36/h", 0.01],
    ["50", 50],
    [50, 50],
    ["2.5/s", 2.5],
    ["0", 0],
    ["100 / s", 100],
  ])("reads %j as %d per second", (text, perSecond) => {
    expect(parseRate(text)).toBeCloseTo(perSecond, 12);
  });

  it.each([
    ["200/sec", 'did you mean "200/s"?'],
    ["200 rps", 'did you mean "200/s"?'],
    ["200s", 'did you mean "200/s"?'],
    ["60/min", 'did you mean "60/m"?'],
  ])("refuses %j with the hint %j", (text, hint) => {
    const result = tryParseRate(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]?.code).toBe("bad-rate");
      expect(result.problems[0]?.hint).toBe(hint);
    }
  });

  it.each([["-1/s"], [-3], ["fast"], [Number.POSITIVE_INFINITY], [null], ["1e400/s"]])(
    "refuses %j",
    (value) => {
      expect(() => parseRate(value)).toThrow(InputError);
    },
  );
});
