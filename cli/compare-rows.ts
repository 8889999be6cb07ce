// The figures `lbsim compare` ranks: per row, each strategy's value in every replication and what its cell shows.
import type { Results } from "../sim/index.js";
import { mean } from "./check-stats.js";
import { formatCount, formatLatency, formatPercent, formatSignificant } from "./format.js";

/** Which value of a row is the best one. */
export type Better = "lower" | "higher" | "none";

/** What a row's values are: times (ms), counts of requests, or fractions (server shares). */
export type RowUnit = "ms" | "count" | "ratio";

export interface Row {
  /** The row's name in the comparison JSON: `latency.p99`, `status.200`, `ended.--`, `backend.api.errors`. */
  readonly key: string;
  readonly section: string;
  readonly name: string;
  readonly better: Better;
  readonly unit: RowUnit;
  /**
   * Per strategy, the value each replication ranks by, in seed order; undefined when a run has no
   * such figure (a backend that finished no request): its cell reads "-" and is never the best.
   */
  readonly values: ReadonlyArray<ReadonlyArray<number> | undefined>;
  /** What each strategy's cell shows: the mean over the replications, as ranked. */
  readonly cells: ReadonlyArray<string>;
  /** Cells that need a look whatever the ranking says (requests left unanswered). */
  readonly alerts?: ReadonlyArray<boolean>;
}

/** One backend's figures (sim/index.ts re-exports Results, not this part of it). */
type BackendResults = NonNullable<Results["backends"]>[number];

/**
 * A mean of counts: whole numbers with separators (`12,144`), a fractional mean of replications
 * with 3 significant digits below 1000 (`9.4`), so that 9.4 and 9 do not read the same.
 */
export function formatMeanCount(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 1000) return formatCount(n);
  return formatSignificant(n);
}

/**
 * Every row of the comparison, from `runs[strategy][replication]`. Counts are ranked as shown:
 * every strategy answers the same arrivals (common random numbers), so the count that answered
 * more is the better one, whereas a share of each run's own total would reward a strategy that
 * left requests unanswered (seen: `9,939*` against `12,144` for Status 200).
 */
export function buildRows(runs: ReadonlyArray<ReadonlyArray<Results>>): Row[] {
  const rows: Row[] = [];
  const figure = (
    key: string,
    section: string,
    name: string,
    better: Better,
    unit: RowUnit,
    value: (r: Results) => number | undefined,
    show: (meanValue: number, of: ReadonlyArray<Results>) => string,
  ): Row => {
    const values = runs.map((replications) => {
      const list = replications.map(value);
      return list.every((v): v is number => v !== undefined) ? list : undefined;
    });
    const row: Row = {
      key,
      section,
      name,
      better,
      unit,
      values,
      cells: values.map((list, s) => (list === undefined ? "-" : show(mean(list), runs[s] ?? []))),
    };
    rows.push(row);
    return row;
  };
  const latency = (key: string, section: string, name: string, value: (r: Results) => number) =>
    figure(key, section, name, "lower", "ms", value, (ms) => formatLatency(ms));
  const count = (key: string, section: string, name: string, better: Better, value: (r: Results) => number) =>
    figure(key, section, name, better, "count", value, (n) => formatMeanCount(n));

  latency("latency.p50", "Latency", "p50", (r) => r.latency.p50Ms);
  latency("latency.p90", "Latency", "p90", (r) => r.latency.p90Ms);
  latency("latency.p99", "Latency", "p99", (r) => r.latency.p99Ms);
  latency("latency.p999", "Latency", "p99.9", (r) => r.latency.p999Ms);
  latency("latency.mean", "Latency", "mean", (r) => r.latency.meanMs);
  latency("latency.max", "Latency", "max", (r) => r.latency.maxMs);
  latency("queue.mean", "Queue", "mean", (r) => r.queue.meanMs);
  latency("queue.p99", "Queue", "p99", (r) => r.queue.p99Ms);

  count("requests.total", "Requests", "total", "none", (r) => r.requests.total);
  figure(
    "requests.errors",
    "Requests",
    "errors",
    "lower",
    "count",
    (r) => r.requests.failed,
    (failed, of) =>
      `${formatMeanCount(failed)} (${formatPercent(pooledShare(of, (r) => r.requests.failed))})`,
  );
  const unfinished = count(
    "requests.unfinished",
    "Requests",
    "unfinished",
    "lower",
    (r) => r.requests.unfinished,
  );
  rows[rows.length - 1] = {
    ...unfinished,
    alerts: unfinished.values.map((list) => (list ?? []).some((n) => n > 0)),
  };
  count("requests.retried", "Requests", "retried", "lower", (r) => r.requests.retried);
  count("requests.redispatched", "Requests", "redispatched", "lower", (r) => r.requests.redispatched);

  const all = runs.flat();
  const seen = (counts: Readonly<Record<string, number>>) =>
    Object.keys(counts).filter((k) => (counts[k] ?? 0) > 0);
  const statuses = union(all.map((r) => seen(r.requests.byStatus))).sort((a, b) => Number(a) - Number(b));
  for (const status of statuses) {
    const code = Number(status);
    const good = code >= 100 && code < 400;
    count(
      `status.${status}`,
      "Status",
      status,
      good ? "higher" : "lower",
      (r) => r.requests.byStatus[status] ?? 0,
    );
  }
  const terminations = union(all.map((r) => seen(r.requests.byTermination))).sort((a, b) =>
    a === "--" ? -1 : b === "--" ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const code of terminations) {
    count(
      `ended.${code}`,
      "Ended",
      code,
      code === "--" ? "higher" : "lower",
      (r) => r.requests.byTermination[code] ?? 0,
    );
  }

  backendRows(all, figure);

  const servers = union(all.map((r) => r.servers.map((s) => s.name)));
  const server = (r: Results, name: string) => r.servers.find((s) => s.name === name);
  for (const name of servers) {
    figure(
      `share.${name}`,
      "Share",
      name,
      "none",
      "ratio",
      (r) => server(r, name)?.share ?? 0,
      (share) => formatPercent(share),
    );
  }
  for (const name of servers) {
    count(`maxQueued.${name}`, "Max queued", name, "lower", (r) => server(r, name)?.maxQueued ?? 0);
  }
  return rows;
}

/** A count as a share of the requests over every replication: `sum(count) / sum(total)`. */
function pooledShare(of: ReadonlyArray<Results>, count: (r: Results) => number): number {
  const total = of.reduce((n, r) => n + r.requests.total, 0);
  return total === 0 ? 0 : of.reduce((n, r) => n + count(r), 0) / total;
}

/**
 * The "Backends" rows, present only when the runs have several backends (`Results.backends`):
 * each backend's p50, p99 and errors. The backend that answers a frontend's unrouted requests
 * (strategy "", no servers: all 503s) shows its errors only, since the latency of an immediate 503
 * says nothing about a strategy. A run without the backend, or whose backend finished no request,
 * has no latency figure.
 */
function backendRows(
  all: ReadonlyArray<Results>,
  figure: (
    key: string,
    section: string,
    name: string,
    better: Better,
    unit: RowUnit,
    value: (r: Results) => number | undefined,
    show: (meanValue: number, of: ReadonlyArray<Results>) => string,
  ) => Row,
): void {
  const names = union(all.map((r) => (r.backends ?? []).map((b) => b.name)));
  const find = (r: Results, name: string): BackendResults | undefined =>
    r.backends?.find((b) => b.name === name);
  for (const name of names) {
    const served = (r: Results) => {
      const b = find(r, name);
      return b === undefined || b.requests.total === 0 ? undefined : b;
    };
    const unrouted = all.every((r) => {
      const b = find(r, name);
      return b === undefined || b.strategy === "";
    });
    if (!unrouted) {
      for (const [field, label] of [
        ["p50Ms", "p50"],
        ["p99Ms", "p99"],
      ] as const) {
        figure(
          `backend.${name}.${label}`,
          "Backends",
          `${name} ${label}`,
          "lower",
          "ms",
          (r) => served(r)?.latency[field],
          (ms) => formatLatency(ms),
        );
      }
    }
    figure(
      `backend.${name}.errors`,
      "Backends",
      `${name} errors`,
      "lower",
      "count",
      (r) => find(r, name)?.requests.failed,
      (failed, of) => {
        const total = of.reduce((n, r) => n + (find(r, name)?.requests.total ?? 0), 0);
        const all = of.reduce((n, r) => n + (find(r, name)?.requests.failed ?? 0), 0);
        return `${formatMeanCount(failed)} (${formatPercent(total === 0 ? 0 : all / total)})`;
      },
    );
  }
}

function union(lists: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const item of list) seen.add(item);
  return [...seen];
}
