// run() without abortonclose over random scenarios: a client that gives up is counted once, as it saw it; the record is HAProxy's end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scenarioArb } from "./arbitraries-test-support.js";
import type { RequestRecord } from "./run-types.js";
import { simulate, simulateWithRecords } from "./test-support.js";

const sum = (xs: Iterable<number>) => {
  let n = 0;
  for (const x of xs) n += x;
  return n;
};

const answered = (x: RequestRecord) => x.status >= 100 && x.status < 400;
const CLIENT_GAVE_UP = ["CQ", "CC", "CH"];

describe("run over random scenarios, clients giving up while HAProxy goes on", () => {
  it("counts each request once, as its client saw it; a gave-up one's record is HAProxy's later end", () => {
    fc.assert(
      fc.property(scenarioArb, (s0) => {
        const s = { ...s0, warmupMs: 0 };
        const { results, records } = simulateWithRecords(s);
        const r = results.requests;
        const gaveUp = records.filter((x) => x.gaveUpMs !== undefined);
        const whole = records.filter((x) => x.gaveUpMs === undefined);
        const clientGaveUp = sum(CLIENT_GAVE_UP.map((code) => r.byTermination[code]!));
        // Each request whose client gave up is in Results once (-1, CQ/CC/CH); HAProxy's end of it
        // is a record only when it came before the end of the run.
        expect(whole.length + clientGaveUp).toBe(r.total);
        expect(gaveUp.length).toBeLessThanOrEqual(clientGaveUp);
        expect(whole.filter((x) => CLIENT_GAVE_UP.includes(x.termination.slice(0, 2)))).toEqual([]);
        expect(r.ok).toBe(whole.filter(answered).length);
        expect(r.byStatus["-1"] ?? 0).toBe(clientGaveUp + whole.filter((x) => x.status === -1).length);
        // gaveUpServed: the records of gave-up requests a server answered, per server and in all.
        const served = gaveUp.filter((x) => x.termination === "----");
        expect(r.gaveUpServed ?? 0).toBe(served.length);
        for (const out of results.servers)
          expect(out.gaveUpServed ?? 0).toBe(served.filter((x) => x.server === out.name).length);
        if (s.clients.every((c) => !Number.isFinite(c.timeoutMs))) expect(r.gaveUpServed).toBeUndefined();
        for (const x of gaveUp) {
          // It gave up after its own client's timeout, before HAProxy ended it.
          const timeoutMs = s.clients.find((c) => c.name === x.client)!.timeoutMs;
          expect(x.gaveUpMs).toBeCloseTo(timeoutMs, 6);
          expect(x.gaveUpMs!).toBeLessThanOrEqual(x.totalMs + 1e-6);
        }
        // Every arrival ended once for its client, or is still open (HAProxy's open ones excluded).
        const arrivals = simulate({ ...s, warmupMs: s.durationMs + 1 }).requests.warmup;
        expect(r.total + r.unfinished).toBe(arrivals);
      }),
      { numRuns: 150 },
    );
  });
});
