// detected()/recovered() on the ready failover scenarios, against HAProxy's check schedule
// (haproxy-semantics.md §4.3 and §8): the values follow from when web02's checks run, not from a guess.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findPackage } from "../cli/main.js";
import { loadScenarioFile } from "../scenarios/node.js";
import type { Scenario } from "../scenarios/types.js";
import { metricValue } from "../sim/expectations.js";
import { simulate } from "../sim/test-support.js";

const library = findPackage().libraryDir;

/** web02's check parameters and the time its first check starts: server k of N checked ones starts at k·inter/N (§4.3). */
function schedule(scenario: Scenario) {
  const servers = scenario.backend.servers;
  const k = servers.findIndex((s) => s.name === "web02");
  const check = servers[k]!.check!;
  return { ...check, firstMs: (k * check.interMs) / servers.length };
}

const eventAt = (scenario: Scenario, kind: string) => scenario.events.find((e) => e.kind === kind)!.atMs;
const near = (ms: number) => Math.round(ms * 1000) / 1000;

describe("the failover window of failover.yaml (web02 refuses from 5 s, restored at 12 s)", () => {
  const scenario = loadScenarioFile(join(library, "failover.yaml"));
  const { interMs, rise, fall, firstMs } = schedule(scenario);
  const crashMs = eventAt(scenario, "crash");
  const restoreMs = eventAt(scenario, "restore");
  // A refused check ends at once, so web02 checks at firstMs + k·inter, whatever its state.
  const nextCheck = (atMs: number) => firstMs + Math.ceil((atMs - firstMs) / interMs) * interMs;

  it.each([1, 2, 7])(
    "detects the crash fall checks after it, and the restore rise checks after it (seed %i)",
    (seed) => {
      const results = simulate(scenario, { seed });
      const detected = metricValue(results, "detected", "web02");
      const recovered = metricValue(results, "recovered", "web02");
      // DOWN at next check + (fall − 1)·inter; UP at next check + (rise − 1)·inter (§4.3).
      expect(detected).toBe(near(nextCheck(crashMs) + (fall - 1) * interMs - crashMs));
      expect(recovered).toBe(near(nextCheck(restoreMs) + (rise - 1) * interMs - restoreMs));
      // 2.333 s and 1.333 s here; HAProxy measured 2.82–2.84 s and 1.82–1.84 s with its first check
      // 0.82 s after the crash: the same (fall − 1)·inter = 2 s and (rise − 1)·inter = 1 s after it.
      expect(detected! - (nextCheck(crashMs) - crashMs)).toBeCloseTo(2000, 2);
      expect(recovered! - (nextCheck(restoreMs) - restoreMs)).toBeCloseTo(1000, 2);
      expect(metricValue(results, "downtime", "web02")).toBe(
        near(restoreMs + recovered! - (crashMs + detected!)),
      );
    },
  );
});

describe("the failover window of hung-server.yaml (web02 hangs at 5 s, restored at 12 s)", () => {
  const scenario = loadScenarioFile(join(library, "hung-server.yaml"));
  const { interMs, rise, fall, firstMs } = schedule(scenario);
  const hangMs = eventAt(scenario, "hang");
  const restoreMs = eventAt(scenario, "restore");

  it("is DOWN at next check + (fall − 1)·2·inter + inter: each timed-out check lasts inter and waits inter", () => {
    const results = simulate(scenario);
    const nextStart = firstMs + Math.ceil((hangMs - firstMs) / interMs) * interMs;
    expect(metricValue(results, "detected", "web02")).toBe(
      near(nextStart + (fall - 1) * 2 * interMs + interMs - hangMs),
    );
    // 5.333 s; HAProxy measured 5.82 s with its first check 0.82 s after the hang (§8 rule 5).
    expect(metricValue(results, "detected", "web02")).toBe(near(5333.333));
  });

  it("recovers only after the check in flight at the restore has timed out (§8 rule 11)", () => {
    const results = simulate(scenario);
    // Hung checks start every 2·inter; the one running at the restore still times out.
    const nextStart = firstMs + Math.ceil((hangMs - firstMs) / interMs) * interMs;
    const starts = Array.from({ length: 10 }, (_, i) => nextStart + 2 * i * interMs);
    const inFlightEndMs = starts.find((s) => s + interMs > restoreMs)! + interMs;
    // Then rise passing checks, one inter apart, the first one inter after that timeout.
    expect(metricValue(results, "recovered", "web02")).toBe(near(inFlightEndMs + rise * interMs - restoreMs));
    // One check cycle slower than the refused case (2.8 s vs 1.8 s measured).
    expect(metricValue(results, "recovered", "web02")).toBe(near(2333.333));
  });
});
