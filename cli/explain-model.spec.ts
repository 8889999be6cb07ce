// `lbsim explain`'s figures against `lbsim run` of the same cfg and against HAProxy's measured and
// documented timing (haproxy-semantics.md §8: 3 servers, inter 1s fall 3 rise 2, 50 req/s).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Results } from "../sim/index.js";
import { runCli } from "./app.js";
import { explainOf } from "./explain-test-support.js";
import { createToolkit, findPackage } from "./main.js";
import { recordingIo } from "./test-support.js";

const pkg = findPackage();
const dir = mkdtempSync(join(tmpdir(), "lbsim-explain-model-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** §8's failover setup: refused connects, retries 3, with or without option redispatch. */
function failoverCfg(redispatch: boolean): string {
  return [
    "defaults",
    "  mode http",
    "  timeout connect 1s",
    "  timeout client 10s",
    "  timeout server 2s",
    "  retries 3",
    ...(redispatch ? ["  option redispatch"] : []),
    "frontend fe",
    "  bind :80",
    "  default_backend be",
    "backend be",
    "  balance roundrobin",
    "  option httpchk HEAD /",
    "  server s1 127.0.0.1:8001 check inter 1s fall 3 rise 2",
    "  server s2 127.0.0.1:8002 check inter 1s fall 3 rise 2",
    "  server s3 127.0.0.1:8003 check inter 1s fall 3 rise 2",
    "",
  ].join("\n");
}

async function lbsimRun(cfg: string, events: string, slots: number): Promise<Results> {
  writeFileSync(join(dir, "be.cfg"), cfg);
  const scenario = join(dir, "run.yaml");
  writeFileSync(
    scenario,
    [
      "name: explain-agreement",
      "seed: 1",
      "duration: 40s",
      "haproxy: be.cfg",
      "backend:",
      "  service: {exponential: 20ms}",
      `  servers: [{name: s1, slots: ${slots}}, {name: s2, slots: ${slots}}, {name: s3, slots: ${slots}}]`,
      "clients:",
      "  - {name: synthetic, arrivals: {poisson: 50/s}, sources: {count: 10000}, paths: {count: 10000}}",
      `events: ${events}`,
      "",
    ].join("\n"),
  );
  const io = recordingIo(pkg.root);
  const code = await runCli(["run", scenario, "--json", "-"], createToolkit({ LBSIM_WORKER: "0" }), pkg, io);
  expect(io.stderr()).toBe("");
  expect(code).toBe(0);
  return JSON.parse(io.stdout()) as Results;
}

describe("explain: the failover window against lbsim run and HAProxy", () => {
  const report = explainOf(failoverCfg(false), { ratePerSecond: 50 });
  const be = report.backends[0]!;
  const crash = be.failover!.crash;

  it("puts the crash-to-DOWN time of its run inside the formula's range", () => {
    // inter 1s, fall 3: the first failing check within 1s, two more 1s apart → 2s … 3s (§8: 2.82s).
    expect(be.checks!.servers[0]!.crashToDown).toEqual({ minMs: 2000, maxMs: 3000 });
    expect(crash.downAfterMs).toBeGreaterThanOrEqual(2000);
    expect(crash.downAfterMs).toBeLessThanOrEqual(3000);
    // Restore: the first pass within downinter 1s, one more 1s later → 1s … 2s (§8: 1.83s).
    expect(crash.upAfterRestoreMs).toBeGreaterThanOrEqual(1000);
    expect(crash.upAfterRestoreMs).toBeLessThanOrEqual(2000);
  });

  it("agrees with lbsim run of the same cfg with the same crash timeline", async () => {
    const results = await lbsimRun(
      failoverCfg(false),
      `[{at: ${crash.faultAtMs}, crash: s1}, {at: ${crash.restoreAtMs}, restore: s1}]`,
      be.slotsPerServer,
    );
    const s1 = results.servers.find((s) => s.name === "s1")!;
    const down = s1.states.find((c) => c.atMs >= crash.faultAtMs && c.state === "DOWN")!;
    // The checks run on the same schedule in both: the same DOWN time to the millisecond, well
    // within one check interval (1s).
    expect(down.atMs - crash.faultAtMs).toBe(crash.downAfterMs);
  });

  it("counts the errors HAProxy shows without redispatch: a third of the window's requests, all 503 SC", () => {
    // Every request the rr order gives the dead s1 fails after 3 retries on it (§8 rule 4):
    // 50/s × 1/3 × the window; Poisson: within 4 standard deviations of that mean.
    const expected = (50 / 3) * (crash.window.lengthMs / 1000);
    expect(Math.abs(crash.window.errors - expected)).toBeLessThanOrEqual(4 * Math.sqrt(expected));
    expect(Object.keys(crash.window.byStatus)).toEqual(["503 SC--"]);
    expect(crash.window.redispatched).toBe(0);
    expect(crash.window.retried).toBe(crash.window.errors);
  });

  it("shows no errors with option redispatch: every refused connect goes to another server (§8 row 1)", () => {
    const saved = explainOf(failoverCfg(true), { ratePerSecond: 50 }).backends[0]!.failover!.crash;
    expect(saved.window.errors).toBe(0);
    expect(saved.window.redispatched).toBeGreaterThan(0);
  });

  it("times a hang on the HTTP check's timeouts and counts its 504s", () => {
    const hang = be.failover!.hang;
    // Each failed check lasts inter (1s) and waits 1s: 3·1s + 2·1s = 5s, plus up to 1s (§8: 5.82s).
    expect(be.checks!.servers[0]!.hangToDown).toEqual({ minMs: 5000, maxMs: 6000 });
    expect(hang.downAfterMs).toBeGreaterThanOrEqual(5000);
    expect(hang.downAfterMs).toBeLessThanOrEqual(6000);
    // Connected, so never retried: each request on s1 gets 504 after timeout server (§8 rule 5).
    expect(Object.keys(hang.window.byStatus)).toEqual(["504 sH--"]);
    const expected = (50 / 3) * (hang.window.lengthMs / 1000);
    expect(Math.abs(hang.window.errors - expected)).toBeLessThanOrEqual(4 * Math.sqrt(expected));
  });

  it("gives shares that agree with lbsim run's within its binomial interval", async () => {
    const results = await lbsimRun(failoverCfg(false), "[]", be.slotsPerServer);
    const n = results.requests.total;
    for (const server of be.shares!.servers) {
      const measured = results.servers.find((s) => s.name === server.name)!.share;
      // Round-robin is exact (1/3 each); the run's share is that of n requests: 4σ of a binomial.
      expect(server.share).toBeCloseTo(1 / 3, 10);
      expect(Math.abs(measured - server.share)).toBeLessThanOrEqual(
        4 * Math.sqrt((server.share * (1 - server.share)) / n),
      );
    }
  });
});
