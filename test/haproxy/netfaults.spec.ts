// Network faults on a real HAProxy and in lbsim's model: the same case, the same status, termination and retries.
//
// Each case runs one HAProxy (fault-harness.ts: httplog read from stdout, `show stat` from the admin
// socket) in front of one misbehaving loopback stub (fault-stubs.ts), then the same case through
// lbsim (one server s1, the fault written as the scenario's syntax), and compares what the log says.
// Observed on HAProxy 2.6.12-1+deb12u4 (Debian 12, Linux loopback), December 2026:
//
//   reset (stub: accept, RST)  request  502 SH-- Tc 0, Tr -1, Ta 0-2 ms, retries 0 (connected: no retry), eresp +2
//                              checks   `check` alone: L4OK (the connect succeeded), stays UP;
//                                       `option httpchk`: SOCKERR "Connection reset by peer", DOWN
//   loss 100% (SYNs dropped:   request  `timeout connect 1500ms`, retries 0: 503 sC-- Tc -1, Ta 1503
//     full accept queue)                retries 2: 503 sC-- Ta 4504 (3 × 1500: no turn-around after a
//                                       timeout), retries field 2, wretr 2, econ 1
//                              checks   `check inter 500` (no `timeout check`): L4TOUT in 502 ms, for
//                                       `option httpchk` too; with `timeout check 300ms` and
//                                       `timeout connect 1500ms`, inter 2s: L4TOUT in 1501 ms
//   a SYN lost once (queue     request  200 ---- Tc 1013 (the SYN re-sent 1 s later got through)
//     freed after 500 ms)      checks   L4OK, check_duration 1023 ms
//   refused until released     request  retries 3, released 1.5 s after: 200 ---- Tc 2003, retries 2
//     (no listener)                     (two refusals, each followed by the 1 s turn-around)
//                              checks   L4CON "Connection refused", for `option httpchk` too
//   response delayed 300 ms    request  200 ---- Tr 305 (an RTT on the response path only: loopback
//                                       cannot delay a SYN without `tc netem`, which needs root)
//
// Timers are compared where they are deterministic: lbsim's exact value against HAProxy's measured
// one within a few tens of ms (HAProxy's timers have 1 ms resolution plus scheduling noise).
import { expect, it } from "vitest";
import { logged, type NetCase, runNetCase } from "../../sim/model/network-test-support.js";
import type { RequestRecord } from "../../sim/run-types.js";
import { describeWithHaproxy } from "./conformance.js";
import { type FaultCase, type LogLine, runFaultCase } from "./fault-harness.js";
import { findHaproxy } from "./harness.js";

const binary = () => findHaproxy()!.binary;
/** HAProxy's timers against lbsim's exact ones: its 1 ms ticks, plus a loaded 2-core host's scheduling. */
const SLACK_MS = 60;

/** The log fields both sides must agree on exactly. */
function haproxyShape(line: LogLine): string {
  return `${line.status} ${line.termination} retries ${line.retries}`;
}
function lbsimShape(record: RequestRecord): string {
  return `${record.status} ${record.termination} retries ${record.redispatched ? "+" : ""}${record.retries}`;
}

async function bothSides(haproxy: FaultCase, lbsim: NetCase) {
  const run = await runFaultCase(binary(), haproxy);
  const { records, results } = runNetCase(lbsim);
  return { run, records, results };
}

describeWithHaproxy("network faults: HAProxy's log and checks against lbsim's", () => {
  it("reset: 502 SH, connected (Tc 0), no response (Tr -1), never retried", async () => {
    const { run, records } = await bothSides(
      {
        stub: { kind: "reset" },
        defaults: ["timeout connect 1s", "retries 3"],
        steps: [{ kind: "request" }],
      },
      { retries: 3, events: ["{at: 0s, reset: s1}"], arrivalsMs: [10] },
    );
    expect(run.logs.map(haproxyShape)).toEqual(["502 SH-- retries 0"]);
    expect(records.map(lbsimShape)).toEqual(["502 SH-- retries 0"]);
    expect(run.logs[0]!.timers.slice(2, 4)).toEqual([0, -1]);
    expect(logged(records[0]!)).toBe("502 SH-- 0/-1 0");
  });

  it.each([
    ["tcp", "L4OK", "UP", ""],
    ["http", "SOCKERR", "DOWN", "option httpchk GET /"],
  ])("reset: a %s check reports %s, the server %s", async (type, status, state, option) => {
    const { run, results } = await bothSides(
      {
        stub: { kind: "reset", resetOnAccept: true },
        defaults: ["timeout connect 1s"],
        backend: option === "" ? [] : [option],
        server: "check inter 300 fall 1 rise 1",
        steps: [{ kind: "pause", ms: 1000 }, { kind: "stat" }],
      },
      {
        server: `check: {type: ${type}, inter: 300ms, rise: 1, fall: 1}`,
        events: ["{at: 0s, reset: s1}"],
        duration: "1s",
      },
    );
    expect(run.stats[0]!.checkStatus).toBe(status);
    expect(run.stats[0]!.status).toBe(state);
    expect(results.servers[0]!.lastCheck).toBe(status);
    expect(results.servers[0]!.states!.at(-1)!.state).toBe(state);
  });

  it("loss 100%, retries 0: 503 sC once `timeout connect` expires", async () => {
    const { run, records } = await bothSides(
      {
        stub: { kind: "drop" },
        defaults: ["timeout connect 1500ms", "retries 0"],
        steps: [{ kind: "request" }],
      },
      {
        connect: "1500ms",
        retries: 0,
        events: ["{at: 0s, loss: {server: s1, rate: 100%}}"],
        arrivalsMs: [10],
      },
    );
    expect(run.logs.map(haproxyShape)).toEqual(["503 sC-- retries 0"]);
    expect(records.map(lbsimShape)).toEqual(["503 sC-- retries 0"]);
    expect(records[0]!.totalMs).toBe(1500);
    expect(Math.abs(run.logs[0]!.timers[4]! - records[0]!.totalMs)).toBeLessThan(SLACK_MS);
  });

  it("loss 100%, retries 2: three timed-out attempts back to back (no turn-around after a timeout)", async () => {
    const { run, records } = await bothSides(
      {
        stub: { kind: "drop" },
        defaults: ["timeout connect 1500ms", "retries 2"],
        steps: [{ kind: "request" }],
      },
      {
        connect: "1500ms",
        retries: 2,
        events: ["{at: 0s, loss: {server: s1, rate: 100%}}"],
        arrivalsMs: [10],
      },
    );
    expect(run.logs.map(haproxyShape)).toEqual(["503 sC-- retries 2"]);
    expect(records.map(lbsimShape)).toEqual(["503 sC-- retries 2"]);
    expect(records[0]!.totalMs).toBe(4500);
    expect(Math.abs(run.logs[0]!.timers[4]! - 4500)).toBeLessThan(SLACK_MS);
  });

  it("a SYN lost once: the one re-sent 1 s later connects (Tc ≈ 1000 ms)", async () => {
    const { run, records } = await bothSides(
      {
        stub: { kind: "drop" },
        defaults: ["timeout connect 1500ms", "retries 0"],
        steps: [{ kind: "request", wait: false }, { kind: "pause", ms: 500 }, { kind: "release" }],
      },
      {
        connect: "1500ms",
        retries: 0,
        events: ["{at: 0s, loss: {server: s1, rate: 100%}}", "{at: 510ms, restore: s1}"],
        arrivalsMs: [10],
      },
    );
    expect(run.logs.map(haproxyShape)).toEqual(["200 ---- retries 0"]);
    expect(records.map(lbsimShape)).toEqual(["200 ---- retries 0"]);
    expect(records[0]!.connectMs).toBe(1000);
    expect(Math.abs(run.logs[0]!.timers[2]! - 1000)).toBeLessThan(SLACK_MS);
  });

  it.each([
    ["tcp", ""],
    ["http", "option httpchk GET /"],
  ])("loss 100%: a %s check times out on connect after inter (L4TOUT)", async (type, option) => {
    const { run, results } = await bothSides(
      {
        stub: { kind: "drop" },
        defaults: ["timeout connect 1500ms"],
        backend: option === "" ? [] : [option],
        server: "check inter 500 fall 1 rise 1",
        steps: [{ kind: "pause", ms: 1300 }, { kind: "stat" }],
      },
      {
        connect: "1500ms",
        server: `loss: 100%, check: {type: ${type}, inter: 500ms, rise: 1, fall: 1}`,
        duration: "1300ms",
      },
    );
    expect(run.stats[0]!.checkStatus).toBe("L4TOUT");
    expect(Math.abs(run.stats[0]!.checkDurationMs - 500)).toBeLessThan(SLACK_MS);
    expect(results.servers[0]!.lastCheck).toBe("L4TOUT");
    expect(results.servers[0]!.states!.at(-1)!.state).toBe("DOWN");
  });

  it("loss 100% with `timeout check`: the check's connect is limited by timeout connect, not inter", async () => {
    const { run, results } = await bothSides(
      {
        stub: { kind: "drop" },
        defaults: ["timeout connect 1500ms", "timeout check 300ms"],
        server: "check inter 2s fall 1 rise 1",
        steps: [{ kind: "pause", ms: 2200 }, { kind: "stat" }],
      },
      {
        connect: "1500ms",
        server: "loss: 100%, check: {type: tcp, inter: 2s, timeout: 300ms, rise: 1, fall: 1}",
        duration: "2200ms",
      },
    );
    expect(run.stats[0]!.checkStatus).toBe("L4TOUT");
    expect(Math.abs(run.stats[0]!.checkDurationMs - 1500)).toBeLessThan(SLACK_MS);
    expect(results.servers[0]!.lastCheck).toBe("L4TOUT");
    // The first check starts at 0 ms: its connect times out, and the server is DOWN, at 1500 ms.
    expect(results.servers[0]!.states.map((s) => `${s.atMs} ${s.state}`)).toEqual(["0 UP", "1500 DOWN"]);
  });

  it("refuse-first 2, retries 3: two refusals and their turn-arounds, then 200 (Tc ≈ 2000 ms, retries 2)", async () => {
    const { run, records } = await bothSides(
      {
        stub: { kind: "refuse" },
        defaults: ["timeout connect 1s", "retries 3"],
        // Released between the second refusal (at 1 s) and the third attempt (at 2 s).
        steps: [{ kind: "request", wait: false }, { kind: "pause", ms: 1500 }, { kind: "release" }],
      },
      { retries: 3, events: ["{at: 0s, refuse-first: {server: s1, count: 2}}"], arrivalsMs: [10] },
    );
    expect(run.logs.map(haproxyShape)).toEqual(["200 ---- retries 2"]);
    expect(records.map(lbsimShape)).toEqual(["200 ---- retries 2"]);
    expect(records[0]!.connectMs).toBe(2000);
    expect(Math.abs(run.logs[0]!.timers[2]! - 2000)).toBeLessThan(SLACK_MS);
  });

  it.each([
    ["tcp", ""],
    ["http", "option httpchk GET /"],
  ])("refused: a %s check fails at once with L4CON", async (type, option) => {
    const { run, results } = await bothSides(
      {
        stub: { kind: "refuse" },
        defaults: ["timeout connect 1s"],
        backend: option === "" ? [] : [option],
        server: "check inter 300 fall 1 rise 1",
        steps: [{ kind: "pause", ms: 800 }, { kind: "stat" }],
      },
      {
        server: `check: {type: ${type}, inter: 300ms, rise: 1, fall: 1}`,
        events: ["{at: 0s, refuse-first: {server: s1, count: 100}}"],
        duration: "800ms",
      },
    );
    expect(run.stats[0]!.checkStatus).toBe("L4CON");
    expect(run.stats[0]!.checkDurationMs).toBeLessThan(SLACK_MS);
    expect(results.servers[0]!.lastCheck).toBe("L4CON");
    expect(results.servers[0]!.states!.at(-1)!.state).toBe("DOWN");
  });
});
