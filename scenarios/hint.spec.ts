// Did-you-mean hints: edit distance and nearest-word choice.
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, nearest } from "./hint.js";

describe("editDistance", () => {
  it("counts an adjacent swap as one edit", () => {
    expect(editDistance("weigth", "weight")).toBe(1);
  });
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("nearest", () => {
  it("finds spelling variants of dashed keys first", () => {
    expect(nearest("hash_type", ["hash-type", "hash"])).toBe("hash-type");
    expect(nearest("errorLimit", ["error-limit", "on-error"])).toBe("error-limit");
  });
  it("finds a close typo", () => {
    expect(nearest("rundrobin", ["roundrobin", "leastconn"])).toBe("roundrobin");
  });
  it("gives nothing when no word is close", () => {
    expect(nearest("banana", ["roundrobin", "leastconn"])).toBeUndefined();
    expect(didYouMean("x", [])).toBeUndefined();
  });
  it("words the hint as a question", () => {
    expect(didYouMean("weigth", ["weight"])).toBe('did you mean "weight"?');
  });
});
