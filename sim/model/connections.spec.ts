import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ServerView, Strategy } from "../../strategies/types.js";
import { server } from "../test-support.js";
import { Connections } from "./connections.js";
import type { ModelContext } from "./context.js";
import { Server } from "./server.js";

/** The shipped sources of sim/ (specs and test helpers aside). */
function simSources(dir = new URL("..", import.meta.url).pathname): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...simSources(path));
    else if (
      entry.name.endsWith(".ts") &&
      !entry.name.endsWith(".spec.ts") &&
      !entry.name.includes("test-support")
    )
      out.push({ file: path, text: readFileSync(path, "utf8") });
  }
  return out;
}

/** A strategy recording its taken/released calls as "+name"/"-name", with what the view said then. */
function recordingStrategy(calls: string[]): Strategy {
  return {
    taken: (view: ServerView) => calls.push(`+${view.name} served=${view.served} queued=${view.queued}`),
    released: (view: ServerView) => calls.push(`-${view.name} served=${view.served} queued=${view.queued}`),
  } as unknown as Strategy;
}

function setUp() {
  const clock = { nowMs: 0 };
  const queueChanges: Array<[number, number]> = [];
  const metrics = {
    maxBackendQueue: 0,
    backends: null,
    backendQueueChanging: (nowMs: number, length: number) => queueChanges.push([nowMs, length]),
  };
  const ctx = { engine: clock, metrics } as unknown as ModelContext;
  const calls: string[] = [];
  const connections = new Connections(ctx, 0, {
    active: recordingStrategy(calls),
    backup: recordingStrategy([]),
  });
  return { clock, metrics, queueChanges, calls, connections };
}

describe("connection accounting (connections.ts)", () => {
  it("is the only shipped module of sim/ that writes served, queued or a queue's membership", () => {
    const write =
      /\.(served|queued)\s*(\+\+|--|[-+]?=(?!=))|\.(queue|backendQueue)\.(push|shift|removed|drain)\(/;
    const writers = simSources()
      .filter(({ text }) => write.test(text))
      .map(({ file }) => file.slice(file.lastIndexOf("sim/")));
    expect(writers).toEqual(["sim/model/connections.ts"]);
  });

  it("counts a slot taken and released, tells the strategy after the view changed, and keeps the most in flight", () => {
    const { connections, calls } = setUp();
    const s = new Server(0, server("a"));
    connections.take(s);
    connections.take(s);
    connections.release(s);
    expect(s.view.served).toBe(1);
    expect(s.maxInFlight).toBe(2);
    expect(calls).toEqual(["+a served=1 queued=0", "+a served=2 queued=0", "-a served=1 queued=0"]);
  });

  it("adds up Σ served·dt at the old count before each change", () => {
    const { connections, clock } = setUp();
    const s = new Server(0, server("a"));
    connections.take(s); // 1 from 0 ms
    clock.nowMs = 10;
    connections.take(s); // 2 from 10 ms
    clock.nowMs = 15;
    connections.release(s);
    expect(s.servedArea).toBe(1 * 10 + 2 * 5);
  });

  it("counts a server's queue in its queued and its queue's length, both back to 0 when its members leave", () => {
    const { connections, clock, calls } = setUp();
    const s = new Server(0, server("a"));
    connections.enqueueServer(s, 7, 1);
    connections.enqueueServer(s, 8, 2);
    expect([s.view.queued, s.queue.length]).toEqual([2, 2]);
    clock.nowMs = 4;
    connections.shiftServerQueue(s);
    connections.leftServerQueue(s);
    connections.leftServerQueue(s, true); // the other one ended while queued
    expect([s.view.queued, s.queue.length]).toEqual([0, 0]);
    expect(s.queuedArea).toBe(2 * 4);
    expect(calls.filter((c) => c.startsWith("+"))).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith("-"))).toHaveLength(2);
  });

  it("keeps the backend queue's length, its most ever and its area's length before each change", () => {
    const { connections, clock, metrics, queueChanges } = setUp();
    connections.enqueueBackend(1, 1);
    connections.enqueueBackend(2, 2);
    clock.nowMs = 3;
    connections.shiftBackendQueue();
    connections.endedInBackendQueue();
    expect(connections.backendQueue.length).toBe(0);
    expect(metrics.maxBackendQueue).toBe(2);
    expect(queueChanges).toEqual([
      [0, 0],
      [0, 1],
      [3, 2],
      [3, 1],
    ]);
  });
});
