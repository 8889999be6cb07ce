// Traffic changes on the timeline (`rate`, `spike`): the client's rate changes at the event, the
// pending arrival is drawn again from the new rate, and every strategy still sees the same requests.
import { describe, expect, it } from "vitest";
import type { Arrivals, TimelineEvent } from "../../scenarios/types.js";
import type { RequestRecord } from "../run-types.js";
import { client, scenario, server, simulate, simulateWithRecords } from "../test-support.js";

/**
 * The arrival times up to `untilMs` of one client `c` on two servers with room for everything and
 * 1 ms of service (the run goes on 10 ms more, so that every one of them has finished).
 */
function arrivalsOf(arrivals: Arrivals, events: TimelineEvent[], untilMs: number, seed = 1) {
  const { records } = simulateWithRecords(
    scenario({
      seed,
      durationMs: untilMs + 10,
      backend: {
        servers: [
          server("s1", { slots: 1000, service: { kind: "constant", valueMs: 1 } }),
          server("s2", { slots: 1000, service: { kind: "constant", valueMs: 1 } }),
        ],
      },
      clients: [client("c", { arrivals })],
      events,
    }),
  );
  return records
    .map((r) => r.atMs)
    .filter((t) => t <= untilMs)
    .sort((a, b) => a - b);
}

const within = (times: number[], fromMs: number, toMs: number) =>
  times.filter((t) => t >= fromMs && t < toMs).length;
const poisson = (ratePerSecond: number): Arrivals => ({ kind: "poisson", ratePerSecond });
const constant = (ratePerSecond: number): Arrivals => ({ kind: "constant", ratePerSecond });
const rate = (atMs: number, ratePerSecond: number): TimelineEvent => ({
  atMs,
  kind: "rate",
  client: "c",
  ratePerSecond,
});
const spike = (atMs: number, factor: number, forMs: number): TimelineEvent => ({
  atMs,
  kind: "spike",
  client: "c",
  factor,
  forMs,
});

/**
 * A Poisson count of mean m has standard deviation √m; |N − m| < 4√m fails for a random seed with
 * probability 6·10⁻⁵, so a failure here means a wrong rate, not bad luck.
 */
function expectPoissonCount(count: number, mean: number): void {
  expect(Math.abs(count - mean)).toBeLessThan(4 * Math.sqrt(mean));
}

describe("a rate change", () => {
  it.each([1, 2, 3])("doubles the Poisson arrivals after its time (seed %i)", (seed) => {
    const times = arrivalsOf(poisson(100), [rate(50_000, 200)], 100_000, seed);
    const before = within(times, 0, 50_000);
    const after = within(times, 50_000, 100_001);
    expectPoissonCount(before, 5000);
    expectPoissonCount(after, 10_000);
    // after/before: sd ≈ 2·√(1/5000 + 1/10000) ≈ 0.035, so 4 sd is ±0.14 around 2.
    expect(Math.abs(after / before - 2)).toBeLessThan(0.14);
  });

  it("keeps constant arrivals in step: the next one is the new spacing after the last, or at once", () => {
    const faster = arrivalsOf(constant(10), [rate(1050, 20)], 1400);
    expect(faster).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350, 1400,
    ]);
    const slower = arrivalsOf(constant(10), [rate(1050, 2)], 3000);
    expect(slower.filter((t) => t > 1000)).toEqual([1500, 2000, 2500, 3000]);
  });

  it("stops a client at 0/s and starts it again at the next change", () => {
    const times = arrivalsOf(constant(10), [rate(1050, 0), rate(2000, 10)], 2300);
    expect(times.filter((t) => t > 900)).toEqual([1000, 2000, 2100, 2200, 2300]);
    const quiet = arrivalsOf(poisson(100), [rate(1000, 0), rate(3000, 100)], 4000);
    expect(within(quiet, 1000, 3000)).toBe(0);
    expectPoissonCount(within(quiet, 3000, 4001), 100);
  });

  it("ends a ramp: Poisson arrivals at the new rate from then on", () => {
    const ramp: Arrivals = { kind: "ramp", fromPerSecond: 0, toPerSecond: 200, overMs: 20_000 };
    const times = arrivalsOf(ramp, [rate(10_000, 400)], 20_000);
    // Before: the ramp from 0 to 100/s over 10 s, a mean of 500; after: 400/s for 10 s.
    expectPoissonCount(within(times, 0, 10_000), 500);
    expectPoissonCount(within(times, 10_000, 20_001), 4000);
  });
});

describe("a spike", () => {
  it("multiplies the rate for its duration, then goes back", () => {
    const times = arrivalsOf(poisson(100), [spike(20_000, 3, 10_000)], 40_000);
    expectPoissonCount(within(times, 0, 20_000), 2000);
    expectPoissonCount(within(times, 20_000, 30_000), 3000);
    expectPoissonCount(within(times, 30_000, 40_001), 1000);
  });

  it("halves the spacing of constant arrivals during a ×2 spike", () => {
    const times = arrivalsOf(constant(10), [spike(1050, 2, 500)], 1900);
    expect(times.filter((t) => t > 900)).toEqual([
      1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350, 1400, 1450, 1500, 1600, 1700, 1800, 1900,
    ]);
  });

  it("multiplies with a rate change and with another spike running at the same time", () => {
    const times = arrivalsOf(constant(10), [spike(1000, 2, 1000), rate(1200, 20), spike(1500, 5, 200)], 2500);
    expect(within(times, 1001, 1200)).toBe(3); // 10/s × 2: 1050, 1100, 1150
    expect(within(times, 1200, 1500)).toBe(12); // 20/s × 2: 1200 … 1475
    expect(within(times, 1500, 1700)).toBe(40); // 20/s × 2 × 5: 1500 … 1695
    expect(within(times, 1700, 2000)).toBe(12); // 20/s × 2 again: 1720 … 1995
    expect(within(times, 2000, 2501)).toBe(10); // 20/s: the rate change stays, the spikes are over
  });

  it("silences the client with a factor of 0", () => {
    const times = arrivalsOf(poisson(100), [spike(1000, 0, 2000)], 4000);
    expect(within(times, 1000, 3000)).toBe(0);
    expectPoissonCount(within(times, 3000, 4001), 100);
  });
});

describe("traffic changes and common random numbers", () => {
  it("give every strategy the same request stream", () => {
    const events = [rate(500, 300), spike(1000, 2, 700)];
    const stream = (records: RequestRecord[]) =>
      records.map((r) => [r.atMs, r.sourceIp, r.path]).sort((a, b) => Number(a[0]) - Number(b[0]));
    const run = (balance: string) =>
      simulateWithRecords(
        scenario({
          durationMs: 3000,
          backend: { balance, servers: ["s1", "s2", "s3"].map((name) => server(name, { slots: 50 })) },
          clients: [client("c", { arrivals: poisson(200) })],
          events,
        }),
      ).records;
    expect(stream(run("leastconn"))).toEqual(stream(run("roundrobin")));
  });

  it("leave a run without changes as it was", () => {
    const base = scenario({ durationMs: 3000, clients: [client("c", { arrivals: poisson(200) })] });
    const plain = simulate(base);
    const neutral = simulate({ ...base, events: [rate(5000, 1)] });
    expect(neutral).toEqual(plain);
  });

  it("are refused by the model on a closed-loop client (the loader reports it to the user)", () => {
    const users: Arrivals = { kind: "users", count: 1, think: { kind: "constant", valueMs: 10 } };
    expect(() =>
      simulate(scenario({ clients: [client("c", { arrivals: users })], events: [rate(10, 5)] })),
    ).toThrow(/users client: c/);
  });
});
