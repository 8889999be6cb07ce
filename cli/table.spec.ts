// Spec of cli/table.ts: the golden table of a small fixed Results, colours, and the units of checks.
import { describe, expect, it } from "vitest";
import type { Results } from "../sim/index.js";
import { formatActual, renderTable } from "./table.js";
import { sampleResults } from "./test-support.js";

const ESC = "\u001b[";

/** A description long enough to wrap, as the ready scenarios' are. */
const DESCRIPTION =
  "web01 crashes at 20s and is restored at 35s. Its checks fail three times before it is marked DOWN at " +
  "about 21s, and pass twice after the restore, so it is UP again at about 37s. Watch the errors over time " +
  "and web01's states.";

/** sampleResults over its whole minute, one bucket a second, with the crash and restore that explain it. */
function failoverResults(): Results {
  const base = sampleResults();
  const atMs = Array.from({ length: 60 }, (_, i) => i * 1000);
  // Errors while web01 is crashed but not yet DOWN (20–21 s), p99 up while web02 carries it all.
  const errors = atMs.map((at) => (at === 20_000 ? 20 : at === 21_000 ? 12 : 0));
  return {
    ...base,
    series: {
      ...base.series,
      atMs,
      requests: atMs.map((at) => (at < 5_000 ? 250 : 300)),
      errors,
      p50Ms: atMs.map(() => 18),
      p99Ms: atMs.map((at) => (at >= 20_000 && at < 37_000 ? 95 : 60)),
      inFlight: { web01: atMs.map(() => 3), web02: atMs.map(() => 3) },
      backendQueue: atMs.map(() => 0),
    },
    timeline: [
      { atMs: 20_000, action: "crash", server: "web01", text: "crash web01" },
      { atMs: 35_000, action: "restore", server: "web01", text: "restore web01" },
    ],
  };
}

describe("renderTable", () => {
  it("renders a small fixed Results as in the golden file", async () => {
    await expect(
      renderTable(failoverResults(), { color: false, description: DESCRIPTION }),
    ).toMatchFileSnapshot("golden/table.txt");
  });

  it("uses no colour unless asked", () => {
    expect(renderTable(failoverResults(), { color: false, description: DESCRIPTION })).not.toContain(ESC);
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

describe("renderTable: what a person reads after a run", () => {
  it("puts the description under the header, wrapped to the table's width, and dims it on a terminal", () => {
    const lines = renderTable(failoverResults(), { color: false, description: DESCRIPTION }).split("\n");
    const width = Math.max(...lines.map((line) => [...line].length));
    expect(width).toBeLessThanOrEqual(100);
    expect(lines[2]).toBe("");
    const about: string[] = [];
    for (let i = 3; lines[i] !== ""; i++) about.push(lines[i]!);
    expect(about.length).toBeGreaterThan(1);
    expect(about.join(" ")).toBe(DESCRIPTION);
    for (const line of about) expect(line.length).toBeLessThanOrEqual(width);
    const coloured = renderTable(failoverResults(), { color: true, description: DESCRIPTION });
    expect(coloured).toContain(`\u001b[2m${about[0]}\u001b[0m`);
  });

  it("goes straight from the header to the figures without a description", () => {
    const lines = renderTable(sampleResults(), { color: false }).split("\n");
    expect(lines[2]).toBe("");
    expect(lines[3]).toMatch(/^Requests {2}total/);
  });

  it("shows each server's states as a timeline, not a count of changes", () => {
    const text = renderTable(sampleResults(), { color: false });
    expect(text).toContain("\nStates    web01  UP · DOWN 21.0s → UP 37.0s\n");
    expect(text).toContain("\n          UP throughout: web02\n");
    expect(text).not.toContain("change");
  });

  it("paints DOWN red and DRAIN yellow in the timeline on a terminal", () => {
    const results = sampleResults();
    const servers = [
      results.servers[0]!,
      {
        ...results.servers[1]!,
        states: [
          { atMs: 0, state: "UP" },
          { atMs: 9_000, state: "DRAIN" },
        ],
      },
    ];
    const text = renderTable({ ...results, servers }, { color: true });
    expect(text).toContain("\u001b[31mDOWN 21.0s\u001b[0m");
    expect(text).toContain("\u001b[33mDRAIN 9.0s\u001b[0m");
  });

  it("shows the wait inside the servers beside the balancer's queue, and per server", () => {
    const text = renderTable(sampleResults(), { color: false });
    expect(text).toContain("\nQueue     in the balancer: mean 12.3 µs  p99 850 µs  max backend queue 3\n");
    expect(text).toContain(
      "\n          in the servers:  mean 3.27 ms  p99 41.5 ms  (waiting for a free worker)\n",
    );
    const header = text.split("\n").find((line) => line.startsWith("server "))!;
    const row = text.split("\n").find((line) => line.startsWith("web01 "))!;
    // The wait column holds web01's own mean, right-aligned under its title.
    const end = header.indexOf("wait") + "wait".length;
    expect(row.slice(0, end).trimEnd().endsWith("2.91 ms")).toBe(true);
  });

  it("marks each timeline action under the sparklines at its second, with a legend", () => {
    const lines = renderTable(failoverResults(), { color: false }).split("\n");
    const requests = lines.find((line) => line.startsWith("          requests "))!;
    const marks = lines.find((line) => line.startsWith("          actions  "))!;
    const sparkStart = "          requests ".length;
    // One cell a second: the crash at 20 s is cell 20, the restore at 35 s cell 35.
    expect(marks.indexOf("1")).toBe(sparkStart + 20);
    expect(marks.indexOf("2")).toBe(sparkStart + 35);
    expect(marks.slice(sparkStart)).toBe(`${" ".repeat(20)}1${" ".repeat(14)}2`);
    expect(requests.length).toBeGreaterThan(sparkStart + 59);
    const legend = lines[lines.indexOf(marks) + 1];
    expect(legend).toBe(`${" ".repeat(sparkStart)}1 crash web01 @20.0s · 2 restore web01 @35.0s`);
  });

  it("gives actions in the same cell one mark, and draws no marks without a timeline", () => {
    const base = failoverResults();
    const timeline = [
      { atMs: 20_000, action: "crash", server: "web01", text: "crash web01" },
      { atMs: 20_400, action: "slow", server: "web02", text: "slow web02 ×3" },
    ];
    const text = renderTable({ ...base, timeline }, { color: false });
    expect(text).toContain("1 crash web01 @20.0s, slow web02 ×3 @20.4s\n");
    const marks = text.split("\n").find((line) => line.startsWith("          actions  "))!;
    expect(marks.slice("          actions  ".length)).toBe(`${" ".repeat(20)}1`);
    const none = renderTable({ ...base, timeline: [] }, { color: false });
    expect(none).not.toContain("actions");
    const { timeline: _absent, ...older } = base;
    // Results written before `timeline` existed.
    expect(renderTable(older as Results, { color: false })).not.toContain("actions");
  });

  it("lists the actions plainly when the run has no series to mark", () => {
    const text = renderTable(
      {
        ...sampleResults(),
        series: { ...sampleResults().series, atMs: [0] },
        timeline: failoverResults().timeline,
      },
      { color: false },
    );
    expect(text).toContain("\nActions   crash web01 @20.0s · restore web01 @35.0s\n");
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
      'backend "web": offered load 1.20× capacity (120/s arrivals, 100/s capacity): queues grow without bound, so a longer run would wait longer and leave more requests unanswered',
    ],
  });

  it("says offered load at or above capacity at the top, before the request figures", () => {
    const lines = renderTable(overloaded(), { color: false }).split("\n");
    const warning = lines.findIndex((l) =>
      l.startsWith('warning: backend "web": offered load 1.20× capacity'),
    );
    const requests = lines.findIndex((l) => l.startsWith("Requests"));
    expect(lines[2]).toBe("");
    expect(warning).toBe(3);
    expect(requests).toBeGreaterThan(warning);
    // Wrapped to the table's 100 columns, the rest hanging under the text.
    expect(lines[4]).toMatch(/^ {9}\S/);
    expect(lines.slice(3, requests).every((l) => [...l].length <= 100)).toBe(true);
  });

  it("marks unfinished requests in capitals without colour, and in bold red with colour", () => {
    expect(renderTable(overloaded(), { color: false })).toContain("UNFINISHED 1,382 (7.7%)");
    expect(renderTable(overloaded(), { color: true })).toContain(
      `${ESC}1m${ESC}31mUNFINISHED 1,382 (7.7%)${ESC}0m${ESC}0m`,
    );
    const none = { ...sampleResults(), requests: { ...sampleResults().requests, unfinished: 0 } };
    expect(renderTable(none, { color: true })).toContain("  unfinished 0  ");
  });

  it("says a few young requests in flight at the end are just that, in yellow, not in capitals", () => {
    const few = { ...sampleResults(), requests: { ...sampleResults().requests, unfinished: 2 } };
    expect(renderTable(few, { color: false })).toContain("  unfinished 2 (in flight)  ");
    expect(renderTable(few, { color: true })).toContain(`${ESC}33munfinished 2 (in flight)${ESC}0m`);
    // Old enough to raise a figure: loud, however few.
    const old = {
      ...few,
      latencyLowerBound: { ...overloaded().latencyLowerBound, unfinished: 2 },
    };
    expect(renderTable(old, { color: false })).toContain("  UNFINISHED 2 (0.0121%)  ");
  });

  it("shows the latency lower bound under the answered requests' figures, with how many were counted at their age", () => {
    const text = renderTable(overloaded(), { color: false });
    expect(text).toContain("max 2.01 s  (answered)\n");
    expect(text).toContain(
      "\n          mean ≥ 6.31 s  p50 ≥ 5.9 s  p90 ≥ 15.2 s  p99 ≥ 21.4 s  p99.9 ≥ 22.1 s  max ≥ 22.1 s\n" +
        "          (the 1,382 unfinished counted at their age, a lower bound)\n",
    );
    expect(renderTable(sampleResults(), { color: false })).not.toContain("counted at their age");
  });

  it("shows only the figures the unfinished raise, and no bound when requests merely in flight raise none", () => {
    const base = overloaded();
    const bound = { ...base.latencyLowerBound, meanMs: 1, p50Ms: 1, p90Ms: 1, p99Ms: 1, p999Ms: 1 };
    const raisedMax = renderTable({ ...base, latencyLowerBound: bound }, { color: false });
    expect(raisedMax).toContain("\n          max ≥ 22.1 s\n");
    // Young requests in flight at the end leave every figure at or below the answered ones.
    const inFlight = { ...bound, maxMs: 1 };
    const plain = renderTable({ ...base, latencyLowerBound: inFlight }, { color: false });
    expect(plain).not.toContain("≥");
    expect(plain).not.toContain("(answered)");
  });
});

describe("renderTable's failed checks", () => {
  it("show the actual value, the limit and the margin, with digits enough to tell them apart", () => {
    const results = {
      ...sampleResults(),
      checks: [{ name: "p99 < 102.66ms", pass: false, actual: 102.85, limit: 102.66 }],
    };
    expect(renderTable(results, { color: false })).toContain(
      "  FAIL  p99 < 102.66ms  actual 102.85 ms vs 102.66 ms: 0.19 ms (0.19%) over\n",
    );
  });
});

describe("formatActual", () => {
  it("shows times with a unit, ratios as percentages, and anything else as a number", () => {
    expect(formatActual("p99 < 300ms", 5210)).toBe("5.21 s");
    expect(formatActual("leastconn.p99 < roundrobin.p99", 12.5)).toBe("12.5 ms");
    expect(formatActual("queue.p99 < 10ms", 0.5)).toBe("500 µs");
    expect(formatActual("errors < 0.5%", 0.0544)).toBe("5.4%");
    expect(formatActual("share(web01) in 45%..55%", 0.5)).toBe("50.0%");
    expect(formatActual("requests > 1000", 1234)).toBe("1,234");
    expect(formatActual("random(2).errors <= roundrobin.errors", 0.00246)).toBe("0.25%");
    expect(formatActual("random(2).share(web01) < 40%", 0.5)).toBe("50.0%");
    expect(formatActual("unfinished < 1%", 0.0771)).toBe("7.7%");
    expect(formatActual("unfinished == 0", 1382)).toBe("1,382");
    expect(formatActual("backend.unfinished(api) < 50", 3)).toBe("3");
  });
});
