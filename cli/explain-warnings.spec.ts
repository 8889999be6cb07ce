// Each trap `lbsim explain` warns about: a cfg that triggers it (at the line that causes it) and
// one that does not.
import { describe, expect, it } from "vitest";
import { cfgLines, importHaproxyCfg } from "../scenarios/index.js";
import { explainLimits } from "./explain-limits.js";
import { explainShares } from "./explain-shares.js";
import { backendsOf, cfgWith } from "./explain-test-support.js";
import { explainWarnings, type WarningCode } from "./explain-warnings.js";

function warningsOf(cfg: string, ratePerSecond = 100, serviceMeanMs = 20) {
  const backend = backendsOf(cfg)[0]!;
  const imported = importHaproxyCfg(cfg, "test.cfg");
  const lines = cfgLines(cfg);
  const limits = explainLimits(
    imported,
    backend,
    lines.find("be", ["timeout", "queue"]) !== undefined,
    serviceMeanMs,
  );
  return explainWarnings({
    backend,
    lines,
    shares: explainShares(backend, 1),
    limits,
    ratePerSecond,
    serviceMeanMs,
  });
}

/** The 1-based line of `text` in `cfg`. */
const lineOf = (cfg: string, text: string): number => cfg.split("\n").findIndex((l) => l.trim() === text) + 1;

const TWO = ["server s1 10.0.0.1:80 check", "server s2 10.0.0.2:80 check"];
const HTTP = ["option httpchk", "retries 2", "option redispatch"];

interface Case {
  readonly code: WarningCode;
  readonly triggers: string;
  /** The line the warning must point at. */
  readonly at: string;
  readonly quiet: string;
  /** [rate per second, mean service ms] of each run; [100, 20] when not said. */
  readonly triggerTraffic?: readonly [number, number];
  readonly quietTraffic?: readonly [number, number];
}

const cases: ReadonlyArray<Case> = [
  {
    code: "retries-without-redispatch",
    triggers: cfgWith(["option httpchk", "retries 3", ...TWO]),
    at: "retries 3",
    quiet: cfgWith(["option httpchk", "retries 3", "option redispatch", ...TWO]),
  },
  {
    code: "hash-redispatch-late",
    triggers: cfgWith(["balance source", "hash-type consistent", ...HTTP, ...TWO]),
    at: "option redispatch",
    quiet: cfgWith(["balance roundrobin", ...HTTP, ...TWO]),
  },
  {
    // 10/s × 20ms over 2 servers: 0.1 request in flight per server; 100/s × 2s: 100.
    code: "leastconn-short-requests",
    triggers: cfgWith(["balance leastconn", ...HTTP, ...TWO]),
    at: "balance leastconn",
    quiet: cfgWith(["balance leastconn", ...HTTP, ...TWO]),
    triggerTraffic: [10, 20],
    quietTraffic: [100, 2000],
  },
  {
    code: "maxconn-above-servers",
    triggers: cfgWith([
      ...HTTP,
      "timeout queue 1s",
      "server s1 10.0.0.1:80 check maxconn 10",
      "server s2 10.0.0.2:80 check maxconn 10",
    ]).replace("frontend fe\n", "frontend fe\n  maxconn 100\n"),
    at: "maxconn 100",
    quiet: cfgWith([
      ...HTTP,
      "timeout queue 1s",
      "server s1 10.0.0.1:80 check maxconn 50",
      "server s2 10.0.0.2:80 check maxconn 50",
    ]).replace("frontend fe\n", "frontend fe\n  maxconn 100\n"),
  },
  {
    code: "no-check",
    triggers: cfgWith([...HTTP, "server s1 10.0.0.1:80 check", "server s2 10.0.0.2:80"]),
    at: "server s2 10.0.0.2:80",
    quiet: cfgWith([...HTTP, ...TWO]),
  },
  {
    code: "backup-no-check",
    triggers: cfgWith([...HTTP, ...TWO, "server b 10.0.0.3:80 backup"]),
    at: "server b 10.0.0.3:80 backup",
    quiet: cfgWith([...HTTP, ...TWO, "server b 10.0.0.3:80 backup check"]),
  },
  {
    code: "l4-check-misses-hang",
    triggers: cfgWith(["retries 2", "option redispatch", ...TWO]),
    at: "server s1 10.0.0.1:80 check",
    quiet: cfgWith([...HTTP, ...TWO]),
  },
  {
    code: "timeout-queue-unset",
    triggers: cfgWith([...HTTP, "server s1 10.0.0.1:80 check maxconn 5", "server s2 10.0.0.2:80 check"]),
    at: "timeout connect 5s",
    quiet: cfgWith([
      ...HTTP,
      "timeout queue 2s",
      "server s1 10.0.0.1:80 check maxconn 5",
      "server s2 10.0.0.2:80 check",
    ]),
  },
  {
    code: "timeout-unset",
    triggers: cfgWith([...HTTP, ...TWO]).replace("  timeout server 30s\n", ""),
    at: "backend be",
    quiet: cfgWith([...HTTP, ...TWO]),
  },
  {
    // inter 2s fall 3: up to 6s to DOWN; at 100/s half of it on s1 is 300 requests ≥ 100;
    // inter 200ms: up to 600ms, 30 requests.
    code: "inter-long-for-rate",
    triggers: cfgWith([...HTTP, ...TWO]),
    at: "server s1 10.0.0.1:80 check",
    quiet: cfgWith([
      ...HTTP,
      "server s1 10.0.0.1:80 check inter 200ms",
      "server s2 10.0.0.2:80 check inter 200ms",
    ]),
  },
  {
    code: "hash-map-based",
    triggers: cfgWith(["balance uri", ...HTTP, ...TWO]),
    at: "balance uri",
    quiet: cfgWith(["balance uri", "hash-type consistent", ...HTTP, ...TWO]),
  },
  {
    code: "hash-no-avalanche",
    triggers: cfgWith(["balance source", "hash-type consistent djb2", ...HTTP, ...TWO]),
    at: "hash-type consistent djb2",
    quiet: cfgWith(["balance source", "hash-type consistent", ...HTTP, ...TWO]),
  },
];

describe("explain: warnings", () => {
  it.each(cases)("$code: warned at the line that causes it", (c) => {
    const [rate, serviceMs] = c.triggerTraffic ?? [100, 20];
    const found = warningsOf(c.triggers, rate, serviceMs).filter((w) => w.code === c.code);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.line).toBe(lineOf(c.triggers, c.at));
    expect(found[0]!.cite).toMatch(/§\d/);
  });

  it.each(cases)("$code: not warned when the cfg avoids it", (c) => {
    const [rate, serviceMs] = c.quietTraffic ?? [100, 20];
    const found = warningsOf(c.quiet, rate, serviceMs).filter((w) => w.code === c.code);
    expect(found).toEqual([]);
  });

  it("leastconn is not warned about at 1 request in flight per server (100/s × 20ms over 2)", () => {
    const cfg = cfgWith(["balance leastconn", ...HTTP, ...TWO]);
    expect(warningsOf(cfg, 100, 20).map((w) => w.code)).not.toContain("leastconn-short-requests");
    expect(warningsOf(cfg, 99, 20).map((w) => w.code)).toContain("leastconn-short-requests");
  });

  it("a global maxconn above Σ maxconn is cited at the global line when the frontend has none", () => {
    const cfg = `global\n  maxconn 2000\n${cfgWith([...HTTP, "timeout queue 1s", "server s1 10.0.0.1:80 check maxconn 10", "server s2 10.0.0.2:80 check maxconn 10"])}`;
    const warning = warningsOf(cfg).find((w) => w.code === "maxconn-above-servers");
    expect(warning?.line).toBe(2);
    // 2000 admitted, 20 at the servers: 1980 wait.
    expect(warning?.message).toContain("global maxconn 2000 (frontend fe has none of its own)");
    expect(warning?.message).toContain("the other 1980 wait");
  });

  it("a retries line in defaults is cited there", () => {
    const cfg = cfgWith(["option httpchk", ...TWO], ["retries 4"]);
    expect(warningsOf(cfg).find((w) => w.code === "retries-without-redispatch")?.line).toBe(
      lineOf(cfg, "retries 4"),
    );
  });

  it("HAProxy's default retries 3 without redispatch is warned at the backend's header", () => {
    const cfg = cfgWith(["option httpchk", ...TWO]);
    const warning = warningsOf(cfg).find((w) => w.code === "retries-without-redispatch");
    expect(warning?.line).toBe(lineOf(cfg, "backend be"));
    expect(warning?.message).toContain("retries 3");
  });
});
