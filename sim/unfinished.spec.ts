// Requests that never get an answer: counted, and counted at their age in Results.latencyLowerBound.
import { describe, expect, it } from "vitest";
import { parseExpectation } from "../scenarios/expectation-grammar.js";
import type { BackendSpec, FrontendSpec, Scenario } from "../scenarios/types.js";
import { checkExpectations, type Expectation } from "./expectations.js";
import type { Results } from "./results.js";
import { client, scenario, server, simulate } from "./test-support.js";

/**
 * Two servers under roundrobin, a request every 10 ms (constant), 1 ms of work each; s2 hangs at
 * 1 s and no `timeout server` or check ever ends what it holds. From then on every second request
 * goes to s2 and stays open, so the ages at the end (10 s) are known exactly: 10 000 − t for each
 * of s2's arrivals t ≥ 1000. The request arriving at 10 s itself is open too, at age 0.
 */
function hung(fields: Partial<Scenario> = {}): Scenario {
  return scenario({
    durationMs: 10_000,
    backend: {
      timeout: { connectMs: 5000, serverMs: Number.POSITIVE_INFINITY, queueMs: 5000 },
      servers: [
        server("s1", { service: { kind: "constant", valueMs: 1 } }),
        server("s2", { service: { kind: "constant", valueMs: 1 } }),
      ],
    },
    clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
    events: [{ atMs: 1000, kind: "hang", server: "s2" }],
    ...fields,
  });
}

function parsed(text: string): Expectation {
  const e = parseExpectation(text);
  if ("error" in e) throw new Error(e.error);
  return e;
}

function check(results: Results, text: string) {
  return checkExpectations([parsed(text)], new Map([["roundrobin", results]]), results)[0]!;
}

describe("latencyLowerBound", () => {
  it("counts each request a hung server holds at its age at the end", () => {
    const results = simulate(hung());
    const { requests, latency, latencyLowerBound: bound } = results;
    // s2 takes every second request from 1 s on: 450 of the 900 arrivals in [1 s, 10 s); plus the
    // one arriving at the very end.
    expect(requests.unfinished).toBe(451);
    expect(bound).toBeDefined();
    expect(bound!.unfinished).toBe(451);
    // The oldest was the first s2 got after the hang, at 1000 or 1010 ms.
    expect([9000, 8990]).toContain(bound!.maxMs);
    // The answered requests took 1 ms; the bound's mean adds the ages 10 000 − t of s2's arrivals.
    expect(latency.maxMs).toBe(1);
    const first = 10_000 - bound!.maxMs;
    let ages = 0;
    for (let t = first; t < 10_000; t += 20) ages += 10_000 - t;
    const expectedMean = (latency.meanMs * requests.total + ages) / (requests.total + 451);
    expect(bound!.meanMs).toBeCloseTo(expectedMean, 2);
    // 451 of 1001 are aged 0..9 s: every percentile from 55% up is an age.
    expect(bound!.p90Ms).toBeGreaterThan(5000);
    expect(bound!.p99Ms).toBeGreaterThan(8500);
    expect(latency.p99Ms).toBe(1);
  });

  it("is absent when every steady-state request was answered", () => {
    // 7/s of 1 ms: the last request arrives at 9.857 s and is answered long before 10 s.
    const s = scenario({
      backend: { servers: [server("s1", { service: { kind: "constant", valueMs: 1 } })] },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 7 } })],
    });
    const results = simulate(s);
    expect(results.requests.unfinished).toBe(0);
    expect(results).not.toHaveProperty("latencyLowerBound");
  });

  it("leaves warm-up requests out, as every steady-state figure does", () => {
    // Warm-up to 5 s: s2's requests from 1 s to 5 s are open but not steady-state (250 after, + 1 at 10 s).
    const results = simulate(hung({ warmupMs: 5000 }));
    expect(results.requests.unfinished).toBe(251);
    expect(results.latencyLowerBound!.maxMs).toBeLessThanOrEqual(5000);
    expect(results.latencyLowerBound!.maxMs).toBeGreaterThanOrEqual(4980);
  });

  it("counts the ages at the stop of a Ctrl-C partial run", () => {
    let calls = 0;
    // Asked after each simulated second: stop after the 4th (at 4 s).
    const results = simulate(hung(), { shouldStop: () => ++calls >= 4 });
    expect(results.partial).toBe(true);
    expect(results.endedAtMs).toBe(4000);
    // s2's 150 from 1 s to 4 s, and the request arriving at 4 s.
    expect(results.requests.unfinished).toBe(151);
    expect([3000, 2990]).toContain(results.latencyLowerBound!.maxMs);
  });

  it("gives each backend its own bound and unfinished count when there are several", () => {
    const base = hung();
    const backend = (name: string): BackendSpec => ({
      ...base.backend,
      name,
    });
    const frontend = (name: string): FrontendSpec => ({
      name,
      maxconn: 0,
      clientTimeoutMs: Number.POSITIVE_INFINITY,
      defaultBackend: name,
    });
    const [a, b] = [frontend("a"), frontend("b")];
    const results = simulate({
      ...base,
      frontend: a,
      frontends: [a, b],
      backend: backend("a"),
      backends: [backend("a"), backend("b")],
      clients: [client("ca", { frontend: "a", arrivals: { kind: "constant", ratePerSecond: 100 } })].concat(
        client("cb", { frontend: "b", arrivals: { kind: "constant", ratePerSecond: 100 } }),
      ),
      events: [{ atMs: 1000, kind: "hang", server: "a/s2" }],
    });
    const [ra, rb] = results.backends!;
    expect(ra!.requests.unfinished).toBe(451);
    expect(ra!.latencyLowerBound!.unfinished).toBe(451);
    expect(ra!.latencyLowerBound!.p99Ms).toBeGreaterThan(8500);
    // b's own request arriving at 10 s is open at age 0: a bound that is its plain figures.
    expect(rb!.requests.unfinished).toBe(1);
    expect(rb!.latencyLowerBound!.maxMs).toBe(rb!.latency.maxMs);
    expect(results.requests.unfinished).toBe(452);
    expect(check(results, "backend.p99(a) < 1s").pass).toBe(false);
    expect(check(results, "backend.p99(b) < 1s").pass).toBe(true);
    expect(check(results, "backend.unfinished(a) == 451").pass).toBe(true);
    expect(check(results, "backend.unfinished(b) == 1").pass).toBe(true);
    const share = check(results, "backend.unfinished(a) < 10%");
    expect(share.actual).toBeCloseTo(451 / (ra!.requests.total + 451), 9);
    expect(share.pass).toBe(false);
  });
});

describe("expectations on a run with unanswered requests", () => {
  it("fails p99 < 1s on a server that hangs with no timeout server, though the answered requests pass it", () => {
    const results = simulate(hung());
    // Judged on the answered requests alone (as before the bound), this passed: their p99 is 1 ms.
    expect(results.latency.p99Ms).toBeLessThan(1000);
    const p99 = check(results, "p99 < 1s");
    expect(p99.pass).toBe(false);
    expect(p99.actual).toBe(results.latencyLowerBound!.p99Ms);
  });

  it("reads unfinished as a count beside a number and as a share beside a percentage", () => {
    const results = simulate(hung());
    expect(check(results, "unfinished == 451")).toMatchObject({ pass: true, actual: 451 });
    expect(check(results, "unfinished < 50").pass).toBe(false);
    const share = check(results, "unfinished < 1%");
    expect(share.pass).toBe(false);
    // unfinished / (total + unfinished): the share of steady-state arrivals left unanswered.
    expect(share.actual).toBeCloseTo(451 / (results.requests.total + 451), 9);
    expect(check(results, "unfinished in 0%..50%").pass).toBe(true);
    expect(check(results, "unfinished in 0..40%").pass).toBe(false);
    expect(check(results, "unfinished in 0..400").pass).toBe(false);
  });

  it("never judges a latency better than the answered requests alone show", () => {
    // The bound mixes the answered requests with the ages of the open ones; young open requests
    // can pull a figure below the answered ones' (here the mean), and the verdict keeps the higher.
    const results = simulate(hung());
    const lowered: Results = {
      ...results,
      latencyLowerBound: { ...results.latencyLowerBound!, meanMs: results.latency.meanMs / 2 },
    };
    expect(check(lowered, "mean < 1s").actual).toBe(results.latency.meanMs);
    expect(check(results, "mean < 1s").actual).toBe(results.latencyLowerBound!.meanMs);
  });
});
