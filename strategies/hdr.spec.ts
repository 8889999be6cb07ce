// hdr spec: the Host value of §3.9 as the key (port included), use_domain_only, round-robin without it.
import { describe, expect, it } from "vitest";
import { createHdr, hostHash, parseHdr } from "./hdr.js";
import { hashString, sdbm } from "./shared/index.js";
import { FakeModel, request } from "./test-support.js";
import type { StrategyFactory } from "./types.js";

const keyOf = (host: string, domainOnly = false) => hostHash(request({ host }), sdbm, domainOnly);
const hashOf = (key: string) => hashString(sdbm, key);
const hdr = (balance: string): StrategyFactory => {
  const options = parseHdr(balance.split(" "))!;
  return (servers, context) => createHdr(servers, context, options);
};

describe("hdr", () => {
  it("hdr(host) with a port differs from without: the port is part of the key", () => {
    expect(keyOf("a.example")).toBe(hashOf("a.example"));
    expect(keyOf("a.example:8443")).toBe(hashOf("a.example:8443"));
    expect(keyOf("a.example")).not.toBe(keyOf("a.example:8443"));
    const m = new FakeModel(hdr("hdr(host)"), [1, 1, 1, 1, 1, 1, 1]);
    expect(m.pick(undefined, request({ host: "a.example" }))).toBe(hashOf("a.example") % 7);
    expect(m.pick(undefined, request({ host: "a.example:8443" }))).toBe(hashOf("a.example:8443") % 7);
  });

  it("hdr(host) takes the first comma-separated element, trimmed, raw (no case folding)", () => {
    expect(keyOf("  a.example ,b.example")).toBe(hashOf("a.example"));
    expect(keyOf("\tA.Example")).toBe(hashOf("A.Example"));
    expect(keyOf("   ")).toBe(-1);
    expect(keyOf("")).toBe(-1);
    expect(keyOf(",a.example")).toBe(-1);
  });

  it("hdr(host) use_domain_only keeps the label before the last dot", () => {
    expect(keyOf("haproxy.1wt.eu", true)).toBe(hashOf("1wt"));
    expect(keyOf("example.com:8443", true)).toBe(hashOf("example"));
    expect(keyOf("www.s1.example.org", true)).toBe(hashOf("example"));
    expect(keyOf("a.example.", true)).toBe(hashOf("example"));
    expect(keyOf("localhost", true)).toBe(hashOf("localhost"));
  });

  it("hdr(host) use_domain_only never keeps an empty label, as measured on HAProxy 2.6.12", () => {
    // A dot in first place is no "last dot"; a label between two dots extends to the previous one.
    expect(keyOf(".example", true)).toBe(hashOf(".example"));
    expect(keyOf(".", true)).toBe(hashOf("."));
    expect(keyOf("x..y", true)).toBe(hashOf("x."));
    expect(keyOf("w.x..y", true)).toBe(hashOf("x."));
  });

  it("hdr(Host) matches the name in any case; another header is absent and falls back to round-robin", () => {
    const host = request({ host: "a.example" });
    expect(new FakeModel(hdr("hdr(Host)"), [1, 1, 1]).pick(undefined, host)).toBe(hashOf("a.example") % 3);
    expect(new FakeModel(hdr("hdr(HOST)"), [1, 1, 1]).pick(undefined, host)).toBe(hashOf("a.example") % 3);
    const other = new FakeModel(hdr("hdr(X-Forwarded-For)"), [1, 1, 1]);
    expect([0, 1, 2, 3].map(() => other.pick(undefined, host))).toEqual([0, 1, 2, 0]);
  });

  it("hdr(host) without a Host header falls back to round-robin", () => {
    const m = new FakeModel(hdr("hdr(host)"), [1, 1]);
    expect([0, 1, 2].map(() => m.pick(undefined, request({ host: "" })))).toEqual([0, 1, 0]);
  });

  it("hdr reads `hdr(<name>) [use_domain_only]` and nothing else", () => {
    expect(parseHdr(["hdr(host)"])).toEqual({ name: "host", domainOnly: false });
    expect(parseHdr(["hdr(Host)", "use_domain_only"])).toEqual({ name: "Host", domainOnly: true });
    for (const words of [
      ["hdr()"],
      ["hdr(host"],
      ["hdr(ho st)"],
      ["hdr(host)", "x"],
      ["hdr(host)", "use_domain_only", "x"],
      ["hdr"],
    ]) {
      expect(parseHdr(words), words.join(" ")).toBeUndefined();
    }
  });
});
