// The run table's rows for several balancer instances (Results.balancers): each instance's requests,
// errors, latency, checks and its share of each server.
import type { Results } from "../sim/index.js";
import { formatCount, formatLatency, formatPercent } from "./format.js";

/** A column per server's share only while the table stays readable. */
const MAX_SERVER_COLUMNS = 8;

/** Empty without `balancers:` in the scenario (the table is then as it always was). */
export function balancerRows(results: Results): string[] {
  const balancers = results.balancers;
  if (balancers === undefined || balancers.length === 0) return [];
  const names = balancers[0]!.servers.map((s) => s.name);
  const shown = names.length <= MAX_SERVER_COLUMNS ? names : [];
  const rows = balancers.map((b) => [
    b.name,
    formatCount(b.requests.total),
    formatPercent(b.requests.share),
    b.requests.total === 0 ? "-" : formatPercent(b.requests.failed / b.requests.total),
    formatLatency(b.latency.p50Ms),
    formatLatency(b.latency.p99Ms),
    formatCount(b.checks),
    ...shown.map((_, k) => formatPercent(b.servers[k]!.share)),
  ]);
  const titles = ["balancer", "requests", "share", "errors", "p50", "p99", "checks", ...shown];
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  // The server columns are each instance's own share of its requests (leastconn with local state).
  const note = "(each instance's own share of each server; States below are lb1's view)";
  return ["", render(titles), ...rows.map(render), note];
}
