// Health checks against HAProxy 2.6: cadence and startup spread (haproxy-semantics.md §4.3, §8 rule 7),
// the health counter (§4.2), failure modes seen by checks (§4.1). `observe` and slowstart: checks-passive.spec.ts.
import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "../../scenarios/types.js";
import { client, scenario, server, simulate } from "../test-support.js";

import { check, round3, run, statesFrom } from "./checks-test-support.js";

describe("check cadence (§4.3, §8 rule 7)", () => {
  it("spreads the first checks of N servers over inter/N at startup", () => {
    const { results } = run(
      ["a", "b", "c", "d"].map((n) => server(n, { check: check() })),
      [],
    );
    // Each server starts at health = rise ("UP 1/3") and its first passing check makes it "UP".
    expect(results.servers.map((s) => s.states)).toEqual(
      [0, 250, 500, 750].map((atMs) => [
        { atMs: 0, state: "UP 1/3" },
        { atMs, state: "UP" },
      ]),
    );
  });

  it("spreads startup checks over the interval of the starting health (fastinter)", () => {
    // HAProxy's start_check_task uses srv_getinter(): at health = rise that is fastinter.
    const { results } = run(
      ["a", "b", "c", "d"].map((n) => server(n, { check: check({ interMs: 1000, fastinterMs: 400 }) })),
      [],
    );
    expect(results.servers.map((s) => s.states[1]!.atMs)).toEqual([0, 100, 200, 300]);
  });

  it("phase: random starts each server's checks at a seeded offset within its interval", () => {
    const servers = ["a", "b", "c", "d"].map((n) => server(n, { check: check({ phase: "random" }) }));
    const firstUp = (seed: number) =>
      simulate(
        scenario({
          durationMs: 3000,
          seed,
          clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
          backend: { servers },
        }),
        { seed },
      ).servers.map((s) => s.states[1]!.atMs);
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const offsets = seeds.map(firstUp);
    // Within the first interval, the same for the same seed, and not the fixed spread 0/250/500/750.
    for (const run of offsets) for (const atMs of run) expect(atMs).toBeGreaterThanOrEqual(0);
    for (const run of offsets) for (const atMs of run) expect(atMs).toBeLessThan(1000);
    expect(firstUp(3)).toEqual(offsets[2]);
    expect(new Set(offsets.map((run) => run.join(" "))).size).toBe(seeds.length);
    expect(offsets.some((run) => run.join(" ") === "0 250 500 750")).toBe(false);
  });

  it("phase: random spreads the DOWN after a crash over the check cycle across seeds", () => {
    // fall 3, inter 1 s: DOWN at the third failed check, 2 to 3 s after the crash.
    const downAfterCrash = (seed: number) => {
      const { results } = run(
        [
          server("a", { check: check({ phase: "random" }) }),
          server("b", { check: check({ phase: "random" }) }),
        ],
        [{ atMs: 5000, kind: "crash", server: "a" }],
        { seed },
      );
      return results.servers[0]!.states.find((c) => c.state === "DOWN")!.atMs - 5000;
    };
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(downAfterCrash);
    for (const d of delays) expect(d).toBeGreaterThan(2000);
    for (const d of delays) expect(d).toBeLessThanOrEqual(3000);
    // With the default spread every seed gives the same delay; with a random phase they differ.
    expect(new Set(delays.map(round3)).size).toBeGreaterThan(5);
  });

  it("starts the next check one interval after a refused check completes", () => {
    const { results } = run(
      [server("s1", { check: check() })],
      [{ atMs: 2500, kind: "crash", server: "s1" }],
    );
    expect(statesFrom(results.servers[0]!.states, 2500)).toEqual([
      { atMs: 3000, state: "UP 2/3" },
      { atMs: 4000, state: "UP 1/3" },
      { atMs: 5000, state: "DOWN" },
    ]);
  });

  it("doubles the cadence when each check times out after inter (no timeout check)", () => {
    const { results } = run([server("s1", { check: check() })], [{ atMs: 2500, kind: "hang", server: "s1" }]);
    expect(statesFrom(results.servers[0]!.states, 2500)).toEqual([
      { atMs: 4000, state: "UP 2/3" },
      { atMs: 6000, state: "UP 1/3" },
      { atMs: 8000, state: "DOWN" },
    ]);
  });

  it("lets a hung check last timeout check when it is set", () => {
    const { results } = run(
      [server("s1", { check: check({ timeoutMs: 300 }) })],
      [{ atMs: 2500, kind: "hang", server: "s1" }],
    );
    expect(statesFrom(results.servers[0]!.states, 2500).map((c) => c.atMs)).toEqual([3300, 4600, 5900]);
  });

  it("times out a check to a partitioned server on connect: min(timeout connect, inter) with timeout check", () => {
    const { results } = run(
      [server("s1", { check: check({ timeoutMs: 2000 }) })],
      [{ atMs: 2500, kind: "partition", server: "s1" }],
      { backend: { timeout: { connectMs: 200, serverMs: 5000, queueMs: 1000 } } },
    );
    expect(statesFrom(results.servers[0]!.states, 2500).map((c) => c.atMs)).toEqual([3200, 4400, 5600]);
  });

  it("uses inter while UP, fastinter in transitions and downinter while DOWN", () => {
    const { results } = run(
      [server("s1", { check: check({ interMs: 1000, fastinterMs: 300, downinterMs: 5000 }) })],
      [
        { atMs: 2500, kind: "crash", server: "s1" },
        { atMs: 9000, kind: "restore", server: "s1" },
      ],
    );
    // Startup: one check at 0 (UP), then inter: 1000, 2000, 3000 (fails) → fastinter → DOWN at
    // 3600 → downinter: 8600 (fails), 13600 passes → fastinter: 13900 UP.
    expect(statesFrom(results.servers[0]!.states, 2500)).toEqual([
      { atMs: 3000, state: "UP 2/3" },
      { atMs: 3300, state: "UP 1/3" },
      { atMs: 3600, state: "DOWN" },
      { atMs: 13600, state: "DOWN 1/2" },
      { atMs: 13900, state: "UP" },
    ]);
  });

  it("keeps checking a DOWN server every downinter (= inter by default)", () => {
    const { results } = run(
      [server("s1", { check: check() })],
      [
        { atMs: 2500, kind: "crash", server: "s1" },
        { atMs: 9500, kind: "restore", server: "s1" },
      ],
    );
    expect(statesFrom(results.servers[0]!.states, 9000)).toEqual([
      { atMs: 10000, state: "DOWN 1/2" },
      { atMs: 11000, state: "UP" },
    ]);
  });
});

describe("the health counter (§4.2)", () => {
  it("goes back to full health after one success while UP n/m", () => {
    const { results } = run(
      [server("s1", { check: check() })],
      [
        { atMs: 2500, kind: "crash", server: "s1" },
        { atMs: 3500, kind: "restore", server: "s1" },
      ],
    );
    expect(statesFrom(results.servers[0]!.states, 2500)).toEqual([
      { atMs: 3000, state: "UP 2/3" },
      { atMs: 4000, state: "UP" },
    ]);
    expect(results.servers[0]!).toMatchObject({ checksFailed: 1, downs: 0 });
  });

  it("falls back to DOWN after one failure while DOWN n/m", () => {
    const { results } = run(
      [server("s1", { check: check({ rise: 3 }) })],
      [
        { atMs: 2500, kind: "crash", server: "s1" },
        { atMs: 7500, kind: "restore", server: "s1" },
        { atMs: 9500, kind: "crash", server: "s1" },
      ],
    );
    expect(statesFrom(results.servers[0]!.states, 7500).slice(0, 3)).toEqual([
      { atMs: 8000, state: "DOWN 1/3" },
      { atMs: 9000, state: "DOWN 2/3" },
      { atMs: 10000, state: "DOWN" },
    ]);
  });

  it("marks a server DOWN at the first failed check after startup (health starts at rise)", () => {
    const { results } = run([server("s1", { check: check() })], [{ atMs: 0, kind: "crash", server: "s1" }]);
    expect(results.servers[0]!.states).toEqual([
      { atMs: 0, state: "UP 1/3" },
      { atMs: 0, state: "DOWN" },
    ]);
  });

  it("counts chkfail per decrement and chkdown per UP→DOWN", () => {
    const { results } = run(
      [server("s1", { check: check() })],
      [
        { atMs: 2500, kind: "crash", server: "s1" },
        { atMs: 8500, kind: "restore", server: "s1" },
        { atMs: 12500, kind: "crash", server: "s1" },
      ],
    );
    // Failed checks while DOWN (health already 0) do not count.
    expect(results.servers[0]!).toMatchObject({ checksFailed: 6, downs: 2 });
  });
});

describe("what a check sees of a failure mode (§4.1)", () => {
  it("fails HTTP checks at the errors rate and passes L4 checks", () => {
    const events: TimelineEvent[] = [{ atMs: 2500, kind: "errors", server: "s1", rate: 1 }];
    const http = run([server("s1", { check: check() })], events);
    const tcp = run([server("s1", { check: check({ type: "tcp" }) })], events);
    expect(statesFrom(http.results.servers[0]!.states, 2500).map((c) => c.state)).toEqual([
      "UP 2/3",
      "UP 1/3",
      "DOWN",
    ]);
    expect(statesFrom(tcp.results.servers[0]!.states, 2500)).toEqual([]);
  });

  it("fails a share of HTTP checks equal to the errors rate", () => {
    // fall 1000: the server stays UP while failing, every failure is counted (chkfail).
    const results = simulate(
      scenario({
        durationMs: 200_000,
        backend: { servers: [server("s1", { check: check({ interMs: 100, rise: 1, fall: 1000 }) })] },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 1 } })],
        events: [{ atMs: 0, kind: "errors", server: "s1", rate: 0.3 }],
      }),
    );
    const checks = 2000;
    // Binomial(2000, 0.3): sd ≈ 20.5; 4 sd.
    expect(Math.abs(results.servers[0]!.checksFailed - 0.3 * checks)).toBeLessThan(82);
  });

  it("counts the 500s of an erroring server as server errors and failures", () => {
    const { results, records } = run(
      [server("s1"), server("s2")],
      [{ atMs: 0, kind: "errors", server: "s2", rate: 1 }],
    );
    const s2 = records.filter((r) => r.server === "s2");
    expect(s2.every((r) => r.status === 500 && r.termination === "----")).toBe(true);
    expect(results.servers[1]!.serverErrors).toBe(s2.length);
    expect(results.requests.byStatus["500"]).toBe(s2.length);
    expect(results.requests.failed).toBe(s2.length);
  });

  it("passes L4 checks of a hung server (the kernel accepts) and fails HTTP ones", () => {
    const events: TimelineEvent[] = [{ atMs: 2500, kind: "hang", server: "s1" }];
    expect(
      statesFrom(
        run([server("s1", { check: check({ type: "tcp" }) })], events).results.servers[0]!.states,
        2500,
      ),
    ).toEqual([]);
  });
});
