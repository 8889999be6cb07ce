// replay-run: an open-loop load through a real HAProxy (`option httplog` on stdout) to stubs with a service time; returns the log and the cfg.
//
// How it works. One node:http stub per server on 127.0.0.1 answers each request `serviceMs` after
// its headers (a timer: as many at once as come, no wait inside the stub). HAProxy runs the
// harness's way (startHaproxy/stopGroup in harness.ts: own process group, readiness polled, killed
// in `finally`) with `log stdout format raw` and `option httplog`, so its log lines come on its
// standard output. The client is open loop: request i is a fresh connection sent at its planned
// time (Poisson arrivals from a seeded generator) whatever the answers before it. Every socket,
// wait and loop is bounded by time; the stubs are closed and HAProxy stopped even on failure.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { loggingPreamble, startHaproxy, stopGroup } from "./harness.js";
import { closeStub, portOf } from "./loopback.js";

export interface StubServer {
  readonly name: string;
  readonly serviceMs: number;
  readonly weight: number;
}

export interface LoadCase {
  readonly balance: string;
  readonly servers: ReadonlyArray<StubServer>;
  readonly requests: number;
  readonly ratePerSecond: number;
  readonly seed: number;
}

export interface LoggedRun {
  /** HAProxy's log lines, as written. */
  readonly lines: ReadonlyArray<string>;
  /** The haproxy.cfg it ran. */
  readonly cfg: string;
}

const SOCKET_TIMEOUT_MS = 5_000;
const LOG_WAIT_MS = 5_000;

function config(c: LoadCase, port: number, socketPath: string, ports: ReadonlyArray<number>): string {
  return [
    ...loggingPreamble(socketPath),
    "frontend fe",
    `  bind 127.0.0.1:${port}`,
    "  default_backend be",
    "",
    "backend be",
    `  balance ${c.balance}`,
    ...c.servers.map((s, i) => `  server ${s.name} 127.0.0.1:${ports[i]} weight ${s.weight}`),
    "",
  ].join("\n");
}

/** Poisson arrival times (ms from the start), drawn from a seeded Alea stream (seedrandom). */
export function poissonTimes(count: number, ratePerSecond: number, seed: number): number[] {
  const next = seedrandom.alea(`replay-arrivals:${seed}`);
  const times: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    at += (-Math.log(1 - next()) * 1000) / ratePerSecond;
    times.push(at);
  }
  return times;
}

function startServiceStub(serviceMs: number, timers: Set<NodeJS.Timeout>): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    req.resume();
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.writeHead(200, { "Content-Length": "3" }).end("ok\n");
    }, serviceMs);
    timers.add(timer);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

export async function runLoadOnHaproxy(binary: string, c: LoadCase): Promise<LoggedRun> {
  const dir = await mkdtemp(join(tmpdir(), "lbsim-replay-haproxy-"));
  const timers = new Set<NodeJS.Timeout>();
  const stubs: HttpServer[] = [];
  let haproxy: ChildProcess | undefined;
  try {
    for (const s of c.servers) stubs.push(await startServiceStub(s.serviceMs, timers));
    const socketPath = join(dir, "admin.sock");
    const started = await startHaproxy(
      binary,
      dir,
      (port) => config(c, port, socketPath, stubs.map(portOf)),
      socketPath,
    );
    haproxy = started.child;
    let output = "";
    haproxy.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const times = poissonTimes(c.requests, c.ratePerSecond, c.seed);
    await Promise.all(times.map((atMs, i) => send(started.port, atMs, `/r/${i}`, timers)));
    const lines = () => output.split("\n").filter((line) => line.includes(" fe be/"));
    const deadline = Date.now() + LOG_WAIT_MS;
    while (lines().length < c.requests && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { lines: lines(), cfg: started.config };
  } finally {
    if (haproxy !== undefined) await stopGroup(haproxy);
    for (const timer of timers) clearTimeout(timer);
    for (const stub of stubs) await closeStub(stub);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sends one request at its time on a fresh connection; resolves when the connection is closed. */
function send(port: number, atMs: number, path: string, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const socket = connect({ host: "127.0.0.1", port, localAddress: "127.0.0.1" });
      socket.setTimeout(SOCKET_TIMEOUT_MS, () => socket.destroy());
      socket.on("data", () => {});
      socket.once("error", () => resolve());
      socket.once("close", () => resolve());
      socket.once("connect", () =>
        socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
    }, atMs);
    timers.add(timer);
  });
}
