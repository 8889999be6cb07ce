// The size guard counts every kind of event, not only requests (DESIGN.md "Limits").
import { describe, expect, it } from "vitest";
import { issuesOf } from "./errors-test-support.js";
import { estimateEvents, MAX_EVENTS } from "./limits.js";
import { parseScenario } from "./parse.js";

/** `count` servers checked every `inter`, and one request a second. */
function checked(count: number, inter: string, duration: string): string {
  const servers = Array.from({ length: count }, (_, i) => `    - {name: s${i}}`).join("\n");
  return `duration: ${duration}
backend:
  service: {exponential: 10ms}
  check: {inter: ${inter}}
  servers:
${servers}
clients:
  - name: c
    arrivals: {poisson: 1/s}
`;
}

describe("the size guard", () => {
  it("refuses 10^4 servers checked every 1 ms for 30 days, though it has few requests", () => {
    // 10^4 servers × 2.592·10^9 ms / 1 ms = 2.592·10^13 checks; requests only 2.592·10^6.
    const issues = issuesOf(checked(10_000, "1ms", "30d"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "too-large", path: "duration", line: 1, column: 11 });
    expect(issues[0]?.message).toContain("about 2.59e+13 events expected, more than the limit of 1e+10");
    expect(issues[0]?.message).toContain("health checks 2.59e+13");
    expect(issues[0]?.message).toContain("requests 2.59e+6");
    expect(issues[0]?.hint).toContain("--force");
  });

  it("accepts the same scenario with --force", () => {
    const scenario = parseScenario(checked(10_000, "1ms", "30d"), "s.yaml", { force: true });
    expect(estimateEvents(scenario).checks).toBeCloseTo(2.592e13, -9);
  });

  it("accepts a short one: 10 servers every 2 s for an hour", () => {
    const scenario = parseScenario(checked(10, "2s", "1h"), "s.yaml");
    const estimate = estimateEvents(scenario);
    expect(estimate.checks).toBe(10 * 1800);
    expect(estimate.requests).toBe(3600);
    expect(estimate.buckets).toBe(1800); // 3,600 s: autoBucket 2 s
    expect(estimate.series).toBe(1800 * 11);
    expect(estimate.total).toBeLessThan(MAX_EVENTS);
  });

  it("counts client retries at most once per retry per request", () => {
    const text = checked(1, "2s", "1h").replace(
      "{poisson: 1/s}",
      "{poisson: 1/s}\n    retry: {count: 3, backoff: 1s}",
    );
    const estimate = estimateEvents(parseScenario(text, "s.yaml"));
    expect(estimate.clientRetries).toBe(3 * 3600);
  });

  it("counts a rolling upgrade as three steps per server", () => {
    const text = `${checked(4, "2s", "1h")}events:\n  - {at: 10s, rolling-upgrade: {}}\n`;
    const scenario = parseScenario(text, "s.yaml");
    expect(estimateEvents(scenario).timeline).toBe(12);
  });
});
