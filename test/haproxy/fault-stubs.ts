// fault-stubs: loopback servers that misbehave on purpose — reset, drop SYNs, answer late, refuse until told.
//
// - `reset`: accepts, reads the request, then closes with a RST (`socket.resetAndDestroy()`): an
//   accepted connection reset before any response byte.
// - `drop`: a listener that does not accept: its HTTP server runs in a worker thread that blocks
//   (Atomics.wait) right after `listen`, with a backlog of 1. `fillQueue` then opens connections until
//   one is not completed within FILL_PROBE_MS: the accept queue is full and the Linux kernel drops every
//   SYN that reaches it (tcp_abort_on_overflow = 0, the default), as a lossy path does. `release()`
//   unblocks the worker: it accepts what is queued and answers 200 from then on, so a SYN re-sent
//   after the release gets through (the "lost once, then connected" case).
// - `delay`: answers 200 after `delayMs` (a slow response path; loopback cannot delay a SYN without
//   `tc netem`, which needs root and changes the shared `lo` interface).
// - `refuse`: a port with no listener (the kernel answers a SYN with a RST: "connection refused")
//   until `release()` starts an HTTP server on it. The port is reserved by binding and closing it, so
//   another process could take it meanwhile (not seen on this host).
// Every stub is stopped by `stop()`, which the harness calls in `finally`.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect, createServer as createNetServer, type Socket } from "node:net";
import { Worker } from "node:worker_threads";
import { closeStub, freePort, portOf, startStub } from "./loopback.js";

export type StubKind = "reset" | "drop" | "delay" | "refuse" | "ok";

export interface StubSpec {
  readonly kind: StubKind;
  /** `delay`: how long the response waits. */
  readonly delayMs?: number;
  /** `reset`: reset as soon as accepted rather than once the request arrived. */
  readonly resetOnAccept?: boolean;
}

export interface FaultStub {
  readonly port: number;
  /** `drop`: accept from now on; `refuse`: start listening. No effect for the others. */
  release(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a filler connection may take before its SYN counts as dropped. */
const FILL_PROBE_MS = 300;
const MAX_FILLERS = 8;

export async function startFaultStub(name: string, spec: StubSpec): Promise<FaultStub> {
  if (spec.kind === "ok") return httpStub(await startStub(name));
  if (spec.kind === "delay") return httpStub(await delayed(name, spec.delayMs ?? 0));
  if (spec.kind === "reset") return resetting(spec.resetOnAccept === true);
  if (spec.kind === "refuse") return refusing(name);
  return dropping(name);
}

function httpStub(server: HttpServer): FaultStub {
  return { port: portOf(server), release: async () => {}, stop: () => closeStub(server) };
}

function delayed(name: string, delayMs: number): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    req.resume();
    const timer = setTimeout(() => {
      res.writeHead(200, { "X-Server": name, "Content-Length": "0" });
      res.end();
    }, delayMs);
    res.once("close", () => clearTimeout(timer));
  });
  return listening(server);
}

function listening<T extends HttpServer | ReturnType<typeof createNetServer>>(server: T): Promise<T> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function resetting(onAccept: boolean): Promise<FaultStub> {
  const sockets = new Set<Socket>();
  const server = await listening(
    createNetServer((socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.once("error", () => {});
      // Reset once the request (or a check's first bytes) arrived; an L4 check sends none and closes.
      if (onAccept) socket.resetAndDestroy();
      else socket.once("data", () => socket.resetAndDestroy());
    }),
  );
  return {
    port: portOf(server),
    release: async () => {},
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function refusing(name: string): Promise<FaultStub> {
  const port = await freePort();
  let server: HttpServer | undefined;
  return {
    port,
    async release() {
      if (server !== undefined) return;
      const stub = createHttpServer((req, res) => {
        req.resume();
        res.writeHead(200, { "X-Server": name, "Content-Length": "0" });
        res.end();
      });
      server = await new Promise<HttpServer>((resolve, reject) => {
        stub.once("error", reject);
        stub.listen(port, "127.0.0.1", () => resolve(stub));
      });
    },
    stop: () => (server === undefined ? Promise.resolve() : closeStub(server)),
  };
}

/** The worker: an HTTP server whose event loop is blocked (so nothing is accepted) until flag[0] ≠ 0. */
const DROP_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const { createServer } = require("node:http");
const flag = new Int32Array(workerData.shared);
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "X-Server": workerData.name, "Content-Length": "0" });
  res.end();
});
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  // Bounded: 10 minutes at most, whatever the parent does.
  for (let i = 0; i < 12000 && Atomics.load(flag, 0) === 0; i++) Atomics.wait(flag, 0, 0, 50);
  if (Atomics.load(flag, 0) === 2) server.close();
});
parentPort.on("message", () => server.close());
`;

async function dropping(name: string): Promise<FaultStub> {
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const worker = new Worker(DROP_WORKER, { eval: true, workerData: { shared, name } });
  const fillers: Socket[] = [];
  const stop = async () => {
    Atomics.store(flag, 0, 2);
    Atomics.notify(flag, 0);
    for (const socket of fillers) socket.destroy();
    await worker.terminate();
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await fillQueue(port, fillers);
    return {
      port,
      async release() {
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Connects until a SYN goes unanswered for FILL_PROBE_MS: from then on the kernel drops SYNs to `port`. */
async function fillQueue(port: number, fillers: Socket[]): Promise<void> {
  for (let i = 0; i < MAX_FILLERS; i++) {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("error", () => {});
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FILL_PROBE_MS);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) {
      // Its SYN keeps being re-sent: stop it, so it does not take the room a release makes.
      socket.destroy();
      return;
    }
  }
  throw new Error(`the accept queue of port ${port} never filled after ${MAX_FILLERS} connections`);
}
