// The balancer's maxconn, queues and frontend backlog (haproxy-semantics.md §1).
import { describe, expect, it } from "vitest";
import type { TraceRow } from "../run-types.js";
import { client, scenario, server, simulateWithRecords } from "../test-support.js";
import { byArrival, runtime } from "./balancer-test-support.js";

describe("maxconn and queues (§1)", () => {
  const trace = (rows: TraceRow[]) => ({ readTrace: () => rows });

  it("never lets a server exceed maxconn; the excess waits in the backend queue", () => {
    const { results, records } = simulateWithRecords(
      scenario({
        durationMs: 2000,
        backend: {
          servers: [server("s1", { maxconn: 2, slots: 8, service: { kind: "constant", valueMs: 100 } })],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 25 } })],
      }),
    );
    expect(results.servers[0]!.maxInFlight).toBe(2);
    expect(results.queue.maxBackendQueue).toBeGreaterThan(0);
    // 25/s against 20/s of capacity: requests wait, in FIFO order (they leave in arrival order).
    const queued = byArrival(records).filter((r) => r.queueMs > 0);
    expect(queued.length).toBeGreaterThan(0);
    for (let i = 1; i < queued.length; i++) {
      expect(queued[i]!.atMs + queued[i]!.queueMs).toBeGreaterThanOrEqual(
        queued[i - 1]!.atMs + queued[i - 1]!.queueMs,
      );
    }
  });

  it("logs %sq/%bq as HAProxy does: 1 + the requests a freed server took from that queue meanwhile", () => {
    // One server, maxconn 1, 100 ms per request; requests every 25 ms: the first is served at once,
    // the next three wait behind 0, 1 and 2 others, which are dequeued before them (test/queue-log.spec.ts
    // has HAProxy's measured cases).
    const { records } = simulateWithRecords(
      scenario({
        durationMs: 400,
        backend: {
          timeout: { connectMs: 5000, serverMs: 50000, queueMs: 50000 },
          servers: [server("s1", { maxconn: 1, service: { kind: "constant", valueMs: 100 } })],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 40 } })],
      }),
    );
    const logged = byArrival(records)
      .slice(0, 4)
      .map((r) => [r.serverQueue, r.backendQueue]);
    expect(logged).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });

  it("answers 503 sQ from <NOSRV> when timeout queue expires", () => {
    const { records } = simulateWithRecords(
      scenario({
        durationMs: 1000,
        backend: {
          timeout: { connectMs: 1000, serverMs: 50000, queueMs: 300 },
          servers: [server("s1", { maxconn: 1, service: { kind: "constant", valueMs: 10000 } })],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 10 } })],
      }),
    );
    const timedOut = records.filter((r) => r.termination === "sQ--");
    expect(timedOut.length).toBeGreaterThan(0);
    for (const r of timedOut) {
      expect(r).toMatchObject({ status: 503, server: "", queueMs: 300, totalMs: 300, connectMs: -1 });
    }
  });

  it("serves the older of the server's own queue head and the backend queue head when a slot frees", () => {
    // leastconn with maxqueue: s1 (maxconn 1) queues requests itself until served + queued = 1 + 2;
    // beyond that they wait in the backend queue. r6 reaches s1's own queue after r4 and r5 entered
    // the backend queue: it must still wait for them.
    const rows: TraceRow[] = [0, 10, 20, 30, 40, 150].map((atMs) => ({ atMs, demandMs: 100 }));
    const { records } = simulateWithRecords(
      scenario({
        durationMs: 2000,
        backend: {
          balance: "leastconn",
          servers: [server("s1", { maxconn: 1, maxqueue: 2 })],
        },
        clients: [client("c", { arrivals: { kind: "trace", file: "t.csv" } })],
      }),
      trace(rows),
    );
    const started = records.map((r) => ({ id: r.id, at: r.atMs + r.queueMs })).sort((a, b) => a.at - b.at);
    expect(started.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(started.map((r) => r.at)).toEqual([0, 100, 200, 300, 400, 500]);
  });

  it("limits concurrency with frontend maxconn: excess requests wait outside, not in Tw", () => {
    const { results, records } = simulateWithRecords(
      scenario({
        durationMs: 2000,
        frontend: { name: "f", maxconn: 3, clientTimeoutMs: Number.POSITIVE_INFINITY },
        backend: { servers: [server("s1", { slots: 10, service: { kind: "constant", valueMs: 100 } })] },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 50 } })],
      }),
    );
    expect(results.servers[0]!.maxInFlight).toBe(3);
    expect(records.every((r) => r.queueMs === 0)).toBe(true);
    expect(Math.max(...records.map((r) => r.totalMs))).toBeGreaterThan(100);
  });

  it("keeps admitting from the frontend backlog when no server is usable (each gets 503 at once)", () => {
    const { results } = simulateWithRecords(
      scenario({
        durationMs: 4000,
        frontend: { name: "f", maxconn: 2, clientTimeoutMs: Number.POSITIVE_INFINITY },
        backend: {
          timeout: { connectMs: 1000, serverMs: 1000, queueMs: 1000 },
          servers: [server("s1", { service: { kind: "constant", valueMs: 5 } })],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 50 } })],
        events: [
          { atMs: 1000, kind: "hang", server: "s1" },
          runtime(1500, { op: "state", server: "s1", state: "maint" }),
          runtime(2500, { op: "state", server: "s1", state: "ready" }),
          { atMs: 2500, kind: "restore", server: "s1" },
        ],
      }),
    );
    // Every request ends; only the one arriving at the last instant may be open.
    expect(results.requests.unfinished).toBeLessThanOrEqual(1);
    expect(results.requests.byStatus["503"]).toBeGreaterThan(0);
    expect(results.series.requests.at(-1)).toBe(50);
  });

  it("sends requests queued on a server going DOWN back to the balancer with redispatch (503 if none left)", () => {
    const rows: TraceRow[] = [0, 10, 20, 2000, 2010, 2020].map((atMs) => ({ atMs, demandMs: 300 }));
    const { records, results } = simulateWithRecords(
      scenario({
        durationMs: 3000,
        backend: {
          balance: "leastconn",
          redispatch: { interval: -1 },
          servers: [server("s1", { maxconn: 1, maxqueue: 5 })],
        },
        clients: [client("c", { arrivals: { kind: "trace", file: "t.csv" } })],
        events: [
          runtime(100, { op: "state", server: "s1", state: "maint" }),
          runtime(1000, { op: "state", server: "s1", state: "ready" }),
        ],
      }),
      trace(rows),
    );
    // The request in service finishes (MAINT does not kill it); the two queued ones get 503 at once.
    // Back from MAINT, the server queues and serves one at a time again.
    expect(
      records.map((r) => [r.id, r.status, r.termination, r.atMs + r.queueMs, r.atMs + r.totalMs]),
    ).toEqual([
      [2, 503, "SC--", 100, 100],
      [3, 503, "SC--", 100, 100],
      [1, 200, "----", 0, 300],
      [4, 200, "----", 2000, 2300],
      [5, 200, "----", 2300, 2600],
      [6, 200, "----", 2600, 2900],
    ]);
    expect(results.servers[0]!.maxQueued).toBe(2);
    expect(results.servers[0]!.maxInFlight).toBe(1);
  });
});
