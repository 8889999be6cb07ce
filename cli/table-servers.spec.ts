// Spec of cli/table-servers.ts: server states as a timeline, folded and fitted to the width.
import { describe, expect, it } from "vitest";
import type { ServerResults, StateChange } from "../sim/index.js";
import { palette } from "./table-paint.js";
import { foldStates, servers, stateTimeline } from "./table-servers.js";
import { sampleResults } from "./test-support.js";

const p = palette(false);

/** failover.yaml's web02 as the run records it (rise 2, fall 3, inter 1s; crash 5s, restore 12s). */
const FAILOVER_WEB02: StateChange[] = [
  { atMs: 0, state: "UP 1/3" },
  { atMs: 333.333, state: "UP" },
  { atMs: 5333.333, state: "UP 2/3" },
  { atMs: 6333.333, state: "UP 1/3" },
  { atMs: 7333.333, state: "DOWN" },
  { atMs: 12333.333, state: "DOWN 1/2" },
  { atMs: 13333.333, state: "UP" },
];

describe("foldStates", () => {
  it("folds check progress into the state the server is still in", () => {
    // UP 2/3 still takes traffic (UP); DOWN 1/2 is still out of rotation (DOWN).
    expect(foldStates(FAILOVER_WEB02)).toEqual([
      { state: "UP", atMs: 0 },
      { state: "DOWN", atMs: 7333.333 },
      { state: "UP", atMs: 13333.333 },
    ]);
  });

  it("keeps DRAIN, MAINT, NOLB and no check as they are", () => {
    const states = ["UP", "DRAIN 2/3", "DRAIN", "MAINT", "NOLB", "no check"].map((state, i) => ({
      atMs: i * 1000,
      state,
    }));
    expect(foldStates(states).map((s) => s.state)).toEqual(["UP", "DRAIN", "MAINT", "NOLB", "no check"]);
  });
});

describe("stateTimeline", () => {
  it("reads the start, then each change with its time in seconds with one decimal", () => {
    expect(stateTimeline(FAILOVER_WEB02, 80, p)).toBe("UP · DOWN 7.3s → UP 13.3s");
  });

  it("gives a change within the first second in ms, and a steady server its one state", () => {
    const states = [
      { atMs: 0, state: "MAINT" },
      { atMs: 400, state: "UP" },
    ];
    expect(stateTimeline(states, 80, p)).toBe("MAINT · UP 400ms");
    expect(stateTimeline([{ atMs: 0, state: "UP 1/3" }], 80, p)).toBe("UP");
    expect(stateTimeline([], 80, p)).toBe("-");
  });

  it("shows a flapping server's first changes, how many more, and its last, within the room", () => {
    const states: StateChange[] = [{ atMs: 0, state: "UP" }];
    for (let k = 1; k <= 30; k++) states.push({ atMs: k * 1900, state: k % 2 === 1 ? "DOWN" : "UP" });
    const line = stateTimeline(states, 70, p);
    expect(line.length).toBeLessThanOrEqual(70);
    expect(line.startsWith("UP · DOWN 1.9s → UP 3.8s → ")).toBe(true);
    expect(line.endsWith(" → UP 57.0s")).toBe(true);
    const match = /… \(\+(\d+) more\)/.exec(line);
    expect(match).not.toBeNull();
    const shown = line.split(" → ").length - 1; // the changes shown, the "… more" part excluded
    expect(shown + Number(match![1])).toBe(30);
    // With room for all, nothing is left out.
    expect(stateTimeline(states, 1000, p)).not.toContain("more");
  });
});

describe("servers: steady servers grouped by state", () => {
  it("names them while they fit in 100 columns, and counts them when not", () => {
    const steady = (name: string, state: string): ServerResults => ({
      ...sampleResults().servers[1]!,
      name,
      states: [{ atMs: 0, state }],
    });
    const few = servers([steady("web01", "UP"), steady("web02", "no check")], p).map((l) => l.trimEnd());
    expect(few.slice(-2)).toEqual(["States    UP throughout: web01", "          no check throughout: web02"]);
    const many = Array.from({ length: 40 }, (_, i) => steady(`web${String(i).padStart(2, "0")}`, "UP"));
    const lines = servers(many, p);
    expect(lines[lines.length - 1]).toBe("States    UP throughout: 40 servers (web00, web01, …)");
  });
});
