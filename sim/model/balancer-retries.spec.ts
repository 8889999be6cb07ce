// The balancer's retries and redispatch rules (haproxy-semantics.md §2 step 4).
import { describe, expect, it } from "vitest";
import type { Scenario, ServerSpec } from "../../scenarios/types.js";
import { client, scenario, server, simulateWithRecords } from "../test-support.js";

describe("retries and redispatch rules (§2 step 4)", () => {
  const crashed = (fields: Partial<Scenario["backend"]>, servers: ServerSpec[]): Scenario =>
    scenario({
      durationMs: 10000,
      backend: { timeout: { connectMs: 1000, serverMs: 5000, queueMs: 5000 }, ...fields, servers },
      // One request, at 0.
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 0.01 } })],
      events: [{ atMs: 0, kind: "crash", server: "s1" }],
    });

  it("waits the turn-around before a redispatch when at most one active server is usable (§2 4.3)", () => {
    // s1 crashes at 500 ms and its check (inter 1 s, fall 1) marks it DOWN at 1000 ms. The request
    // at 600 ms is refused; s1 still counts as UP, so it retries s1 after the 1 s turn-around. At
    // 1600 ms s1 is DOWN: redispatch (a) — and with no active server usable, the turn-around comes
    // first, so the request reaches the backup at 2600 ms, not at 1600 ms.
    const check = {
      type: "tcp" as const,
      interMs: 1000,
      fastinterMs: 1000,
      downinterMs: 1000,
      rise: 1,
      fall: 1,
      timeoutMs: null,
    };
    const { records } = simulateWithRecords(
      scenario({
        durationMs: 5000,
        backend: {
          timeout: { connectMs: 5000, serverMs: 5000, queueMs: 5000 },
          retries: 3,
          redispatch: { interval: -1 },
          servers: [
            server("s1", { check, service: { kind: "constant", valueMs: 10 } }),
            server("spare", { backup: true, service: { kind: "constant", valueMs: 10 } }),
          ],
        },
        clients: [client("c", { arrivals: { kind: "trace", file: "t.csv" } })],
        events: [{ atMs: 500, kind: "crash", server: "s1" }],
      }),
      { readTrace: () => [{ atMs: 600 }] },
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      server: "spare",
      status: 200,
      retries: 2,
      redispatched: true,
      totalMs: 2010,
    });
  });

  it("retries a lone server with turn-arounds and counts the last-retry redispatch back to it as a retry", () => {
    // One usable server: no immediate redispatch (c); redispatch P = −1 fires on the last retry,
    // but the picker can only return the failed server, so it is a same-server retry (§2 4.4).
    const { records, results } = simulateWithRecords(
      crashed({ retries: 3, redispatch: { interval: -1 } }, [server("s1")]),
    );
    expect(records[0]).toMatchObject({
      status: 503,
      termination: "SC--",
      retries: 3,
      redispatched: false,
      totalMs: 3000,
    });
    expect(results.servers[0]).toMatchObject({ retries: 3, redispatches: 0, attempts: 4, picks: 2 });
  });

  it("turns around for min(timeout connect, 1 s)", () => {
    const s = crashed({ retries: 2, redispatch: null }, [server("s1")]);
    const { records } = simulateWithRecords({
      ...s,
      backend: { ...s.backend, timeout: { connectMs: 300, serverMs: 5000, queueMs: 5000 } },
    });
    expect(records[0]).toMatchObject({ termination: "SC--", retries: 2, totalMs: 600 });
  });

  it("does not redispatch with retries 0, even with option redispatch", () => {
    const { records } = simulateWithRecords(
      crashed({ retries: 0, redispatch: { interval: -1 } }, [server("s1"), server("s2")]),
    );
    expect(records[0]).toMatchObject({
      server: "s1",
      status: 503,
      termination: "SC--",
      retries: 0,
      totalMs: 0,
    });
  });

  it("retries an unreachable server on timeout connect without turn-around, then 503 sC", () => {
    const { records } = simulateWithRecords({
      ...crashed({ retries: 3, redispatch: null }, [server("s1")]),
      events: [{ atMs: 0, kind: "partition", server: "s1" }],
    });
    // 4 attempts of timeout connect each, back to back.
    expect(records[0]).toMatchObject({ status: 503, termination: "sC--", retries: 3, totalMs: 4000 });
  });

  it("redispatches away from a partitioned server on the first timeout when another is usable", () => {
    const s = crashed({ retries: 3, redispatch: { interval: -1 } }, [server("s1"), server("s2")]);
    const { records, results } = simulateWithRecords({
      ...s,
      events: [{ atMs: 0, kind: "partition", server: "s1" }],
    });
    expect(records[0]).toMatchObject({ server: "s2", status: 200, retries: 1, redispatched: true });
    expect(records[0]!.connectMs).toBe(1000);
    expect(results.servers[0]!.redispatches).toBe(1);
  });

  it("retries a backup rather than redispatching: (c) counts active servers only", () => {
    // Actives in MAINT, two backups with allbackups; b1 refuses.
    const s = scenario({
      durationMs: 10000,
      backend: {
        retries: 1,
        redispatch: { interval: 2 },
        allbackups: true,
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 5000 },
        servers: [
          server("s1", { disabled: true }),
          server("b1", { backup: true }),
          server("b2", { backup: true }),
        ],
      },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 0.01 } })],
      events: [{ atMs: 0, kind: "crash", server: "b1" }],
    });
    const { records } = simulateWithRecords(s);
    expect(records[0]).toMatchObject({
      server: "b1",
      termination: "SC--",
      retries: 1,
      redispatched: false,
      totalMs: 1000,
    });
  });
});
