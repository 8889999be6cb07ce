// hash-type spec: `hash-type <method> [<function> [avalanche]]` read as haproxy.cfg writes it (§1, §3.1).
import { describe, expect, it } from "vitest";
import { parseHashType } from "./hash-type.js";

describe("parseHashType", () => {
  it("reads the method alone, leaving function and modifier to HAProxy's defaults", () => {
    expect(parseHashType("map-based")).toEqual({ kind: "ok", settings: { hashType: "map-based" } });
    expect(parseHashType(" consistent ")).toEqual({ kind: "ok", settings: { hashType: "consistent" } });
  });

  it("reads a named function, with or without avalanche", () => {
    expect(parseHashType("consistent djb2")).toEqual({
      kind: "ok",
      settings: { hashType: "consistent", hashFunction: "djb2", hashAvalanche: false },
    });
    expect(parseHashType("map-based crc32 avalanche")).toEqual({
      kind: "ok",
      settings: { hashType: "map-based", hashFunction: "crc32", hashAvalanche: true },
    });
    expect(parseHashType("consistent   sdbm  avalanche")).toMatchObject({ kind: "ok" });
  });

  it("reads wt6 like the other functions", () => {
    expect(parseHashType("consistent wt6")).toEqual({
      kind: "ok",
      settings: { hashType: "consistent", hashFunction: "wt6", hashAvalanche: false },
    });
  });

  it("rejects an unknown function with the list of known ones, and anything malformed", () => {
    const md5 = parseHashType("consistent md5");
    expect(md5).toMatchObject({ kind: "error", message: 'unknown hash function "md5"' });
    expect(md5.kind === "error" && md5.hint).toBe("expected one of sdbm, djb2, wt6, crc32");
    for (const text of [
      "",
      "consistant",
      "consistent avalanche",
      "map-based md5",
      "map-based sdbm full",
      "consistent sdbm avalanche x",
      "Consistent",
    ]) {
      expect(parseHashType(text).kind, text).toBe("error");
    }
  });
});
