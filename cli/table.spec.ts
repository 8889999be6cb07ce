// Spec of cli/table.ts: the golden table of a small fixed Results, colours, and the units of checks.
import { describe, expect, it } from "vitest";
import { formatActual, renderTable } from "./table.js";
import { sampleResults } from "./test-support.js";

const ESC = "\u001b[";

describe("renderTable", () => {
  it("renders a small fixed Results as in the golden file", async () => {
    await expect(renderTable(sampleResults(), { color: false })).toMatchFileSnapshot("golden/table.txt");
  });

  it("uses no colour unless asked", () => {
    expect(renderTable(sampleResults(), { color: false })).not.toContain(ESC);
  });

  it("paints FAIL red and PASS green when colour is on", () => {
    const text = renderTable(sampleResults(), { color: true });
    expect(text).toContain("\u001b[31mFAIL\u001b[0m");
    expect(text).toContain("\u001b[32mPASS\u001b[0m");
  });

  it("says so when the run was stopped early", () => {
    const text = renderTable(sampleResults(), { color: false, stoppedAtMs: 12_000 });
    expect(text.split("\n")[2]).toBe(
      "PARTIAL: stopped by Ctrl-C after about 12s of simulated time; figures cover only that part",
    );
  });

  it("says the wall time was not measured for a --deterministic run", () => {
    const results = { ...sampleResults(), engine: { events: 10, wallMs: 0 } };
    expect(renderTable(results, { color: false })).toContain("wall time not measured (--deterministic)");
  });

  it("lists no checks when the scenario has no expectations", () => {
    const results = { ...sampleResults(), checks: [] };
    expect(renderTable(results, { color: false })).toContain("\nChecks    none\n");
  });
});

describe("renderTable with requests that never got an answer", () => {
  const overloaded = () => ({
    ...sampleResults(),
    requests: { ...sampleResults().requests, unfinished: 1_382 },
    latencyLowerBound: {
      meanMs: 6_310,
      p50Ms: 5_900,
      p90Ms: 15_200,
      p99Ms: 21_400,
      p999Ms: 22_050,
      maxMs: 22_100,
      unfinished: 1_382,
    },
    offeredLoad: [{ backend: "web", arrivalsPerSecond: 120.2, capacityPerSecond: 100, ratio: 1.202 }],
    warnings: [
      'backend "web": offered load 1.20× capacity (120/s arrivals, 100/s capacity): queues grow without bound; latency figures reflect only the requests answered',
    ],
  });

  it("says offered load at or above capacity at the top, before the request figures", () => {
    const lines = renderTable(overloaded(), { color: false }).split("\n");
    const warning = lines.findIndex((l) =>
      l.startsWith('warning: backend "web": offered load 1.20× capacity'),
    );
    const requests = lines.findIndex((l) => l.startsWith("Requests"));
    expect(warning).toBe(2);
    expect(requests).toBeGreaterThan(warning);
  });

  it("marks unfinished requests in capitals without colour, and in bold red with colour", () => {
    expect(renderTable(overloaded(), { color: false })).toContain("UNFINISHED 1,382 (7.7%)");
    expect(renderTable(overloaded(), { color: true })).toContain(
      `${ESC}1m${ESC}31mUNFINISHED 1,382 (7.7%)${ESC}0m${ESC}0m`,
    );
    const none = { ...sampleResults(), requests: { ...sampleResults().requests, unfinished: 0 } };
    expect(renderTable(none, { color: true })).toContain("  unfinished 0  ");
  });

  it("shows the latency lower bound under the answered requests' figures, with how many were counted at their age", () => {
    const text = renderTable(overloaded(), { color: false });
    expect(text).toContain("max 2.01 s  (answered requests)\n");
    expect(text).toContain(
      "\n          mean ≥ 6.31 s  p50 ≥ 5.9 s  p90 ≥ 15.2 s  p99 ≥ 21.4 s  p99.9 ≥ 22.1 s  max ≥ 22.1 s  (1,382 unfinished counted at their age)\n",
    );
    expect(renderTable(sampleResults(), { color: false })).not.toContain("counted at their age");
  });
});

describe("formatActual", () => {
  it("shows times with a unit, ratios as percentages, and anything else as a number", () => {
    expect(formatActual("p99 < 300ms", 5210)).toBe("5.21 s");
    expect(formatActual("leastconn.p99 < roundrobin.p99", 12.5)).toBe("12.5 ms");
    expect(formatActual("queue.p99 < 10ms", 0.5)).toBe("500 µs");
    expect(formatActual("errors < 0.5%", 0.0544)).toBe("5.4%");
    expect(formatActual("share(web01) in 45%..55%", 0.5)).toBe("50.0%");
    expect(formatActual("requests > 1000", 1234)).toBe("1234");
    expect(formatActual("random(2).errors <= roundrobin.errors", 0.00246)).toBe("0.25%");
    expect(formatActual("random(2).share(web01) < 40%", 0.5)).toBe("50.0%");
    expect(formatActual("unfinished < 1%", 0.0771)).toBe("7.7%");
    expect(formatActual("unfinished == 0", 1382)).toBe("1,382");
    expect(formatActual("backend.unfinished(api) < 50", 3)).toBe("3");
  });
});
