// Spec of the wait inside a server (Results.wait, servers[].waitMeanMs): exact small cases.
import { describe, expect, it } from "vitest";
import type { ServerSpec } from "../../scenarios/types.js";
import { client, scenario, server, simulate } from "../test-support.js";

const INFINITE = Number.POSITIVE_INFINITY;

/**
 * Two clients whose constant arrivals fall at the same instants, every 25 ms, on one server with
 * a constant 10 ms service: of each pair, one request finds the worker free and the other waits
 * exactly 10 ms behind it (the pair is done after 20 ms, before the next pair at 25 ms). The run
 * ends at 990 ms, after the last pair (975 ms) has both its jobs taken, so no pair is cut in half.
 */
function pairs(web01: Partial<ServerSpec>, warmupMs = 0) {
  return simulate(
    scenario({
      durationMs: 990,
      warmupMs,
      backend: {
        servers: [server("web01", { service: { kind: "constant", valueMs: 10 }, ...web01 })],
        timeout: { connectMs: INFINITE, serverMs: INFINITE, queueMs: INFINITE },
      },
      clients: ["a", "b"].map((name) => client(name, { arrivals: { kind: "constant", ratePerSecond: 40 } })),
    }),
  );
}

describe("the wait inside a server", () => {
  it("is the time a FIFO job waited for a worker: 0 and 10 ms for each simultaneous pair", () => {
    const r = pairs({ slots: 1 });
    expect(r.requests.total).toBeGreaterThan(70);
    expect(r.wait.meanMs).toBe(5);
    // HDR keeps 3 significant digits: 10 ms reads as the top of its bucket, within 0.1%.
    expect(r.wait.p99Ms).toBeGreaterThanOrEqual(10);
    expect(r.wait.p99Ms).toBeLessThanOrEqual(10.01);
    expect(r.servers[0]!.waitMeanMs).toBe(5);
    // The balancer handed both over at once (no maxconn): nothing waited in its queues.
    expect(r.queue.meanMs).toBe(0);
  });

  it("is 0 when the server has a free worker for each request", () => {
    const r = pairs({ slots: 2 });
    expect(r.wait).toEqual({ meanMs: 0, p99Ms: 0 });
    expect(r.servers[0]!.waitMeanMs).toBe(0);
  });

  it("is 0 by definition under processor sharing, where every job is served from its arrival", () => {
    const r = pairs({ slots: 1, discipline: "ps" });
    expect(r.wait).toEqual({ meanMs: 0, p99Ms: 0 });
    // The pair still shares the worker: each takes 20 ms instead of 10.
    expect(r.latency.meanMs).toBeCloseTo(20, 1);
  });

  it("moves to the balancer's queue, not the server's, when maxconn holds the second request back", () => {
    const r = pairs({ slots: 1, maxconn: 1 });
    expect(r.wait.meanMs).toBe(0);
    // Results.queue counts finished requests: the last pair's second one (queued at 975 ms, served
    // 985..995 ms) is still open at 990 ms, so 39 waits of 10 ms over 79 requests, 4.937 ms.
    expect(r.queue.meanMs).toBe(4.937);
  });

  it("counts only the jobs of requests that arrived at or after warm-up", () => {
    // Every request arrives before a warm-up of 980 ms: the pairs still wait, but none is counted.
    const r = pairs({ slots: 1 }, 980);
    expect(r.requests.warmup).toBe(80);
    expect(r.wait).toEqual({ meanMs: 0, p99Ms: 0 });
    expect(r.servers[0]!.waitMeanMs).toBe(0);
  });
});
