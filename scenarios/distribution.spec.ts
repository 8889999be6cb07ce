// Distribution parsing: every kind, mixes, and the problems of bad ones.
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { meanMs, parseDistribution, tryParseDistribution } from "./distribution.js";

describe("parseDistribution", () => {
  it.each([
    [{ exponential: "20ms" }, { kind: "exponential", meanMs: 20 }],
    [{ constant: "10ms" }, { kind: "constant", valueMs: 10 }],
    [{ constant: 7 }, { kind: "constant", valueMs: 7 }],
    [{ uniform: ["5ms", "15ms"] }, { kind: "uniform", minMs: 5, maxMs: 15 }],
    [{ lognormal: { median: "20ms", sigma: 0.8 } }, { kind: "lognormal", medianMs: 20, sigma: 0.8 }],
    [{ erlang: { k: 4, mean: "10ms" } }, { kind: "erlang", k: 4, meanMs: 10 }],
    [{ pareto: { scale: "10ms", shape: 1.5 } }, { kind: "pareto", scaleMs: 10, shape: 1.5 }],
    [
      {
        mix: [
          { p: 0.9, exponential: "5ms" },
          { p: 0.1, constant: "200ms" },
        ],
      },
      {
        kind: "mix",
        parts: [
          { p: 0.9, dist: { kind: "exponential", meanMs: 5 } },
          { p: 0.1, dist: { kind: "constant", valueMs: 200 } },
        ],
      },
    ],
  ])("reads %j", (value, expected) => {
    expect(parseDistribution(value)).toEqual(expected);
  });

  it("accepts p's that add up to 1 within floating-point error", () => {
    const parts = [
      { p: 0.1, constant: 1 },
      { p: 0.2, constant: 2 },
      { p: 0.7, constant: 3 },
    ];
    expect(parseDistribution({ mix: parts }).kind).toBe("mix");
  });

  it("nests a mix inside a mix", () => {
    const inner = {
      mix: [
        { p: 0.5, constant: 1 },
        { p: 0.5, constant: 3 },
      ],
    };
    const dist = parseDistribution({ mix: [{ p: 1, ...inner }] });
    expect(meanMs(dist)).toBe(2);
  });

  it.each([
    [{ exponental: "20ms" }, "bad-distribution", ["exponental"], 'did you mean "exponential"?'],
    [{ exponential: "20 parsecs" }, "bad-duration", ["exponential"], "the units are us, ms, s, m, h, d"],
    [{ uniform: ["15ms", "5ms"] }, "bad-distribution", ["uniform", 1], undefined],
    [{ uniform: "5ms" }, "bad-distribution", ["uniform"], undefined],
    [{ lognormal: { median: "20ms" } }, "missing-key", ["lognormal"], undefined],
    [
      { lognormal: { median: "20ms", sigma: 0.8, sigmma: 1 } },
      "unknown-key",
      ["lognormal", "sigmma"],
      'did you mean "sigma"?',
    ],
    [{ lognormal: { median: 0, sigma: 0.8 } }, "bad-duration", ["lognormal", "median"], undefined],
    [{ erlang: { k: 1.5, mean: "10ms" } }, "bad-distribution", ["erlang", "k"], undefined],
    [{ pareto: { scale: "10ms", shape: 0 } }, "bad-distribution", ["pareto", "shape"], undefined],
    [
      {
        mix: [
          { p: 0.5, constant: 1 },
          { p: 0.4, constant: 2 },
        ],
      },
      "bad-distribution",
      ["mix"],
      undefined,
    ],
    [{ mix: [{ p: 2, constant: 1 }] }, "bad-distribution", ["mix", 0, "p"], undefined],
    [{ mix: [] }, "bad-distribution", ["mix"], undefined],
    [{ mix: [{ constant: 1 }] }, "missing-key", ["mix", 0], undefined],
    [{}, "bad-distribution", [], undefined],
    [{ constant: 1, exponential: 2 }, "bad-distribution", [], undefined],
    ["20ms", "bad-distribution", [], undefined],
  ])("refuses %j with %s at %j", (value, code, path, hint) => {
    const result = tryParseDistribution(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]).toMatchObject({ code, path });
      expect(result.problems[0]?.hint).toBe(hint);
    }
  });

  it("reports every bad parameter, not just the first", () => {
    const result = tryParseDistribution({ lognormal: { median: "x", sigma: -1 } });
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      ["lognormal", "median"],
      ["lognormal", "sigma"],
    ]);
  });

  it("throws an InputError naming the field", () => {
    expect(() => parseDistribution({ normal: 5 }, "backend.service")).toThrow(InputError);
  });
});

describe("meanMs", () => {
  it("gives each distribution's mean", () => {
    expect(meanMs({ kind: "uniform", minMs: 5, maxMs: 15 })).toBe(10);
    expect(meanMs({ kind: "lognormal", medianMs: 20, sigma: 0 })).toBe(20);
    expect(meanMs({ kind: "pareto", scaleMs: 10, shape: 2 })).toBe(20);
    expect(meanMs({ kind: "pareto", scaleMs: 10, shape: 1 })).toBe(Number.POSITIVE_INFINITY);
  });
});
