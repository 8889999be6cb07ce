import { describe, expect, it } from "vitest";
import type { RandomStream } from "../random.js";
import { server } from "../test-support.js";
import type { ModelContext } from "./context.js";
import {
  applyFault,
  CheckOutcomes,
  CheckWait,
  Connect,
  clearFault,
  clearFaults,
  FAULT_MODES,
  faultModeOf,
  LOST,
} from "./faults.js";
import { Server } from "./server.js";

/** A context recording what the modes' `applied` hooks and `restore` ask of the model. */
function fakeContext() {
  const calls: string[] = [];
  const ctx = {
    balancers: [{ crashCut: () => calls.push("crashCut"), jobDropped: () => calls.push("jobDropped") }],
    service: {
      dropAll: () => calls.push("dropAll"),
      speedChanged: () => calls.push("speedChanged"),
    },
  } as unknown as ModelContext;
  return { ctx, calls };
}

/** A stream whose draws are counted, to show which questions draw and which do not. */
function countingStream(value: number): RandomStream & { draws: number } {
  const stream = {
    draws: 0,
    next: () => {
      stream.draws++;
      return value;
    },
    nextUint32: () => 0,
  };
  return stream;
}

describe("failure modes (faults.ts)", () => {
  it("has one entry per fault action of the scenario syntax", () => {
    expect(FAULT_MODES.map((mode) => mode.event).sort()).toEqual([
      "crash",
      "errors",
      "hang",
      "loss",
      "partition",
      "refuse-first",
      "reset",
      "slow",
    ]);
    expect(faultModeOf("restore")).toBeUndefined();
    expect(faultModeOf("rate")).toBeUndefined();
  });

  it("lets a connect through, answers 200 and leaves checks alone when nothing is on, drawing nothing", () => {
    const s = new Server(0, server("a"));
    const draws = countingStream(0);
    expect(s.faults.connect).toBe(Connect.Accept);
    expect(s.faults.response(draws)).toBe(200);
    expect(s.faults.check(true, draws)).toBeNull();
    expect(draws.draws).toBe(0);
    expect(s.faults.slowFactor).toBe(1);
  });

  it("makes a crash refuse connects, cut the work in progress and fail checks at once", () => {
    const { ctx, calls } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "crash", server: "a" });
    expect(s.faults.connect).toBe(Connect.Refuse);
    expect(s.faults.check(false, countingStream(0))).toBe(CheckOutcomes.refused);
    // Jobs dropped before the responses are cut, as HAProxy sees the RSTs after the process died.
    expect(calls).toEqual(["dropAll", "crashCut"]);
  });

  it("makes a hang accept connects it never serves: an L4 check passes, an HTTP check times out on the response", () => {
    const { ctx, calls } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "hang", server: "a" });
    expect(s.faults.connect).toBe(Connect.Silent);
    expect(s.faults.check(false, countingStream(0))).toBe(CheckOutcomes.pass);
    expect(s.faults.check(true, countingStream(0))?.wait).toBe(CheckWait.Response);
    expect(calls).toEqual(["dropAll"]);
  });

  it("makes a crash end a hang and a hang end a crash (one process state at a time)", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "hang", server: "a" });
    applyFault(ctx, s, { atMs: 0, kind: "crash", server: "a" });
    expect(s.faults.has(faultModeOf("hang")!)).toBe(false);
    applyFault(ctx, s, { atMs: 0, kind: "hang", server: "a" });
    expect(s.faults.has(faultModeOf("crash")!)).toBe(false);
    expect(s.faults.connect).toBe(Connect.Silent);
  });

  it("asks the modes in precedence order: a crash's refusal over a partition's silence over a hang", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "hang", server: "a" });
    applyFault(ctx, s, { atMs: 0, kind: "partition", server: "a" });
    expect(s.faults.connect).toBe(Connect.NoAnswer);
    expect(s.faults.check(true, countingStream(0))).toBe(CheckOutcomes.connectTimeout);
    applyFault(ctx, s, { atMs: 0, kind: "crash", server: "a" });
    expect(s.faults.connect).toBe(Connect.Refuse);
    clearFault(s, "partition");
    expect(s.faults.connect).toBe(Connect.Refuse);
  });

  it("loses the responses of a partitioned server before any error rate draws", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "errors", server: "a", rate: 1 });
    applyFault(ctx, s, { atMs: 0, kind: "partition", server: "a" });
    const draws = countingStream(0);
    expect(s.faults.response(draws)).toBe(LOST);
    expect(draws.draws).toBe(0);
    clearFault(s, "partition");
    expect(s.faults.response(draws)).toBe(500);
    expect(draws.draws).toBe(1);
  });

  it("turns a response into a 500 and fails an HTTP check when the draw falls under the rate", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "errors", server: "a", rate: 0.3 });
    expect(s.faults.response(countingStream(0.29))).toBe(500);
    expect(s.faults.response(countingStream(0.3))).toBe(200);
    expect(s.faults.check(true, countingStream(0.29))).toBe(CheckOutcomes.badStatus);
    expect(s.faults.check(true, countingStream(0.3))).toBe(CheckOutcomes.pass);
    // An L4 check never sees the HTTP status.
    expect(s.faults.check(false, countingStream(0))).toBeNull();
  });

  it("slows the service by the factor and tells the service at once; restore clears every mode", () => {
    const { ctx, calls } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "slow", server: "a", factor: 3 });
    applyFault(ctx, s, { atMs: 0, kind: "partition", server: "a" });
    expect(s.faults.slowFactor).toBe(3);
    expect(calls).toEqual(["speedChanged"]);
    clearFaults(ctx, s);
    expect(s.faults.mask).toBe(0);
    expect(s.faults.slowFactor).toBe(1);
    expect(s.faults.connect).toBe(Connect.Accept);
    expect(calls).toEqual(["speedChanged", "speedChanged"]);
  });
  it("makes a reset accept connects and cut the work in progress; an L4 check passes, an HTTP check fails (SOCKERR)", () => {
    const { ctx, calls } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "reset", server: "a" });
    expect(s.faults.attempt()).toBe(Connect.Reset);
    expect(s.faults.check(false, countingStream(0))).toBe(CheckOutcomes.pass);
    expect(s.faults.check(true, countingStream(0))).toBe(CheckOutcomes.responseReset);
    expect(CheckOutcomes.responseReset.status).toBe("SOCKERR");
    expect(calls).toEqual(["dropAll", "crashCut"]);
    applyFault(ctx, s, { atMs: 0, kind: "crash", server: "a" });
    expect(s.faults.has(faultModeOf("reset")!)).toBe(false);
  });

  it("counts refuse-first down on every connect it answers, requests' and checks', then turns it off", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "refuse-first", server: "a", count: 3 });
    expect(s.faults.attempt()).toBe(Connect.Refuse);
    expect(s.faults.check(true, countingStream(0))).toBe(CheckOutcomes.refused);
    expect(s.faults.attempt()).toBe(Connect.Refuse);
    expect(s.faults.mask).toBe(0);
    expect(s.faults.attempt()).toBe(Connect.Accept);
    expect(s.faults.check(true, countingStream(0))).toBeNull();
  });

  it("does not count the connects another mode answers first (a partition: no SYN arrives)", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a"));
    applyFault(ctx, s, { atMs: 0, kind: "refuse-first", server: "a", count: 1 });
    applyFault(ctx, s, { atMs: 0, kind: "partition", server: "a" });
    expect(s.faults.attempt()).toBe(Connect.NoAnswer);
    expect(s.faults.attempt()).toBe(Connect.NoAnswer);
    clearFault(s, "partition");
    expect(s.faults.attempt()).toBe(Connect.Refuse);
    expect(s.faults.attempt()).toBe(Connect.Accept);
  });

  it("combines the server's own loss with a timeline loss as independent losses; restore keeps the server's", () => {
    const { ctx } = fakeContext();
    const s = new Server(0, server("a", { loss: 0.5 }));
    expect(s.faults.lossRate).toBe(0.5);
    applyFault(ctx, s, { atMs: 0, kind: "loss", server: "a", rate: 0.5 });
    expect(s.faults.lossRate).toBe(0.75);
    expect(s.faults.attempt()).toBe(Connect.Accept);
    clearFaults(ctx, s);
    expect(s.faults.lossRate).toBe(0.5);
  });
});
