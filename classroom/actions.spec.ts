// The controls as data: their runtime commands (several backends too), events and labels.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenarios/index.js";
import { describeAction, describeEvent, eventObject, runtimeText } from "./actions.js";
import { toTimelineAction } from "./timeline-action.js";

describe("classroom actions", () => {
  it("writes runtime commands with the plain server name, also when Results name it backend/server", () => {
    expect(runtimeText({ kind: "drain", server: "web02", backend: "web" })).toBe(
      "set server web/web02 state drain",
    );
    expect(runtimeText({ kind: "maint", server: "api/a1", backend: "api" })).toBe(
      "set server api/a1 state maint",
    );
    expect(runtimeText({ kind: "weight", server: "api/a1", backend: "api", weight: 7 })).toBe(
      "set server api/a1 weight 7",
    );
    expect(runtimeText({ kind: "crash", server: "web02" })).toBeUndefined();
  });

  it("becomes the timeline action a scenario event of the same text would be", () => {
    const scenario = parseScenario(
      `name: t
duration: 10s
backend:
  name: web
  service: { constant: 5ms }
  servers: [{ name: web01 }, { name: web02 }]
clients:
  - { name: c, arrivals: { constant: 10/s } }
events:
  - { at: 1s, runtime: "set server web/web02 state drain" }
  - { at: 2s, slow: { server: web01, factor: 3 } }
`,
      "t.yaml",
    );
    const [drain, slow] = scenario.events;
    expect({
      ...toTimelineAction({ kind: "drain", server: "web02", backend: "web" }, scenario),
      atMs: 1000,
    }).toEqual(drain);
    expect({
      ...toTimelineAction({ kind: "slow", server: "web01", factor: 3 }, scenario),
      atMs: 2000,
    }).toEqual(slow);
    expect(describeEvent(drain!)).toBe("set server web/web02 state drain");
    expect(describeEvent(slow!)).toBe("slow web01 ×3");
  });

  it("labels and exports each kind", () => {
    expect(describeAction({ kind: "errors", server: "s", rate: 0.25 })).toBe("errors s 25%");
    expect(describeAction({ kind: "hang", server: "s" })).toBe("hang s");
    expect(
      eventObject({ atMs: 1500.5, action: { kind: "spike", client: "c", factor: 3, forMs: 10_000 } }),
    ).toEqual({
      at: "1500.5ms",
      spike: { client: "c", factor: 3, for: "10000ms" },
    });
    expect(eventObject({ atMs: 2.5, action: { kind: "partition", server: "s" } })).toEqual({
      at: "2.5ms",
      partition: "s",
    });
  });
});
