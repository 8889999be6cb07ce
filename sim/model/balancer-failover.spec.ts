// The balancer against HAProxy 2.6's failover variants (haproxy-semantics.md §8) and crash cuts (DESIGN.md).
import { describe, expect, it } from "vitest";
import type { CheckParams, Scenario, TimelineEvent } from "../../scenarios/types.js";
import { client, nonZero, scenario, server, simulateWithRecords } from "../test-support.js";
import { byArrival } from "./balancer-test-support.js";

const INTER = 1000;
const SERVICE_MS = 5;
/** One request every 20 ms (50 req/s), the first at 0. */
const EVERY_MS = 20;
const CRASH_MS = 5000;
const RESTORE_MS = 12000;

const httpCheck: CheckParams = {
  type: "http",
  interMs: INTER,
  fastinterMs: INTER,
  downinterMs: INTER,
  rise: 2,
  fall: 3,
  timeoutMs: null,
};

/** §8's setup: 3 servers, roundrobin, httpchk inter 1s fall 3 rise 2, timeout connect 1s, 50 req/s. */
function failover(parts: {
  retries: number;
  redispatch: boolean;
  fault?: "crash" | "hang";
  serverMs?: number;
}): Scenario {
  const fault = parts.fault ?? "crash";
  const events: TimelineEvent[] =
    fault === "crash"
      ? [
          { atMs: CRASH_MS, kind: "crash", server: "s2" },
          { atMs: RESTORE_MS, kind: "restore", server: "s2" },
        ]
      : [
          { atMs: CRASH_MS, kind: "hang", server: "s2" },
          { atMs: RESTORE_MS, kind: "restore", server: "s2" },
        ];
  return scenario({
    durationMs: 20000,
    backend: {
      balance: "roundrobin",
      timeout: { connectMs: 1000, serverMs: parts.serverMs ?? 5000, queueMs: 1000 },
      retries: parts.retries,
      redispatch: parts.redispatch ? { interval: -1 } : null,
      servers: ["s1", "s2", "s3"].map((name) =>
        server(name, { check: httpCheck, slots: 8, service: { kind: "constant", valueMs: SERVICE_MS } }),
      ),
    },
    clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 1000 / EVERY_MS } })],
    events,
  });
}

/** s2 is the 2nd of 3 checked servers: its checks run at inter/3 + k·inter (startup spread, §4.3). */
const S2_PHASE = INTER / 3;
function nextCheckOfS2(afterMs: number): number {
  return S2_PHASE + Math.ceil((afterMs - S2_PHASE) / INTER) * INTER;
}

function stateAt(records: ReadonlyArray<{ atMs: number; state: string }>, state: string, fromMs = 0): number {
  const change = records.find((c) => c.state === state && c.atMs >= fromMs);
  if (change === undefined) throw new Error(`no ${state} after ${fromMs}`);
  return change.atMs;
}

/** Requests k (arriving at 20k ms) that roundrobin over (1,1,1) gives to s2 when nothing redispatches. */
function s2Turns(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(fromMs / EVERY_MS); k * EVERY_MS < toMs; k++)
    if (k % 3 === 1) out.push(k * EVERY_MS);
  return out;
}

describe("a refused server (crash), §8 row 1: retries 3 + redispatch", () => {
  const { results, records } = simulateWithRecords(failover({ retries: 3, redispatch: true }));
  const s2 = results.servers[1]!;
  const downMs = nextCheckOfS2(CRASH_MS) + (httpCheck.fall - 1) * INTER;
  const upMs = nextCheckOfS2(RESTORE_MS) + (httpCheck.rise - 1) * INTER;

  it("marks s2 DOWN at its fall-th failed check: the next check after the crash + (fall−1)·inter", () => {
    expect(s2.states.filter((c) => c.atMs >= CRASH_MS)).toEqual([
      { atMs: round3(nextCheckOfS2(CRASH_MS)), state: "UP 2/3" },
      { atMs: round3(nextCheckOfS2(CRASH_MS) + INTER), state: "UP 1/3" },
      { atMs: round3(downMs), state: "DOWN" },
      { atMs: round3(nextCheckOfS2(RESTORE_MS)), state: "DOWN 1/2" },
      { atMs: round3(upMs), state: "UP" },
    ]);
    expect(s2.checksFailed).toBe(httpCheck.fall);
    expect(s2.downs).toBe(1);
  });

  it("hides the failure completely: no request fails", () => {
    expect(results.requests.failed).toBe(0);
    expect(nonZero(results.requests.byStatus)).toEqual({ "200": results.requests.total });
  });

  it("redispatches each request roundrobin gave to s2 before DOWN, at once, to the next rr server (+1)", () => {
    const redispatched = records.filter((r) => r.redispatched);
    expect(redispatched.length).toBe(results.requests.redispatched);
    // wredis counts on the failed server, and a redispatch is not a same-server retry (§8 rule 8).
    expect(s2.redispatches).toBe(redispatched.length);
    expect(s2.retries).toBe(0);
    for (const r of redispatched) {
      expect(r.atMs).toBeGreaterThanOrEqual(CRASH_MS);
      expect(r.atMs).toBeLessThan(downMs);
      expect(r).toMatchObject({ server: "s3", retries: 1, status: 200, termination: "----" });
      // Immediate: no turn-around before a redispatch (measured p99 ≤ 13 ms).
      expect(r.totalMs).toBe(SERVICE_MS);
    }
  });

  it("picks the dead server every second request in the failure window, not every third (§8 rule 3)", () => {
    const window = byArrival(records).filter((r) => r.atMs >= CRASH_MS && r.atMs < downMs);
    // s2→s3(+), s1, s2→s3(+), s1, … : the redispatch consumes s3's rr slot.
    window.forEach((r, i) => {
      expect(r.redispatched).toBe(i % 2 === 0);
      expect(r.server).toBe(i % 2 === 0 ? "s3" : "s1");
    });
    expect(results.requests.redispatched).toBe(Math.ceil(window.length / 2));
    // ≈ half of the requests sent during crash→DOWN (measured: 71 in 2.83 s at 50/s).
    expect(results.requests.redispatched).toBeCloseTo((downMs - CRASH_MS) / EVERY_MS / 2, -1);
  });

  it("keeps roundrobin's s1 s2 s3 order before the crash", () => {
    const before = byArrival(records).filter((r) => r.atMs < CRASH_MS);
    expect(before.map((r) => r.server)).toEqual(before.map((_, i) => `s${(i % 3) + 1}`));
  });

  it("sends s2 nothing between DOWN and UP, and traffic again once it is UP", () => {
    const toS2 = records.filter((r) => r.server === "s2");
    expect(toS2.some((r) => r.atMs > downMs && r.atMs < upMs)).toBe(false);
    expect(toS2.filter((r) => r.atMs > upMs).length).toBeGreaterThan(0);
  });
});

describe("a refused server, §8 rows 2–3: no redispatch", () => {
  const downMs = nextCheckOfS2(CRASH_MS) + (httpCheck.fall - 1) * INTER;
  const turns = s2Turns(CRASH_MS, downMs);
  const noRetry = simulateWithRecords(failover({ retries: 0, redispatch: false }));
  const threeRetries = simulateWithRecords(failover({ retries: 3, redispatch: false }));

  it("with retries 0 answers 503 SC at once to each request picked to s2 before DOWN", () => {
    const errors = noRetry.records.filter((r) => r.status !== 200);
    expect(errors.map((r) => r.atMs)).toEqual(turns);
    for (const r of errors) {
      expect(r).toMatchObject({
        server: "s2",
        status: 503,
        termination: "SC--",
        retries: 0,
        redispatched: false,
      });
      expect(r.totalMs).toBe(0);
    }
    expect(noRetry.results.servers[1]!.connectErrors).toBe(turns.length);
    // ≈ a third of the requests sent during crash→DOWN (measured: 47–48 in 2.83 s at 50/s).
    expect(turns.length).toBeCloseTo((downMs - CRASH_MS) / EVERY_MS / 3, -1);
  });

  it("with retries 3 fails the same requests, each after three 1 s turn-arounds", () => {
    const errors = threeRetries.records.filter((r) => r.status !== 200);
    expect(errors.map((r) => r.atMs).sort((a, b) => a - b)).toEqual(turns);
    for (const r of errors) {
      expect(r).toMatchObject({ server: "s2", status: 503, termination: "SC--", retries: 3 });
      // min(timeout connect, 1 s) before each of the 3 retries on the same server (§2 4.3).
      expect(r.totalMs).toBe(3000);
    }
  });

  it("with retries 3 counts wretr = 3 × errors and one attempt per try on s2", () => {
    const s2 = threeRetries.results.servers[1]!;
    const errors = threeRetries.results.requests.failed;
    expect(s2.retries).toBe(3 * errors);
    expect(s2.connectErrors).toBe(errors);
    expect(s2.redispatches).toBe(0);
    // stot counts attempts, lbtot picks (§7): each failed request made 4 attempts after 1 pick.
    expect(s2.attempts - s2.picks).toBe(3 * errors);
  });

  it("keeps retrying s2 after it is marked DOWN (§8 rule 4)", () => {
    const last = threeRetries.records.filter((r) => r.status === 503).sort((a, b) => b.atMs - a.atMs)[0]!;
    expect(last.atMs).toBeLessThan(downMs);
    expect(last.atMs + last.totalMs).toBeGreaterThan(downMs);
    expect(last.server).toBe("s2");
  });
});

describe("a hung server, §8 row 4: retries 3 + redispatch, timeout server 2 s", () => {
  const { results, records } = simulateWithRecords(
    failover({ retries: 3, redispatch: true, fault: "hang", serverMs: 2000 }),
  );
  const s2 = results.servers[1]!;
  // Each failed check lasts inter (no `timeout check`) and the next starts inter later (§4.3).
  const downMs = nextCheckOfS2(CRASH_MS) + (httpCheck.fall - 1) * 2 * INTER + INTER;

  it("marks s2 DOWN after next check + (fall−1)·2·inter + inter", () => {
    expect(s2.states.filter((c) => c.atMs >= CRASH_MS && c.atMs <= downMs)).toEqual([
      { atMs: round3(nextCheckOfS2(CRASH_MS) + INTER), state: "UP 2/3" },
      { atMs: round3(nextCheckOfS2(CRASH_MS) + 3 * INTER), state: "UP 1/3" },
      { atMs: round3(downMs), state: "DOWN" },
    ]);
  });

  it("answers every request sent to the hung server with 504 sH after timeout server, never redispatched", () => {
    const errors = records.filter((r) => r.status !== 200);
    expect(errors.map((r) => r.atMs).sort((a, b) => a - b)).toEqual(s2Turns(CRASH_MS, downMs));
    for (const r of errors) {
      expect(r).toMatchObject({
        server: "s2",
        status: 504,
        termination: "sH--",
        retries: 0,
        redispatched: false,
      });
      expect(r.totalMs).toBe(2000);
      expect(r.connectMs).toBe(0);
    }
    expect(results.requests.redispatched).toBe(0);
    expect(s2.responseErrors).toBe(errors.length);
  });

  it("leaves requests received during the hang unanswered after restore", () => {
    const lateTimeouts = records.filter((r) => r.status === 504 && r.atMs + r.totalMs > RESTORE_MS);
    expect(lateTimeouts.length).toBeGreaterThan(0);
  });

  it("recovers one check cycle later than a refused server: the check running at restore still times out", () => {
    const restoreCheckStart = nextCheckOfS2(RESTORE_MS) - INTER; // started before the restore, hung
    expect(restoreCheckStart).toBeLessThan(RESTORE_MS);
    const upMs = stateAt(s2.states, "UP", downMs);
    expect(upMs).toBeCloseTo(nextCheckOfS2(RESTORE_MS) + INTER * httpCheck.rise, 3);
  });
});

describe("a crash", () => {
  it("cuts the requests in flight on the server: 502 SH", () => {
    const { records, results } = simulateWithRecords(
      scenario({
        durationMs: 1000,
        backend: { servers: [server("s1", { slots: 4, service: { kind: "constant", valueMs: 300 } })] },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 10 } })],
        events: [{ atMs: 450, kind: "crash", server: "s1" }],
      }),
    );
    const cut = byArrival(records.filter((r) => r.termination === "SH--"));
    // In flight at 450: the requests sent at 200, 300, 400 (the one from 100 ended at 400).
    expect(cut.map((r) => [r.atMs, r.status, r.totalMs, r.responseMs])).toEqual([
      [200, 502, 250, -1],
      [300, 502, 150, -1],
      [400, 502, 50, -1],
    ]);
    expect(results.servers[0]!.responseErrors).toBe(3);
  });
});

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
