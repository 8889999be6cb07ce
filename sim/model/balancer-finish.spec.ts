// The one finish: every end of a request tells metrics, then the per-request record, then the
// clients, and only then frees the server slot that lets the next queued request in.
import { describe, expect, it } from "vitest";
import { resolveStrategy } from "../../strategies/index.js";
import { client, scenario, server } from "../test-support.js";
import { buildModel } from "./build.js";

function model(parts: Parameters<typeof scenario>[0], log: string[]) {
  const ctx = buildModel(scenario(parts), {
    resolveStrategy: (name) => resolveStrategy(name)!,
    deterministic: true,
    onRequest: (record) => log.push(`record ${record.status} ${record.termination}`),
  });
  const { metrics, clients } = ctx;
  const finished = metrics.finished.bind(metrics);
  metrics.finished = (...args: Parameters<typeof finished>) => {
    log.push(`metrics ${args[2]}`);
    finished(...args);
  };
  const clientsFinished = clients.finished.bind(clients);
  clients.finished = (slot: number, failed: boolean) => {
    log.push(`clients ${failed ? "failed" : "ok"}`);
    clientsFinished(slot, failed);
  };
  return ctx;
}

describe("the end of a request (balancer-finish.ts)", () => {
  it("tells metrics, then the record's listener, then the clients, for answered requests", () => {
    const log: string[] = [];
    const ctx = model(
      {
        durationMs: 1000,
        backend: { servers: [server("a")] },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 4 } })],
      },
      log,
    );
    ctx.engine.runUntil(1000);
    expect(log.length).toBeGreaterThanOrEqual(9);
    for (let i = 0; i + 2 < log.length; i += 3)
      expect(log.slice(i, i + 3)).toEqual(["metrics 200", "record 200 ----", "clients ok"]);
  });

  it("keeps that order for a 503 the balancer answers itself (no server usable)", () => {
    const log: string[] = [];
    const ctx = model(
      {
        durationMs: 500,
        backend: { servers: [server("a", { disabled: true })] },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 4 } })],
      },
      log,
    );
    ctx.engine.runUntil(500);
    expect(log.slice(0, 3)).toEqual(["metrics 503", "record 503 SC--", "clients failed"]);
  });

  it("frees the server slot after the listeners: the queued request starts after the first one's record", () => {
    const log: string[] = [];
    const ctx = model(
      {
        durationMs: 1000,
        backend: { servers: [server("a", { maxconn: 1, service: { kind: "constant", valueMs: 100 } })] },
        clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 20 } })],
      },
      log,
    );
    const start = ctx.service.start.bind(ctx.service);
    ctx.service.start = (s, slot) => {
      log.push("start");
      start(s, slot);
    };
    ctx.engine.runUntil(1000);
    const firstRecord = log.indexOf("record 200 ----");
    expect(log.slice(firstRecord, firstRecord + 3)).toEqual(["record 200 ----", "clients ok", "start"]);
  });
});
