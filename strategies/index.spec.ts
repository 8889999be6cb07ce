// index spec: `balance` names resolve as haproxy.cfg writes them, and only those.
import { describe, expect, it } from "vitest";
import { describeStrategy, MAX_DRAWS, resolveStrategy, strategyNames } from "./index.js";
import { FakeModel } from "./test-support.js";

const nameOf = (balance: string) => new FakeModel(resolveStrategy(balance)!, [1]).strategy.name;

describe("resolveStrategy", () => {
  it("resolves the names a user writes after `balance`", () => {
    const names: Array<[string, string]> = [
      ["roundrobin", "roundrobin"],
      ["static-rr", "static-rr"],
      ["leastconn", "leastconn"],
      ["first", "first"],
      ["source", "source"],
      ["uri", "uri"],
      ["uri whole", "uri whole"],
      ["uri len 10 depth 2", "uri len 10 depth 2"],
      ["uri depth 2   len 10", "uri len 10 depth 2"],
      ["uri path-only", "uri path-only"],
      ["url_param userid", "url_param userid"],
      ["hdr(host)", "hdr(host)"],
      ["hdr(Host) use_domain_only", "hdr(Host) use_domain_only"],
      ["random", "random"],
      ["random(2)", "random"],
      ["random(3)", "random(3)"],
      [` random(${MAX_DRAWS}) `, `random(${MAX_DRAWS})`],
      ["peak-ewma", "peak-ewma"],
      ["least-response-time", "least-response-time"],
    ];
    for (const [balance, name] of names) expect(nameOf(balance), balance).toBe(name);
  });

  it("returns undefined for unknown or malformed names", () => {
    for (const balance of [
      "",
      "round-robin",
      "RoundRobin",
      "random()",
      "random(0)",
      "random(-1)",
      "random(1.5)",
      "random(2",
      "random (2)",
      `random(${MAX_DRAWS + 1})`,
      "toString",
      "constructor",
      "roundrobin x",
      "first 1",
      "uri len",
      "uri len 0",
      "uri depth x",
      "uri foo",
      "url_param",
      "url_param a b",
      "url_param userid check_post",
      "hdr",
      "hdr()",
      "hdr(host) x",
      "hdr (host)",
      "source 1.2.3.4",
      "hash path",
      "rdp-cookie",
    ]) {
      expect(resolveStrategy(balance), balance).toBeUndefined();
    }
  });

  it("builds a fresh strategy per call, with random(N) draws taken from the name", () => {
    const factory = resolveStrategy("random(4)")!;
    const a = new FakeModel(factory, [1, 1], { seed: 3 });
    const b = new FakeModel(factory, [1, 1], { seed: 3 });
    expect(a.sequence(50)).toEqual(b.sequence(50));
  });
});

describe("strategyNames and describeStrategy", () => {
  it("lists every keyword, each described in one line", () => {
    expect(strategyNames()).toEqual([
      "roundrobin",
      "static-rr",
      "leastconn",
      "first",
      "source",
      "uri",
      "url_param",
      "hdr",
      "random",
      "peak-ewma",
      "least-response-time",
    ]);
    for (const name of strategyNames()) expect(describeStrategy(name), name).toMatch(/^[^\n]+$/);
    // Keywords that need arguments are listed with their usage.
    expect(describeStrategy("url_param")).toMatch(/^url_param <name>/);
    expect(describeStrategy("hdr")).toMatch(/^hdr\(<name>\)/);
    expect(resolveStrategy("url_param")).toBeUndefined();
  });

  it("describes a balance value with its arguments", () => {
    expect(describeStrategy("random(5)")).toContain("5 random servers");
    expect(describeStrategy("random(1)")).toContain("1 random server ");
    expect(describeStrategy("url_param userid")).toContain('"userid"');
    expect(describeStrategy("hdr(Host) use_domain_only")).toContain("domain");
    expect(describeStrategy("uri len 10 depth 2")).toContain("2 levels");
    expect(describeStrategy("uri len 10 depth 2")).toContain("10 bytes");
    expect(describeStrategy(" leastconn ")).toBe(describeStrategy("leastconn"));
    expect(describeStrategy("nope")).toBeUndefined();
    expect(describeStrategy("uri len 0")).toBeUndefined();
  });
});
