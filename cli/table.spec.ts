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
  });
});
