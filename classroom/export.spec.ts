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
      // Redispatch off before the crash: web02's turns retry it and fail until it is DOWN.
      [2500, { kind: "redispatch", backend: "web_servers", interval: null }],
      // Exactly on a constant arrival (one every 20 ms): the action comes before it, as the
      // exported event at the same time does.
      [3000, { kind: "crash", server: "web02" }],
      [4000, { kind: "redispatch", backend: "web_servers", interval: -1 }],
      [4000, { kind: "balance", backend: "web_servers", balance: "leastconn" }],
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
      [17_500, { kind: "balance", backend: "web_servers", balance: "random(2)" }],
      [18_000, { kind: "redispatch", backend: "web_servers", interval: 2 }],
      [18_500, { kind: "balance", backend: "web_servers", balance: "static-rr" }],
    ];
    for (const [atMs, action] of plan) {
      session.advanceTo(atMs);
      session.apply([action]);
    }
    session.advanceTo(session.scenario.durationMs);
    const frame = session.frame();
    // Each at the time it was asked for, two at 4 s and two at 13 s in the order given.
    expect(session.applied.map((a) => a.atMs)).toEqual(plan.map(([atMs]) => atMs));

    const text = exportScenario(source, session.seed, session.applied);
    const raw = parse(text) as { seed: number; events: Array<Record<string, unknown>> };
    expect(raw.seed).toBe(7);
    expect(raw.events[0]).toEqual({ at: "1000ms", slow: { server: "web01", factor: 4 } });
    expect(raw.events).toContainEqual({
      at: "12000ms",
      runtime: "set server web_servers/web02 state drain",
    });
    expect(raw.events).toContainEqual({ at: "13000ms", runtime: "set server web_servers/web03 weight 3" });
    expect(raw.events).toContainEqual({ at: "14000ms", rate: { client: "steady", to: "120/s" } });
    expect(raw.events).toContainEqual({ at: "15500ms", reset: "web03" });
    expect(raw.events).toContainEqual({ at: "16500ms", loss: { server: "web02", rate: 0.5 } });
    expect(raw.events).toContainEqual({ at: "2500ms", redispatch: false, backend: "web_servers" });
    expect(raw.events).toContainEqual({ at: "4000ms", redispatch: true, backend: "web_servers" });
    expect(raw.events).toContainEqual({ at: "18000ms", redispatch: 2, backend: "web_servers" });
    expect(raw.events).toContainEqual({ at: "4000ms", balance: "leastconn", backend: "web_servers" });
    expect(raw.events).toContainEqual({ at: "17500ms", balance: "random(2)", backend: "web_servers" });

    const replayed = run(parseScenario(text, "exported.yaml"), {
      resolveStrategy: resolve,
      deterministic: true,
    });
    // The page's model and the run agree byte for byte, not only on the counts.
    expect(JSON.stringify(session.results())).toBe(JSON.stringify(replayed));
    expect(replayed.timeline.map((e) => e.text)).toContain("balance leastconn");
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
    const text = exportScenario(failover, 1, [{ atMs: 15_000, action: { kind: "crash", server: "web01" } }]);
    const raw = parse(text) as { events: unknown[] };
    expect(raw.events).toEqual([
      { at: "5s", crash: "web02" },
      { at: "12s", restore: "web02" },
      { at: "15000ms", crash: "web01" },
    ]);
    expect(text).toContain("# The failover experiment measured on HAProxy");
    expect(parse(exportScenario(source, 3, [])).events).toBeUndefined();
  });

  it("names the files the scenario needs beside it", () => {
    const tutorial = sourceOf(join(import.meta.dirname, "..", "scenarios", "library", "tutorial.yaml"));
    expect(exportScenario(tutorial, 1, [])).toContain("It names tutorial.cfg: keep this file beside them.");
  });
});

describe("importing an export written before actions took their exact time", () => {
  it("still reads the half-millisecond times of older exports", () => {
    const failover = sourceOf(join(import.meta.dirname, "..", "scenarios", "library", "failover.yaml"));
    const old = `${failover.text.replace(/^expect:\n(\s+(- |#).*\n)+/m, "")}`.replace(
      "  - { at: 12s, restore: web02 }\n",
      "  - { at: 12s, restore: web02 }\n  - { at: 15000.5ms, crash: web01 }\n",
    );
    const scenario = parseScenario(old, "old-export.yaml");
    expect(scenario.events.at(-1)).toEqual({ atMs: 15_000.5, kind: "crash", server: "web01" });
  });
});
