// The ready demos: each validates through the page's own path (the source the build bundles,
// parsed without a file system, as the worker does) and puts traffic on every server.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Session } from "./page/session.js";
import { parseSource } from "./source.js";
import { readDemos } from "./source-node.js";

const demos = readDemos(join(import.meta.dirname, "demos"));

describe("the classroom demos", () => {
  it("cover the issue's list, each with a caption and a question, ids unique", () => {
    expect(demos.map((d) => d.id)).toEqual([
      "tutorial",
      "failover",
      "failover-no-redispatch",
      "hung-server",
      "rolling-upgrade",
      "slow-roundrobin",
      "slow-leastconn",
      "sticky-source",
      "retry-storm",
    ]);
    for (const demo of demos) {
      expect(demo.caption.length, demo.id).toBeGreaterThan(40);
      expect(demo.question, demo.id).toMatch(/\?$/);
    }
  });

  it.each(demos.map((d) => [d.id, d] as const))(
    "%s validates in the page and sends requests to every server",
    (_id, demo) => {
      const scenario = parseSource(demo.source);
      const session = new Session(scenario);
      session.advanceTo(Math.min(scenario.durationMs, scenario.warmupMs + 5000));
      const counts = session.frame().serverRequests;
      for (const [server, n] of Object.entries(counts)) expect(n, `${demo.id} ${server}`).toBeGreaterThan(0);
    },
  );

  it("differ where the lesson is: redispatch, and the balance of the slow-server pair", () => {
    const byId = new Map(demos.map((d) => [d.id, parseSource(d.source)]));
    expect(byId.get("failover")?.backend.redispatch).toEqual({ interval: -1 });
    expect(byId.get("failover-no-redispatch")?.backend.redispatch).toBeNull();
    expect(byId.get("slow-roundrobin")?.backend.balance).toBe("roundrobin");
    expect(byId.get("slow-leastconn")?.backend.balance).toBe("leastconn");
  });
});
