// lbsim replay of a log a real HAProxy 2.6 wrote under open-loop load: the logged counts and percentiles come back.
//
// Three stubs answer 10 ms after each request (timers: no wait inside them), behind `balance
// roundrobin` with weights 3/2/1; 2,000 Poisson requests at 500/s (4 s) on fresh connections. The
// log (`log stdout format raw`, `option httplog`) is replayed with its cfg.
//
// The tolerance comes from the log itself. Nothing queues (no maxconn, the stubs serve at once),
// so request i's replayed latency is its time at the server, Ta − TR − Tw − Tc with Tw = 0 (TR,
// receiving the headers, and Tc, connecting, are not replayed), scaled by speed(logged server) /
// speed(replayed server) when the replay sends it elsewhere (requests accepted in the same ms
// come in file order, which may not be HAProxy's). So each replayed latency lies in
// [(Ta − M) · rmin, Ta · rmax], M = the log's largest TR + Tc, rmin and rmax the smallest and
// largest ratio of two estimated speeds; a percentile of such values lies in the same range
// around the logged one, widened by the histogram's 0.1%. Counts need no tolerance beyond ±1:
// weighted roundrobin gives 1000/667/333 in any order, up to where in its cycle each started.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../cli/app.js";
import { createToolkit } from "../../cli/main.js";
import type { LoggedResults } from "../../cli/replay-run.js";
import { fakePackage, recordingIo } from "../../cli/test-support.js";
import { compileLogFormat, HTTPLOG_FORMAT } from "../../scenarios/index.js";
import type { Results } from "../../sim/index.js";
import { describeWithHaproxy } from "./conformance.js";
import { findHaproxy } from "./harness.js";
import { runLoadOnHaproxy } from "./replay-run.js";

const REQUESTS = 2_000;

interface ReplayOut {
  readonly logged: LoggedResults;
  readonly replayed: Results;
  readonly log: { readonly bad: number };
  readonly estimate: { readonly speeds: ReadonlyArray<{ readonly server: string; readonly speed: number }> };
}

function binary(): string {
  const found = findHaproxy();
  if (found === undefined) throw new Error("haproxy not found");
  return found.binary;
}

describeWithHaproxy("lbsim replay of a real HAProxy log under open-loop load", () => {
  it("replayed with the logged strategy: per-server counts and p50/p99 as HAProxy logged them", async () => {
    const run = await runLoadOnHaproxy(binary(), {
      balance: "roundrobin",
      servers: [
        { name: "s1", serviceMs: 10, weight: 3 },
        { name: "s2", serviceMs: 10, weight: 2 },
        { name: "s3", serviceMs: 10, weight: 1 },
      ],
      requests: REQUESTS,
      ratePerSecond: 500,
      seed: 11,
    });
    expect(run.lines.length).toBe(REQUESTS);
    const dir = mkdtempSync(join(tmpdir(), "lbsim-replay-real-"));
    try {
      writeFileSync(join(dir, "haproxy.log"), `${run.lines.join("\n")}\n`);
      writeFileSync(join(dir, "haproxy.cfg"), run.cfg);
      const io = recordingIo(dir);
      const code = await runCli(
        ["replay", join(dir, "haproxy.log"), "--cfg", join(dir, "haproxy.cfg"), "--json", "-"],
        createToolkit({ LBSIM_WORKER: "0" }),
        fakePackage(dir),
        io,
      );
      expect(code).toBe(0);
      const out = JSON.parse(io.stdout()) as ReplayOut;
      expect(out.log.bad).toBe(0);
      expect(out.logged.requests.failed).toBe(0);
      const counts = (servers: ReadonlyArray<{ name: string; requests: number }>) =>
        Object.fromEntries(servers.map((s) => [s.name, s.requests]));
      // Weighted roundrobin over 2,000 requests: 1000/667/333 whatever the order; ±1 for where
      // in its cycle each started.
      const logged = counts(out.logged.servers);
      const replayed = counts(out.replayed.servers);
      for (const name of ["s1", "s2", "s3"])
        expect(Math.abs(replayed[name]! - logged[name]!)).toBeLessThanOrEqual(1);
      expect(logged.s1! + logged.s2! + logged.s3!).toBe(REQUESTS);

      const format = compileLogFormat(HTTPLOG_FORMAT);
      const entries = run.lines.map((l) => format.parse(l)!);
      const notReplayedMs = Math.max(...entries.map((e) => Math.max(0, e.TR) + e.Tc));
      const speeds = (JSON.parse(io.stdout()) as ReplayOut).estimate.speeds.map((s) => s.speed);
      const rmax = Math.max(...speeds) / Math.min(...speeds);
      for (const key of ["p50Ms", "p99Ms"] as const) {
        const p = out.logged.latency[key];
        expect(out.replayed.latency[key]).toBeGreaterThanOrEqual(
          ((p - notReplayedMs) / rmax) * 0.999 - 0.001,
        );
        expect(out.replayed.latency[key]).toBeLessThanOrEqual(p * rmax * 1.001 + 0.001);
      }
      // The speeds themselves are not checked here: on a loaded machine the stubs' timers stall
      // together for tens of ms, so the per-server mean times are not independent samples and no
      // standard error bounds them (seen: 2.5× apart under the whole suite). rmax above takes
      // whatever they came out as; the round-trip spec (cli/replay-command.spec.ts) checks them.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
