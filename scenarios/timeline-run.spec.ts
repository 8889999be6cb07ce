// Timeline macros and traffic changes written in YAML, run end to end: what a user sees in the results.
import { describe, expect, it } from "vitest";
import { nonZero, simulateWithRecords } from "../sim/test-support.js";
import { parseScenario } from "./parse.js";

/**
 * Three servers under roundrobin with HTTP checks (inter 1s, fall 3, rise 2), `retries 3` and
 * `option redispatch`, 200 requests per second. The servers check at 0, 333 and 667 ms past each
 * second (HAProxy spreads the first checks over `inter`).
 */
const BASE = `duration: 40s
backend:
  name: web
  balance: roundrobin
  timeout: {connect: 1s, server: 5s}
  retries: 3
  redispatch: true
  check: {type: http, inter: 1s, rise: 2, fall: 3}
  service: {lognormal: {median: 5ms, sigma: 0.5}}
  servers:
    - {name: web01, slots: 8}
    - {name: web02, slots: 8}
    - {name: web03, slots: 8}
clients:
  - name: browsers
    arrivals: {poisson: 200/s}
`;

const run = (...events: string[]) =>
  simulateWithRecords(parseScenario(`${BASE}events:\n${events.map((e) => `  - ${e}\n`).join("")}`, "s.yaml"));

const at = (ms: number) => Math.round(ms * 1000) / 1000;

describe("flap", () => {
  it("takes the server DOWN after fall failed checks of each down half, and UP after rise passed ones", () => {
    const { results } = run("{at: 5s, flap: {server: web02, period: 10s, for: 20s}}");
    // Crashes at 5 and 15 s, restores at 10 and 20 s; web02 checks at 333 ms past each second.
    expect(results.servers[1]!.states.filter((s) => s.atMs > 1000)).toEqual([
      { atMs: at(5333.333), state: "UP 2/3" },
      { atMs: at(6333.333), state: "UP 1/3" },
      { atMs: at(7333.333), state: "DOWN" },
      { atMs: at(10_333.333), state: "DOWN 1/2" },
      { atMs: at(11_333.333), state: "UP" },
      { atMs: at(15_333.333), state: "UP 2/3" },
      { atMs: at(16_333.333), state: "UP 1/3" },
      { atMs: at(17_333.333), state: "DOWN" },
      { atMs: at(20_333.333), state: "DOWN 1/2" },
      { atMs: at(21_333.333), state: "UP" },
    ]);
    // The other servers never notice.
    expect(results.servers[0]!.states.at(-1)).toEqual({ atMs: 0, state: "UP" });
  });
});

describe("rolling-upgrade", () => {
  let upgrade: ReturnType<typeof run> | undefined;
  /** Run once, when the first test asks. */
  const upgraded = () => {
    upgrade ??= run("{at: 5s, rolling-upgrade: {drain: 2s, downtime: 5s, gap: 1s}}");
    return upgrade;
  };
  const NAMES = ["web01", "web02", "web03"] as const;
  /** Each server's DRAIN, MAINT and READY times, read from its state timeline. */
  const windows = () =>
    NAMES.map((name, index) => {
      const states = upgraded().results.servers[index]!.states.filter((s) => s.atMs >= 5000);
      const when = (state: string) => states.find((s) => s.state === state)?.atMs ?? Number.NaN;
      return { name, states, drainMs: when("DRAIN"), maintMs: when("MAINT"), readyMs: when("UP 1/3") };
    });

  it("drains each server, puts it in MAINT once idle, and brings it back after the downtime", () => {
    let expectedDrainMs = 5000;
    for (const { name, states, drainMs, maintMs, readyMs } of windows()) {
      expect(drainMs, name).toBe(expectedDrainMs);
      // MAINT comes at a look (every 100 ms) that finds the server idle, within the 2 s limit:
      // with 5 ms requests on 8 workers, the first look or so.
      expect(maintMs - drainMs, name).toBeGreaterThanOrEqual(0);
      expect(maintMs - drainMs, name).toBeLessThanOrEqual(300);
      expect((maintMs - drainMs) % 100, name).toBe(0);
      expect(readyMs, name).toBe(maintMs + 5000);
      // Leaving MAINT, checks resume at once at health = rise: UP at the first passed check.
      expect(
        states.map((s) => s.state),
        name,
      ).toEqual(["DRAIN", "MAINT", "UP 1/3", "UP"]);
      expectedDrainMs = readyMs + 1000;
    }
  });

  it("puts a server in MAINT only when no request is left on it", () => {
    const { records } = upgraded();
    for (const { name, maintMs } of windows()) {
      const inFlight = records.filter(
        (r) => r.server === name && r.atMs < maintMs && r.atMs + r.totalMs > maintMs,
      );
      expect(inFlight, name).toEqual([]);
    }
  });

  it("loses not one request (HAProxy's zero-downtime upgrade)", () => {
    const { results } = upgraded();
    expect(results.requests.total).toBeGreaterThan(7000);
    expect(results.requests.failed).toBe(0);
    expect(nonZero(results.requests.byStatus)).toEqual({ "200": results.requests.total });
    expect(results.requests.retried).toBe(0);
  });

  it("sends no new request to a server from its drain until it is ready again", () => {
    const { records } = upgraded();
    for (const { name, drainMs, readyMs } of windows()) {
      const during = records.filter((r) => r.server === name && r.atMs > drainMs && r.atMs < readyMs);
      expect(during, name).toEqual([]);
      // …and the others take its share meanwhile.
      expect(
        records.filter((r) => r.server !== name && r.atMs > drainMs && r.atMs < readyMs).length,
      ).toBeGreaterThan(0);
    }
  });

  it("puts the server in MAINT at the limit when a request never ends", () => {
    // web01 hangs just before its drain: its requests in flight never finish (504 after 5 s).
    const { results } = run(
      "{at: 4.9s, hang: web01}",
      "{at: 5s, rolling-upgrade: {servers: [web01], drain: 2s, downtime: 1s}}",
    );
    const states = results.servers[0]!.states.filter((s) => s.atMs >= 5000);
    // (Its HTTP checks time out meanwhile: DRAIN 2/3… on the way.)
    expect(states.find((s) => s.state === "DRAIN")?.atMs).toBe(5000);
    expect(states.find((s) => s.state === "MAINT")?.atMs).toBe(7000);
  });
});

describe("kill-random", () => {
  it("crashes the chosen server, which checks take DOWN and bring back UP after restore-after", () => {
    const scenario = parseScenario(
      `${BASE}events:\n  - {at: 5s, kill-random: {restore-after: 10s}}\n`,
      "s.yaml",
    );
    const killed = scenario.events[0]?.kind === "crash" ? scenario.events[0].server : "";
    const { results } = simulateWithRecords(scenario);
    for (const server of results.servers) {
      const last = server.states.at(-1)?.state;
      const downs = server.states.filter((s) => s.state === "DOWN").length;
      expect([server.name, downs, last]).toEqual([server.name, server.name === killed ? 1 : 0, "UP"]);
    }
  });
});

describe("a spike", () => {
  it("multiplies the arrivals for its duration", () => {
    const { records } = run("{at: 10s, spike: {client: browsers, factor: 3, for: 10s}}");
    const count = (fromMs: number, toMs: number) =>
      records.filter((r) => r.atMs >= fromMs && r.atMs < toMs).length;
    // Poisson counts of mean 2000, 6000 and 2000: within 4 standard deviations (4·√mean).
    expect(Math.abs(count(0, 10_000) - 2000)).toBeLessThan(4 * Math.sqrt(2000));
    expect(Math.abs(count(10_000, 20_000) - 6000)).toBeLessThan(4 * Math.sqrt(6000));
    expect(Math.abs(count(20_000, 30_000) - 2000)).toBeLessThan(4 * Math.sqrt(2000));
  });
});
