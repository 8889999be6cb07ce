// harness: a real HAProxy on loopback, tiny stub servers behind it, sequential requests and runtime-API commands.
//
// How it works. `runOnHaproxy` (1) starts one node:http stub per server on 127.0.0.1 with an
// ephemeral port; each answers every request (GET, HEAD) with 200 and `X-Server: <name>`; (2) writes
// an haproxy.cfg into a fresh temp dir: `nbthread 1`, a `stats socket <dir>/admin.sock mode 600 level
// admin`, `mode http` with `option http-server-close` + `http-reuse never` (a fresh server connection
// per request), one frontend on 127.0.0.1:<free port> and a backend `be` with the case's `balance`,
// `hash-type` and servers (`weight`, `id`, `maxconn`; no `check`, so servers are UP unless told
// otherwise); (3) runs `haproxy -f haproxy.cfg -db` (foreground) in its own process group and polls
// the frontend and the socket until they accept, with a deadline; (4) plays the steps strictly one
// after the other: a request is one fresh TCP connection from a chosen 127.x.y.z source address
// (any 127.0.0.0/8 address is local on Linux loopback) carrying `Connection: close`, read to EOF
// before the next step — sequential traffic, where lbsim must agree 100% (haproxy-semantics.md §8);
// a runtime command is written to the admin socket with "\n" and its reply read to EOF (no socat).
// (The network side — stubs, client requests, the socket — is in loopback.ts.) `runConfigOnHaproxy`
// does the same for a config the caller writes (several backends: routing.spec.ts).
// The answer to a request is its `X-Server`, or `<NOSRV>` when HAProxy answered 503 itself.
// HAProxy and the stubs are always torn down in `finally` (SIGTERM to the process group, SIGKILL
// after a grace period; an exit hook kills what a crashed worker left); every loop has a count and
// a wall-clock bound.
//
// Run it with `npm test` (the specs are test/haproxy/*.spec.ts). It needs HAProxy 2.6 on the PATH
// (`apt-get install -y haproxy`; `HAPROXY=/path/to/haproxy` picks another binary). Without it the
// suite is skipped with that hint on a developer machine, and fails when `CI` is set.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accepts, closeStub, freePort, portOf, request, runtime, startStub } from "./loopback.js";

export { accepts, NOSRV } from "./loopback.js";

export interface ServerConfig {
  readonly name: string;
  readonly weight?: number;
  readonly id?: number;
  readonly maxconn?: number;
}

export interface BackendConfig {
  /** Exactly what follows `balance` in haproxy.cfg (and what lbsim's resolveStrategy takes). */
  readonly balance: string;
  /** The whole `hash-type` line after the keyword: `consistent`, `map-based wt6 avalanche`… */
  readonly hashType?: string;
  readonly servers: ReadonlyArray<ServerConfig>;
}

export interface RequestStep {
  readonly kind: "request";
  /** Client address, 127.0.0.0/8. */
  readonly source: string;
  /** Request target as sent: path and query string. */
  readonly path: string;
  /** `Host` header; undefined = no Host header (then the request is sent as HTTP/1.0). */
  readonly host?: string;
}

export interface RuntimeStep {
  readonly kind: "runtime";
  /** A runtime-API command, e.g. `set server be/s2 state maint`. */
  readonly command: string;
}

export type Step = RequestStep | RuntimeStep;

/** One answer per step: the server name (or `<NOSRV>`) for a request, the socket's reply for a command. */
export type Answers = string[];

export const BACKEND = "be";
const READY_DEADLINE_MS = 5_000;
const STOP_GRACE_MS = 2_000;
/** Whole-run bound: steps are counted too (MAX_STEPS), this only stops a stuck run early. */
const RUN_DEADLINE_MS = 30_000;
const MAX_STEPS = 2_000;

export interface HaproxyRun {
  readonly config: string;
  readonly answers: Answers;
  /** Where the frontend listened and the temp dir that was used (both gone when the run returns). */
  readonly port: number;
  readonly dir: string;
}

/**
 * The HAProxy binary and its version line, or undefined when none runs: `$HAPROXY`, else `haproxy` on
 * the PATH, else the sbin directories a non-root PATH often lacks (Debian installs /usr/sbin/haproxy).
 */
export function findHaproxy(): { readonly binary: string; readonly version: string } | undefined {
  const candidates =
    process.env.HAPROXY !== undefined
      ? [process.env.HAPROXY]
      : ["haproxy", "/usr/sbin/haproxy", "/usr/local/sbin/haproxy"];
  for (const binary of candidates) {
    const probe = spawnSync(binary, ["-v"], { encoding: "utf8", timeout: 5_000 });
    if (probe.status === 0 && typeof probe.stdout === "string") {
      return { binary, version: probe.stdout.split("\n")[0]?.trim() ?? "" };
    }
  }
  return undefined;
}

/**
 * The `global` and `defaults` sections every conformance config starts with: one thread, the admin
 * socket the harness polls, `mode http` with a fresh server connection per request.
 */
export function cfgPreamble(socketPath: string): string[] {
  return [
    "global",
    // One thread: one `statistical_prng` stream, so `balance random` replays exactly (random.spec.ts).
    // The deterministic algorithms agree with 2 threads too (§8 rule 10; checked).
    "  nbthread 1",
    "  maxconn 512",
    `  stats socket ${socketPath} mode 600 level admin`,
    "  stats timeout 10s",
    "",
    "defaults",
    "  mode http",
    "  option http-server-close",
    "  http-reuse never",
    "  timeout connect 2s",
    "  timeout client 10s",
    "  timeout server 10s",
    "",
  ];
}

/** `cfgPreamble` with HAProxy logging each request (`option httplog`) to its stdout, `extra` added to defaults. */
export function loggingPreamble(socketPath: string, extra: ReadonlyArray<string> = []): string[] {
  const preamble = cfgPreamble(socketPath);
  preamble.splice(preamble.indexOf("global") + 1, 0, "  log stdout format raw local0");
  preamble.splice(preamble.indexOf("defaults") + 1, 0, "  log global", "  option httplog", ...extra);
  return preamble;
}

export function renderConfig(
  backend: BackendConfig,
  frontendPort: number,
  socketPath: string,
  stubPorts: ReadonlyArray<number>,
): string {
  const servers = backend.servers.map((server, i) => {
    const options = [
      server.weight === undefined ? "" : ` weight ${server.weight}`,
      server.id === undefined ? "" : ` id ${server.id}`,
      server.maxconn === undefined ? "" : ` maxconn ${server.maxconn}`,
    ].join("");
    return `  server ${server.name} 127.0.0.1:${stubPorts[i]}${options}`;
  });
  return [
    ...cfgPreamble(socketPath),
    "frontend fe",
    `  bind 127.0.0.1:${frontendPort}`,
    `  default_backend ${BACKEND}`,
    "",
    `backend ${BACKEND}`,
    `  balance ${backend.balance}`,
    ...(backend.hashType === undefined ? [] : [`  hash-type ${backend.hashType}`]),
    ...servers,
    "",
  ].join("\n");
}

/** Starts the stubs, HAProxy, plays `steps` sequentially, and tears everything down. */
export async function runOnHaproxy(
  binary: string,
  backend: BackendConfig,
  steps: ReadonlyArray<Step>,
): Promise<HaproxyRun> {
  return runConfigOnHaproxy(
    binary,
    backend.servers.map((server) => server.name),
    (frontendPort, socketPath, stubPorts) => renderConfig(backend, frontendPort, socketPath, stubPorts),
    steps,
  );
}

/**
 * Writes a whole haproxy.cfg: its frontend must bind 127.0.0.1:`frontendPort`, its global section
 * must declare `stats socket <socketPath>` (readiness is polled on both), and `stubPorts[i]` is
 * where the stub named `stubs[i]` listens.
 */
export type RenderConfig = (
  frontendPort: number,
  socketPath: string,
  stubPorts: ReadonlyArray<number>,
) => string;

/** runOnHaproxy for any configuration: one stub per name in `stubs`, the config from `render`. */
export async function runConfigOnHaproxy(
  binary: string,
  stubs: ReadonlyArray<string>,
  render: RenderConfig,
  steps: ReadonlyArray<Step>,
): Promise<HaproxyRun> {
  if (steps.length > MAX_STEPS) throw new Error(`${steps.length} steps: more than ${MAX_STEPS}`);
  const dir = await mkdtemp(join(tmpdir(), "lbsim-haproxy-"));
  const servers: HttpServer[] = [];
  let haproxy: ChildProcess | undefined;
  try {
    for (const name of stubs) servers.push(await startStub(name));
    const stubPorts = servers.map((stub) => portOf(stub));
    const socketPath = join(dir, "admin.sock");
    const started = await startHaproxy(
      binary,
      dir,
      (port) => render(port, socketPath, stubPorts),
      socketPath,
    );
    haproxy = started.child;
    const deadline = Date.now() + RUN_DEADLINE_MS;
    const answers: Answers = [];
    for (const step of steps) {
      if (Date.now() > deadline)
        throw new Error(`run exceeded ${RUN_DEADLINE_MS} ms after ${answers.length} steps`);
      if (haproxy.exitCode !== null || haproxy.signalCode !== null)
        throw new Error(`haproxy exited early (${haproxy.exitCode ?? haproxy.signalCode})`);
      answers.push(
        step.kind === "request" ? await request(started.port, step) : await runtime(socketPath, step.command),
      );
    }
    return { config: started.config, answers, port: started.port, dir };
  } finally {
    if (haproxy !== undefined) await stopGroup(haproxy);
    await Promise.all(servers.map(closeStub));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Children still running, killed by group if this worker exits without its `finally`. */
const live = new Set<number>();
process.once("exit", () => {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** HAProxy processes started and not yet stopped (0 between runs). */
export function liveProcesses(): number {
  return live.size;
}

export async function startHaproxy(
  binary: string,
  dir: string,
  render: (port: number) => string,
  socketPath: string,
) {
  let lastError = "";
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const config = render(port);
    const file = join(dir, "haproxy.cfg");
    await writeFile(file, config);
    const child = spawn(binary, ["-f", file, "-db"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid !== undefined) live.add(child.pid);
    let output = "";
    child.once("error", (error) => (output += `${error.message}\n`));
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const ready = await waitReady(child, port, socketPath);
    if (ready) return { child, port, config };
    await stopGroup(child);
    lastError = output.trim();
    // Only a lost race for the port is worth another try.
    if (!/cannot bind|Address already in use/i.test(output)) break;
  }
  throw new Error(`haproxy did not start:\n${lastError}`);
}

/** Polls the frontend and the admin socket until both accept, HAProxy exits, or the deadline. */
async function waitReady(child: ChildProcess, port: number, socketPath: string): Promise<boolean> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if ((await accepts({ host: "127.0.0.1", port })) && (await accepts({ path: socketPath }))) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

export function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      live.delete(pid);
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      done();
      return;
    }
    const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), STOP_GRACE_MS);
    child.once("exit", done);
    signalGroup(pid, "SIGTERM");
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}
