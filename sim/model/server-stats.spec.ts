// Results.servers' end-of-run stats row (weight, weightAtEnd, backup, inFlightAtEnd, queuedAtEnd,
// lastCheck, downtimeMs) and series.checksFailed: HAProxy's stats fields (haproxy-semantics.md §4, §7).
import { describe, expect, it } from "vitest";
import type { CheckParams, RuntimeCommand, ServerSpec, TimelineEvent } from "../../scenarios/types.js";
import type { Results, ServerResults } from "../results.js";
import { client, scenario, server, simulate } from "../test-support.js";

const constant5ms = { kind: "constant", valueMs: 5 } as const;
const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0);

function check(type: "tcp" | "http"): CheckParams {
  return {
    type,
    interMs: 1000,
    fastinterMs: 1000,
    downinterMs: 1000,
    rise: 2,
    fall: 3,
    timeoutMs: null,
  };
}

function runtime(atMs: number, command: RuntimeCommand): TimelineEvent {
  return { atMs, kind: "runtime", text: JSON.stringify(command), command };
}

/**
 * s1 and s2, both checked (inter 1 s, rise 2, fall 3), 20 requests/s for 20 s. The startup spread
 * puts s2's checks at 500 + k·1000 ms; an immediate check (passed, or refused) completes when it starts.
 */
function run(type: "tcp" | "http", events: TimelineEvent[], servers?: ServerSpec[]): Results {
  return simulate(
    scenario({
      durationMs: 20_000,
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
      events,
      backend: {
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 1000 },
        servers: servers ?? [
          server("s1", { check: check(type), service: constant5ms }),
          server("s2", { check: check(type), service: constant5ms }),
        ],
      },
    }),
  );
}

const named = (results: Results, name: string): ServerResults =>
  results.servers.find((s) => s.name === name)!;
/** When the server was last marked DOWN (the start of its last `DOWN` span in `states`). */
const lastDownAt = (s: ServerResults): number => s.states.filter((c) => c.state === "DOWN").at(-1)!.atMs;
/** The buckets of `counts` that hold a failed check. */
const nonZeroBuckets = (counts: ReadonlyArray<number>): number[] =>
  counts.flatMap((n, b) => (n > 0 ? [b] : []));

describe("lastCheck: HAProxy's check_status of the last completed check", () => {
  it("is L4CON for a crashed server (refused), for TCP and HTTP checks alike", () => {
    for (const type of ["tcp", "http"] as const) {
      const results = run(type, [{ atMs: 2200, kind: "crash", server: "s2" }]);
      expect(named(results, "s2").lastCheck).toBe("L4CON");
      expect(named(results, "s1").lastCheck).toBe(type === "tcp" ? "L4OK" : "L7OK");
    }
  });

  it("is L7TOUT for a hung server under an HTTP check, L4OK under a TCP check (the kernel accepts)", () => {
    const http = run("http", [{ atMs: 2200, kind: "hang", server: "s2" }]);
    expect(named(http, "s2").lastCheck).toBe("L7TOUT");
    expect(named(http, "s2").downs).toBe(1);
    const tcp = run("tcp", [{ atMs: 2200, kind: "hang", server: "s2" }]);
    expect(named(tcp, "s2").lastCheck).toBe("L4OK");
    expect(named(tcp, "s2").downs).toBe(0);
  });

  it("is L4TOUT for a partitioned server (the connect times out), whatever the check's type", () => {
    for (const type of ["tcp", "http"] as const) {
      const results = run(type, [{ atMs: 2200, kind: "partition", server: "s2" }]);
      expect(named(results, "s2").lastCheck).toBe("L4TOUT");
    }
  });

  it("is L7STS when an HTTP check gets an error status", () => {
    // Every answer is a 5xx: each check fails on its status.
    const results = run("http", [{ atMs: 2200, kind: "errors", server: "s2", rate: 1 }]);
    expect(named(results, "s2").lastCheck).toBe("L7STS");
    expect(named(results, "s2").checksFailed).toBe(3);
  });

  it("is back to L4OK once a restored server passes its checks again", () => {
    const results = run("tcp", [
      { atMs: 2200, kind: "crash", server: "s2" },
      { atMs: 8200, kind: "restore", server: "s2" },
    ]);
    expect(named(results, "s2").lastCheck).toBe("L4OK");
  });

  it("keeps the last completed check through MAINT, where checks stop", () => {
    // The check at 2500 is refused; MAINT at 3000 stops checks: no other check completes.
    const results = run("tcp", [
      { atMs: 2200, kind: "crash", server: "s2" },
      runtime(3000, { op: "state", server: "s2", state: "maint" }),
    ]);
    expect(named(results, "s2").lastCheck).toBe("L4CON");
    expect(named(results, "s2").checksFailed).toBe(1);
  });

  it("is absent for a server without checks, and when no check completed", () => {
    const results = run(
      "tcp",
      [],
      [
        server("s1", { service: constant5ms }),
        // Starts in MAINT: its checks never run.
        server("s2", { check: check("tcp"), service: constant5ms, disabled: true }),
        server("s3", { check: check("tcp"), service: constant5ms }),
      ],
    );
    expect("lastCheck" in named(results, "s1")).toBe(false);
    expect("lastCheck" in named(results, "s2")).toBe(false);
    expect(named(results, "s3").lastCheck).toBe("L4OK");
  });
});

describe("downtimeMs: HAProxy's downtime (time stopped)", () => {
  it("counts an ongoing DOWN up to the end of the run", () => {
    const results = run("tcp", [{ atMs: 2200, kind: "crash", server: "s2" }]);
    const s2 = named(results, "s2");
    // Refused checks at 2500, 3500, 4500: the third (fall) marks it DOWN.
    expect(lastDownAt(s2)).toBe(4500);
    expect(s2.downtimeMs).toBe(results.durationMs - lastDownAt(s2));
    expect(named(results, "s1").downtimeMs).toBe(0);
  });

  it("is the DOWN span in states after a crash and a restore (DOWN 1/2 still counts)", () => {
    const results = run("tcp", [
      { atMs: 2200, kind: "crash", server: "s2" },
      { atMs: 8200, kind: "restore", server: "s2" },
    ]);
    const s2 = named(results, "s2");
    const down = s2.states.findIndex((c) => c.state === "DOWN");
    const up = s2.states.findIndex((c, i) => i > down && c.state === "UP");
    // DOWN at 4500; checks pass at 8500 ("DOWN 1/2") and 9500 (rise 2: UP).
    expect(s2.states.slice(down, up + 1)).toEqual([
      { atMs: 4500, state: "DOWN" },
      { atMs: 8500, state: "DOWN 1/2" },
      { atMs: 9500, state: "UP" },
    ]);
    expect(s2.downtimeMs).toBe(s2.states[up]!.atMs - s2.states[down]!.atMs);
  });

  it("counts MAINT (HAProxy stops the server) but not DRAIN", () => {
    const results = run("tcp", [
      runtime(3000, { op: "state", server: "s2", state: "maint" }),
      runtime(6000, { op: "state", server: "s2", state: "ready" }),
      runtime(8000, { op: "state", server: "s1", state: "drain" }),
    ]);
    expect(named(results, "s2").downtimeMs).toBe(3000);
    expect(named(results, "s1").states.at(-1)!.state).toBe("DRAIN");
    expect(named(results, "s1").downtimeMs).toBe(0);
  });
});

describe("series.checksFailed", () => {
  it("puts the fall failed checks between the crash and the DOWN, inter apart, and sums to checksFailed", () => {
    const results = run("tcp", [{ atMs: 2200, kind: "crash", server: "s2" }]);
    const s2 = named(results, "s2");
    const counts = results.series.checksFailed.s2!;
    expect(counts).toHaveLength(results.series.atMs.length);
    expect(sum(counts)).toBe(s2.checksFailed);
    expect(s2.checksFailed).toBe(3);
    // Checks at 2500, 3500 and 4500 (= DOWN): one in each of buckets 2, 3, 4 (1 s buckets).
    expect(nonZeroBuckets(counts)).toEqual([2, 3, 4]);
    expect(counts[4]).toBe(1);
    expect(results.series.atMs[4]! + results.series.bucketMs).toBeGreaterThan(lastDownAt(s2));
    expect(results.series.checksFailed.s1).toEqual(results.series.atMs.map(() => 0));
  });

  it("places a hung server's timed-out checks where they complete, one inter after they start", () => {
    const results = run("http", [{ atMs: 2200, kind: "hang", server: "s2" }]);
    const s2 = named(results, "s2");
    // Checks start at 2500, 4500, 6500 and each times out after inter (1 s): DOWN at 7500.
    expect(lastDownAt(s2)).toBe(7500);
    expect(nonZeroBuckets(results.series.checksFailed.s2!)).toEqual([3, 5, 7]);
    expect(sum(results.series.checksFailed.s2!)).toBe(s2.checksFailed);
  });

  it("is all zeros for a server without checks", () => {
    const results = run(
      "tcp",
      [{ atMs: 2200, kind: "crash", server: "s2" }],
      [server("s1", { service: constant5ms }), server("s2", { service: constant5ms })],
    );
    expect(results.series.checksFailed).toEqual({
      s1: results.series.atMs.map(() => 0),
      s2: results.series.atMs.map(() => 0),
    });
  });
});

describe("weight, weightAtEnd, backup", () => {
  it("gives the configured weight and the user weight after `set weight` (N and N%)", () => {
    const results = run(
      "tcp",
      [
        runtime(2000, { op: "weight", server: "s1", weight: 1, percent: false }),
        runtime(2000, { op: "weight", server: "s2", weight: 50, percent: true }),
      ],
      [
        server("s1", { weight: 3, check: check("tcp"), service: constant5ms }),
        server("s2", { weight: 4, check: check("tcp"), service: constant5ms }),
        server("s3", { service: constant5ms }),
      ],
    );
    expect(results.servers.map((s) => [s.weight, s.weightAtEnd])).toEqual([
      [3, 1],
      [4, 2],
      [1, 1],
    ]);
  });

  it("flags backup servers, and only them", () => {
    const results = run(
      "tcp",
      [],
      [server("s1", { service: constant5ms }), server("spare", { backup: true, service: constant5ms })],
    );
    expect(results.servers.map((s) => s.backup)).toEqual([false, true]);
  });
});

describe("inFlightAtEnd and queuedAtEnd (scur, qcur)", () => {
  // One server with maxconn 2 hangs at 1010 ms; a request every 50 ms from 0 to 10 000 ms
  // inclusive (201); the 21 up to 1000 ms were answered (5 ms each). No timeout fires before the end.
  const hung = (balance: string) =>
    simulate(
      scenario({
        durationMs: 10_000,
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
        events: [{ atMs: 1010, kind: "hang", server: "s1" }],
        backend: {
          balance,
          timeout: { connectMs: 1000, serverMs: 60_000, queueMs: 60_000 },
          servers: [server("s1", { maxconn: 2, service: constant5ms })],
        },
      }),
    );

  it("holds maxconn in flight and the rest in the server's own queue under a hash (uri)", () => {
    // A hash picks its server even when it is full: the request waits in that server's queue.
    const results = hung("uri");
    expect(results.requests.unfinished).toBe(201 - 21);
    expect(results.servers[0]!.inFlightAtEnd).toBe(2);
    expect(results.servers[0]!.queuedAtEnd).toBe(201 - 21 - 2);
  });

  it("leaves the server's own queue empty under roundrobin: the rest wait in the backend queue", () => {
    const results = hung("roundrobin");
    expect(results.servers[0]!.inFlightAtEnd).toBe(2);
    expect(results.servers[0]!.queuedAtEnd).toBe(0);
    expect(results.queue.maxBackendQueue).toBe(201 - 21 - 2);
  });

  it("counts only the request that arrived at the very end on a healthy pair", () => {
    // Requests at 0, 50 … 20 000 ms (401, in turn from s1): the last one, s1's, is still open.
    const results = run("tcp", []);
    expect(results.requests.unfinished).toBe(1);
    expect(results.servers.map((s) => [s.inFlightAtEnd, s.queuedAtEnd])).toEqual([
      [1, 0],
      [0, 0],
    ]);
  });
});
