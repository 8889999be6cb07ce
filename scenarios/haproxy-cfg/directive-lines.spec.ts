// Where a proxy's settings are written: its own section first, then the defaults it inherits.
import { describe, expect, it } from "vitest";
import { cfgLines } from "./directive-lines.js";

const CFG = [
  "global", // 1
  "  maxconn 4000", // 2
  "defaults base", // 3
  "  retries 2", // 4
  "  timeout connect 5s", // 5
  "defaults", // 6
  "  retries 5", // 7
  "backend a", // 8
  "  retries 1", // 9
  "  server s1 1.1.1.1:80 check", // 10
  "backend b", // 11
  "  server s1 1.1.1.2:80", // 12
  "backend c from base", // 13
  "  balance uri", // 14
  "",
].join("\n");

describe("cfgLines", () => {
  const lines = cfgLines(CFG);

  it("finds a directive in the proxy's own section first", () => {
    expect(lines.find("a", ["retries"])?.line).toBe(9);
    expect(lines.find("a", ["server", "s1"])?.words).toEqual(["server", "s1", "1.1.1.1:80", "check"]);
  });

  it("falls back to the defaults section above it, or the one named by from", () => {
    expect(lines.find("b", ["retries"])?.line).toBe(7);
    expect(lines.find("c", ["retries"])?.line).toBe(4);
    expect(lines.find("c", ["timeout", "connect"])?.line).toBe(5);
    // The unnamed defaults of line 6 starts from scratch: it does not inherit `base`.
    expect(lines.find("b", ["timeout", "connect"])).toBeUndefined();
  });

  it("gives section headers and the global maxconn", () => {
    expect([lines.header("a"), lines.header("c"), lines.header("nope")]).toEqual([8, 13, 0]);
    expect(lines.globalMaxconn()?.line).toBe(2);
  });
});
