// The seed field's rule: what `lbsim run --seed N` accepts, nothing else.
import { describe, expect, it } from "vitest";
import { seedFromText } from "./seed.js";

describe("seedFromText", () => {
  it("reads whole numbers from 0 to 2^53 − 1, as lbsim run --seed does", () => {
    expect(seedFromText("7")).toBe(7);
    expect(seedFromText(" 0 ")).toBe(0);
    expect(seedFromText(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("refuses what the CLI refuses: signs, fractions, exponents, too large, empty", () => {
    for (const text of ["-1", "1.5", "1e3", "0x10", String(Number.MAX_SAFE_INTEGER + 1), "", "seven"])
      expect(seedFromText(text), text).toBeUndefined();
  });
});
