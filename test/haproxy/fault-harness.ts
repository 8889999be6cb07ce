// fault-harness: one HAProxy in front of one misbehaving stub, its httplog lines and `show stat` rows captured.
//
// As harness.ts does: HAProxy in the foreground (`-db`) in its own process group, an admin socket,
// a frontend on a free loopback port, everything torn down in `finally` and every wait bounded. Here
// the config also logs: `log stdout format raw local0` with `option httplog`, so each request's line
// (timers, status, termination state, retries) is read from HAProxy's stdout. The steps run in order:
// a request (awaited, or started and left running), a pause, the stub's `release()`, a `show stat`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FaultStub, type StubSpec, startFaultStub } from "./fault-stubs.js";
import { accepts, freePort, runtime } from "./loopback.js";

export type FaultStep =
  | { readonly kind: "request"; readonly wait?: boolean }
  | { readonly kind: "pause"; readonly ms: number }
  | { readonly kind: "release" }
  | { readonly kind: "stat" };

export interface FaultCase {
  readonly stub: StubSpec;
  /** `timeout connect`, `retries`… lines for `defaults` (after the harness's own). */
  readonly defaults?: ReadonlyArray<string>;
  /** Lines of `backend be` before the server line (`option httpchk GET /`…). */
  readonly backend?: ReadonlyArray<string>;
  /** What follows `server s1 127.0.0.1:<port>` (`check inter 500 fall 1`…). */
  readonly server?: string;
  readonly steps: ReadonlyArray<FaultStep>;
}

/** One httplog line, split into the fields the specs compare. */
export interface LogLine {
  readonly server: string;
  /** TR/Tw/Tc/Tr/Ta, ms (-1: the stage never completed). */
  readonly timers: ReadonlyArray<number>;
  readonly status: number;
  readonly termination: string;
  /** The retries field: `0`, `3`, `+1`. */
  readonly retries: string;
  readonly text: string;
}

export interface StatRow {
  readonly status: string;
  readonly checkStatus: string;
  readonly lastCheck: string;
  readonly checkDurationMs: number;
  readonly econ: number;
  readonly eresp: number;
  readonly wretr: number;
  readonly chkfail: number;
}

export interface FaultRun {
  readonly logs: ReadonlyArray<LogLine>;
  /** s1's row at each `stat` step. */
  readonly stats: ReadonlyArray<StatRow>;
  /** Client-side: the status each awaited request got and how long it took. */
  readonly answers: ReadonlyArray<{ readonly status: number; readonly ms: number }>;
  readonly config: string;
}

const READY_DEADLINE_MS = 5_000;
const STOP_GRACE_MS = 2_000;
const REQUEST_DEADLINE_MS = 20_000;
const LOG_DEADLINE_MS = 3_000;

export async function runFaultCase(binary: string, c: FaultCase): Promise<FaultRun> {
  const dir = await mkdtemp(join(tmpdir(), "lbsim-netfault-"));
  let stub: FaultStub | undefined;
  let haproxy: ChildProcess | undefined;
  const pending: Promise<unknown>[] = [];
  try {
    stub = await startFaultStub("s1", c.stub);
    const socketPath = join(dir, "admin.sock");
    const port = await freePort();
    const config = render(c, port, stub.port, socketPath);
    await writeFile(join(dir, "haproxy.cfg"), config);
    haproxy = spawn(binary, ["-f", join(dir, "haproxy.cfg"), "-db"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (haproxy.pid !== undefined) live.add(haproxy.pid);
    let output = "";
    haproxy.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    haproxy.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitReady(haproxy, port, socketPath, () => output);
    const stats: StatRow[] = [];
    const answers: { status: number; ms: number }[] = [];
    let requests = 0;
    for (const step of c.steps) {
      if (step.kind === "pause") await sleep(step.ms);
      else if (step.kind === "release") await stub.release();
      else if (step.kind === "stat") stats.push(statRow(await runtime(socketPath, "show stat")));
      else {
        requests++;
        const answer = get(port);
        if (step.wait === false) pending.push(answer.catch(() => {}));
        else answers.push(await answer);
      }
    }
    await Promise.all(pending);
    const deadline = Date.now() + LOG_DEADLINE_MS;
    while (logLines(output).length < requests && Date.now() < deadline) await sleep(20);
    return { logs: logLines(output), stats, answers, config };
  } finally {
    if (haproxy !== undefined) await stopGroup(haproxy);
    await stub?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function render(c: FaultCase, port: number, stubPort: number, socketPath: string): string {
  return [
    "global",
    "  nbthread 1",
    "  maxconn 512",
    `  stats socket ${socketPath} mode 600 level admin`,
    "  log stdout format raw local0",
    "",
    "defaults",
    "  mode http",
    "  log global",
    "  option httplog",
    "  option dontlognull",
    "  option http-server-close",
    "  http-reuse never",
    "  timeout client 30s",
    "  timeout server 30s",
    ...(c.defaults ?? []).map((line) => `  ${line}`),
    "",
    "frontend fe",
    `  bind 127.0.0.1:${port}`,
    "  default_backend be",
    "",
    "backend be",
    ...(c.backend ?? []).map((line) => `  ${line}`),
    `  server s1 127.0.0.1:${stubPort} ${c.server ?? ""}`.trimEnd(),
    "",
  ].join("\n");
}

const LOG =
  /fe be\/(\S+) (-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+) (\d{3}) \d+ \S+ \S+ (\S{4}) \S+\/\S+\/\S+\/\S+\/(\+?\d+)/;

function logLines(output: string): LogLine[] {
  return output.split("\n").flatMap((text) => {
    const m = LOG.exec(text);
    if (m === null) return [];
    return [
      {
        server: m[1]!,
        timers: m.slice(2, 7).map(Number),
        status: Number(m[7]),
        termination: m[8]!,
        retries: m[9]!,
        text: text.trim(),
      },
    ];
  });
}

function statRow(csv: string): StatRow {
  const lines = csv.split("\n");
  const header = lines[0]!.replace(/^# /, "").split(",");
  const row = lines.find((line) => line.startsWith("be,s1,"))?.split(",");
  if (row === undefined) throw new Error(`no be/s1 row in show stat:\n${csv}`);
  const field = (name: string) => row[header.indexOf(name)] ?? "";
  return {
    status: field("status"),
    // "* L4TOUT" while the next check runs: the last completed one is what is compared.
    checkStatus: field("check_status").replace(/^\* /, ""),
    lastCheck: field("last_chk"),
    checkDurationMs: Number(field("check_duration")),
    econ: Number(field("econ")),
    eresp: Number(field("eresp")),
    wretr: Number(field("wretr")),
    chkfail: Number(field("chkfail")),
  };
}

/** A GET on a fresh connection; its status (0: no answer) and duration. */
function get(port: number): Promise<{ status: number; ms: number }> {
  const startMs = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let text = "";
    const done = () => {
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), ms: Date.now() - startMs });
    };
    socket.setTimeout(REQUEST_DEADLINE_MS, done);
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.once("error", done);
    socket.once("end", done);
    socket.once("connect", () =>
      socket.write("GET / HTTP/1.1\r\nHost: lb.test\r\nConnection: close\r\n\r\n"),
    );
  });
}

async function waitReady(child: ChildProcess, port: number, socketPath: string, output: () => string) {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if ((await accepts({ host: "127.0.0.1", port })) && (await accepts({ path: socketPath }))) return;
    await sleep(10);
  }
  throw new Error(`haproxy did not start:\n${output()}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HAProxy processes started and not yet stopped, killed by group if this worker exits without its `finally`. */
const live = new Set<number>();
process.once("exit", () => {
  for (const pid of live) signalGroup(pid, "SIGKILL");
});

function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return Promise.resolve();
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(pid);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      live.delete(pid);
      resolve();
    });
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
