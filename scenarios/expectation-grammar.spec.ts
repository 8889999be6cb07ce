// The expectation grammar: lines read into typed expectations (units, ranges, strategies, the unfinished metric) or refused.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { type Expectation, parseExpectation, parseExpectations } from "./expectation-grammar.js";
import { backendsOf, serversOf, strategiesOf } from "./expectation-refs.js";

function parsed(text: string): Expectation {
  const e = parseExpectation(text);
  if ("error" in e) throw new Error(e.error);
  return e;
}

describe("parseExpectations", () => {
  it("parses each line into the same typed expectation the loader gives", () => {
    const lines = ["p99 < 300ms", "leastconn.p99 < roundrobin.p99"];
    expect(parseExpectations(lines)).toEqual(lines.map((line) => parseExpectation(line)));
    expect(parseExpectations(lines).map((e) => e.text)).toEqual(lines);
  });

  it("throws an InputError at the first line that does not parse, with its index and hint", () => {
    let thrown: unknown;
    try {
      parseExpectations(["p99 < 1s", "errors < 5", "p98 < 1s"]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).issues).toEqual([
      {
        code: "bad-value",
        file: "",
        line: 0,
        column: 0,
        path: "expect[1]",
        message: "errors is a ratio: a bare number is a fraction (1 = 100%), so 5 would mean 500%",
        hint: "did you mean 5%?",
      },
    ]);
  });
});

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
