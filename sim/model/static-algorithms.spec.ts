import { describe, expect, it } from "vitest";
import { client, scenario, server, simulateWithRecords } from "../test-support.js";

const command = (atMs: number, text: string, weight: number, percent = false) => ({
  atMs,
  kind: "runtime" as const,
  text,
  command: { op: "weight" as const, server: "s1", weight, percent },
});

describe("static algorithms (static-rr, map-based hashing)", () => {
  it("refuse a weight other than 0 and the initial one, as HAProxy's runtime API does", () => {
    const { results, records } = simulateWithRecords(
      scenario({
        durationMs: 4000,
        backend: {
          balance: "static-rr",
          servers: [server("s1", { weight: 2 }), server("s2", { weight: 2 })],
        },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 10 } })],
        events: [
          command(1000, "set weight backend/s1 50%", 50, true),
          command(2000, "set weight backend/s1 0", 0),
        ],
      }),
    );
    expect(results.warnings).toEqual([
      `1000ms: "set weight backend/s1 50%": Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.`,
    ]);
    // Until 2 s the map is unchanged (s1 s2 alternate); weight 0 is accepted and takes s1 out.
    const before = records.filter((r) => r.atMs >= 1000 && r.atMs < 2000).map((r) => r.server);
    expect(before.filter((s) => s === "s1").length).toBe(5);
    expect(records.filter((r) => r.atMs > 2000).every((r) => r.server === "s2")).toBe(true);
  });

  it("accept any weight under a dynamic algorithm, with no warning", () => {
    const { results } = simulateWithRecords(
      scenario({
        durationMs: 2000,
        backend: {
          balance: "roundrobin",
          servers: [server("s1", { weight: 2 }), server("s2", { weight: 2 })],
        },
        events: [command(1000, "set weight backend/s1 50%", 50, true)],
      }),
    );
    expect(results.warnings).toBeUndefined();
  });

  it("take no slowstart ramp: a returning server gets its whole share at once", () => {
    const check = {
      type: "tcp" as const,
      interMs: 1000,
      fastinterMs: 1000,
      downinterMs: 1000,
      rise: 1,
      fall: 1,
      timeoutMs: null,
    };
    const run = (balance: string) =>
      simulateWithRecords(
        scenario({
          durationMs: 12_000,
          backend: {
            balance,
            servers: [
              server("s1", { check, slowstartMs: 10_000 }),
              server("s2", { check, slowstartMs: 10_000 }),
            ],
          },
          clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
          events: [
            { atMs: 1000, kind: "crash", server: "s1" },
            { atMs: 3000, kind: "restore", server: "s1" },
          ],
        }),
      ).records;
    const shareAfterReturn = (records: ReturnType<typeof run>) => {
      const window = records.filter((r) => r.atMs >= 5000 && r.atMs < 7000);
      return window.filter((r) => r.server === "s1").length / window.length;
    };
    expect(shareAfterReturn(run("static-rr"))).toBeCloseTo(0.5, 1);
    expect(shareAfterReturn(run("roundrobin"))).toBeLessThan(0.3);
  });
});
