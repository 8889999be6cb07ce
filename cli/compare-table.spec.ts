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
});
