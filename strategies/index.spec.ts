// index spec: `balance` names resolve as haproxy.cfg writes them, and only those.
import { describe, expect, it } from "vitest";
import { describeStrategy, MAX_DRAWS, resolveStrategy, strategyNames } from "./index.js";
import { FakeModel } from "./test-support.js";

const nameOf = (balance: string) => new FakeModel(resolveStrategy(balance)!, [1]).strategy.name;

describe("resolveStrategy", () => {
  it("resolves the names a user writes after `balance`", () => {
    expect(nameOf("roundrobin")).toBe("roundrobin");
    expect(nameOf("leastconn")).toBe("leastconn");
    expect(nameOf("random")).toBe("random");
    expect(nameOf("random(2)")).toBe("random");
    expect(nameOf("random(3)")).toBe("random(3)");
    expect(nameOf(` random(${MAX_DRAWS}) `)).toBe(`random(${MAX_DRAWS})`);
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
  it("lists every known name, each resolvable and described in one line", () => {
    expect(strategyNames()).toEqual(["roundrobin", "leastconn", "random"]);
    for (const name of strategyNames()) {
      expect(resolveStrategy(name)).toBeDefined();
      expect(describeStrategy(name)).toMatch(/^[^\n]+$/);
    }
    expect(describeStrategy("random(5)")).toContain("5 random servers");
    expect(describeStrategy("random(1)")).toContain("1 random server ");
    expect(describeStrategy("nope")).toBeUndefined();
  });
});
