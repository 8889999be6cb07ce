// give-up-run: concurrent requests through a real HAProxy to one slow stub (`maxconn 1`), some clients closing early; HAProxy's log captured.
//
// How it works. One node:http stub on 127.0.0.1 answers each request `serviceMs` after its body
// ended, and records what it received. HAProxy runs the harness's way (startHaproxy/stopGroup in
// harness.ts: own process group, readiness polled, killed in `finally`) with `log stdout format raw`
// and `option httplog`, so its log lines come on its standard output. Each request is a fresh
// connection from 127.0.0.1 sent at its `atMs`; a request with `closeAfterMs` is closed by its
// client (close(): a FIN) that long after it was sent, as a client giving up does. Every socket,
// wait and loop is bounded by time.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loggingPreamble, startHaproxy, stopGroup } from "./harness.js";
import { closeStub, portOf } from "./loopback.js";

export interface PlannedRequest {
  readonly atMs: number;
  readonly path: string;
  /** A POST announcing `Content-Length: 100` and sending only 10 bytes of it (a body still coming). */
  readonly unfinishedBody?: boolean;
  /** The client closes its connection this long after sending. */
  readonly closeAfterMs?: number;
}

/** Where `option abortonclose` goes: nowhere, `defaults` (frontend and backend), or the backend alone. */
export type AbortOnClose = "none" | "defaults" | "backend";

export interface GiveUpCase {
  readonly serviceMs: number;
  readonly abortonclose: AbortOnClose;
  readonly requests: ReadonlyArray<PlannedRequest>;
}

/** One httplog line, parsed. */
export interface LogLine {
  readonly path: string;
  readonly server: string;
  readonly tw: number;
  readonly status: number;
  readonly termination: string;
  /** `%sq/%bq`. */
  readonly queues: string;
  readonly text: string;
}

export interface GiveUpRun {
  /** HAProxy's log lines, by path. */
  readonly log: ReadonlyMap<string, LogLine>;
  /** Paths the stub received a whole request for, in order. */
  readonly received: ReadonlyArray<string>;
}

const SOCKET_TIMEOUT_MS = 5_000;
const LOG_WAIT_MS = 3_000;

function config(c: GiveUpCase, port: number, socketPath: string, stubPort: number): string {
  const abortonclose = c.abortonclose === "defaults" ? ["  option abortonclose"] : [];
  return [
    ...loggingPreamble(socketPath, ["  timeout queue 10s", ...abortonclose]),
    "frontend fe",
    `  bind 127.0.0.1:${port}`,
    "  default_backend be",
    "",
    "backend be",
    ...(c.abortonclose === "backend" ? ["  option abortonclose"] : []),
    `  server s1 127.0.0.1:${stubPort} maxconn 1`,
    "",
  ].join("\n");
}

const LINE =
  /^\S+ \[[^\]]+\] fe be\/(\S+) -?\d+\/(-?\d+)\/\S+ (-?\d+) \d+ \S+ \S+ (\S{4}) \S+ (\d+\/\d+) "\w+ (\S+) /;

export function parseLogLine(text: string): LogLine | undefined {
  const m = LINE.exec(text);
  if (m === null) return undefined;
  return {
    server: m[1]!,
    tw: Number(m[2]),
    status: Number(m[3]),
    termination: m[4]!,
    queues: m[5]!,
    path: m[6]!,
    text,
  };
}

export async function runGiveUp(binary: string, c: GiveUpCase): Promise<GiveUpRun> {
  const dir = await mkdtemp(join(tmpdir(), "lbsim-give-up-"));
  const received: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, act: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      act();
    }, ms);
    timers.add(timer);
  };
  const stub: HttpServer = createHttpServer((req, res) => {
    req.on("end", () => {
      received.push(req.url ?? "");
      later(c.serviceMs, () => res.writeHead(200, { "Content-Length": "3", "X-Server": "s1" }).end("s1\n"));
    });
    req.resume();
  });
  let haproxy: ChildProcess | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      stub.once("error", reject);
      stub.listen(0, "127.0.0.1", () => resolve());
    });
    const socketPath = join(dir, "admin.sock");
    const started = await startHaproxy(
      binary,
      dir,
      (port) => config(c, port, socketPath, portOf(stub)),
      socketPath,
    );
    haproxy = started.child;
    let output = "";
    haproxy.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await Promise.all(c.requests.map((r) => send(started.port, r, later)));
    const lines = () => output.split("\n").flatMap((text) => parseLogLine(text) ?? []);
    const deadline = Date.now() + LOG_WAIT_MS;
    while (lines().length < c.requests.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { log: new Map(lines().map((line) => [line.path, line])), received };
  } finally {
    if (haproxy !== undefined) await stopGroup(haproxy);
    for (const timer of timers) clearTimeout(timer);
    await closeStub(stub);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sends one planned request at its time; resolves when its connection is closed, whoever closed it. */
function send(port: number, r: PlannedRequest, later: (ms: number, act: () => void) => void): Promise<void> {
  const payload = r.unfinishedBody
    ? `POST ${r.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n0123456789`
    : `GET ${r.path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve) => {
    later(r.atMs, () => {
      const socket = connect({ host: "127.0.0.1", port, localAddress: "127.0.0.1" });
      socket.setTimeout(SOCKET_TIMEOUT_MS, () => socket.destroy());
      socket.on("data", () => {});
      socket.once("error", () => resolve());
      socket.once("close", () => resolve());
      socket.once("connect", () => {
        socket.write(payload);
        const closeAfterMs = r.closeAfterMs;
        if (closeAfterMs !== undefined) later(closeAfterMs, () => socket.destroy());
      });
    });
  });
}
