// Spec of cli/replay-outages.ts: when a gap in a server's requests is an outage, and under which balances.
import { describe, expect, test } from "vitest";
import { infersOutages, OutageFinder } from "./replay-outages.js";

describe("outages a log shows without saying", () => {
  test("a server missing from a roundrobin stream for more than 14 / its share requests is out for that time", () => {
    const finder = new OutageFinder(
      new Map([
        ["a", 0.5],
        ["b", 0.5],
      ]),
    );
    // a b a b …, then only a for 40 requests (≥ 28 = 14 / 0.5), then a b again.
    for (let i = 1; i <= 20; i++) finder.see(i % 2 === 1 ? "a" : "b", i * 10);
    const lastB = 200;
    for (let i = 21; i <= 60; i++) finder.see("a", i * 10);
    const at = 610;
    finder.see("b", at);
    expect(finder.finish()).toEqual([
      { server: "b", fromMs: lastB + 1, toMs: at - 1, requestsElsewhere: 40 },
    ]);
  });

  test("a shorter miss is not an outage, and one running at the end has no end", () => {
    const finder = new OutageFinder(
      new Map([
        ["a", 0.5],
        ["b", 0.5],
      ]),
    );
    for (let i = 1; i <= 10; i++) finder.see(i % 2 === 1 ? "a" : "b", i * 10);
    for (let i = 11; i <= 37; i++) finder.see("a", i * 10);
    finder.see("b", 380);
    expect(finder.finish()).toEqual([]);
    const ending = new OutageFinder(
      new Map([
        ["a", 0.5],
        ["b", 0.5],
      ]),
    );
    ending.see("b", 5);
    for (let i = 0; i < 30; i++) ending.see("a", 10 + i);
    expect(ending.finish()).toEqual([{ server: "b", fromMs: 6, requestsElsewhere: 30 }]);
  });

  test("requests with no server count as requests elsewhere but are no server's", () => {
    const finder = new OutageFinder(new Map([["a", 1]]));
    finder.see("a", 0);
    for (let i = 0; i < 14; i++) finder.see("", 1 + i);
    finder.see("a", 100);
    expect(finder.finish()).toEqual([{ server: "a", fromMs: 1, toMs: 99, requestsElsewhere: 14 }]);
  });

  test("requests in the same ms as either end of the gap do not count: their order is not in the log", () => {
    // A burst of 60 requests dated alike (HAProxy read them in one pass), a's first written last.
    const finder = new OutageFinder(
      new Map([
        ["a", 0.5],
        ["b", 0.5],
      ]),
    );
    for (let i = 0; i < 59; i++) finder.see("b", 119);
    finder.see("a", 119);
    for (let i = 0; i < 10; i++) finder.see(i % 2 === 0 ? "a" : "b", 120 + i);
    expect(finder.finish()).toEqual([]);
    // The same 59 requests one ms apart are a gap.
    const spread = new OutageFinder(
      new Map([
        ["a", 0.5],
        ["b", 0.5],
      ]),
    );
    spread.see("a", 0);
    for (let i = 1; i < 60; i++) spread.see("b", i);
    spread.see("a", 60);
    expect(spread.finish()).toEqual([{ server: "a", fromMs: 1, toMs: 59, requestsElsewhere: 59 }]);
  });

  test("inferred under balances that spread every request over the UP servers, not under hashes or first", () => {
    for (const b of ["roundrobin", "static-rr", "leastconn", "random", "random(2)"])
      expect(infersOutages(b)).toBe(true);
    for (const b of ["source", "uri", "url_param userid", "hdr(host)", "first"])
      expect(infersOutages(b)).toBe(false);
  });
});
