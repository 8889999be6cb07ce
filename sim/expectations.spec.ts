// Checking expectations on runs (the run's own figures, limits, backend.* metrics); the grammar's spec is scenarios/expectation-grammar.spec.ts.
import { describe, expect, it } from "vitest";
import { parseExpectation } from "../scenarios/expectation-grammar.js";
import { backendsOf, checkExpectations, type Expectation } from "./expectations.js";
import { scenario as bareScenario } from "./scenario-builders.js";
import { scenario, server, simulate } from "./test-support.js";

function parsed(text: string): Expectation {
  const e = parseExpectation(text);
  if ("error" in e) throw new Error(e.error);
  return e;
}

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
