// Results.timeline, from scenarios written in YAML: each action as the model applied it, macros expanded.
import { describe, expect, it } from "vitest";
import { simulate } from "../sim/test-support.js";
import { parseScenario } from "./parse.js";

const BASE = `duration: 60s
backend:
  name: web
  balance: roundrobin
  timeout: {connect: 1s, server: 5s}
  check: {type: http, inter: 1s, rise: 2, fall: 3}
  service: {lognormal: {median: 5ms, sigma: 0.5}}
  servers:
    - {name: web01, slots: 8}
    - {name: web02, slots: 8}
    - {name: web03, slots: 8}
clients:
  - name: browsers
    arrivals: {poisson: 100/s}
`;

const run = (...events: string[]) =>
  simulate(
    parseScenario(
      events.length === 0 ? BASE : `${BASE}events:\n${events.map((e) => `  - ${e}\n`).join("")}`,
      "s.yaml",
    ),
  );

describe("Results.timeline", () => {
  it("is there and empty when the scenario has no events", () => {
    expect(run().timeline).toEqual([]);
  });

  it("lists each server action at its time, with its server and a short text", () => {
    const results = run(
      "{at: 2s, crash: web02}",
      "{at: 4s, restore: web02}",
      "{at: 6s, hang: web01}",
      "{at: 7s, restore: web01}",
      "{at: 8s, slow: {server: web03, factor: 4}}",
      "{at: 9s, errors: {server: web03, rate: 0.07}}",
      "{at: 10s, partition: web01}",
      "{at: 11s, heal: web01}",
      '{at: 12s, runtime: "set server web/web03 state drain"}',
    );
    expect(results.timeline).toEqual([
      { atMs: 2000, action: "crash", server: "web02", text: "crash web02" },
      { atMs: 4000, action: "restore", server: "web02", text: "restore web02" },
      { atMs: 6000, action: "hang", server: "web01", text: "hang web01" },
      { atMs: 7000, action: "restore", server: "web01", text: "restore web01" },
      { atMs: 8000, action: "slow", server: "web03", text: "slow web03 ×4" },
      { atMs: 9000, action: "errors", server: "web03", text: "errors web03 7%" },
      { atMs: 10_000, action: "partition", server: "web01", text: "partition web01" },
      { atMs: 11_000, action: "heal", server: "web01", text: "heal web01" },
      { atMs: 12_000, action: "runtime", server: "web03", text: "set server web/web03 state drain" },
    ]);
    // Named as in Results.servers, so that a reader can join the two.
    const names = results.servers.map((s) => s.name);
    expect(results.timeline.every((t) => t.server !== undefined && names.includes(t.server))).toBe(true);
  });

  it("names no server for traffic changes, and records the end of a spike", () => {
    const results = run(
      "{at: 2s, rate: {client: browsers, to: 50/s}}",
      "{at: 3s, spike: {client: browsers, factor: 3, for: 2s}}",
    );
    expect(results.timeline).toEqual([
      { atMs: 2000, action: "rate", text: "rate browsers 50/s" },
      { atMs: 3000, action: "spike", text: "spike browsers ×3 for 2s" },
      { atMs: 5000, action: "spike", text: "spike browsers ends" },
    ]);
  });

  it("expands macros into what was applied: flap into crashes and restores", () => {
    const results = run("{at: 5s, flap: {server: web02, period: 10s, for: 20s}}");
    expect(results.timeline.map((t) => [t.atMs, t.action, t.server])).toEqual([
      [5000, "crash", "web02"],
      [10_000, "restore", "web02"],
      [15_000, "crash", "web02"],
      [20_000, "restore", "web02"],
    ]);
  });

  it("records each step of a rolling upgrade as the runtime command it ran, when the run ran it", () => {
    const results = run("{at: 10s, rolling-upgrade: {drain: 5s, downtime: 10s, gap: 2s}}");
    const steps = results.timeline;
    expect(steps.every((t) => t.action === "upgrade")).toBe(true);
    expect(steps.map((t) => t.text)).toEqual(
      ["web01", "web02", "web03"].flatMap((s) =>
        ["drain", "maint", "ready"].map((state) => `set server web/${s} state ${state}`),
      ),
    );
    expect(steps.map((t) => t.server)).toEqual([
      "web01",
      "web01",
      "web01",
      "web02",
      "web02",
      "web02",
      "web03",
      "web03",
      "web03",
    ]);
    expect(steps[0]!.atMs).toBe(10_000);
    for (let i = 0; i < 3; i++) {
      const [drain, maint, ready] = steps.slice(3 * i, 3 * i + 3);
      // MAINT once idle (polled every 100 ms), within the 5 s drain limit; ready 10 s later.
      expect(maint!.atMs - drain!.atMs).toBeGreaterThanOrEqual(0);
      expect(maint!.atMs - drain!.atMs).toBeLessThanOrEqual(5000);
      expect(ready!.atMs - maint!.atMs).toBe(10_000);
      if (i > 0) expect(drain!.atMs - steps[3 * i - 1]!.atMs).toBe(2000);
      // Each step is the state the server shows from that moment (an idle server drains and goes
      // to MAINT at the same instant).
      const stateAt = (atMs: number) =>
        results.servers[i]!.states.filter((c) => c.atMs <= atMs).at(-1)?.state;
      expect(stateAt(maint!.atMs)).toBe("MAINT");
      expect(stateAt(ready!.atMs)).toMatch(/^UP/);
      if (maint!.atMs > drain!.atMs) expect(stateAt(drain!.atMs)).toBe("DRAIN");
    }
  });

  it("names servers <backend>/<server> with several backends, as Results.servers does", () => {
    const results = simulate(
      parseScenario(
        `duration: 10s
frontends:
  - {name: www, acl: [is_api path_beg /api/], use_backend: [api if is_api], default_backend: web}
backends:
  - name: web
    service: {exponential: 10ms}
    servers: [{name: web01}, {name: web02}]
  - name: api
    service: {exponential: 5ms}
    servers: [{name: api1}, {name: web01}]
clients:
  - {name: c, arrivals: {poisson: 10/s}}
events:
  - {at: 2s, crash: api/web01}
  - {at: 3s, runtime: "set server web/web02 weight 50%"}
`,
        "s.yaml",
      ),
    );
    expect(results.timeline).toEqual([
      { atMs: 2000, action: "crash", server: "api/web01", text: "crash api/web01" },
      { atMs: 3000, action: "runtime", server: "web/web02", text: "set server web/web02 weight 50%" },
    ]);
    const names = results.servers.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["api/web01", "web/web02"]));
  });
});
