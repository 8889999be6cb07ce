// The stepping API's snapshot: hand-derived values at known times (a crash, fall 3, inter 1 s) and,
// at the end of a run, the values Results say.
import { describe, expect, it } from "vitest";
import { runtimeAction } from "../scenarios/runtime-command.js";
import type { RequestRecord } from "./run-types.js";
import { createModel, type Model } from "./stepping.js";
import { client, RUN_OPTIONS, scenario, server, TCP_CHECK } from "./test-support.js";

const OPTIONS = RUN_OPTIONS;

const CHECK = TCP_CHECK;

describe("snapshot", () => {
  // One checked server (its first check at 0, then one a second) and one without checks.
  const s = scenario({
    durationMs: 10_000,
    warmupMs: 500,
    backend: { servers: [server("s1", { check: CHECK }), server("s2", { maxconn: 2 })] },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 250 } })],
    events: [{ atMs: 5000, kind: "crash", server: "s1" }],
  });

  const at = (model: Model, ms: number) => {
    model.advanceTo(ms);
    return model.snapshot();
  };

  it("follows a crash to DOWN on the third failed check (fall 3, inter 1 s)", () => {
    const model = createModel(s, OPTIONS);
    const before = at(model, 4999);
    expect(before.servers[0]).toMatchObject({
      name: "s1",
      state: "UP",
      health: 4,
      rise: 2,
      fall: 3,
      checksFailed: 0,
    });
    expect(before.servers[1]).toMatchObject({ name: "s2", state: "no check", rise: 0, fall: 0, weight: 1 });
    // At 5000 the events at 5000 are still pending (advanceTo runs those before it): still UP.
    expect(at(model, 5000).servers[0]).toMatchObject({ state: "UP", health: 4, checksFailed: 0 });
    // The crash comes before the check at 5000 (it was scheduled first): checks at 5, 6 and 7 s fail.
    expect(at(model, 5001).servers[0]).toMatchObject({ state: "UP 2/3", health: 3, checksFailed: 1 });
    expect(at(model, 6999).servers[0]).toMatchObject({ state: "UP 1/3", health: 2, checksFailed: 2 });
    const down = at(model, 7001).servers[0]!;
    expect(down).toMatchObject({ state: "DOWN", health: 0, checksFailed: 3 });
    model.advanceTo(s.durationMs);
    const results = model.results();
    expect(results.servers[0]!.states.map((c) => c.state)).toEqual([
      // A server starts at health = rise (one failure from DOWN); its first passing check makes it fully UP.
      "UP 1/3",
      "UP",
      "UP 2/3",
      "UP 1/3",
      "DOWN",
    ]);
    expect(results.servers[0]!.states.at(-1)!.atMs).toBe(7000);
  });

  it("says at the end what Results say, and holds the last finished requests", () => {
    const records: RequestRecord[] = [];
    const model = createModel(s, { ...OPTIONS, recentRequests: 50, onRequest: (r) => records.push(r) });
    let peakQueued = 0;
    for (let t = 0; t <= s.durationMs; t += 100) {
      const snap = at(model, t);
      peakQueued = Math.max(peakQueued, snap.backends[0]!.queued);
      expect(snap.servers[1]!.inFlight).toBeLessThanOrEqual(2);
    }
    const snap = model.snapshot();
    const results = model.results();
    expect(snap.done).toBe(true);
    expect(snap.nowMs).toBe(s.durationMs);
    expect(snap.requests).toEqual({
      total: results.requests.total,
      ok: results.requests.ok,
      failed: results.requests.failed,
      byStatus: results.requests.byStatus,
    });
    expect(snap.requests.failed).toBeGreaterThan(0);
    snap.servers.forEach((server, i) => {
      const r = results.servers[i]!;
      expect(server.state).toBe(r.states.at(-1)!.state);
      expect(server.checksFailed).toBe(r.checksFailed);
      expect(server.inFlight).toBe(r.inFlightAtEnd);
      expect(server.queued).toBe(r.queuedAtEnd);
      expect(server.weight).toBe(r.weightAtEnd);
    });
    // Alone after s1 went DOWN, s2 (maxconn 2) is overloaded: requests wait in the backend queue.
    expect(peakQueued).toBeGreaterThan(0);
    expect(peakQueued).toBeLessThanOrEqual(results.queue.maxBackendQueue);
    // 250 requests/s against s2's 100/s: the queue still holds many at the end.
    expect(snap.backends[0]!.name).toBe("backend");
    expect(snap.backends[0]!.queued).toBeGreaterThan(100);
    expect(snap.backends[0]!.queued).toBeLessThanOrEqual(results.queue.maxBackendQueue);
    expect(snap.recent).toHaveLength(50);
    expect(snap.recent).toEqual(
      records.slice(-50).map((r) => ({ atMs: r.atMs + r.totalMs, latencyMs: r.totalMs, status: r.status })),
    );
  });

  it("is plain data that later steps do not change", () => {
    const model = createModel(s, OPTIONS);
    const early = at(model, 1000);
    const copy = structuredClone(early);
    model.advanceTo(6000);
    expect(early).toEqual(copy);
    expect(model.snapshot().recent.length).toBeLessThanOrEqual(200);
  });

  it("shows an applied action at once, before any further step", () => {
    const model = createModel(s, OPTIONS);
    model.advanceTo(2000);
    model.apply(runtimeAction("set server backend/s1 state maint", s));
    model.apply(runtimeAction("set weight backend/s2 50%", s));
    const snap = model.snapshot();
    expect(snap.nowMs).toBe(2000);
    expect(snap.servers[0]!.state).toBe("MAINT");
    // 50% of weight 1 in HAProxy's integer arithmetic (truncated) is 0.
    expect(snap.servers[1]!.weight).toBe(0);
  });
});
