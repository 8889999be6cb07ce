// One benchmark case, run in its own process so that its peak RSS is its own; prints one JSON line.
import { run } from "../sim/run.js";
import { client, scenario, server } from "../sim/scenario-builders.js";
import { resolveStrategy } from "../strategies/index.js";
import { runView } from "../viz/build-run.js";
import { reportHtml } from "../viz/report-html.js";
import { bareLoop } from "./bare-loop.js";
import { bareRandom2 } from "./bare-random2.js";

/** The reference model of issue 3: 10 single-slot servers, exponential service of mean 10 ms, 90% load. */
const MEAN_SERVICE_MS = 10;
const LOAD = 0.9;

export interface CaseResult {
  readonly name: string;
  readonly requests: number;
  readonly events: number;
  readonly wallMs: number;
  /**
   * CPU time (user + system) of the run alone, ms: on a shared host the wall time also counts the
   * moments this process waited for a core, CPU time mostly does not, so A/B comparisons use it.
   */
  readonly cpuMs: number;
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly peakRssMB: number;
  readonly meanLatencyMs: number;
  /** Cases that write a report: the time to build it from the Results (view + page) and its size. */
  readonly reportMs?: number;
  readonly reportBytes?: number;
}

function lbsim(
  name: string,
  requests: number,
  servers: number,
  balance: string,
  timeoutScale: number,
  report = false,
  balancers = 0,
): CaseResult {
  const ratePerSecond = (LOAD * servers * 1000) / MEAN_SERVICE_MS;
  const durationMs = (requests / ratePerSecond) * 1000;
  const s = scenario({
    name,
    durationMs,
    bucketMs: Math.max(1000, Math.ceil(durationMs / 1000)),
    backend: {
      balance,
      timeout: {
        connectMs: 5000 * timeoutScale,
        serverMs: 50_000 * timeoutScale,
        queueMs: 5000 * timeoutScale,
      },
      servers: Array.from({ length: servers }, (_, i) =>
        server(`s${i + 1}`, { service: { kind: "exponential", meanMs: MEAN_SERVICE_MS } }),
      ),
    },
    clients: [
      client("load", { arrivals: { kind: "poisson", ratePerSecond }, timeoutMs: 10_000 * timeoutScale }),
    ],
  });
  // Several balancer instances at the same total load: each runs the same strategy on its own state.
  const scenarioToRun =
    balancers > 0 ? { ...s, balancers: { count: balancers, spread: "roundrobin" as const } } : s;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const results = run(scenarioToRun, {
    resolveStrategy: (b) => {
      const factory = resolveStrategy(b);
      if (factory === undefined) throw new Error(`unknown strategy ${b}`);
      return factory;
    },
  });
  const wallMs = performance.now() - started;
  const cpuMs = cpuSince(cpuStarted);
  const done = results.requests.total;
  const figures = summary(name, done, results.engine.events, wallMs, cpuMs, results.latency.meanMs);
  if (!report) return figures;
  // What `lbsim run … --report` does after the run: the view, then the page.
  const reportStarted = performance.now();
  const html = reportHtml(runView({ results }, "lbsim bench"));
  const reportMs = Math.round(performance.now() - reportStarted);
  return { ...figures, reportMs, reportBytes: Buffer.byteLength(html) };
}

function bare(name: string, requests: number, servers: number, timeoutMs: number): CaseResult {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = bareLoop(requests, servers, MEAN_SERVICE_MS, LOAD, timeoutMs, 12345);
  const wallMs = performance.now() - started;
  return summary(name, result.requests, result.events, wallMs, cpuSince(cpuStarted), result.meanLatencyMs);
}

function bareR2(name: string, servers: number): CaseResult {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = bareRandom2(2_000_000, servers, MEAN_SERVICE_MS, LOAD, 12345);
  const wallMs = performance.now() - started;
  return summary(name, result.requests, result.events, wallMs, cpuSince(cpuStarted), result.meanLatencyMs);
}

function summary(
  name: string,
  requests: number,
  events: number,
  wallMs: number,
  cpuMs: number,
  meanLatencyMs: number,
): CaseResult {
  return {
    name,
    requests,
    events,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(cpuMs),
    requestsPerSecond: Math.round((requests / wallMs) * 1000),
    eventsPerSecond: Math.round((events / wallMs) * 1000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    meanLatencyMs: Math.round(meanLatencyMs * 1000) / 1000,
  };
}

/** User + system CPU milliseconds since `started` (a process.cpuUsage() reading). */
function cpuSince(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

export const CASES: Readonly<Record<string, () => CaseResult>> = {
  "bare-10": () => bare("bare-10", 2_000_000, 10, 50_000),
  "bare-10-no-timeouts": () => bare("bare-10-no-timeouts", 2_000_000, 10, Number.POSITIVE_INFINITY),
  "leastconn-10": () => lbsim("leastconn-10", 2_000_000, 10, "leastconn", 1),
  "leastconn-10-timeouts-x10": () => lbsim("leastconn-10-timeouts-x10", 2_000_000, 10, "leastconn", 10),
  "leastconn-10-10M": () => lbsim("leastconn-10-10M", 10_000_000, 10, "leastconn", 1, true),
  "roundrobin-10": () => lbsim("roundrobin-10", 2_000_000, 10, "roundrobin", 1),
  "leastconn-10-balancers-1": () =>
    lbsim("leastconn-10-balancers-1", 2_000_000, 10, "leastconn", 1, false, 1),
  "leastconn-10-balancers-4": () =>
    lbsim("leastconn-10-balancers-4", 2_000_000, 10, "leastconn", 1, false, 4),
  "roundrobin-10-balancers-1": () =>
    lbsim("roundrobin-10-balancers-1", 2_000_000, 10, "roundrobin", 1, false, 1),
  "roundrobin-10-balancers-4": () =>
    lbsim("roundrobin-10-balancers-4", 2_000_000, 10, "roundrobin", 1, false, 4),
  "leastconn-1000": () => lbsim("leastconn-1000", 2_000_000, 1000, "leastconn", 1),
  "roundrobin-1000": () => lbsim("roundrobin-1000", 2_000_000, 1000, "roundrobin", 1),
  "bare-random2-10": () => bareR2("bare-random2-10", 10),
  "bare-random2-10000": () => bareR2("bare-random2-10000", 10_000),
  "random2-10": () => lbsim("random2-10", 2_000_000, 10, "random(2)", 1),
  "leastconn-10000": () => lbsim("leastconn-10000", 2_000_000, 10_000, "leastconn", 1),
  "roundrobin-10000": () => lbsim("roundrobin-10000", 2_000_000, 10_000, "roundrobin", 1),
  "random2-10000": () => lbsim("random2-10000", 2_000_000, 10_000, "random(2)", 1),
};

const name = process.argv[2];
if (name !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  const make = CASES[name];
  if (make === undefined) {
    process.stderr.write(`unknown case ${name}; cases: ${Object.keys(CASES).join(", ")}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(make())}\n`);
}
