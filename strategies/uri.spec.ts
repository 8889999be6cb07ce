// uri spec: the key of §3.7 (query cut unless whole, depth, len, path-only) and the option grammar.
import { describe, expect, it } from "vitest";
import { hashString, sdbm } from "./shared/index.js";
import { FakeModel, request } from "./test-support.js";
import {
  createUri,
  DEFAULT_URI_OPTIONS,
  parseUriOptions,
  type UriOptions,
  uriBalance,
  uriHash,
} from "./uri.js";

const keyOf = (path: string, options: Partial<UriOptions> = {}) =>
  uriHash(request({ path }), sdbm, { ...DEFAULT_URI_OPTIONS, ...options });
const hashOf = (key: string) => hashString(sdbm, key);

describe("uri", () => {
  it("uri hashes the path and cuts the query at the first ?", () => {
    expect(keyOf("/a/b/c?x=1?y")).toBe(hashOf("/a/b/c"));
    expect(keyOf("/")).toBe(hashOf("/"));
    expect(keyOf("?x")).toBe(0);
  });

  it("uri whole keeps the query", () => {
    expect(keyOf("/a/b/c?x=1", { whole: true })).toBe(hashOf("/a/b/c?x=1"));
  });

  it("uri depth 2 stops before the third slash: /a/b/c → /a/b", () => {
    expect(keyOf("/a/b/c", { depth: 2 })).toBe(hashOf("/a/b"));
    expect(keyOf("/a/b", { depth: 2 })).toBe(hashOf("/a/b"));
    expect(keyOf("/a?b/c/d", { depth: 2 })).toBe(hashOf("/a"));
    expect(keyOf("/a?b/c/d", { depth: 2, whole: true })).toBe(hashOf("/a?b/c"));
    expect(keyOf("//x", { depth: 1 })).toBe(hashOf("/"));
  });

  it("uri len N keeps the first N bytes, whichever cut comes first", () => {
    expect(keyOf("/abcdef", { len: 3 })).toBe(hashOf("/ab"));
    expect(keyOf("/a?bcdef", { len: 5 })).toBe(hashOf("/a"));
    expect(keyOf("/a/b/c/d", { len: 10, depth: 2 })).toBe(hashOf("/a/b"));
    expect(keyOf("/aaaa/b/c", { len: 3, depth: 2 })).toBe(hashOf("/aa"));
    // Bytes, not characters: "é" is two bytes on the wire.
    expect(keyOf("/é", { len: 2 })).toBe(sdbm(new Uint8Array([0x2f, 0xc3]), 2));
  });

  it("uri path-only skips scheme://authority of an absolute URI, and only then", () => {
    expect(keyOf("http://h.example/p/q?x", { pathOnly: true })).toBe(hashOf("/p/q"));
    expect(keyOf("http://h.example/p/q?x", { pathOnly: true, whole: true })).toBe(hashOf("/p/q?x"));
    expect(keyOf("http://h.example", { pathOnly: true })).toBe(0);
    expect(keyOf("/p?u=http://x/y", { pathOnly: true, whole: true })).toBe(hashOf("/p?u=http://x/y"));
    expect(keyOf("http://h.example/p/q")).toBe(hashOf("http://h.example/p/q"));
  });

  it("uri picks map[sdbm(key) mod T] under map-based", () => {
    const m = new FakeModel(createUri, [1, 1, 1, 1, 1]);
    for (const path of ["/", "/a", "/item/1", "/item/2?x=1", "/static/app.css"]) {
      expect(m.pick(undefined, request({ path })), path).toBe(hashOf(path.split("?")[0]!) % 5);
    }
  });

  it("uri reads options in any order, HAProxy's way, and rejects malformed ones", () => {
    expect(parseUriOptions([])).toEqual(DEFAULT_URI_OPTIONS);
    expect(parseUriOptions(["len", "10", "depth", "2"])).toEqual({
      ...DEFAULT_URI_OPTIONS,
      len: 10,
      depth: 2,
    });
    expect(parseUriOptions(["depth", "2", "len", "10"])).toEqual({
      ...DEFAULT_URI_OPTIONS,
      len: 10,
      depth: 2,
    });
    expect(parseUriOptions(["whole", "path-only"])).toEqual({
      ...DEFAULT_URI_OPTIONS,
      whole: true,
      pathOnly: true,
    });
    expect(parseUriOptions(["len", "3", "len", "4"])?.len).toBe(4);
    for (const words of [
      ["len"],
      ["len", "0"],
      ["len", "x"],
      ["depth", "-1"],
      ["depth", "1.5"],
      ["foo"],
      ["Whole"],
    ]) {
      expect(parseUriOptions(words), words.join(" ")).toBeUndefined();
    }
    expect(uriBalance({ whole: true, len: 10, depth: 2, pathOnly: true })).toBe(
      "uri whole len 10 depth 2 path-only",
    );
  });
});
