// Spec of sim/offered-load.ts: arrivals against capacity per backend, and the warning at or near capacity.
import { describe, expect, it } from "vitest";
import type { BackendSpec, FrontendSpec, Scenario } from "../scenarios/types.js";
import { loadWarning } from "./offered-load.js";
import { client, scenario, server, simulate } from "./test-support.js";

/**
 * Tolerance of a measured arrival rate: N arrivals of a Poisson stream over T seconds have
 * variance λT, so N/T has standard deviation √(λT)/T; four of them leave a chance of about 6·10⁻⁵.
 */
function poissonTolerance(ratePerSecond: number, seconds: number): number {
  return (4 * Math.sqrt(ratePerSecond * seconds)) / seconds;
}

/** One server, one slot, 10 ms exponential demand (100/s), Poisson arrivals at `rate` for a minute. */
function oneServer(ratePerSecond: number): Scenario {
  return scenario({
    durationMs: 60_000,
    backend: { name: "web", servers: [server("web01")] },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond } })],
  });
}

describe("offeredLoad", () => {
  it("says a server at 120% load is over capacity, with the ratio Poisson noise allows", () => {
    const results = simulate(oneServer(120));
    const [load] = results.offeredLoad;
    expect(results.offeredLoad).toHaveLength(1);
    expect(load!.backend).toBe("web");
    expect(load!.capacityPerSecond).toBe(100);
    const tolerance = poissonTolerance(120, 60);
    expect(Math.abs(load!.arrivalsPerSecond - 120)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(load!.ratio - 1.2)).toBeLessThanOrEqual(tolerance / 100);
    expect(load!.ratio).toBeCloseTo(load!.arrivalsPerSecond / load!.capacityPerSecond, 5);
    expect(results.warnings).toContainEqual(
      expect.stringMatching(
        /^backend "web": offered load 1\.\d\d× capacity \(1\d\d\/s arrivals, 100\/s capacity\): queues grow without bound/,
      ),
    );
  });

  it("counts arrivals, not completions: a saturated server answers only its capacity", () => {
    const results = simulate(oneServer(120));
    const answeredPerSecond = results.requests.total / 60;
    expect(answeredPerSecond).toBeLessThan(100 + poissonTolerance(100, 60));
    expect(results.offeredLoad[0]!.arrivalsPerSecond).toBeCloseTo(
      (results.requests.total + results.requests.unfinished) / 60,
      2,
    );
  });

  it("has no warning at 50% load", () => {
    const results = simulate(oneServer(50));
    expect(Math.abs(results.offeredLoad[0]!.ratio - 0.5)).toBeLessThanOrEqual(poissonTolerance(50, 60) / 100);
    expect(results.warnings).toBeUndefined();
  });

  it("measures arrivals over the steady state only (after warm-up)", () => {
    // 10/s for the first 30 s, then 190/s: arrivals after a 30 s warm-up are at 190/s.
    const s = {
      ...oneServer(10),
      warmupMs: 30_000,
      events: [{ atMs: 30_000, kind: "rate" as const, client: "c", ratePerSecond: 190 }],
    } as Scenario;
    const load = simulate(s).offeredLoad[0]!;
    expect(Math.abs(load.arrivalsPerSecond - 190)).toBeLessThanOrEqual(poissonTolerance(190, 30));
  });

  it("adds min(slots, maxconn) × speed / mean demand over the active servers", () => {
    const s = scenario({
      durationMs: 1000,
      backend: {
        servers: [
          // 4 slots at speed 2 of a 20 ms mean: 400/s.
          server("a", { slots: 4, speed: 2, service: { kind: "exponential", meanMs: 20 } }),
          // 8 slots but maxconn 2, of a constant 5 ms: 400/s, not 1600/s.
          server("b", { slots: 8, maxconn: 2, service: { kind: "constant", valueMs: 5 } }),
          // Lognormal median 10 ms, σ 1: mean 10·e^0.5 ms.
          server("c", { slots: 1, service: { kind: "lognormal", medianMs: 10, sigma: 1 } }),
          // A backup does not count while active servers exist.
          server("spare", { slots: 100, backup: true }),
        ],
      },
    });
    const expected = 400 + 400 + 1000 / (10 * Math.exp(0.5));
    expect(simulate(s).offeredLoad[0]!.capacityPerSecond).toBeCloseTo(expected, 2);
  });

  it("counts backup servers when the backend has no active one", () => {
    const s = scenario({
      durationMs: 1000,
      backend: { servers: [server("spare1", { backup: true }), server("spare2", { backup: true })] },
    });
    expect(simulate(s).offeredLoad[0]!.capacityPerSecond).toBe(200);
  });

  it("takes the mean of the demands a trace gave when requests carry their own", () => {
    // 40 requests, 25 ms each, on a server whose own distribution (10 ms) is never used.
    const rows = Array.from({ length: 40 }, (_, i) => ({ atMs: i * 25, demandMs: 25 }));
    const s = scenario({
      durationMs: 1000,
      backend: { servers: [server("t", { service: null })] },
      clients: [client("replay", { arrivals: { kind: "trace", file: "t.csv" } })],
    });
    const load = simulate(s, { readTrace: () => rows }).offeredLoad[0]!;
    expect(load.capacityPerSecond).toBe(40);
    expect(load.arrivalsPerSecond).toBe(40);
    expect(load.ratio).toBe(1);
  });

  it("gives one entry per backend, each with its own arrivals and capacity", () => {
    const backend = (name: string, slots: number): BackendSpec => ({
      ...scenario().backend,
      name,
      servers: [server(`${name}/s1`, { id: 1, slots })],
    });
    const frontend = (name: string, defaultBackend: string): FrontendSpec => ({
      name,
      maxconn: 0,
      clientTimeoutMs: Number.POSITIVE_INFINITY,
      defaultBackend,
    });
    const [www, api] = [frontend("www", "web"), frontend("api", "api")];
    const s = scenario({
      durationMs: 60_000,
      frontend: www,
      frontends: [www, api],
      backends: [backend("web", 1), backend("api", 4)],
      clients: [
        client("browsers", { frontend: "www", arrivals: { kind: "poisson", ratePerSecond: 120 } }),
        client("apps", { frontend: "api", arrivals: { kind: "poisson", ratePerSecond: 200 } }),
      ],
    });
    const results = simulate({ ...s, backend: s.backends![0]! });
    expect(results.offeredLoad.map((l) => [l.backend, l.capacityPerSecond])).toEqual([
      ["web", 100],
      ["api", 400],
    ]);
    const [web, apiLoad] = results.offeredLoad;
    expect(Math.abs(web!.ratio - 1.2)).toBeLessThanOrEqual(poissonTolerance(120, 60) / 100);
    expect(Math.abs(apiLoad!.ratio - 0.5)).toBeLessThanOrEqual(poissonTolerance(200, 60) / 400);
    expect(results.warnings).toHaveLength(1);
    expect(results.warnings![0]).toMatch(/^backend "web": /);
  });
});

describe("loadWarning", () => {
  const entry = (ratio: number) => ({
    backend: "web",
    arrivalsPerSecond: ratio * 100,
    capacityPerSecond: 100,
    ratio,
  });

  it("says at or above capacity from a ratio of 1", () => {
    expect(loadWarning(entry(1))).toBe(
      'backend "web": offered load 1.00× capacity (100/s arrivals, 100/s capacity): queues grow without bound, so a longer run would wait longer and leave more requests unanswered',
    );
  });

  it("says near capacity from 0.9, and nothing below", () => {
    expect(loadWarning(entry(0.95))).toMatch(/0\.95× capacity \(95\/s arrivals.*near capacity/);
    expect(loadWarning(entry(0.9))).toMatch(/near capacity/);
    expect(loadWarning(entry(0.899))).toBeUndefined();
  });
});
