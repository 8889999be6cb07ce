// Window tallies in a real run: each window counts exactly the requests that arrived in it.
import { describe, expect, it } from "vitest";
import type { RequestRecord } from "../run-types.js";
import { client, nonZero, scenario, server, simulateWithRecords } from "../test-support.js";

const constant = (valueMs: number) => ({ kind: "constant", valueMs }) as const;

/** 100 req/s on two servers; s2 hangs from 4 s (its requests are never answered), 10 s in all. */
function run(expect: string[], warmupMs = 0) {
  return simulateWithRecords(
    scenario({
      warmupMs,
      backend: {
        timeout: { connectMs: 1000, serverMs: 1000, queueMs: 1000 },
        servers: [server("s1", { service: constant(5) }), server("s2", { service: constant(5) })],
      },
      clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 100 } })],
      events: [
        { atMs: 4000, kind: "hang", server: "s2" },
        { atMs: 6000, kind: "crash", server: "s2" },
      ],
      expect,
    }),
  );
}

const arrivedIn = (records: RequestRecord[], fromMs: number, toMs: number) =>
  records.filter((r) => r.atMs >= fromMs && r.atMs < toMs);

function tally(records: RequestRecord[]) {
  const byStatus: Record<string, number> = {};
  for (const r of records) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return byStatus;
}

describe("Results.windows", () => {
  it("is absent when no expectation names a window", () => {
    const { results } = run(["errors < 50%"]);
    expect(results.windows).toBeUndefined();
  });

  it("counts the requests that arrived in [from, to), by status and termination, as the records do", () => {
    const { results, records } = run(["errors during 3s..5s < 50%", "p99 after 7s < 1s"]);
    expect(results.windows?.map((w) => [w.fromMs, w.toMs])).toEqual([
      [3000, 5000],
      [7000, 10_000],
    ]);
    for (const w of results.windows ?? []) {
      const arrived = arrivedIn(records, w.fromMs, w.toMs);
      expect(w.requests.total).toBe(arrived.length);
      expect(w.requests.failed).toBe(arrived.filter((r) => r.status >= 500 || r.status < 100).length);
      expect(w.requests.ok + w.requests.failed).toBe(w.requests.total);
      expect(nonZero(w.requests.byStatus)).toEqual(tally(arrived));
      const sH = arrived.filter((r) => r.termination.startsWith("sH")).length;
      expect(w.requests.byTermination.sH).toBe(sH);
      const byServer: Record<string, number> = { s1: 0, s2: 0 };
      for (const r of arrived) if (r.server !== "") byServer[r.server]!++;
      expect(w.servers).toEqual(byServer);
      const max = Math.max(...arrived.map((r) => r.totalMs));
      expect(Math.abs(w.latency.maxMs - max)).toBeLessThan(max * 0.01 + 0.01);
    }
    // 3 s..5 s: of the 200 arrivals, s2 takes every second one, and from 4 s on it hangs: its 50
    // get a 504 after `timeout server` (1 s, well before the end).
    const [hung] = results.windows!;
    expect(hung!.requests).toMatchObject({ total: 200, failed: 50, unfinished: 0 });
    expect(hung!.requests.byStatus["504"]).toBe(50);
    expect(hung!.latency.maxMs).toBe(1000);
  });

  it("counts the requests of the window still open at the end as unfinished, with a latency lower bound", () => {
    // From 6 s s2 refuses: without redispatch each of its requests retries it 3 times, 1 s apart,
    // so none of those that arrived after 7 s ends before 10 s; s1's all end in 5 ms.
    const { results } = run(["p99 after 7s < 100ms", "p99 during 1s..2s < 100ms"]);
    const [stuck, quiet] = results.windows!;
    expect(stuck!.requests).toMatchObject({ total: 150, ok: 150, unfinished: 150 });
    expect(stuck!.latency.p99Ms).toBe(5);
    // Half the window waits: its p99 is at least the age of the youngest of the oldest 1%.
    expect(stuck!.latencyLowerBound!.p99Ms).toBeGreaterThan(2900);
    expect(results.checks[0]).toMatchObject({ pass: false });
    expect(quiet!.latencyLowerBound).toBeUndefined();
    expect(results.checks[1]).toMatchObject({ pass: true, actual: 5 });
  });

  it("overrides warm-up: a window counts requests that arrived during warm-up", () => {
    const { results, records } = run(["errors before 2s == 0"], 3000);
    expect(results.requests.warmup).toBeGreaterThan(0);
    const [w] = results.windows!;
    expect(w!.requests.total).toBe(arrivedIn(records, 0, 2000).length);
    expect(w!.requests.total).toBe(200);
  });

  it("gives byte-identical Results for the same seed, and leaves every other figure as it was", () => {
    const lines = ["errors during 3s..5s < 50%", "p99 after 7s < 1s"];
    const once = JSON.stringify(run(lines).results);
    expect(JSON.stringify(run(lines).results)).toBe(once);
    // Tallying windows changes nothing else: the same run without them differs only by `windows` and `checks`.
    const { windows: _, checks: __, ...withWindows } = run(lines).results;
    const { checks: ___, ...without } = run([]).results;
    expect(withWindows).toEqual(without);
  });

  it("judges the windowed expectations on their window", () => {
    const { results } = run([
      "errors during 1s..4s == 0",
      "errors during 4s..6s == 0",
      "errors == 0",
      "share(s1) during 1s..4s == 50%",
    ]);
    expect(results.checks.map((c) => c.pass)).toEqual([true, false, false, true]);
    expect(results.checks[1]!.actual).toBeGreaterThan(results.checks[2]!.actual);
  });
});
