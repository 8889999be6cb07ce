// Clients: arrivals, closed-loop users, client timeouts (terminations by phase, haproxy-semantics.md §2)
// and client retries; common random numbers (DESIGN.md "Principles").
import { describe, expect, it } from "vitest";
import type { ClientRetry, ClientSpec, Scenario, ServerSpec, TimelineEvent } from "../../scenarios/types.js";
import type { RequestRecord } from "../run-types.js";
import { client, nonZero, scenario, server, simulate, simulateWithRecords } from "../test-support.js";

const constant = (valueMs: number) => ({ kind: "constant", valueMs }) as const;

function runWith(parts: {
  servers: ServerSpec[];
  clients: ClientSpec[];
  events?: TimelineEvent[];
  durationMs?: number;
  retries?: number;
  frontendMaxconn?: number;
  abortonclose?: boolean;
}) {
  return simulateWithRecords(
    scenario({
      durationMs: parts.durationMs ?? 5000,
      frontend: { name: "f", maxconn: parts.frontendMaxconn ?? 0, clientTimeoutMs: Number.POSITIVE_INFINITY },
      backend: {
        retries: parts.retries ?? 3,
        timeout: { connectMs: 1000, serverMs: 50000, queueMs: 50000 },
        ...(parts.abortonclose === true ? { abortonclose: true } : {}),
        servers: parts.servers,
      },
      clients: parts.clients,
      events: parts.events ?? [],
    }),
  );
}

const run = runWith;

/** One request every `everyMs` from 0, giving up after `timeoutMs`. */
const impatient = (everyMs: number, timeoutMs: number, retry: ClientRetry | null = null) =>
  client("c", { arrivals: { kind: "constant", ratePerSecond: 1000 / everyMs }, timeoutMs, retry });

// With `option abortonclose` HAProxy ends the request when its client closes (measured on 2.6.12,
// test/haproxy/give-up.spec.ts); without it, HAProxy serves it anyway: sim/model/give-up.spec.ts.
describe("a client that gives up, with abortonclose", () => {
  /** A patient client whose single request, at 0, holds the one place (server or frontend) for 10 s. */
  const holder = client("holder", { arrivals: { kind: "constant", ratePerSecond: 0.01 } });
  const run = (parts: Parameters<typeof runWith>[0]) => runWith({ ...parts, abortonclose: true });

  it("gets status -1 and CQ while queued", () => {
    const { records } = run({
      servers: [server("s1", { maxconn: 1, service: constant(10000) })],
      clients: [holder, impatient(1000, 300)],
    });
    const queued = records.filter((r) => r.client === "c");
    expect(queued.length).toBe(5);
    for (const r of queued)
      expect(r).toMatchObject({ status: -1, termination: "CQ--", server: "", queueMs: 300, totalMs: 300 });
  });

  it("gets CC while the connection is retried (turn-around)", () => {
    const { records } = run({
      servers: [server("s1")],
      clients: [impatient(1000, 500)],
      events: [{ atMs: 0, kind: "crash", server: "s1" }],
    });
    for (const r of records)
      expect(r).toMatchObject({ status: -1, termination: "CC--", server: "s1", totalMs: 500, connectMs: -1 });
  });

  it("gets CC while connecting to an unreachable server", () => {
    const { records } = run({
      servers: [server("s1")],
      clients: [impatient(1000, 500)],
      events: [{ atMs: 0, kind: "partition", server: "s1" }],
    });
    for (const r of records) expect(r).toMatchObject({ status: -1, termination: "CC--", totalMs: 500 });
  });

  it("gets CH while waiting for the response headers", () => {
    const { records, results } = run({
      servers: [server("s1", { slots: 10, service: constant(10000) })],
      clients: [impatient(1000, 500)],
    });
    for (const r of records)
      expect(r).toMatchObject({
        status: -1,
        termination: "CH--",
        connectMs: 0,
        responseMs: -1,
        totalMs: 500,
      });
    expect(nonZero(results.requests.byStatus)).toEqual({ "-1": records.length });
    expect(results.requests.failed).toBe(records.length);
  });

  it("gets CR while the frontend has not accepted it (frontend maxconn)", () => {
    const { records } = run({
      servers: [server("s1", { slots: 10, service: constant(10000) })],
      clients: [holder, impatient(1000, 500)],
      frontendMaxconn: 1,
    });
    // HAProxy would not log these at all: the connection was never accepted.
    const outside = records.filter((r) => r.client === "c");
    expect(outside.length).toBe(5);
    expect(outside.every((r) => r.termination === "CR--")).toBe(true);
    for (const r of outside) expect(r).toMatchObject({ status: -1, server: "", queueMs: -1, totalMs: 500 });
  });

  it("frees its server slot at once: the next queued request connects when it gives up", () => {
    const { records } = run({
      servers: [server("s1", { maxconn: 1, slots: 10, service: constant(10000) })],
      clients: [impatient(100, 250)],
      durationMs: 1000,
    });
    // Every 100 ms a request giving up 250 ms after it arrived: each hands s1 to the next one then.
    const connected = records.filter((r) => r.termination === "CH--").sort((a, b) => a.atMs - b.atMs);
    expect(connected.slice(0, 4).map((r) => r.atMs + r.queueMs)).toEqual([0, 250, 350, 450]);
  });
});

describe("client retries", () => {
  // No usable server: every request gets a 503 at once.
  const allDown = { servers: [server("s1", { disabled: true })], durationMs: 5000 };

  it("re-sends a failed request after backoff·2^attempt, count times", () => {
    const { records } = run({
      ...allDown,
      clients: [
        impatient(1000, Number.POSITIVE_INFINITY, {
          count: 2,
          backoffMs: 100,
          maxBackoffMs: 1000,
          jitter: 0,
        }),
      ],
    });
    const sent = records.map((r) => r.atMs).sort((a, b) => a - b);
    // Originals at 0…5000; retries 100 and 300 ms later, unless past the end of the run.
    const expected = [0, 1000, 2000, 3000, 4000, 5000]
      .flatMap((t) => [t, t + 100, t + 300])
      .filter((t) => t <= 5000);
    expect(sent).toEqual(expected.sort((a, b) => a - b));
    expect(records.every((r) => r.status === 503 && r.termination === "SC--")).toBe(true);
  });

  it("caps the backoff at maxBackoff", () => {
    const { records } = run({
      ...allDown,
      clients: [
        client("c", {
          arrivals: { kind: "constant", ratePerSecond: 0.01 },
          retry: { count: 5, backoffMs: 100, maxBackoffMs: 250, jitter: 0 },
        }),
      ],
    });
    expect(records.map((r) => r.atMs)).toEqual([0, 100, 300, 550, 800, 1050]);
  });

  it("draws a jittered backoff within [backoff·(1 − jitter), backoff]", () => {
    const { records } = run({
      ...allDown,
      durationMs: 60000,
      clients: [
        impatient(1000, Number.POSITIVE_INFINITY, {
          count: 1,
          backoffMs: 200,
          maxBackoffMs: 1000,
          jitter: 0.5,
        }),
      ],
    });
    const delays = records.map((r) => r.atMs % 1000).filter((d) => d > 0);
    expect(delays.length).toBe(60);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it("retries a request the client gave up on, and never a successful one", () => {
    // abortonclose: each gave-up request is recorded when its client gives up (without it, HAProxy
    // would still be serving them at the end, and they would have no record).
    const slow = runWith({
      abortonclose: true,
      servers: [server("s1", { slots: 10, service: constant(10000) })],
      clients: [impatient(1000, 100, { count: 1, backoffMs: 50, maxBackoffMs: 50, jitter: 0 })],
    });
    expect(slow.records.filter((r) => r.atMs % 1000 === 150).length).toBe(slow.records.length / 2);
    const fast = run({
      servers: [server("s1", { service: constant(5) })],
      clients: [impatient(1000, 100, { count: 3, backoffMs: 50, maxBackoffMs: 50, jitter: 0 })],
    });
    expect(fast.records.map((r) => r.atMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(fast.results.requests.unfinished).toBe(1);
  });

  it("keeps the request's identity on a retry (same source, path and demand)", () => {
    const { records } = run({
      servers: [server("s1")],
      clients: [
        impatient(1000, Number.POSITIVE_INFINITY, { count: 1, backoffMs: 100, maxBackoffMs: 100, jitter: 0 }),
      ],
      events: [{ atMs: 0, kind: "errors", server: "s1", rate: 1 }],
    });
    const originals = records.filter((r) => r.atMs % 1000 === 0);
    const retries = records.filter((r) => r.atMs % 1000 !== 0);
    expect(retries.length).toBe(originals.length);
    for (const original of originals) {
      const retry = retries.find((r) => Math.abs(r.atMs - (original.atMs + original.totalMs + 100)) < 1e-6)!;
      expect([retry.sourceIp, retry.path]).toEqual([original.sourceIp, original.path]);
      // The same demand on the same server: the same service time.
      expect(retry.responseMs).toBeCloseTo(original.responseMs, 6);
    }
  });
});

describe("arrivals", () => {
  const count = (results: ReturnType<typeof simulate>) =>
    results.requests.total + results.requests.unfinished;

  it("sends constant arrivals at 0, 1/rate, … up to and including the end", () => {
    const results = simulate(
      scenario({
        durationMs: 10000,
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 50 } })],
      }),
    );
    expect(count(results)).toBe(501);
  });

  it("sends Poisson arrivals at their rate", () => {
    const results = simulate(
      scenario({
        durationMs: 100_000,
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 100 } })],
      }),
    );
    // Poisson(10 000): sd 100; 4 sd.
    expect(Math.abs(count(results) - 10_000)).toBeLessThan(400);
  });

  it("keeps closed-loop users to one request each at a time", () => {
    const users = 5;
    const { results } = simulateWithRecords(
      scenario({
        durationMs: 10_000,
        backend: { servers: [server("s1", { slots: 100, service: constant(40) })] },
        clients: [client("c", { arrivals: { kind: "users", count: users, think: constant(60) } })],
      }),
    );
    expect(results.servers[0]!.maxInFlight).toBeLessThanOrEqual(users);
    // Each user: 40 ms of service + 60 ms of thought → 10 requests per second.
    expect(count(results)).toBeGreaterThan(users * 10 * 10 - users * 2);
    expect(count(results)).toBeLessThanOrEqual(users * 10 * 10 + users);
  });
});

describe("common random numbers", () => {
  const stream = (records: RequestRecord[], name: string) =>
    records.filter((r) => r.client === name).map((r) => [r.atMs, r.sourceIp, r.path]);
  const base = (balance: string, clients: ClientSpec[]): Scenario =>
    scenario({
      durationMs: 3000,
      backend: { balance, servers: ["s1", "s2", "s3"].map((name) => server(name, { slots: 50 })) },
      clients,
    });
  const a = client("a", { arrivals: { kind: "poisson", ratePerSecond: 200 } });
  const b = client("b", { arrivals: { kind: "poisson", ratePerSecond: 300 } });

  it("gives every strategy the same request stream", () => {
    const rr = simulateWithRecords(base("roundrobin", [a])).records;
    const lc = simulateWithRecords(base("leastconn", [a])).records;
    const sort = (x: RequestRecord[]) => stream(x, "a").sort((p, q) => Number(p[0]) - Number(q[0]));
    expect(sort(lc)).toEqual(sort(rr));
  });

  it("does not change a client's draws when another client is added", () => {
    const alone = simulateWithRecords(base("roundrobin", [a])).records;
    const together = simulateWithRecords(base("roundrobin", [a, b])).records;
    const sort = (x: RequestRecord[]) => stream(x, "a").sort((p, q) => Number(p[0]) - Number(q[0]));
    expect(sort(together)).toEqual(sort(alone));
  });
});
