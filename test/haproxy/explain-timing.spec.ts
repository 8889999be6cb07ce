// `lbsim explain`'s health-check timing against a real HAProxy: one checked server crashed (its
// listener closed: connects refused), restored, then hung (connections accepted, never answered);
// HAProxy's `show stat` status polled every few ms, the times compared with explain's ranges.
//
// Observed on HAProxy 2.6.12-1+deb12u4 (Debian 12, Linux loopback), December 2026, `option httpchk`,
// `inter 300 fall 3 rise 2`, three runs: crash → DOWN 761/774/769 ms (range 600–900), restore → UP
// 618/607/611 ms (range 300–600: the restore comes just after DOWN, so the first passing check is
// a whole downinter later, plus each check's own few ms), hang → DOWN 1666/1654/1662 ms (range
// 1500–1800: each hung check lasts inter, no `timeout check`).
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { explainCfg } from "../../cli/explain-report.js";
import { TRAFFIC } from "../../cli/explain-test-support.js";
import { importHaproxyCfg } from "../../scenarios/index.js";
import { describeWithHaproxy } from "./conformance.js";
import { cfgPreamble, findHaproxy, startHaproxy, stopGroup } from "./harness.js";
import { closeStub, freePort, runtime } from "./loopback.js";

/** How often `show stat` is read: the measured times are late by at most this much. */
const POLL_MS = 10;
/**
 * HAProxy's 1 ms ticks, each check's own few ms and a loaded 2-core host's scheduling; a third of
 * inter, so a formula off by one check interval still fails.
 */
const SLACK_MS = 100;
const DEADLINE_MS = 10_000;

function cfg(stubPort: number, socketPath: string, frontendPort: number): string {
  return [
    ...cfgPreamble(socketPath),
    "frontend fe",
    `  bind 127.0.0.1:${frontendPort}`,
    "  default_backend be",
    "",
    "backend be",
    "  option httpchk GET /",
    `  server s1 127.0.0.1:${stubPort} check inter 300 fall 3 rise 2`,
    "",
  ].join("\n");
}

function answering(port: number): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    res.writeHead(200, { "Content-Length": "0" });
    res.end();
    req.resume();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** A frozen process: the kernel accepts, nothing is ever read or answered. */
function hung(port: number): Promise<{ server: NetServer; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    // HAProxy resets each check connection it gave up on.
    socket.on("error", () => {});
    sockets.push(socket);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve({ server, sockets }));
  });
}

async function status(socketPath: string): Promise<string> {
  const row = (await runtime(socketPath, "show stat")).split("\n").find((l) => l.startsWith("be,s1,"));
  return row?.split(",")[17] ?? "";
}

/** Ms from now until `show stat` shows `wanted` for s1. */
async function timeUntil(socketPath: string, wanted: string): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < DEADLINE_MS) {
    if ((await status(socketPath)) === wanted) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`s1 not ${wanted} within ${DEADLINE_MS} ms`);
}

describeWithHaproxy("explain's check timing on HAProxy", () => {
  it("crash → DOWN, restore → UP and hang → DOWN fall in explain's ranges", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lbsim-explain-haproxy-"));
    const socketPath = join(dir, "admin.sock");
    const stubPort = await freePort();
    let stub: HttpServer | undefined = await answering(stubPort);
    let frozen: { server: NetServer; sockets: Socket[] } | undefined;
    let child: Awaited<ReturnType<typeof startHaproxy>>["child"] | undefined;
    try {
      const started = await startHaproxy(
        findHaproxy()!.binary,
        dir,
        (port) => cfg(stubPort, socketPath, port),
        socketPath,
      );
      child = started.child;
      const text = started.config;
      const timing = explainCfg(importHaproxyCfg(text, "haproxy.cfg"), text, TRAFFIC).backends[0]!.checks!
        .servers[0]!;
      // inter 300ms fall 3: 2·300 … 300 + 2·300; rise 2: 300 … 600; hung checks last inter: 1500 … 1800.
      expect([timing.crashToDown, timing.restoreToUp, timing.hangToDown]).toEqual([
        { minMs: 600, maxMs: 900 },
        { minMs: 300, maxMs: 600 },
        { minMs: 1500, maxMs: 1800 },
      ]);
      await timeUntil(socketPath, "UP");
      // Somewhere inside a check interval, as a real crash falls.
      await new Promise((resolve) => setTimeout(resolve, 137));

      await closeStub(stub);
      stub = undefined;
      const down = await timeUntil(socketPath, "DOWN");
      expect(down).toBeGreaterThanOrEqual(timing.crashToDown!.minMs - SLACK_MS);
      expect(down).toBeLessThanOrEqual(timing.crashToDown!.maxMs + SLACK_MS);

      stub = await answering(stubPort);
      const up = await timeUntil(socketPath, "UP");
      expect(up).toBeGreaterThanOrEqual(timing.restoreToUp!.minMs - SLACK_MS);
      expect(up).toBeLessThanOrEqual(timing.restoreToUp!.maxMs + SLACK_MS);

      await new Promise((resolve) => setTimeout(resolve, 137));
      await closeStub(stub);
      stub = undefined;
      frozen = await hung(stubPort);
      const hangDown = await timeUntil(socketPath, "DOWN");
      expect(hangDown).toBeGreaterThanOrEqual(timing.hangToDown!.minMs - SLACK_MS);
      expect(hangDown).toBeLessThanOrEqual(timing.hangToDown!.maxMs + SLACK_MS);
    } finally {
      if (child !== undefined) await stopGroup(child);
      if (stub !== undefined) await closeStub(stub);
      if (frozen !== undefined) {
        for (const socket of frozen.sockets) socket.destroy();
        await new Promise((resolve) => frozen!.server.close(() => resolve(undefined)));
      }
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
