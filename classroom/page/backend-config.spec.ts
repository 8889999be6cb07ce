// The page's view of each backend's algorithm and redispatch: the scenario's, then the switches
// applied, then the pending ones, per backend; and what "Redispatch" turns on.
import { describe, expect, it } from "vitest";
import type { AppliedAction, ControlAction } from "../actions.js";
import { backendConfig, redispatchOn } from "./backend-config.js";
import type { ScenarioInfo } from "./protocol.js";

const info: ScenarioInfo = {
  name: "two",
  description: "",
  file: "two.yaml",
  seed: 1,
  durationMs: 10_000,
  warmupMs: 0,
  servers: [
    { name: "api/a1", backend: "api", weight: 1 },
    { name: "web/w1", backend: "web", weight: 1 },
  ],
  clients: [],
  balance: "roundrobin, leastconn",
  backends: [
    { name: "api", balance: "roundrobin", redispatch: 2 },
    { name: "web", balance: "leastconn", redispatch: null },
  ],
  events: [],
};

describe("backendConfig", () => {
  it("starts from the scenario's own settings, per backend", () => {
    expect(backendConfig(info, "api", [], [])).toEqual({ balance: "roundrobin", redispatch: 2 });
    expect(backendConfig(info, "web", [], [])).toEqual({ balance: "leastconn", redispatch: null });
  });

  it("follows the applied switches, then the pending ones, of that backend only", () => {
    const applied: AppliedAction[] = [
      { atMs: 1000, action: { kind: "balance", backend: "api", balance: "first" } },
      { atMs: 2000, action: { kind: "redispatch", backend: "web", interval: -1 } },
      { atMs: 2000, action: { kind: "crash", server: "api/a1" } },
    ];
    const pending: ControlAction[] = [
      { kind: "redispatch", backend: "api", interval: null },
      { kind: "balance", backend: "api", balance: "source" },
    ];
    expect(backendConfig(info, "api", applied, [])).toEqual({ balance: "first", redispatch: 2 });
    expect(backendConfig(info, "api", applied, pending)).toEqual({ balance: "source", redispatch: null });
    expect(backendConfig(info, "web", applied, pending)).toEqual({ balance: "leastconn", redispatch: -1 });
  });

  it("turns redispatch on with the backend's own interval, or HAProxy's default −1", () => {
    expect(redispatchOn(info, "api")).toBe(2);
    expect(redispatchOn(info, "web")).toBe(-1);
  });
});
