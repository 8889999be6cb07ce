// Spec of cli/format.ts: counts, units and CSV numbers, the same on every machine.
import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatCsvMs,
  formatDuration,
  formatLatency,
  formatPercent,
  formatSignificant,
} from "./format.js";

describe("formatCount", () => {
  it("groups thousands with commas whatever the machine's locale", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(-12345)).toBe("-12,345");
  });
});

describe("formatSignificant", () => {
  it("keeps three significant digits and drops trailing zeros", () => {
    expect(formatSignificant(21.34)).toBe("21.3");
    expect(formatSignificant(197.6)).toBe("198");
    expect(formatSignificant(1234)).toBe("1234");
    expect(formatSignificant(0.0071)).toBe("0.0071");
    expect(formatSignificant(5)).toBe("5");
    expect(formatSignificant(0)).toBe("0");
  });
});

describe("formatLatency", () => {
  it("picks µs below a millisecond, ms below a second, and s above", () => {
    expect(formatLatency(0.85)).toBe("850 µs");
    expect(formatLatency(21.34)).toBe("21.3 ms");
    expect(formatLatency(1250)).toBe("1.25 s");
    expect(formatLatency(0)).toBe("0 ms");
  });

  it("moves to the next unit where rounding would print 1000", () => {
    expect(formatLatency(999.7)).toBe("1 s");
    expect(formatLatency(0.9997)).toBe("1 ms");
  });
});

describe("formatDuration", () => {
  it("writes simulated spans the way haproxy.cfg and scenarios do", () => {
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(12_500)).toBe("12.5s");
    expect(formatDuration(60_000)).toBe("1m");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(7_200_000)).toBe("2h");
  });
});

describe("formatPercent", () => {
  it("shows one decimal, exact 0 and 100 plainly, and never rounds a small rate to zero", () => {
    expect(formatPercent(0.4213)).toBe("42.1%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0.00012)).toBe("0.012%");
    expect(formatPercent(0.00194)).toBe("0.19%");
  });
});

describe("formatCsvMs", () => {
  it("keeps at most three decimals, no trailing zeros and no exponent", () => {
    expect(formatCsvMs(10)).toBe("10");
    expect(formatCsvMs(10.5)).toBe("10.5");
    expect(formatCsvMs(0.1 + 0.2)).toBe("0.3");
    expect(formatCsvMs(1.23456)).toBe("1.235");
    expect(formatCsvMs(0.0000001)).toBe("0");
    expect(formatCsvMs(123456789.125)).toBe("123456789.125");
  });

  it("writes -1 for a stage never reached", () => {
    expect(formatCsvMs(-1)).toBe("-1");
  });
});
