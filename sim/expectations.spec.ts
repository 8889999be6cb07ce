import { describe, expect, it } from "vitest";
import { parseExpectation } from "../scenarios/expectation-grammar.js";
import { backendsOf, checkExpectations, type Expectation, serversOf, strategiesOf } from "./expectations.js";
import { scenario as bareScenario } from "./scenario-builders.js";
import { scenario, server, simulate } from "./test-support.js";

function parsed(text: string): Expectation {
  const e = parseExpectation(text);
  if ("error" in e) throw new Error(e.error);
  return e;
}

describe("parseExpectation", () => {
  it("reads a latency threshold with a unit, a bare number being milliseconds", () => {
    const e = parsed("p99 < 300ms");
    expect(e.op).toBe("<");
    expect(e.op !== "in" && e.right).toEqual({ kind: "number", value: 300, explicitUnit: true });
    const bare = parsed("p50 <= 2");
    expect(bare.op !== "in" && bare.right).toEqual({ kind: "number", value: 2, explicitUnit: false });
    const seconds = parsed("max < 1.5s");
    expect(seconds.op !== "in" && seconds.right).toMatchObject({ value: 1500 });
  });

  it("reads percentages as fractions for ratios", () => {
    const e = parsed("errors < 0.5%");
    expect(e.op !== "in" && e.right).toMatchObject({ value: 0.005 });
  });

  it("reads a range with a server argument", () => {
    const e = parsed("share(web01) in 45%..55%");
    expect(e.op).toBe("in");
    expect(serversOf(e)).toEqual(["web01"]);
    if (e.op === "in") {
      expect(e.low).toMatchObject({ value: 0.45 });
      expect(e.high).toMatchObject({ value: 0.55 });
    }
  });

  it("reads strategy-prefixed metrics on both sides", () => {
    const e = parsed("leastconn.p99 < roundrobin.p99");
    expect(strategiesOf(e)).toEqual(["leastconn", "roundrobin"]);
    expect(strategiesOf(parsed("random(2).p99 < 1s"))).toEqual(["random(2)"]);
    expect(strategiesOf(parsed("queue.p99 < 1s"))).toEqual([]);
  });

  it("rejects what it cannot read, saying what was expected", () => {
    expect(parseExpectation("p99 300ms")).toHaveProperty("error");
    expect(parseExpectation("p98 < 3ms")).toMatchObject({
      error: expect.stringContaining('unknown metric "p98"'),
    });
    expect(parseExpectation("errors < 3ms")).toMatchObject({ error: expect.stringContaining("duration") });
    expect(parseExpectation("p99 < 3%")).toMatchObject({ error: expect.stringContaining("percentage") });
    expect(parseExpectation("share < 3%")).toMatchObject({
      error: expect.stringContaining("needs an argument"),
    });
    expect(parseExpectation("p99 < errors")).toMatchObject({
      error: expect.stringContaining("cannot compare"),
    });
  });
});

describe("the unfinished metric", () => {
  it("is a count beside a bare number and a share beside a percentage", () => {
    const count = parsed("unfinished < 50");
    expect(count.left).toMatchObject({ name: "unfinished", unit: "count or share" });
    const share = parsed("unfinished < 1%");
    expect(share.left).toMatchObject({ name: "unfinished.share", unit: "ratio" });
    expect(share.op !== "in" && share.right).toMatchObject({ value: 0.01 });
    // A bare 0 is both: 0 and 0% say the same.
    expect(parsed("unfinished in 0..1%").left).toMatchObject({ name: "unfinished.share" });
    expect(parsed("backend.unfinished(api) < 1%").left).toMatchObject({ name: "backend.unfinished.share" });
    expect(backendsOf(parsed("backend.unfinished(api) < 1%"))).toEqual(["api"]);
    expect(parsed("leastconn.unfinished <= roundrobin.unfinished").left).toMatchObject({
      name: "unfinished",
    });
  });

  it("refuses limits that mix a count and a share, and durations", () => {
    expect(parseExpectation("unfinished in 5..10%")).toMatchObject({
      error: expect.stringContaining("every limit as a percentage"),
    });
    expect(parseExpectation("unfinished < 3ms")).toMatchObject({
      error: expect.stringContaining("duration"),
    });
    expect(parseExpectation("unfinished < p99")).toMatchObject({
      error: expect.stringContaining("cannot compare"),
    });
  });
});

describe("checkExpectations", () => {
  const results = simulate(
    scenario({ durationMs: 20_000, backend: { servers: [server("web01"), server("web02")] } }),
  );

  it("passes and fails on the run's own figures, reporting the actual value", () => {
    const checks = checkExpectations(
      [parsed("share(web01) in 45%..55%"), parsed("p99 < 1ms"), parsed("errors == 0")],
      new Map(),
      results,
    );
    expect(checks.map((c) => c.pass)).toEqual([true, false, true]);
    expect(checks[0]!.actual).toBe(results.servers[0]!.share);
    expect(checks[1]!.actual).toBe(results.latency.p99Ms);
  });

  it("reports the limit each value was compared with: the right side, or the nearer bound of a range", () => {
    const checks = checkExpectations(
      [
        parsed("p99 < 1ms"),
        parsed("share(web01) in 60%..90%"),
        parsed("share(web01) in 10%..95%"),
        parsed("errors < 0.1%"),
      ],
      new Map(),
      results,
    );
    expect(checks.map((c) => c.limit)).toEqual([
      1,
      0.6,
      results.servers[0]!.share < 0.525 ? 0.1 : 0.95,
      0.001,
    ]);
  });

  it("leaves out expectations about strategies that were not run", () => {
    const checks = checkExpectations(
      [parsed("leastconn.p99 < roundrobin.p99")],
      new Map([["roundrobin", results]]),
      results,
    );
    expect(checks).toEqual([]);
  });

  it("is filled in by run from the scenario's expect lines", () => {
    const r = simulate(scenario({ durationMs: 5000, expect: ["errors < 1%", "p50 > 1h"] }));
    expect(r.checks.map((c) => [c.name, c.pass])).toEqual([
      ["errors < 1%", true],
      ["p50 > 1h", false],
    ]);
  });

  it("is evaluated from the Scenario's typed expectations: sim/ parses no expect: text", () => {
    // Typed expectations alone are checked, named by their text...
    const typed = simulate(bareScenario({ durationMs: 5000, expectations: [parsed("errors < 1%")] }));
    expect(typed.checks.map((c) => [c.name, c.pass])).toEqual([["errors < 1%", true]]);
    // ...and text without them is only text (the loader or a test helper parses it).
    const textOnly = simulate(bareScenario({ durationMs: 5000, expect: ["errors < 1%"] }));
    expect(textOnly.checks).toEqual([]);
  });
});

describe("backend.* metrics", () => {
  it("read the named backend's figures, and the whole run's when there is one backend", () => {
    const results = simulate(
      scenario({ durationMs: 5000, backend: { name: "be", servers: [server("s1"), server("s2")] } }),
    );
    const lines = [
      "backend.p99(be) == p99",
      "backend.mean(be) == mean",
      "backend.errors(be) == errors",
      "backend.requests(be) == requests",
      "backend.share(be) == 100%",
    ].map(parsed);
    expect(backendsOf(lines[0]!)).toEqual(["be"]);
    expect(checkExpectations(lines, new Map(), results).map((c) => [c.name, c.pass])).toEqual(
      lines.map((e) => [e.text, true]),
    );
    // With several backends Results.backends holds each one; a name it lacks has no figure (left out).
    const routed = { ...results, backends: [] };
    expect(checkExpectations([parsed("backend.p99(be) < 1h")], new Map(), routed)).toEqual([]);
  });
});
