// Queue and timeout limits of `lbsim explain`: Σ maxconn, the frontends that feed a backend, timeouts.
import { describe, expect, it } from "vitest";
import { importHaproxyCfg } from "../scenarios/index.js";
import { explainLimits } from "./explain-limits.js";
import { backendScenario } from "./explain-model.js";
import { backendsOf, TRAFFIC } from "./explain-test-support.js";

const CFG = [
  "global",
  "  maxconn 900",
  "defaults",
  "  mode http",
  "  timeout connect 3s",
  "  timeout client 20s",
  "  timeout server 10s",
  "frontend web",
  "  bind :80",
  "  maxconn 300",
  "  acl api path_beg /api",
  "  use_backend api if api",
  "  default_backend site",
  "frontend admin",
  "  bind :81",
  "  default_backend api",
  "backend site",
  "  timeout queue 4s",
  "  server s1 1.1.1.1:80 maxconn 30 maxqueue 5",
  "  server s2 1.1.1.2:80 maxconn 20 maxqueue 5",
  "backend api",
  "  server a1 1.1.2.1:80 maxconn 10",
  "  server a2 1.1.2.2:80",
  "",
].join("\n");

describe("explain: limits", () => {
  const imported = importHaproxyCfg(CFG, "test.cfg");
  const [site, api] = backendsOf(CFG);

  it("adds up the servers' maxconn and maxqueue, and what they finish per second", () => {
    const limits = explainLimits(imported, site!, true, 25);
    expect(limits).toMatchObject({ sumMaxconn: 50, sumMaxqueue: 10 });
    // 50 requests at once, 25 ms each: 50 / 0.025 s = 2,000/s.
    expect(limits.throughputPerSecond).toBe(2000);
    expect(limits.timeouts).toEqual({
      connectMs: 3000,
      serverMs: 10_000,
      queueMs: 4000,
      queueFromConnect: false,
    });
  });

  it("is unlimited when one server has no maxconn, and takes timeout connect for an unset timeout queue", () => {
    const limits = explainLimits(imported, api!, false, 25);
    expect([limits.sumMaxconn, limits.sumMaxqueue, limits.throughputPerSecond]).toEqual([null, null, null]);
    expect(limits.timeouts).toMatchObject({ queueMs: 3000, queueFromConnect: true });
  });

  it("lists the frontends that send requests to the backend, with their maxconn (or the global one)", () => {
    expect(explainLimits(imported, site!, true, 25).frontends).toEqual([
      { name: "web", maxconn: 300, clientTimeoutMs: 20_000 },
    ]);
    expect(explainLimits(imported, api!, false, 25).frontends).toEqual([
      { name: "web", maxconn: 300, clientTimeoutMs: 20_000 },
      { name: "admin", maxconn: 900, clientTimeoutMs: 20_000 },
    ]);
  });

  it("runs each backend's model behind the first frontend that feeds it, with its limits", () => {
    const api = backendScenario(imported, 1, TRAFFIC, { durationMs: 1000, events: [] });
    expect(api.backend.name).toBe("api");
    expect(api.frontend).toMatchObject({ name: "web", maxconn: 300, clientTimeoutMs: 20_000 });
  });
});
