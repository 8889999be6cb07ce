// Test helpers for cli/ specs: a recording Io, a small fixed Results and Scenario, a fake Toolkit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { parseExpectations } from "../scenarios/expectation-grammar.js";
import type { Scenario, ServerSpec } from "../scenarios/index.js";
import type { Results } from "../sim/index.js";
import type { StrategyFactory } from "../strategies/index.js";
import { runCli } from "./app.js";
import type {
  Io,
  PackageInfo,
  SimulationControl,
  SimulationJob,
  SimulationOutcome,
  Toolkit,
} from "./context.js";
import { main } from "./main.js";

export interface RecordingIo extends Io {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Delivers a Ctrl-C to whatever handlers are subscribed. */
  readonly interrupt: () => void;
  /** Moves the fake wall clock forward. */
  readonly advance: (ms: number) => void;
}

export function recordingIo(cwd: string, overrides: Partial<Io> = {}): RecordingIo {
  let out = "";
  let err = "";
  let clock = 1_000_000;
  const handlers = new Set<() => void>();
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    cwd,
    onInterrupt: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    now: () => clock,
    readStdin: () => "",
    ...overrides,
    stdout: () => out,
    stderr: () => err,
    interrupt: () => {
      for (const handler of [...handlers]) handler();
    },
    advance: (ms) => {
      clock += ms;
    },
  };
}

/** A small, fixed Results: two servers, one of which went DOWN, a few failures, one failing check. */
export function sampleResults(): Results {
  return {
    scenario: "failover-demo",
    seed: 7,
    strategy: "roundrobin",
    durationMs: 60_000,
    warmupMs: 5_000,
    requests: {
      total: 16_500,
      ok: 16_468,
      failed: 32,
      unfinished: 2,
      warmup: 1_498,
      byStatus: { "503": 20, "200": 16_468, "504": 12 },
      byTermination: { sH: 12, "--": 16_468, SC: 20 },
      retried: 47,
      redispatched: 21,
    },
    latency: { meanMs: 21.34, p50Ms: 18.02, p90Ms: 40.25, p99Ms: 97.14, p999Ms: 2004.5, maxMs: 2012.9 },
    latencyDistribution: {
      percentiles: [0, 50, 90, 99, 99.9, 100],
      valuesMs: [0.5, 18.02, 40.25, 97.14, 2004.5, 2012.9],
    },
    queue: { meanMs: 0.0123, p99Ms: 0.85, maxBackendQueue: 3 },
    wait: { meanMs: 3.27, p99Ms: 41.5 },
    servers: [
      server("web01", 7_012, 0.425, 0.381, 14, 0, [
        { atMs: 0, state: "UP" },
        { atMs: 21_000, state: "DOWN" },
        { atMs: 37_000, state: "UP" },
      ]),
      server("web02", 9_488, 0.575, 0.512, 17, 2, [{ atMs: 0, state: "UP" }]),
    ],
    series: {
      bucketMs: 1_000,
      atMs: [0, 1_000],
      requests: [300, 301],
      errors: [0, 1],
      p50Ms: [18, 18.5],
      p99Ms: [90, 95],
      inFlight: { web01: [3.1, 3.3], web02: [3, 3.2] },
      backendQueue: [0, 0.1],
      p90Ms: [40, 41],
      errorsByStatus: { "503": [0, 1] },
      errorsByTermination: { SC: [0, 1] },
      serverRequests: { web01: [130, 131], web02: [170, 170] },
      queued: { web01: [0, 0], web02: [0, 0.05] },
      checksFailed: { web01: [0, 0], web02: [0, 0] },
    },
    offeredLoad: [{ backend: "backend", arrivalsPerSecond: 300.4, capacityPerSecond: 800, ratio: 0.3755 }],
    checks: [
      { name: "p99 < 300ms", pass: true, actual: 97.14 },
      { name: "errors < 0.1%", pass: false, actual: 0.00194 },
    ],
    timeline: [],
    engine: { events: 1_234_567, wallMs: 812 },
  };
}

function server(
  name: string,
  requests: number,
  share: number,
  utilization: number,
  maxInFlight: number,
  maxQueued: number,
  states: Results["servers"][number]["states"],
): Results["servers"][number] {
  return {
    name,
    requests,
    share,
    utilization,
    maxInFlight,
    maxQueued,
    waitMeanMs: name === "web01" ? 2.91 : 3.54,
    states,
    attempts: requests + 3,
    picks: requests,
    retries: name === "web01" ? 26 : 0,
    redispatches: name === "web01" ? 21 : 0,
    connectErrors: 0,
    responseErrors: 0,
    serverErrors: 0,
    checksFailed: 0,
    downs: name === "web01" ? 1 : 0,
    weight: 1,
    weightAtEnd: 1,
    backup: false,
    inFlightAtEnd: name === "web01" ? 0 : 2,
    queuedAtEnd: 0,
    // web01 was DOWN from 21 s to 37 s, then back UP on a passing check.
    ...(name === "web01" ? { lastCheck: "L4OK" as const, downtimeMs: 16_000 } : { downtimeMs: 0 }),
  };
}

export function sampleScenario(overrides: Partial<Scenario> = {}): Scenario {
  const web = (name: string, id: number): ServerSpec => ({
    name,
    id,
    weight: 1,
    maxconn: 0,
    maxqueue: 0,
    slots: 1,
    discipline: "fifo",
    speed: 1,
    service: { kind: "constant", valueMs: 10 },
    backup: false,
    check: null,
    slowstartMs: 0,
    observe: null,
    disabled: false,
  });
  return {
    name: "failover-demo",
    description: "Two web servers; web01 crashes.\nMore detail on the second line.",
    seed: 7,
    durationMs: 60_000,
    warmupMs: 5_000,
    bucketMs: 1_000,
    frontend: { name: "fe", maxconn: 0, clientTimeoutMs: Number.POSITIVE_INFINITY },
    backend: {
      name: "backend",
      balance: "roundrobin",
      hashType: "map-based",
      timeout: { connectMs: 5_000, serverMs: 50_000, queueMs: 5_000 },
      retries: 3,
      redispatch: null,
      allbackups: false,
      servers: [web("web01", 1), web("web02", 2)],
    },
    clients: [],
    events: [],
    compare: [],
    expect: [],
    // `expect: ["p99 < 1s"]` as text is parsed as the loader parses a file's.
    expectations: parseExpectations(overrides.expect ?? []),
    ...overrides,
  };
}

export const STRATEGY_NAMES = ["roundrobin", "static-rr", "leastconn", "first", "source", "uri", "random"];

const noStrategy: StrategyFactory = () => {
  throw new Error("the fake toolkit builds no strategies");
};

export interface FakeToolkit extends Toolkit {
  readonly jobs: SimulationJob[];
}

/** A Toolkit whose simulate calls `body` (default: return sampleResults at once). */
export function fakeToolkit(
  options: {
    readonly scenario?: Scenario;
    readonly body?: (job: SimulationJob, control: SimulationControl) => Promise<SimulationOutcome>;
    readonly interruptible?: boolean;
  } = {},
): FakeToolkit {
  const jobs: SimulationJob[] = [];
  return {
    jobs,
    loadScenarioFile: () => options.scenario ?? sampleScenario(),
    resolveStrategy: (balance) =>
      STRATEGY_NAMES.includes(balance.split(/[\s(]/, 1)[0] ?? "") ? noStrategy : undefined,
    strategyNames: () => [...STRATEGY_NAMES],
    simulate: (job, control) => {
      jobs.push(job);
      if (options.body !== undefined) return options.body(job, control);
      return Promise.resolve({ results: sampleResults(), stopped: false, reachedMs: 60_000, traceRows: 0 });
    },
    interruptible: options.interruptible ?? true,
  };
}

export function fakePackage(root: string): PackageInfo {
  return { root, version: "9.8.7", libraryDir: `${root}/scenarios/library` };
}

/** main() with process.stdout and process.stderr captured (end-to-end specs). */
export async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/**
 * A fresh folder laid out like the package for the CLI specs (`demo.yaml`, `scenarios/library/`,
 * with a `tutorial.yaml` there when asked), and the recording Io rooted in it.
 */
export function cliFolder(
  prefix: string,
  options: { readonly tutorial?: boolean } = {},
): { dir: string; io: RecordingIo } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, "scenarios", "library"), { recursive: true });
  if (options.tutorial === true)
    writeFileSync(join(dir, "scenarios", "library", "tutorial.yaml"), "name: tutorial\n");
  writeFileSync(join(dir, "demo.yaml"), "name: demo\n");
  return { dir, io: recordingIo(dir) };
}

/**
 * A cliFolder made before each test and removed after (call it at the top of a spec); `cli` runs
 * lbsim in it with a fake package, and `freshIo` starts a new recording Io there for a second run.
 */
export function cliSandbox(prefix: string): {
  readonly dir: string;
  readonly io: RecordingIo;
  cli(argv: string[], toolkit?: Toolkit): Promise<number>;
  freshIo(): void;
} {
  let dir = "";
  let io: RecordingIo | undefined;
  beforeEach(() => {
    ({ dir, io } = cliFolder(prefix));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get io() {
      return io as RecordingIo;
    },
    cli: (argv, toolkit = fakeToolkit()) => runCli(argv, toolkit, fakePackage(dir), io as RecordingIo),
    freshIo: () => {
      io = recordingIo(dir);
    },
  };
}

/**
 * Two backends: web (roundrobin) gets the pages, api (`apiBalance`) the /api/ requests, 50 a
 * second for 10 s; `last.mjs` is a strategy that always picks the last of its servers.
 */
export function twoBackendFiles(dir: string, apiBalance: string): string {
  writeFileSync(
    join(dir, "last.mjs"),
    `export default (servers) => ({
  serverUp() {}, serverDown() {}, weightChanged() {}, taken() {}, released() {},
  pick: () => servers[servers.length - 1],
});
`,
  );
  const path = join(dir, "two.yaml");
  writeFileSync(
    path,
    `name: two-backends
seed: 3
duration: 10s
frontends:
  - name: www
    use_backend: ["api if { path_beg /api/ }"]
    default_backend: web
backends:
  - name: web
    service: {constant: 5ms}
    servers: [{name: w1}, {name: w2}]
  - name: api
    balance: ${apiBalance}
    service: {constant: 5ms}
    servers: [{name: a1}, {name: a2}, {name: a3}]
clients:
  - {name: pages, arrivals: {constant: 50/s}}
  - {name: apis, arrivals: {constant: 50/s}, paths: {prefix: /api/}}
expect:
  - "share(api/a3) > 99.9%"
`,
  );
  return path;
}
