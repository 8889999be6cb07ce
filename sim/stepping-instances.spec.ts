// The stepping API's snapshot with several balancer instances: each instance's view, and the totals.
import { describe, expect, it } from "vitest";
import { createModel } from "./stepping.js";
import { client, RUN_OPTIONS, scenario, server, TCP_CHECK } from "./test-support.js";

const OPTIONS = RUN_OPTIONS;

const CHECK = TCP_CHECK;

describe("snapshot with several balancer instances", () => {
  const s = {
    ...scenario({
      durationMs: 10_000,
      backend: { servers: [server("s1", { check: CHECK, maxconn: 1 }), server("s2", { check: CHECK })] },
      clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 300 } })],
      events: [{ atMs: 5000, kind: "crash" as const, server: "s1" }],
    }),
    balancers: { count: 2, spread: "roundrobin" as const },
  };

  it("shows each instance's own check state: instance 1 sees the crash at its checks, instance 2 at its own", () => {
    const model = createModel(s, OPTIONS);
    model.advanceTo(7001);
    const snap = model.snapshot();
    const [lb1, lb2] = snap.balancers!;
    // Instance 1 checks s1 at 5, 6 and 7 s (DOWN at 7 s; advanceTo(7001) ran the check at 7000);
    // instance 2's checks come half an interval later (5.5 s and 6.5 s so far): two failures, still UP.
    expect(lb1!.servers[0]).toMatchObject({ name: "s1", state: "DOWN", health: 0, checksFailed: 3 });
    expect(lb2!.servers[0]).toMatchObject({ name: "s1", state: "UP 1/3", health: 2, checksFailed: 2 });
    // The totals: instance 1's state, every instance's failed checks.
    expect(snap.servers[0]).toMatchObject({ name: "s1", state: "DOWN", checksFailed: 5 });
    expect(snap.servers).toHaveLength(2);
  });

  it("adds up in-flight and queued requests over the instances, each below its own maxconn", () => {
    const model = createModel(s, OPTIONS);
    let most = 0;
    for (let ms = 10; ms <= 3000; ms += 10) {
      model.advanceTo(ms);
      const snap = model.snapshot();
      const [lb1, lb2] = snap.balancers!;
      for (const lb of [lb1!, lb2!]) expect(lb.servers[0]!.inFlight).toBeLessThanOrEqual(1);
      expect(snap.servers[0]!.inFlight).toBe(lb1!.servers[0]!.inFlight + lb2!.servers[0]!.inFlight);
      expect(snap.servers[0]!.queued).toBe(lb1!.servers[0]!.queued + lb2!.servers[0]!.queued);
      expect(snap.backends).toEqual([
        { name: "backend", queued: lb1!.backends[0]!.queued + lb2!.backends[0]!.queued },
      ]);
      most = Math.max(most, snap.servers[0]!.inFlight);
    }
    // maxconn 1 on each instance: the server holds two connections at times, one from each.
    expect(most).toBe(2);
  });
});
