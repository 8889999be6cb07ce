// The fault stubs do what fault-stubs.ts says, seen from a plain client: RST, dropped SYNs, refusal until released.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { type FaultStub, type StubSpec, startFaultStub } from "./fault-stubs.js";

/** Connects and sends a request: how it ended and after how long. */
function attempt(port: number, waitMs: number): Promise<{ outcome: string; ms: number }> {
  const startMs = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (outcome: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, ms: Date.now() - startMs });
    };
    const timer = setTimeout(() => done("no answer"), waitMs);
    socket.once("connect", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    socket.once("data", (chunk: Buffer) => done(chunk.toString("latin1").split("\r\n")[0]!));
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

async function withStub<T>(spec: StubSpec, body: (stub: FaultStub) => Promise<T>): Promise<T> {
  const stub = await startFaultStub("s1", spec);
  try {
    return await body(stub);
  } finally {
    await stub.stop();
  }
}

describe("fault stubs", () => {
  it("reset: the connection is accepted, then reset (ECONNRESET)", async () => {
    const result = await withStub({ kind: "reset" }, (stub) => attempt(stub.port, 2000));
    expect(result.outcome).toBe("ECONNRESET");
  });

  it("drop: the SYN goes unanswered; once released, a SYN re-sent 1 s after the first gets through", async () => {
    await withStub({ kind: "drop" }, async (stub) => {
      expect((await attempt(stub.port, 1500)).outcome).toBe("no answer");
      const pending = attempt(stub.port, 3000);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await stub.release();
      const late = await pending;
      expect(late.outcome).toBe("HTTP/1.1 200 OK");
      // The kernel re-sent the SYN after its 1 s initial RTO, not at the release (400 ms).
      expect(late.ms).toBeGreaterThanOrEqual(950);
      expect(late.ms).toBeLessThan(1500);
    });
  });

  it("refuse: connection refused until released, then answered", async () => {
    await withStub({ kind: "refuse" }, async (stub) => {
      expect((await attempt(stub.port, 1000)).outcome).toBe("ECONNREFUSED");
      await stub.release();
      expect((await attempt(stub.port, 1000)).outcome).toBe("HTTP/1.1 200 OK");
    });
  });

  it("delay: answers after the delay", async () => {
    const result = await withStub({ kind: "delay", delayMs: 300 }, (stub) => attempt(stub.port, 2000));
    expect(result.outcome).toBe("HTTP/1.1 200 OK");
    expect(result.ms).toBeGreaterThanOrEqual(290);
  });
});
