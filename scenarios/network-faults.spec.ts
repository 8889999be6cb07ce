// The network faults' syntax: server `rtt` and `loss`, timeline `reset`, `loss` and `refuse-first`, and their errors.
import { describe, expect, it } from "vitest";
import { BASE, issuesOf, only } from "./errors-test-support.js";
import { parseScenario } from "./parse.js";

const withEvents = (...events: string[]) => `${BASE}events:\n${events.map((e) => `  - ${e}\n`).join("")}`;

describe("network faults in a scenario", () => {
  it("reads the timeline actions, a share written 30% or 0.3", () => {
    const scenario = parseScenario(
      withEvents(
        "{at: 1s, reset: web01}",
        "{at: 2s, loss: {server: web02, rate: 30%}}",
        "{at: 3s, loss: {server: web02, rate: 0.25}}",
        "{at: 4s, refuse-first: {server: web01, count: 5}}",
      ),
      "s.yaml",
    );
    expect(scenario.events).toEqual([
      { atMs: 1000, kind: "reset", server: "web01" },
      { atMs: 2000, kind: "loss", server: "web02", rate: 0.3 },
      { atMs: 3000, kind: "loss", server: "web02", rate: 0.25 },
      { atMs: 4000, kind: "refuse-first", server: "web01", count: 5 },
    ]);
  });

  it("reads the issue's flat form, the parameter beside the action: {at, loss: web02, rate: 30%}", () => {
    const scenario = parseScenario(
      withEvents(
        "{at: 2s, loss: web02, rate: 30%}",
        "{at: 4s, refuse-first: web01, count: 5}",
        "{at: 5s, slow: web01, factor: 3}",
        "{at: 6s, errors: web02, rate: 0.1}",
      ),
      "s.yaml",
    );
    expect(scenario.events).toEqual([
      { atMs: 2000, kind: "loss", server: "web02", rate: 0.3 },
      { atMs: 4000, kind: "refuse-first", server: "web01", count: 5 },
      { atMs: 5000, kind: "slow", server: "web01", factor: 3 },
      { atMs: 6000, kind: "errors", server: "web02", rate: 0.1 },
    ]);
  });

  it("refuses a bad parameter in the flat form at its line, as in the nested one", () => {
    const [rate] = issuesOf(withEvents("{at: 1s, loss: web01, rate: 130%}"));
    expect(rate).toMatchObject({ file: "s.yaml", line: 12, path: "events[0].loss.rate" });
    expect(rate!.message).toContain('found "130%", expected a share from 0% to 100%');
    const [count] = issuesOf(withEvents("{at: 1s, refuse-first: web01, count: 0}"));
    expect(count).toMatchObject({ line: 12, path: "events[0].refuse-first.count" });
    // A parameter beside an action that takes none is still an unknown key.
    const [unknown] = issuesOf(withEvents("{at: 1s, crash: web01, count: 2}"));
    expect(unknown!.message).toContain('unknown key "count"');
  });

  it("reads a server's rtt (a duration or a distribution) and loss, from default-server too", () => {
    const text = BASE.replace("    - {name: web01}", "    - {name: web01, rtt: 5ms, loss: 2%}").replace(
      "  service: {exponential: 10ms}",
      "  service: {exponential: 10ms}\n  default-server: {rtt: {uniform: [1ms, 3ms]}}",
    );
    const [web01, web02] = parseScenario(text, "s.yaml").backend.servers;
    expect(web01).toMatchObject({ rtt: { kind: "constant", valueMs: 5 }, loss: 0.02 });
    expect(web02).toMatchObject({ rtt: { kind: "uniform", minMs: 1, maxMs: 3 } });
    expect(web02!.loss).toBeUndefined();
  });

  it("leaves a server without them as it was (no rtt or loss key)", () => {
    const [web01] = parseScenario(BASE, "s.yaml").backend.servers;
    expect(Object.keys(web01!)).not.toContain("rtt");
    expect(Object.keys(web01!)).not.toContain("loss");
  });

  it.each([
    [
      "{at: 1s, loss: {server: web01, rate: 130%}}",
      'found "130%", expected a share from 0% to 100% (30%, or 0.3)',
    ],
    [
      "{at: 1s, loss: {server: web01, rate: 1.3}}",
      "found 1.3, expected a share from 0% to 100% (30%, or 0.3)",
    ],
    [
      "{at: 1s, loss: {server: web01, rate: lots}}",
      'found "lots", expected a share from 0% to 100% (30%, or 0.3)',
    ],
  ])("refuses a loss rate outside 0%..100%: %s", (event, message) => {
    const [issue] = issuesOf(withEvents(event));
    expect(issue).toMatchObject({ file: "s.yaml", line: 12, path: "events[0].loss.rate", message });
  });

  it.each(["0", "-1", "1.5"])("refuses refuse-first with count %s (a whole number ≥ 1)", (count) => {
    const [issue] = issuesOf(withEvents(`{at: 1s, refuse-first: {server: web01, count: ${count}}}`));
    expect(issue).toMatchObject({ line: 12, path: "events[0].refuse-first.count" });
  });

  it.each([
    ["{at: 1s, reset: web1}", "events[0].reset", 21],
    ["{at: 1s, loss: {server: web1, rate: 10%}}", "events[0].loss.server", 29],
    ["{at: 1s, refuse-first: {server: web1, count: 2}}", "events[0].refuse-first.server", 37],
  ])("names an unknown server at its place: %s", (event, path, column) => {
    expect(only(withEvents(event))).toEqual({
      code: "unknown-server",
      file: "s.yaml",
      line: 12,
      column,
      path,
      hint: 'did you mean "web01"?',
    });
  });

  it("refuses a server loss above 100% and an rtt that is neither a duration nor a distribution", () => {
    const issues = issuesOf(
      BASE.replace("    - {name: web01}", "    - {name: web01, loss: 150%, rtt: fast}"),
    );
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual([
      "5:27 backend.servers[0].loss",
      "5:38 backend.servers[0].rtt",
    ]);
  });
});
