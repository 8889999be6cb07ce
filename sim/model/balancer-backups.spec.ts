// The balancer's backup servers and `option allbackups` (haproxy-semantics.md §3.12).
import { describe, expect, it } from "vitest";
import type { Scenario } from "../../scenarios/types.js";
import type { RequestRecord } from "../run-types.js";
import { client, scenario, server, simulateWithRecords } from "../test-support.js";
import { runtime } from "./balancer-test-support.js";

describe("backups (§3.12)", () => {
  const topology = (allbackups: boolean): Scenario =>
    scenario({
      durationMs: 3000,
      backend: {
        allbackups,
        servers: [server("s1"), server("s2"), server("b1", { backup: true }), server("b2", { backup: true })],
      },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
      events: [
        runtime(1000, { op: "state", server: "s1", state: "maint" }),
        runtime(1000, { op: "state", server: "s2", state: "maint" }),
        runtime(2000, { op: "state", server: "s1", state: "ready" }),
      ],
    });
  const serversOf = (records: RequestRecord[], fromMs: number, toMs: number) =>
    new Set(records.filter((r) => r.atMs > fromMs && r.atMs < toMs).map((r) => r.server));

  it("uses backups only when every active server is down, and only the first without allbackups", () => {
    const { records } = simulateWithRecords(topology(false));
    expect(serversOf(records, 0, 1000)).toEqual(new Set(["s1", "s2"]));
    expect(serversOf(records, 1000, 2000)).toEqual(new Set(["b1"]));
    // Back to the actives at once when one is usable again.
    expect(serversOf(records, 2000, 3000)).toEqual(new Set(["s1"]));
  });

  it("balances over every backup with allbackups", () => {
    const { records } = simulateWithRecords(topology(true));
    expect(serversOf(records, 1000, 2000)).toEqual(new Set(["b1", "b2"]));
  });

  it("does not let a backup take from the backend queue while an active server is usable", () => {
    // s1 (maxconn 1, slow) is the only active: the backend queue fills. b1 still works on requests
    // it got while s1 was in MAINT; when those end, b1 must not take queued requests (HAProxy's
    // process_srv_queue), they wait for s1.
    const { records } = simulateWithRecords(
      scenario({
        durationMs: 3000,
        backend: {
          timeout: { connectMs: 1000, serverMs: 50000, queueMs: 50000 },
          servers: [
            server("s1", { maxconn: 1, service: { kind: "constant", valueMs: 200 } }),
            server("b1", {
              backup: true,
              maxconn: 10,
              slots: 10,
              service: { kind: "constant", valueMs: 500 },
            }),
          ],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
        events: [
          runtime(0, { op: "state", server: "s1", state: "maint" }),
          runtime(300, { op: "state", server: "s1", state: "ready" }),
        ],
      }),
    );
    expect(records.filter((r) => r.server === "b1").every((r) => r.atMs <= 300)).toBe(true);
    expect(records.filter((r) => r.server === "b1").length).toBeGreaterThan(0);
  });
});
