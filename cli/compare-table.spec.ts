// Spec of cli/compare-table.ts: the golden side-by-side table, the best-value marks, colours, Ctrl-C.
import { describe, expect, it } from "vitest";
import type { Results } from "../sim/index.js";
import { renderCompareTable } from "./compare-table.js";
import { sampleResults } from "./test-support.js";

const ESC = "\u001b[";

/** Two runs of the same requests: roundrobin (sampleResults) and a leastconn with better figures. */
function runs(): Results[] {
  const roundrobin = sampleResults();
  const leastconn: Results = {
    ...roundrobin,
    strategy: "leastconn",
    requests: {
      ...roundrobin.requests,
      ok: 16_480,
      failed: 20,
      byStatus: { "200": 16_480, "503": 20 },
      byTermination: { "--": 16_480, SC: 20 },
    },
    latency: { meanMs: 19.9, p50Ms: 18.02, p90Ms: 35.5, p99Ms: 61.2, p999Ms: 2004.5, maxMs: 2030 },
    servers: roundrobin.servers.map((s) => ({ ...s, share: 1 - s.share, maxQueued: 1 })),
    checks: [
      { name: "p99 < 300ms", pass: true, actual: 61.2 },
      { name: "errors < 0.1%", pass: false, actual: 0.00121 },
    ],
  };
  return [roundrobin, leastconn];
}

type Backend = NonNullable<Results["backends"]>[number];

function backend(name: string, total: number, failed: number, p50Ms: number, p99Ms: number): Backend {
  return {
    name,
    strategy: "leastconn",
    servers: [`${name}/${name}1`, `${name}/${name}2`],
    requests: {
      total,
      ok: total - failed,
      failed,
      share: total / 16_500,
      byStatus: { "200": total - failed },
    },
    latency: { meanMs: p50Ms, p50Ms, p90Ms: p99Ms, p99Ms, p999Ms: p99Ms, maxMs: p99Ms },
    queue: { meanMs: 0, p99Ms: 0, maxBackendQueue: 0 },
  };
}

/** The backend frontend www answers its unrouted requests with: no strategy, no servers, all 503s. */
const unrouted: Backend = {
  name: "www",
  strategy: "",
  servers: [],
  requests: { total: 500, ok: 0, failed: 500, share: 500 / 16_500, byStatus: { "503": 500 } },
  latency: { meanMs: 0.01, p50Ms: 0.01, p90Ms: 0.01, p99Ms: 0.02, p999Ms: 0.02, maxMs: 0.03 },
  queue: { meanMs: 0, p99Ms: 0, maxBackendQueue: 0 },
};

/** The two runs of `runs()` on a scenario with backends api and web, and www's unrouted requests. */
function routedRuns(): Results[] {
  const [roundrobin, leastconn] = runs() as [Results, Results];
  return [
    {
      ...roundrobin,
      backends: [backend("api", 4_000, 40, 41.4, 4_050), backend("web", 12_000, 0, 12, 40.1), unrouted],
    },
    {
      ...leastconn,
      backends: [backend("api", 4_000, 8, 41.4, 339), backend("web", 12_000, 0, 12, 40.1), unrouted],
    },
  ];
}

/** The line of row `name` in `section` (the section's name shows on its first row only). */
function rowOf(table: string, section: string, name: string): string {
  let current = "";
  for (const line of table.split("\n")) {
    const shown = /^(\S+(?: \S+)?) {2,}/.exec(line)?.[1];
    if (shown !== undefined) current = shown;
    if (current === section && line.slice(12).startsWith(`${name} `)) return line;
  }
  return "";
}

describe("renderCompareTable", () => {
  it("renders two runs side by side as in the golden file", async () => {
    const table = renderCompareTable(runs(), {
      color: false,
      crossChecks: [{ name: "leastconn.p99 < roundrobin.p99", pass: true, actual: 61.2 }],
    });
    await expect(table).toMatchFileSnapshot("golden/compare-table.txt");
  });

  it("marks the lowest latency and errors, the most 200s, and nothing where all read the same", () => {
    const table = renderCompareTable(runs(), { color: false, crossChecks: [] });
    expect(rowOf(table, "Latency", "p99")).toMatch(/97\.1 ms +61\.2 ms\*$/);
    expect(rowOf(table, "Latency", "p50")).not.toContain("*");
    expect(rowOf(table, "Requests", "errors")).toMatch(/32 \(0\.19%\) +20 \(0\.12%\)\*$/);
    expect(rowOf(table, "Status", "200")).toMatch(/16,468 +16,480\*$/);
    expect(rowOf(table, "Status", "504")).toMatch(/12 +0\*$/);
    expect(rowOf(table, "Share", "web01")).not.toContain("*");
    expect(rowOf(table, "Max queued", "web02")).toMatch(/2 +1\*$/);
  });

  it("marks every run that ties for the best value", () => {
    const [a, b] = runs();
    const c: Results = { ...(b as Results), strategy: "random(2)" };
    const table = renderCompareTable([a as Results, b as Results, c], { color: false, crossChecks: [] });
    expect(rowOf(table, "Latency", "p99")).toMatch(/97\.1 ms +61\.2 ms\* +61\.2 ms\*$/);
  });

  it("shows each run's checks, and the checks across strategies below", () => {
    const table = renderCompareTable(runs(), {
      color: false,
      crossChecks: [{ name: "leastconn.p99 < roundrobin.p99", pass: false, actual: 61.2 }],
    });
    expect(rowOf(table, "Checks", "p99 < 300ms")).toMatch(/PASS 97\.1 ms +PASS 61\.2 ms$/);
    expect(rowOf(table, "Checks", "errors < 0.1%")).toMatch(/FAIL 0\.19% +FAIL 0\.12%$/);
    expect(table).toContain(
      "Checks across strategies:\n  FAIL  leastconn.p99 < roundrobin.p99  actual 61.2 ms\n",
    );
  });

  it("paints the best values bold and the checks green or red on a terminal", () => {
    const table = renderCompareTable(runs(), { color: true, crossChecks: [] });
    expect(rowOf(table, "Latency", "p99")).toContain(`${ESC}1m`);
    expect(rowOf(table, "Checks", "errors < 0.1%")).toContain(`${ESC}31m`);
    expect(renderCompareTable(runs(), { color: false, crossChecks: [] })).not.toContain(ESC);
  });

  it("adds no Backends section when the runs have a single backend", () => {
    expect(renderCompareTable(runs(), { color: false, crossChecks: [] })).not.toContain("Backends");
  });

  it("shows each backend's p50, p99 and errors between the Ended and Share sections", () => {
    const table = renderCompareTable(routedRuns(), { color: false, crossChecks: [] });
    const sections = table.split("\n").flatMap((line) => /^(\S+(?: \S+)?) {2,}/.exec(line)?.[1] ?? []);
    expect(sections).toEqual([
      "Latency",
      "Queue",
      "Requests",
      "Status",
      "Ended",
      "Backends",
      "Share",
      "Max queued",
      "Checks",
    ]);
    const backends = table.slice(table.indexOf("\nBackends"), table.indexOf("\nShare"));
    const names = backends.split("\n").flatMap((line) => (line === "" ? [] : [line.slice(12, 24).trimEnd()]));
    expect(names).toEqual([
      "api p50",
      "api p99",
      "api errors",
      "web p50",
      "web p99",
      "web errors",
      "www errors",
    ]);
  });

  it("marks each backend's lowest p99 and errors, and nothing where all read the same", () => {
    const table = renderCompareTable(routedRuns(), { color: false, crossChecks: [] });
    expect(rowOf(table, "Backends", "api p99")).toMatch(/4\.05 s +339 ms\*$/);
    expect(rowOf(table, "Backends", "api errors")).toMatch(/40 \(1\.0%\) +8 \(0\.20%\)\*$/);
    expect(rowOf(table, "Backends", "api p50")).toMatch(/41\.4 ms +41\.4 ms$/);
    expect(rowOf(table, "Backends", "web p99")).toMatch(/40\.1 ms +40\.1 ms$/);
    expect(rowOf(table, "Backends", "web errors")).toMatch(/0 \(0%\) +0 \(0%\)$/);
  });

  it("shows only the errors of the backend answering unrouted requests, whose latency means nothing", () => {
    const table = renderCompareTable(routedRuns(), { color: false, crossChecks: [] });
    expect(rowOf(table, "Backends", "www errors")).toMatch(/500 \(100%\) +500 \(100%\)$/);
    expect(rowOf(table, "Backends", "www p50")).toBe("");
    expect(rowOf(table, "Backends", "www p99")).toBe("");
  });

  it("reads - where a run's backend finished no request, and ranks only the runs that have a figure", () => {
    const [a, b] = routedRuns() as [Results, Results];
    const idle: Results = {
      ...a,
      backends: [backend("api", 4_000, 40, 41.4, 4_050), backend("web", 0, 0, 0, 0)],
    };
    const table = renderCompareTable([idle, b], { color: false, crossChecks: [] });
    expect(rowOf(table, "Backends", "web p99")).toMatch(/ - +40\.1 ms\*$/);
    expect(rowOf(table, "Backends", "web errors")).toMatch(/0 \(0%\) +0 \(0%\)$/);
    expect(rowOf(table, "Backends", "www errors")).toMatch(/ - +500 \(100%\)\*$/);
  });

  it("says which run Ctrl-C cut short and which strategies were not run", () => {
    const [first] = runs();
    const table = renderCompareTable([first as Results], {
      color: false,
      crossChecks: [],
      stopped: { cut: { strategy: "roundrobin", atMs: 12_000 }, notRun: ["leastconn", "random(2)"] },
    });
    expect(table).toContain(
      "PARTIAL: stopped by Ctrl-C; roundrobin after about 12s of simulated time " +
        "(its figures cover only that part); not run: leastconn, random(2)",
    );
    expect(table).toContain("1 strategy on the same requests");
  });

  it("stars the strategy that answered more, when the runs' totals differ (seen: 9,939* against 12,144)", () => {
    // Same arrivals; roundrobin left 2,210 unanswered. Share of its own total: 9,939/9,940 (99.99%)
    // beats 12,144/12,150 (99.95%); the counts say roundrobin answered 2,205 fewer requests.
    const [a, b] = runs() as [Results, Results];
    const fewer: Results = {
      ...a,
      requests: {
        ...a.requests,
        total: 9_940,
        ok: 9_939,
        failed: 1,
        unfinished: 2_210,
        byStatus: { "200": 9_939, "503": 1 },
        byTermination: { "--": 9_939, SC: 1 },
      },
    };
    const more: Results = {
      ...b,
      requests: {
        ...b.requests,
        total: 12_150,
        ok: 12_144,
        failed: 6,
        unfinished: 0,
        byStatus: { "200": 12_144, "503": 6 },
        byTermination: { "--": 12_144, SC: 6 },
      },
    };
    const table = renderCompareTable([fewer, more], { color: false, crossChecks: [] });
    expect(rowOf(table, "Status", "200")).toMatch(/ 9,939 +12,144\*$/);
    expect(rowOf(table, "Ended", "--")).toMatch(/ 9,939 +12,144\*$/);
    expect(rowOf(table, "Requests", "unfinished")).toMatch(/ 2,210 +0\*$/);
    // Ranked as shown: 1 error is fewer than 6, whatever each run's own total.
    expect(rowOf(table, "Requests", "errors")).toMatch(/1 \(0\.0101%\)\* +6 \(0\.0494%\)$/);
  });

  it("has a ranked unfinished row, highlighted on a terminal when a strategy left requests unanswered", () => {
    const [a, b] = runs() as [Results, Results];
    const left: Results = { ...a, requests: { ...a.requests, unfinished: 1_382 } };
    const none: Results = { ...b, requests: { ...b.requests, unfinished: 0 } };
    expect(
      rowOf(renderCompareTable([left, none], { color: false, crossChecks: [] }), "Requests", "unfinished"),
    ).toMatch(/1,382 +0\*$/);
    const coloured = renderCompareTable([left, none], { color: true, crossChecks: [] });
    const line = coloured.split("\n").find((l) => l.includes("unfinished")) ?? "";
    expect(line).toContain(`${ESC}33m`);
    expect(line.indexOf(`${ESC}33m`)).toBeLessThan(line.indexOf("1,382"));
  });

  it("shows a failed check's value and limit with digits enough to differ, and the margin", () => {
    // Seen: "103 ms vs roundrobin.p99 103 ms" while the figures were 102.85 and 102.66.
    const table = renderCompareTable(runs(), {
      color: false,
      crossChecks: [{ name: "leastconn.p99 < roundrobin.p99", pass: false, actual: 102.85, limit: 102.66 }],
      checks: [
        [{ name: "p99 < 100ms", pass: false, actual: 100.3, limit: 100 }],
        [{ name: "p99 < 100ms", pass: true, actual: 61.2, limit: 100 }],
      ],
    });
    expect(table).toContain(
      "FAIL  leastconn.p99 < roundrobin.p99  actual 102.85 ms vs 102.66 ms: 0.19 ms (0.19%) over",
    );
    expect(rowOf(table, "Checks", "p99 < 100ms")).toMatch(/FAIL 100\.3 ms +PASS 61\.2 ms$/);
  });

  it("says once that one run cannot tell noise from a difference, and suggests replications", () => {
    const table = renderCompareTable(runs(), { color: false, crossChecks: [] });
    expect(table.match(/cannot tell noise from a difference/g)).toHaveLength(1);
    expect(table).toContain("Run with --replications 10");
  });
});

/** Replications of `runs()` with these p50s and p99s (per strategy, per seed), seeds 7, 8, 9…. */
function replicated(p50s: number[][], p99s: number[][]): Results[][] {
  return (runs() as Results[]).map((run, s) =>
    (p99s[s] ?? []).map((p99Ms, r) => ({
      ...run,
      seed: 7 + r,
      latency: { ...run.latency, p50Ms: p50s[s]?.[r] ?? 0, p99Ms },
    })),
  );
}

describe("renderCompareTable with replications", () => {
  // leastconn's p99 is 36 ms lower on every seed, give or take 1: a clear winner. Their p50s differ
  // by +0.5, -1 and +0.2 ms: a paired interval of about ±1.9 ms contains 0: no clear winner.
  const p50s = [
    [18, 19, 17],
    [18.5, 18, 17.2],
  ];
  const p99s = [
    [97, 101, 95],
    [61, 66, 58],
  ];
  const table = (): string => {
    const of = replicated(p50s, p99s);
    return renderCompareTable(
      of.map((r) => r[0] as Results),
      { color: false, crossChecks: [], replicated: of },
    );
  };

  it("shows the mean of each row over the seeds, and which seeds", () => {
    expect(table()).toContain(
      "failover-demo · 2 strategies on the same requests · seeds 7..9 (3 replications, paired by seed)",
    );
    expect(rowOf(table(), "Latency", "p99")).toMatch(/97\.7 ms +61\.7 ms\*$/);
    expect(table()).not.toContain("cannot tell noise");
  });

  it("stars a best mean only when the paired interval to every other strategy excludes 0", () => {
    // Differences 36, 35, 37: mean 36, s = 1, t(2) = 4.303: ±4.303/√3 = ±2.48 ms.
    const lines = table().split("\n");
    const p99 = lines.indexOf(rowOf(table(), "Latency", "p99"));
    expect(lines[p99 + 1]).toMatch(/^ +vs best +\+36 ms ±2\.48 ms \(\+58\.4%\)$/);
  });

  it("names the strategies it cannot tell apart when an interval contains 0", () => {
    const p50 = rowOf(table(), "Latency", "p50");
    expect(p50).not.toContain("*");
    expect(p50).toMatch(/18 ms +17\.9 ms +no clear winner: leastconn ≈ roundrobin$/);
  });

  it("marks nothing and adds no differences where every seed gives every strategy the same value", () => {
    const lines = table().split("\n");
    const mean = lines.indexOf(rowOf(table(), "Queue", "mean"));
    expect(lines[mean]).toMatch(/12\.3 µs +12\.3 µs$/);
    expect(lines[mean]).not.toContain("*");
    expect(lines[mean + 1]).not.toContain("vs best");
  });
});
