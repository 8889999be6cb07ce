// Spec of cli/suggest.ts: edit distance and "did you mean".
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "./suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("leastconn", "leastconn")).toBe(0);
    expect(editDistance("leastcon", "leastconn")).toBe(1);
    expect(editDistance("roundrobon", "roundrobin")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("counts a swap of two neighbouring letters as one typo", () => {
    expect(editDistance("rnu", "run")).toBe(1);
    expect(editDistance("roundrobni", "roundrobin")).toBe(1);
  });
});

describe("didYouMean", () => {
  const strategies = ["roundrobin", "static-rr", "leastconn", "source", "uri", "random"];

  it("suggests the nearest name for a typo", () => {
    expect(didYouMean("leastcon", strategies)).toBe("leastconn");
    expect(didYouMean("rundrobin", strategies)).toBe("roundrobin");
  });

  it("suggests the lower-case name for a name in the wrong case", () => {
    expect(didYouMean("LeastConn", strategies)).toBe("leastconn");
  });

  it("suggests the only name an abbreviation starts", () => {
    expect(didYouMean("stat", strategies)).toBe("static-rr");
  });

  it("suggests nothing for a word unlike every name", () => {
    expect(didYouMean("banana", strategies)).toBeUndefined();
    expect(didYouMean("", strategies)).toBeUndefined();
  });
});
