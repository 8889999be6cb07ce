// `npm run bench`: runs each case in a fresh process and prints figures, ratios and the issue's goals.
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { CaseResult } from "./case.js";
import { measureStartup, median, type StartupFigures } from "./startup.js";

const CASE_SCRIPT = fileURLToPath(new URL("./case.js", import.meta.url));

/** Runs a case `RUNS` times, each in a fresh process; keeps the fastest run (the least disturbed). */
const RUNS = 3;

function measure(name: string): CaseResult {
  let best: CaseResult | undefined;
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, [CASE_SCRIPT, name], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const result = JSON.parse(out.trim()) as CaseResult;
    if (best === undefined || result.wallMs < best.wallMs)
      best = { ...result, peakRssMB: Math.max(result.peakRssMB, best?.peakRssMB ?? 0) };
    else best = { ...best, peakRssMB: Math.max(result.peakRssMB, best.peakRssMB) };
  }
  return best!;
}

const names = [
  "bare-10-no-timeouts",
  "bare-10",
  "leastconn-10",
  "leastconn-10-timeouts-x10",
  "leastconn-10-10M",
  "roundrobin-10",
  "leastconn-10-balancers-4",
  "roundrobin-10-balancers-4",
  "leastconn-1000",
  "roundrobin-1000",
  "random2-10",
  "bare-random2-10",
  "bare-random2-10000",
  "leastconn-10000",
  "roundrobin-10000",
  "random2-10000",
];
/**
 * Start-up is measured this many times (each: `node -e 0`, then lbsim); the goal compares the
 * medians, which one busy moment of a shared host cannot move (the best of each could be one lucky run).
 */
const STARTUP_RUNS = 21;
const only = process.argv.slice(2);
const results = new Map<string, CaseResult>();
process.stdout.write(
  `each case: the fastest of ${RUNS} runs, each in its own process; peak RSS: the highest\n`,
);
process.stdout.write(
  `machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n\n`,
);
process.stdout.write(
  `${"case".padEnd(28)} ${"requests".padStart(10)} ${"wall s".padStart(7)} ${"CPU s".padStart(6)} ${"req/s".padStart(10)} ${"events/s".padStart(10)} ${"peak RSS".padStart(9)}\n`,
);
for (const name of names) {
  if (only.length > 0 && !only.includes(name)) continue;
  const r = measure(name);
  results.set(name, r);
  process.stdout.write(
    `${name.padEnd(28)} ${String(r.requests).padStart(10)} ${(r.wallMs / 1000).toFixed(2).padStart(7)} ${(r.cpuMs / 1000).toFixed(2).padStart(6)} ${r.requestsPerSecond.toLocaleString("en").padStart(10)} ${r.eventsPerSecond.toLocaleString("en").padStart(10)} ${`${r.peakRssMB} MB`.padStart(9)}\n`,
  );
}
let startup: StartupFigures | undefined;
if (only.length === 0 || only.includes("startup")) {
  startup = measureStartup(STARTUP_RUNS);
  const line = (label: string, sorted: ReadonlyArray<number>) =>
    `${label.padEnd(28)} best ${Math.round(sorted[0]!)} ms, median ${Math.round(median(sorted))} ms, worst ${Math.round(sorted[sorted.length - 1]!)} ms\n`;
  process.stdout.write(`\nstart-up, ${STARTUP_RUNS} runs each, alternating:\n`);
  process.stdout.write(line("node -e 0", startup.nodeMs));
  process.stdout.write(line("lbsim run (tiny scenario) -q", startup.lbsimMs));
}

/**
 * The same speed ratio by CPU time (y's CPU time over x's, the cases' work being alike), shown
 * beside the goal's wall-time ratio: on a busy host it moves less (DOCS-speed.md).
 */
function cpuRatio(x: CaseResult, y: CaseResult): string {
  const ratio = y.cpuMs / y.requests / (x.cpuMs / x.requests) || 0;
  return ` (by CPU time ${ratio.toFixed(2)}×)`;
}

/** One goal of issue 3, judged on the figures just measured. */
function goal(
  label: string,
  a: string,
  b: string | null,
  judge: (x: CaseResult, y: CaseResult | undefined) => [string, boolean],
): void {
  const x = results.get(a);
  const y = b === null ? undefined : results.get(b);
  if (x === undefined || (b !== null && y === undefined)) return;
  const [figure, pass] = judge(x, y);
  process.stdout.write(`${pass ? "PASS" : "FAIL"}  ${label.padEnd(58)} ${figure}\n`);
}

process.stdout.write("\n");
goal("full model ≥ 1.0 M requests/s", "leastconn-10", null, (x) => [
  `${(x.requestsPerSecond / 1e6).toFixed(2)} M/s`,
  x.requestsPerSecond >= 1e6,
]);
goal("full model ≥ 0.6× the bare loop of the same model", "leastconn-10", "bare-10", (x, y) => {
  const ratio = x.requestsPerSecond / y!.requestsPerSecond;
  return [`${ratio.toFixed(2)}×${cpuRatio(x, y!)}`, ratio >= 0.6];
});
goal("full model ≥ 0.7× the bare loop of the same model (issue 11)", "leastconn-10", "bare-10", (x, y) => {
  const ratio = x.requestsPerSecond / y!.requestsPerSecond;
  return [`${ratio.toFixed(2)}×${cpuRatio(x, y!)}`, ratio >= 0.7];
});
goal("timeouts 10× longer: at most 1.5× slower", "leastconn-10-timeouts-x10", "leastconn-10", (x, y) => {
  const slowdown = y!.requestsPerSecond / x.requestsPerSecond;
  return [`${slowdown.toFixed(2)}× slower`, slowdown <= 1.5];
});
goal("peak RSS under 150 MB (2M requests)", "leastconn-10", null, (x) => [
  `${x.peakRssMB} MB`,
  x.peakRssMB < 150,
]);
goal("10M requests use ≤ 1.3× the memory of 2M", "leastconn-10-10M", "leastconn-10", (x, y) => {
  const ratio = x.peakRssMB / y!.peakRssMB;
  return [`${ratio.toFixed(2)}×`, ratio <= 1.3];
});
goal("report of the 10M-request run under 3 MB, built in under 1 s", "leastconn-10-10M", null, (x) => [
  `${((x.reportBytes ?? 0) / 1e6).toFixed(2)} MB in ${x.reportMs ?? "?"} ms`,
  (x.reportBytes ?? Number.POSITIVE_INFINITY) < 3e6 && (x.reportMs ?? Number.POSITIVE_INFINITY) < 1000,
]);
goal("1,000 servers (leastconn) at least half as fast as 10", "leastconn-1000", "leastconn-10", (x, y) => {
  const ratio = x.requestsPerSecond / y!.requestsPerSecond;
  return [`${ratio.toFixed(2)}×${cpuRatio(x, y!)}`, ratio >= 0.5];
});
goal("1,000 servers (roundrobin) at least half as fast as 10", "roundrobin-1000", "roundrobin-10", (x, y) => {
  const ratio = x.requestsPerSecond / y!.requestsPerSecond;
  return [`${ratio.toFixed(2)}×${cpuRatio(x, y!)}`, ratio >= 0.5];
});
for (const strategy of ["leastconn", "roundrobin", "random2"]) {
  const shown = strategy === "random2" ? "random(2)" : strategy;
  goal(
    `10,000 servers (${shown}) at least half as fast as 10`,
    `${strategy}-10000`,
    `${strategy}-10`,
    (x, y) => {
      const ratio = x.requestsPerSecond / y!.requestsPerSecond;
      return [`${ratio.toFixed(2)}×${cpuRatio(x, y!)}`, ratio >= 0.5];
    },
  );
}
// What the 10,000-server goals are up against: the bare random(2) loop's own ratio, 10,000 servers
// against 10 (bench/bare-random2.ts: a deeper event heap and state spread over more memory).
const bareMany = results.get("bare-random2-10000");
const bareFew = results.get("bare-random2-10");
if (bareMany !== undefined && bareFew !== undefined) {
  const ratio = bareMany.requestsPerSecond / bareFew.requestsPerSecond;
  process.stdout.write(
    `      ${"the bare random(2) loop itself: 10,000 servers against 10".padEnd(58)} ${ratio.toFixed(2)}×${cpuRatio(bareMany, bareFew)}\n`,
  );
}
// Roundrobin balances 4 instances as it does one, so the ratio is the simulator's cost of the
// instances' state (chiefly each instance's latency and queue histograms, recorded for every
// request, for Results.balancers); leastconn with local state also balances worse (longer queues
// inside the servers, more requests in flight), which the second figure includes.
// (`node dist/bench/case.js roundrobin-10-balancers-1` runs one instance with those histograms.)
goal(
  "4 balancer instances ≥ 0.75× the speed of 1 (roundrobin, same load)",
  "roundrobin-10-balancers-4",
  "roundrobin-10",
  (x, y) => {
    const ratio = x.requestsPerSecond / y!.requestsPerSecond;
    return [`${ratio.toFixed(2)}×`, ratio >= 0.75];
  },
);
const leastconnMany = results.get("leastconn-10-balancers-4");
const leastconnOne = results.get("leastconn-10");
if (leastconnMany !== undefined && leastconnOne !== undefined) {
  const ratio = leastconnMany.requestsPerSecond / leastconnOne.requestsPerSecond;
  process.stdout.write(
    `      ${"4 balancer instances, leastconn (a worse balance too)".padEnd(58)} ${ratio.toFixed(2)}×\n`,
  );
}
if (startup !== undefined) {
  // Median against median, measured alternately; the best against the best is shown beside it.
  const lbsim = median(startup.lbsimMs);
  const node = median(startup.nodeMs);
  const ratio = lbsim / node;
  const bestRatio = startup.lbsimMs[0]! / startup.nodeMs[0]!;
  const pass = ratio <= 2.5;
  process.stdout.write(
    `${pass ? "PASS" : "FAIL"}  ${"start-up ≤ 2.5× node -e 0 (medians)".padEnd(58)} ${ratio.toFixed(2)}× (${Math.round(lbsim)} ms / ${Math.round(node)} ms; best ${bestRatio.toFixed(2)}×)\n`,
  );
}
