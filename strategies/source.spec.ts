// source spec: the address key of §3.6 (IPv4 integer, IPv6 XOR of its words), map-based and consistent.
import { describe, expect, it } from "vitest";
import { fullHash } from "./shared/index.js";
import { createSource, ipv4Key, ipv6Key, sourceKey } from "./source.js";
import { FakeModel, request, ringOwner } from "./test-support.js";
import type { RequestView } from "./types.js";

const from = (sourceIp: string) => request({ sourceIp });

describe("source", () => {
  it("source keys an IPv4 client by a·2^24 + b·2^16 + c·2^8 + d, read from sourceKey", () => {
    expect(sourceKey(from("10.0.0.1"))).toBe(0x0a000001);
    expect(sourceKey(from("255.255.255.255"))).toBe(0xffffffff);
    // The usual IPv4 pick reads no text: sourceIp would make a string in the model.
    const noText: RequestView = {
      sourceKey: 0x7f000001,
      get sourceIp(): string {
        throw new Error("sourceIp was read");
      },
      path: "/",
      host: "",
    };
    expect(sourceKey(noText)).toBe(0x7f000001);
  });

  it("source keys an IPv6 client by the XOR of its four 32-bit words", () => {
    // 2001:0db8:0000:0000:0000:0000:0000:0001 → 0x20010db8 ^ 0 ^ 0 ^ 0x00000001.
    expect(ipv6Key("2001:db8::1")).toBe(0x20010db9);
    expect(ipv6Key("[2001:db8::1]")).toBe(0x20010db9);
    expect(ipv6Key("2001:db8::1%eth0")).toBe(0x20010db9);
    expect(ipv6Key("2001:db8:0:0:0:0:0:1")).toBe(0x20010db9);
    expect(ipv6Key("1:2:3:4:5:6:7:8")).toBe(
      ((0x00010002 ^ 0x00030004 ^ 0x00050006 ^ 0x00070008) >>> 0) as number,
    );
    expect(ipv6Key("::")).toBe(0);
    expect(ipv6Key("::1")).toBe(1);
    expect(ipv6Key("fe80::")).toBe(0xfe800000);
    // IPv4-mapped: 0x0000ffff ^ 0x0a000001.
    expect(ipv6Key("::ffff:10.0.0.1")).toBe(0x0a00fffe);
    expect(sourceKey(from("2001:db8::1"))).toBe(0x20010db9);
  });

  it("source rejects text that is not an address, and then has no key", () => {
    for (const text of [
      "",
      ":",
      ":1",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "12345::",
      "1:2",
      "::g",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::1.2.3",
    ]) {
      expect(ipv6Key(text), text).toBe(-1);
    }
    for (const text of ["", "1.2.3", "1.2.3.256", "1.2.3.4.5", "01234.1.1.1", "a.b.c.d"]) {
      expect(ipv4Key(text, 0, text.length), text).toBe(-1);
    }
    expect(sourceKey(from("unknown"))).toBe(-1);
    expect(sourceKey(from("0.0.0.0"))).toBe(0);
  });

  it("source map-based takes map[key mod T] without avalanche", () => {
    const m = new FakeModel(createSource, [1, 1, 1]);
    // 167772161 mod 3 = 2 (digit sum 38): the third entry of the map s1 s2 s3.
    expect(0x0a000001 % 3).toBe(2);
    expect(m.pick(undefined, from("10.0.0.1"))).toBe(2);
    expect(m.pick(undefined, from("10.0.0.2"))).toBe(0);
    expect(m.pick(undefined, from("10.0.0.3"))).toBe(1);
  });

  it("source consistent takes the ring point nearest full_hash(key)", () => {
    const m = new FakeModel(createSource, [1, 2, 3, 1], { hashType: "consistent" });
    for (let k = 0; k < 200; k++) {
      const ip = `10.${k}.${(k * 7) % 256}.${(k * 13) % 256}`;
      const key = sourceKey(from(ip));
      expect(m.pick(undefined, from(ip)), ip).toBe(ringOwner(m.servers, fullHash(key)));
    }
  });

  it("source sends the same client to the same server, and an unknown address round-robin", () => {
    const m = new FakeModel(createSource, [1, 1, 1]);
    const first = m.pick(undefined, from("192.168.1.20"));
    for (let k = 0; k < 5; k++) expect(m.pick(undefined, from("192.168.1.20"))).toBe(first);
    const fallback = [0, 1, 2, 3].map(() => m.pick(undefined, from("not-an-address")));
    expect(fallback).toEqual([0, 1, 2, 0]);
  });
});
