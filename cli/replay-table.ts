// The text `lbsim replay` prints: per backend, "as logged" beside each replay, then how the demand was estimated.
import type { Results } from "../sim/index.js";
import { formatCount, formatDuration, formatLatency, formatPercent, formatSignificant } from "./format.js";
import type { BadLine, LogSurvey } from "./replay-read.js";
import type { BackendReplay, LoggedResults } from "./replay-run.js";

interface Column {
  readonly title: string;
  readonly total: number;
  readonly failed: number;
  readonly servers: ReadonlyMap<string, number>;
  readonly latency: Results["latency"];
  readonly queueMeanMs: number;
  readonly retried: number;
  readonly unfinished: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byTermination: Readonly<Record<string, number>>;
}

const fromLogged = (l: LoggedResults): Column => ({
  title: "as logged",
  total: l.requests.total,
  failed: l.requests.failed,
  servers: new Map(l.servers.map((s) => [s.name, s.requests])),
  latency: l.latency,
  queueMeanMs: l.queue.meanMs,
  retried: l.requests.retried,
  unfinished: 0,
  byStatus: l.requests.byStatus,
  byTermination: l.requests.byTermination,
});

const fromResults = (title: string, r: Results): Column => ({
  title,
  total: r.requests.total,
  failed: r.requests.failed,
  servers: new Map(r.servers.map((s) => [s.name, s.requests])),
  latency: r.latency,
  queueMeanMs: r.queue.meanMs,
  retried: r.requests.retried,
  unfinished: r.requests.unfinished,
  byStatus: r.requests.byStatus,
  byTermination: r.requests.byTermination,
});

function share(n: number, column: Column): string {
  const served = [...column.servers.values()].reduce((a, b) => a + b, 0);
  return served === 0 ? "-" : `${formatPercent(n / served)} (${formatCount(n)})`;
}

/** The comparison table of one backend. */
export function renderBackend(r: BackendReplay): string {
  const columns = [
    fromLogged(r.logged),
    ...r.runs.map((run, i) =>
      fromResults(i === 0 ? `replayed, ${run.strategy} (logged)` : `replayed, ${run.strategy}`, run.results),
    ),
  ];
  const rows: string[][] = [["", ...columns.map((c) => c.title)]];
  rows.push(["requests", ...columns.map((c) => formatCount(c.total))]);
  // A what-if that cannot keep up leaves requests open when the replay ends (the log's span plus
  // four times its longest Ta): they count in no other row.
  if (columns.some((c) => c.unfinished > 0))
    rows.push(["  unfinished", ...columns.map((c) => formatCount(c.unfinished))]);
  for (const server of r.logged.servers.map((s) => s.name))
    rows.push([`  ${server}`, ...columns.map((c) => share(c.servers.get(server) ?? 0, c))]);
  for (const [label, key] of [
    ["p50", "p50Ms"],
    ["p90", "p90Ms"],
    ["p99", "p99Ms"],
  ] as const)
    rows.push([label, ...columns.map((c) => (c.total === 0 ? "-" : formatLatency(c.latency[key])))]);
  rows.push(["queue (Tw) mean", ...columns.map((c) => (c.total === 0 ? "-" : formatLatency(c.queueMeanMs)))]);
  if (columns.some((c) => c.retried > 0))
    rows.push(["retried", ...columns.map((c) => formatCount(c.retried))]);
  rows.push([
    "errors",
    ...columns.map((c) =>
      c.total === 0 ? "-" : `${formatPercent(c.failed / c.total)} (${formatCount(c.failed)})`,
    ),
  ]);
  const failing = new Set<string>();
  for (const c of columns)
    for (const [s, n] of Object.entries(c.byStatus)) if (n > 0 && isFailure(Number(s))) failing.add(s);
  for (const s of [...failing].sort((a, b) => Number(a) - Number(b)))
    rows.push([`  status ${s}`, ...columns.map((c) => formatCount(c.byStatus[s] ?? 0))]);
  const terminations = new Set<string>();
  for (const c of columns)
    for (const [t, n] of Object.entries(c.byTermination)) if (n > 0 && t !== "--") terminations.add(t);
  for (const t of [...terminations].sort())
    rows.push([`  termination ${t}`, ...columns.map((c) => formatCount(c.byTermination[t] ?? 0))]);
  return `${grid(rows)}\n`;
}

const isFailure = (status: number) => status < 100 || status >= 500;

function grid(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
}

/** How the demands and speeds were found, and the error that leaves. */
export function renderEstimates(r: BackendReplay): string {
  const d = r.demand;
  const lines: string[] = [];
  lines.push(
    "Service demand: each request's time at its server, Ta − TR − Tw − Tc (connected to last byte), " +
      (d.slotsGiven
        ? "less its wait behind busy workers (FIFO with the servers' slots from --scenario, deconvolved from the logged ends)."
        : "taken whole: no --scenario, so no wait inside servers (each has as many workers as it needs)."),
  );
  if (!d.slotsGiven && d.servers.some((s) => s.maxConcurrent > 1))
    lines.push(
      "  A server with fewer workers than its 'most at once' below made requests wait inside it: their Tr holds that wait, which a what-if would replay as work. Give its slots with --scenario.",
    );
  for (const s of d.servers) {
    const mean = s.measured === 0 ? "-" : formatLatency(s.demandSumMs / s.measured);
    let text = `  ${s.name}: ${formatCount(s.measured)} requests, mean demand ${mean}, most at once ${s.maxConcurrent}`;
    if (s.maxLoggedConnections !== undefined) text += ` (%sc up to ${s.maxLoggedConnections})`;
    if (s.slots !== undefined) {
      text += `; ${s.slots} worker${s.slots === 1 ? "" : "s"}`;
      text +=
        s.waited === 0
          ? ", no request waited"
          : `, ${formatCount(s.waited)} waited (mean ${formatLatency(s.waitSumMs / s.waited)} taken out of Tr)`;
      if (s.inconsistent > 0)
        text += `; ${formatCount(s.inconsistent)} ended before a worker was free (error: ${formatLatency(s.inconsistentSumMs)} in all, demand set to 0)`;
    }
    lines.push(`${text}.`);
  }
  lines.push(
    "Speeds: mean demand over the backend / mean demand on the server (assumes the balancer sent every server alike requests; " +
      `fewer than 20 measured: 1). Each demand is scaled by its server's speed, so a request replayed on another server takes demand × speed(logged) / speed(other).`,
  );
  lines.push(
    `  ${d.speeds.map((s) => `${s.server} ${formatSignificant(s.speed)}${s.given ? " (given)" : ""}`).join(", ")}`,
  );
  if (d.withoutDemand > 0)
    lines.push(
      `${formatCount(d.withoutDemand)} requests never had a time at a server (refused, queued out, no server): replayed with the mean demand, ${formatLatency(d.meanDemandMs)}.`,
    );
  lines.push(
    `Not replayed: TR + Tc (receiving the request, connecting), mean ${formatLatency(d.notReplayedMeanMs)}; client aborts; failures (servers pass their checks; outages, below, are MAINT windows). Timers are whole ms: ±1 ms per request.`,
  );
  if (r.outages === undefined)
    lines.push(
      `Outages: not inferred under balance ${r.runs[0]!.strategy} (it leaves servers idle when nothing is wrong).`,
    );
  else if (r.outages.length > 0) {
    const how = r.outagesKeptUp
      ? "replayed UP all the same (--keep-servers-up)"
      : "replayed in MAINT for that time (--keep-servers-up replays them UP)";
    lines.push(
      `Outages inferred from the log (no request while the backend served ≥ 14 / its share), ${how}:`,
    );
    for (const o of r.outages)
      lines.push(
        `  ${o.server}: from ${formatDuration(o.fromMs)} to ${o.toMs === undefined ? "the end" : formatDuration(o.toMs)} (${formatCount(o.requestsElsewhere)} requests went elsewhere).`,
      );
  }
  if (r.serversNotInCfg.length > 0)
    lines.push(
      `In the log but not in the cfg's backend (their requests replay on the cfg's servers): ${r.serversNotInCfg.join(", ")}.`,
    );
  if (r.late.count > 0)
    lines.push(
      `${formatCount(r.late.count)} lines came later than the reorder buffer allowed and were replayed at the time reached: ${r.late.shown
        .map((l) => `line ${l.line} (${formatLatency(l.lateByMs)} late)`)
        .join(", ")}.`,
    );
  return `${lines.join("\n")}\n`;
}

export function renderHeader(shown: string, survey: LogSurvey): string {
  const span = survey.lastAcceptMs - survey.firstAcceptMs;
  return `lbsim replay ${shown}: ${formatCount(survey.valid)} requests over ${formatLatency(span)} (${formatCount(survey.lines)} lines, ${formatCount(survey.bad)} bad; lines are written as requests end, put back in accept order within ${formatLatency(survey.reorderBoundMs)})\n`;
}

export function renderBadLines(shown: string, bad: number, badShown: ReadonlyArray<BadLine>): string {
  if (bad === 0) return "";
  const out = badShown.map((b) => `${shown}:${b.line}: ${b.message}\n`).join("");
  const more = bad - badShown.length;
  return `${out}lbsim replay: ${formatCount(bad)} bad line${bad === 1 ? "" : "s"} skipped${more > 0 ? ` (${formatCount(more)} more not shown)` : ""}\n`;
}
