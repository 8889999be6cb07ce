// Spec of built-cli-test-support.ts: a spec of the built CLI skips on an unbuilt tree, fails under CI.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cliBuilt } from "./built-cli-test-support.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("cliBuilt", () => {
  it("says whether dist/ has the file, and throws for a missing one when CI is set", () => {
    vi.stubEnv("CI", "");
    expect(cliBuilt("no/such/file.js")).toBe(false);
    vi.stubEnv("CI", "true");
    expect(() => cliBuilt("no/such/file.js")).toThrow("dist/no/such/file.js is missing");
  });
});
