// Export: a session's actions, written as timeline events with the seed, replay with run() to the
// same per-server counts and state timelines the session ended with — for every kind of control.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScenario } from "../scenarios/index.js";
import { run } from "../sim/index.js";
import { resolveStrategy } from "../strategies/index.js";
import type { ControlAction } from "./actions.js";
import { effectiveAtMs } from "./actions.js";
import { failoverWithoutEvents, sourceOf } from "./classroom-test-support.js";
import { exportScenario } from "./export.js";
import { Session } from "./page/session.js";
import { parseSource } from "./source.js";

const resolve = (balance: string) => {
  const factory = resolveStrategy(balance);
  if (factory === undefined) throw new Error(balance);
  return factory;
};

const dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("exportScenario", () => {
  const source = sourceOf(failoverWithoutEvents(dir));

  it("replays every control at the time it took effect: run() gives the session's counts and states", () => {
    const session = new Session(parseSource(source), 7);
    const plan: Array<[number, ControlAction]> = [
      [1000, { kind: "slow", server: "web01", factor: 4 }],
      [2000, { kind: "errors", server: "web03", rate: 0.3 }],
      [3000, { kind: "crash", server: "web02" }],
      // Exactly on a constant arrival (one every 20 ms): the half millisecond keeps the order.
      [5000, { kind: "restore", server: "web02" }],
      [6000, { kind: "partition", server: "web03" }],
      [8000, { kind: "heal", server: "web03" }],
      [9000, { kind: "hang", server: "web01" }],
      [11_000, { kind: "restore", server: "web01" }],
      [12_000, { kind: "drain", server: "web02", backend: "web_servers" }],
      [13_000, { kind: "ready", server: "web02", backend: "web_servers" }],
      [13_000, { kind: "weight", server: "web03", backend: "web_servers", weight: 3 }],
      [14_000, { kind: "rate", client: "steady", ratePerSecond: 120 }],
      [15_000, { kind: "spike", client: "steady", factor: 2, forMs: 2000 }],
      [15_500, { kind: "reset", server: "web03" }],
      [16_000, { kind: "restore", server: "web03" }],
      [16_500, { kind: "loss", server: "web02", rate: 0.5 }],
      [17_000, { kind: "maint", server: "web01", backend: "web_servers" }],
    ];
    for (const [atMs, action] of plan) {
      session.advanceTo(atMs);
      session.apply([action]);
    }
    session.advanceTo(session.scenario.durationMs);
    const frame = session.frame();
    expect(session.applied.map((a) => a.atMs)).toEqual([
      1000.5, 2000.5, 3000.5, 5000.5, 6000.5, 8000.5, 9000.5, 11_000.5, 12_000.5, 13_000.5, 13_001.5,
      14_000.5, 15_000.5, 15_500.5, 16_000.5, 16_500.5, 17_000.5,
    ]);

    const text = exportScenario(source, session.seed, session.applied);
    const raw = parse(text) as { seed: number; events: Array<Record<string, unknown>> };
    expect(raw.seed).toBe(7);
    expect(raw.events[0]).toEqual({ at: "1000.5ms", slow: { server: "web01", factor: 4 } });
    expect(raw.events).toContainEqual({
      at: "12000.5ms",
      runtime: "set server web_servers/web02 state drain",
    });
    expect(raw.events).toContainEqual({ at: "13001.5ms", runtime: "set server web_servers/web03 weight 3" });
    expect(raw.events).toContainEqual({ at: "14000.5ms", rate: { client: "steady", to: "120/s" } });
    expect(raw.events).toContainEqual({ at: "15500.5ms", reset: "web03" });
    expect(raw.events).toContainEqual({ at: "16500.5ms", loss: { server: "web02", rate: 0.5 } });

    const replayed = run(parseScenario(text, "exported.yaml"), {
      resolveStrategy: resolve,
      deterministic: true,
    });
    expect(frame.serverRequests).toEqual(
      Object.fromEntries(replayed.servers.map((s) => [s.name, s.requests])),
    );
    const finished = session.frame();
    expect(finished.snapshot.requests.total).toBe(replayed.requests.total);
    expect(finished.snapshot.requests.failed).toBe(replayed.requests.failed);
    expect(finished.snapshot.servers.map((s) => s.state)).toEqual(
      replayed.servers.map((s) => s.states.at(-1)?.state),
    );
  });

  it("keeps the scenario's own events and comments, and adds none when nothing was done", () => {
    const failover = sourceOf(join(import.meta.dirname, "..", "scenarios", "library", "failover.yaml"));
    const text = exportScenario(failover, 1, [
      { atMs: effectiveAtMs(15_000), action: { kind: "crash", server: "web01" } },
    ]);
    const raw = parse(text) as { events: unknown[] };
    expect(raw.events).toEqual([
      { at: "5s", crash: "web02" },
      { at: "12s", restore: "web02" },
      { at: "15000.5ms", crash: "web01" },
    ]);
    expect(text).toContain("# The failover experiment measured on HAProxy");
    expect(parse(exportScenario(source, 3, [])).events).toBeUndefined();
  });

  it("names the files the scenario needs beside it", () => {
    const tutorial = sourceOf(join(import.meta.dirname, "..", "scenarios", "library", "tutorial.yaml"));
    expect(exportScenario(tutorial, 1, [])).toContain("It names tutorial.cfg: keep this file beside them.");
  });
});

describe("effectiveAtMs", () => {
  it("is the next half millisecond after now", () => {
    expect(effectiveAtMs(5000)).toBe(5000.5);
    expect(effectiveAtMs(5000.2)).toBe(5000.5);
    expect(effectiveAtMs(5000.5)).toBe(5001.5);
    expect(effectiveAtMs(5000.7)).toBe(5001.5);
  });
});
