// The decision trace against the run it explains: choices, each skip cause, hash key/slot, leastconn counts.
import { describe, expect, it } from "vitest";
import type { RuntimeCommand, Scenario, TimelineEvent } from "../../scenarios/types.js";
import { fullHash } from "../../strategies/shared/index.js";
import { ipv4Key } from "../../strategies/source.js";
import { ringOwner } from "../../strategies/test-support.js";
import type { RequestRecord } from "../run-types.js";
import { client, scenario, server, simulate, TCP_CHECK } from "../test-support.js";
import type { Decision } from "./decision-trace.js";

function traced(s: Scenario): { decisions: Decision[]; records: RequestRecord[]; results: string } {
  const decisions: Decision[] = [];
  const records: RequestRecord[] = [];
  const results = simulate(s, { onDecision: (d) => decisions.push(d), onRequest: (r) => records.push(r) });
  return { decisions, records, results: JSON.stringify(results) };
}

function runtime(atMs: number, command: RuntimeCommand): TimelineEvent {
  return { atMs, kind: "runtime", text: JSON.stringify(command), command };
}

/** Each request's decisions, in the order they were made. */
function byId(decisions: ReadonlyArray<Decision>): Map<number, Decision[]> {
  const map = new Map<number, Decision[]>();
  for (const d of decisions) map.set(d.id, [...(map.get(d.id) ?? []), d]);
  return map;
}

/** Every finished request's last decision is where the run sent it; retries = redispatch + retry lines. */
function expectAgreement(decisions: ReadonlyArray<Decision>, records: ReadonlyArray<RequestRecord>): void {
  const lines = byId(decisions);
  for (const record of records) {
    const own = lines.get(record.id) ?? [];
    expect(own.length, `request ${record.id} has decisions`).toBeGreaterThan(0);
    const last = own[own.length - 1]!;
    if (last.chosen === "503") expect(record.status).toBe(503);
    else if (last.chosen === "queue") {
      // Still queued at its end: it timed out there (503 sQ) or its client gave up.
      expect([503, -1]).toContain(record.status);
    } else expect(record.server).toBe(last.chosen);
    const retries = own.filter((d) => d.step === "redispatch" || d.step === "retry").length;
    expect(retries, `request ${record.id} retries`).toBe(record.retries);
  }
}

const EVERY_10_MS = client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } });
const constant = (valueMs: number) => ({ kind: "constant", valueMs }) as const;

describe("decision trace", () => {
  it("changes no Results, and its choices are the run's, retries and all", () => {
    const s = scenario({
      durationMs: 8000,
      backend: {
        balance: "roundrobin",
        timeout: { connectMs: 200, serverMs: 5000, queueMs: 300 },
        retries: 2,
        redispatch: { interval: -1 },
        servers: ["s1", "s2", "s3"].map((n) =>
          server(n, { check: TCP_CHECK, maxconn: 2, service: constant(n === "s1" ? 40 : 15) }),
        ),
      },
      clients: [EVERY_10_MS],
      events: [
        { atMs: 2000, kind: "crash", server: "s2" },
        { atMs: 6000, kind: "restore", server: "s2" },
      ],
    });
    const { decisions, records, results } = traced(s);
    expect(results).toBe(JSON.stringify(simulate(s)));
    expectAgreement(decisions, records);
    // The crash made redispatches, and maxconn 2 on the slow s1 made queueing.
    const steps = new Set(decisions.map((d) => d.step));
    for (const step of ["pick", "redispatch", "dequeue"]) expect(steps).toContain(step);
    expect(decisions.some((d) => d.chosen === "queue")).toBe(true);
  });

  it("says DOWN for a crashed server its checks marked down, avoided for the failed one on a redispatch", () => {
    const s = scenario({
      durationMs: 8000,
      backend: {
        timeout: { connectMs: 200, serverMs: 5000, queueMs: 1000 },
        retries: 2,
        redispatch: { interval: -1 },
        servers: ["s1", "s2", "s3"].map((n) => server(n, { check: TCP_CHECK, service: constant(5) })),
      },
      clients: [EVERY_10_MS],
      events: [{ atMs: 2000, kind: "crash", server: "s2" }],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    const before = decisions.filter((d) => d.atMs < 2000);
    expect(before.every((d) => Object.keys(d.skipped).length === 0)).toBe(true);
    // Three failed checks (fall 3, inter 1 s) after the crash: DOWN by 5 s, and from then on.
    const late = decisions.filter((d) => d.atMs >= 5500);
    expect(late.length).toBeGreaterThan(0);
    for (const d of late) {
      expect(d.skipped).toEqual({ s2: "DOWN" });
      expect(d.candidates).toEqual(["s1", "s3"]);
    }
    const redispatches = decisions.filter((d) => d.step === "redispatch");
    expect(redispatches.length).toBeGreaterThan(0);
    for (const d of redispatches) {
      expect(d.skipped.s2).toBe("avoided");
      expect(d.chosen).not.toBe("s2");
    }
  });

  it("says MAINT and DRAIN for servers set so by the runtime API", () => {
    const s = scenario({
      durationMs: 4000,
      backend: { servers: ["s1", "s2", "s3"].map((n) => server(n, { service: constant(5) })) },
      clients: [EVERY_10_MS],
      events: [
        runtime(1000, { op: "state", server: "s2", state: "maint" }),
        runtime(2000, { op: "state", server: "s3", state: "drain" }),
      ],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    const at = (fromMs: number, toMs: number) => decisions.filter((d) => d.atMs > fromMs && d.atMs < toMs);
    for (const d of at(1000, 2000)) expect(d.skipped).toEqual({ s2: "MAINT" });
    for (const d of at(2000, 4000)) {
      expect(d.skipped).toEqual({ s2: "MAINT", s3: "DRAIN" });
      expect(d.chosen).toBe("s1");
    }
    expect(at(2000, 4000).length).toBeGreaterThan(50);
  });

  it("says NOLB for a server set to health stopping", () => {
    const s = scenario({
      durationMs: 2000,
      backend: { servers: ["s1", "s2"].map((n) => server(n, { service: constant(5) })) },
      clients: [EVERY_10_MS],
      events: [runtime(1000, { op: "health", server: "s2", health: "stopping" })],
    });
    const { decisions } = traced(s);
    const after = decisions.filter((d) => d.atMs > 1000);
    expect(after.length).toBeGreaterThan(50);
    for (const d of after) expect(d.skipped).toEqual({ s2: "NOLB" });
  });

  it("has a retry line per same-server retry without redispatch, and the 503 after the last", () => {
    const s = scenario({
      durationMs: 3000,
      backend: {
        timeout: { connectMs: 100, serverMs: 5000, queueMs: 1000 },
        retries: 2,
        redispatch: null,
        servers: ["s1", "s2"].map((n) => server(n, { service: constant(5) })),
      },
      clients: [EVERY_10_MS],
      events: [{ atMs: 1000, kind: "crash", server: "s2" }],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    const lines = byId(decisions);
    const failed = records.filter((r) => r.status === 503);
    expect(failed.length).toBeGreaterThan(10);
    for (const record of failed) {
      const steps = lines.get(record.id)!.map((d) => [d.step, d.chosen]);
      expect(steps).toEqual([
        ["pick", "s2"],
        ["retry", "s2"],
        ["retry", "s2"],
      ]);
    }
  });

  it("has a requeue line for a request moved out of the queue of a server gone to MAINT", () => {
    const s = scenario({
      durationMs: 2000,
      backend: {
        balance: "source",
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 5000 },
        redispatch: { interval: -1 },
        servers: ["s1", "s2"].map((n) => server(n, { maxconn: 1, service: constant(40) })),
      },
      clients: [
        client("c", { arrivals: { kind: "constant", ratePerSecond: 40 }, sources: { count: 1, zipf: null } }),
      ],
      events: [
        runtime(1000, { op: "state", server: "s1", state: "maint" }),
        runtime(1000, { op: "state", server: "s2", state: "maint" }),
      ],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    const requeued = decisions.filter((d) => d.step === "requeue");
    expect(requeued.length).toBeGreaterThan(0);
    for (const d of requeued) expect(d.atMs).toBe(1000);
  });

  it("says full for a server at its maxconn, and backup for backups while an active is usable", () => {
    const s = scenario({
      durationMs: 3000,
      backend: {
        balance: "first",
        servers: [
          server("s1", { maxconn: 1, service: constant(25) }),
          server("s2", { service: constant(25) }),
          server("b1", { backup: true, service: constant(25) }),
        ],
      },
      clients: [EVERY_10_MS],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    // `first` fills s1 (one at a time, 25 ms each, one request every 10 ms): the others spill to s2.
    const spilled = decisions.filter((d) => d.chosen === "s2");
    expect(spilled.length).toBeGreaterThan(0);
    for (const d of spilled) expect(d.skipped).toEqual({ s1: "full", b1: "backup" });
    for (const d of decisions.filter((d) => d.chosen === "s1")) expect(d.skipped).toEqual({ b1: "backup" });
  });

  it("says maxqueue for a leastconn server whose own queue is full too", () => {
    const s = scenario({
      durationMs: 2000,
      backend: {
        balance: "leastconn",
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 5000 },
        servers: ["s1", "s2"].map((n) => server(n, { maxconn: 1, maxqueue: 1, service: constant(100) })),
      },
      clients: [EVERY_10_MS],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    // Both busy with one queued each: every new request is left to the backend queue.
    const refused = decisions.filter(
      (d) => d.step === "pick" && d.chosen === "queue" && d.queue === "backend",
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const d of refused) expect(d.skipped).toEqual({ s1: "maxqueue", s2: "maxqueue" });
    // A server busy with room in its own queue is still chosen: the request waits there.
    expect(decisions.some((d) => d.chosen === "queue" && (d.queue === "s1" || d.queue === "s2"))).toBe(true);
  });

  it("says maxqueue for a hashed server whose queue is full: the request gets 503 SQ", () => {
    const s = scenario({
      durationMs: 2000,
      backend: {
        balance: "source",
        timeout: { connectMs: 1000, serverMs: 5000, queueMs: 5000 },
        servers: ["s1", "s2"].map((n) => server(n, { maxconn: 1, maxqueue: 1, service: constant(100) })),
      },
      clients: [
        client("c", {
          arrivals: { kind: "constant", ratePerSecond: 100 },
          sources: { count: 2, zipf: null },
        }),
      ],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    const refused = decisions.filter((d) => d.chosen === "503");
    expect(refused.length).toBeGreaterThan(0);
    for (const d of refused) {
      expect(d.termination).toBe("SQ");
      const owner = ["s1", "s2"][d.slot!]!;
      expect(d.skipped).toEqual({ [owner]: "maxqueue" });
      expect(d.candidates).not.toContain(owner);
    }
  });

  it("shows the leastconn counts that made each choice", () => {
    const s = scenario({
      durationMs: 3000,
      backend: {
        balance: "leastconn",
        servers: ["s1", "s2", "s3"].map((n, i) => server(n, { service: constant(20 + 15 * i) })),
      },
      clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 120 } })],
    });
    const { decisions } = traced(s);
    let contested = 0;
    for (const d of decisions.filter((x) => x.step === "pick")) {
      const tree = d.state.tree as Array<{ server: string; served: number; queued: number; key: number }>;
      expect(tree.map((t) => t.server).sort()).toEqual(["s1", "s2", "s3"]);
      // Equal weights: the chosen server has the fewest in flight, and the walk's first is it.
      const inflight = tree.map((t) => t.served + t.queued);
      const chosen = tree.find((t) => t.server === d.chosen)!;
      expect(chosen.served + chosen.queued).toBe(Math.min(...inflight));
      expect(tree[0]!.server).toBe(d.chosen);
      if (new Set(inflight).size > 1) contested++;
    }
    expect(contested).toBeGreaterThan(10);
  });

  it("gives a map-based source hash's key and slot as the strategy computes them", () => {
    const s = scenario({
      durationMs: 2000,
      backend: {
        balance: "source",
        servers: ["s1", "s2", "s3"].map((n) => server(n, { service: constant(5) })),
      },
      clients: [EVERY_10_MS],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    for (const d of decisions) {
      const ip = d.state.input as string;
      // §3.6: the IPv4 integer, no avalanche with map-based; map[h mod 3] of s1 s2 s3 (weights 1).
      expect(d.key).toBe(ipv4Key(ip, 0, ip.length));
      expect(d.slot).toBe(d.key! % 3);
      expect(d.chosen).toBe(["s1", "s2", "s3"][d.slot!]);
    }
  });

  it("gives a consistent source hash's key (avalanched) and the ring point's owner", () => {
    const s = scenario({
      durationMs: 1000,
      backend: {
        balance: "source",
        hashType: "consistent",
        servers: ["s1", "s2", "s3"].map((n) => server(n, { service: constant(5) })),
      },
      clients: [EVERY_10_MS],
    });
    const { decisions } = traced(s);
    const views = [1, 2, 3].map((id) => ({ id, weight: 1 }));
    for (const d of decisions) {
      const ip = d.state.input as string;
      expect(d.key).toBe(fullHash(ipv4Key(ip, 0, ip.length)));
      expect(d.chosen).toBe(`s${ringOwner(views, d.key!) + 1}`);
      expect(d.slot).toBeGreaterThanOrEqual(0);
      expect(d.slot).toBeLessThan(3 * 16);
    }
  });

  it("shows least-response-time's scores, the chosen server's the lowest", () => {
    const s = scenario({
      durationMs: 3000,
      backend: {
        balance: "least-response-time",
        servers: ["s1", "s2", "s3"].map((n, i) => server(n, { service: constant(10 + 20 * i) })),
      },
      clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 80 } })],
    });
    const { decisions } = traced(s);
    const picks = decisions.filter((d) => d.step === "pick");
    expect(new Set(picks.map((d) => d.chosen))).toEqual(new Set(["s1", "s2", "s3"]));
    for (const d of picks) {
      const scores = d.state.scores as Record<string, { score: number }>;
      const lowest = Math.min(...Object.values(scores).map((x) => x.score));
      // Ties go to the first in declaration order.
      expect(d.chosen).toBe(Object.keys(scores).find((name) => scores[name]!.score === lowest));
    }
  });

  it("lists random(2)'s draws, the chosen server among them", () => {
    const s = scenario({
      durationMs: 1000,
      backend: {
        balance: "random",
        servers: ["s1", "s2", "s3"].map((n) => server(n, { service: constant(30) })),
      },
      clients: [EVERY_10_MS],
    });
    const { decisions } = traced(s);
    for (const d of decisions.filter((x) => x.step === "pick")) {
      const drawn = d.state.drawn as Array<{ hash: number; server: string }>;
      expect(drawn).toHaveLength(2);
      expect(drawn.map((x) => x.server)).toContain(d.chosen);
    }
  });

  it("says 503 with strategy none for a request its frontend routes nowhere", () => {
    const s = scenario({
      durationMs: 500,
      frontend: { name: "fe", maxconn: 0, clientTimeoutMs: Number.POSITIVE_INFINITY, defaultBackend: null },
      clients: [EVERY_10_MS],
    });
    const { decisions, records } = traced(s);
    expectAgreement(decisions, records);
    expect(decisions.length).toBe(records.length);
    for (const d of decisions) {
      expect(d).toMatchObject({
        backend: "fe",
        strategy: "none",
        candidates: [],
        chosen: "503",
        termination: "SC",
      });
    }
  });

  it("names the balancer instance when there are several", () => {
    const s = scenario({
      durationMs: 1000,
      balancers: { count: 2, spread: "roundrobin" },
      clients: [EVERY_10_MS],
    });
    const { decisions } = traced(s);
    expect(new Set(decisions.map((d) => d.balancer))).toEqual(new Set([1, 2]));
    expect(decisions.every((d) => d.backend === "backend")).toBe(true);
  });
});
