// One backend's section: shares with their ideal by weight, per-server load (folded when large), health, stats rows.
import type { Results } from "../sim/index.js";
import { health } from "./build-health.js";
import { band, type VariantRuns } from "./build-series.js";
import { type ServerIn, serverNamed } from "./inputs.js";
import { chartRound, figureRound, interval95, meanOf } from "./stats.js";
import type {
  ActionMarker,
  BackendSection,
  BandSeries,
  FailoverWindow,
  ServerInfo,
  StatsRow,
  TimeAxis,
} from "./view.js";

/** Most servers a backend's load chart draws one by one; the rest are folded into one `other` line. */
export const MAX_DRAWN_SERVERS = 24;
/** Fewest drawn one by one when the budget below is tight (long runs, many variants and replications). */
export const MIN_DRAWN_SERVERS = 4;
/**
 * The numbers a backend's load chart may hold (in flight and queued, per variant, per bucket, a band
 * being three): 120,000 numbers are about 700 kB of JSON. A run of 2000 buckets draws 24 servers; a
 * comparison of two strategies with replications (bands) of 2000 buckets, 5.
 */
export const LOAD_NUMBERS_BUDGET = 120_000;

/** How many servers a backend's load chart draws one by one, for this many buckets, variants and replications. */
export function drawnLimit(buckets: number, variants: ReadonlyArray<VariantRuns>): number {
  const perServer = variants.reduce((sum, v) => sum + 2 * buckets * (v.runs.length > 1 ? 3 : 1), 0);
  const fits = perServer === 0 ? MAX_DRAWN_SERVERS : Math.floor(LOAD_NUMBERS_BUDGET / perServer);
  return Math.max(MIN_DRAWN_SERVERS, Math.min(MAX_DRAWN_SERVERS, fits));
}

/** The backends of a run: `Results.backends` when there are several, else one holding every server. */
export function backendsOf(first: Results): Array<{ name: string; servers: string[] }> {
  if (first.backends !== undefined && first.backends.length > 0) {
    return first.backends.map((b) => ({ name: b.name, servers: [...b.servers] }));
  }
  return [{ name: first.offeredLoad[0]?.backend ?? "backend", servers: first.servers.map((s) => s.name) }];
}

function serverIn(results: Results, name: string): ServerIn | undefined {
  return serverNamed(results, name);
}

/**
 * The ideal share of each server by weight: weight / Σ weights of the active (non-backup) servers;
 * backups 0 while an active server has weight (HAProxy sends them nothing), else by their own
 * weights.
 */
export function serverInfos(first: Results, names: ReadonlyArray<string>): ServerInfo[] {
  const servers = names.map((name) => serverIn(first, name));
  const activeTotal = servers.reduce((sum, s) => sum + (s === undefined || s.backup ? 0 : s.weight), 0);
  const backupTotal = servers.reduce((sum, s) => sum + (s?.backup === true ? s.weight : 0), 0);
  return names.map((name, i) => {
    const s = servers[i];
    if (s === undefined) return { name, weight: null, backup: false, idealShare: null };
    const pool = activeTotal > 0 ? (s.backup ? 0 : activeTotal) : s.backup ? backupTotal : 0;
    return {
      name,
      weight: s.weight,
      backup: s.backup,
      idealShare: pool === 0 ? 0 : figureRound(s.weight / pool),
    };
  });
}

/**
 * The servers drawn one by one: those a timeline action names first (in timeline order), then the
 * busiest by requests (summed over every variant and replication), up to `limit`; in the backend's
 * order. Every server when there are no more than that.
 */
export function drawnServers(
  names: ReadonlyArray<string>,
  variants: ReadonlyArray<VariantRuns>,
  actions: ReadonlyArray<ActionMarker>,
  limit: number = MAX_DRAWN_SERVERS,
): string[] {
  if (names.length <= limit) return [...names];
  const inBackend = new Set(names);
  const keep = new Set<string>();
  for (const a of actions) {
    if (a.server !== undefined && inBackend.has(a.server) && keep.size < limit) keep.add(a.server);
  }
  const requests = new Map<string, number>(names.map((n) => [n, 0]));
  for (const { runs } of variants) {
    for (const r of runs)
      for (const s of r.servers)
        if (inBackend.has(s.name)) requests.set(s.name, (requests.get(s.name) ?? 0) + s.requests);
  }
  const busiest = [...names].sort((a, b) => (requests.get(b) ?? 0) - (requests.get(a) ?? 0));
  for (const n of busiest) {
    if (keep.size >= limit) break;
    keep.add(n);
  }
  return names.filter((n) => keep.has(n));
}

/** The label of the folded line. */
export function otherLabel(count: number): string {
  return `other (${count} servers)`;
}

/** Per bucket, the mean over `servers` of one replication's per-server series (0 where a server has none). */
function foldedMean(
  series: Readonly<Record<string, ReadonlyArray<number>>>,
  servers: ReadonlyArray<string>,
  length: number,
): number[] {
  const sum = new Array<number>(length).fill(0);
  for (const s of servers) {
    const values = series[s];
    if (values === undefined) continue;
    for (let i = 0; i < length; i++) sum[i] = (sum[i] as number) + (values[i] ?? 0);
  }
  return sum.map((v) => v / servers.length);
}

function loadOf(
  variants: ReadonlyArray<VariantRuns>,
  drawn: ReadonlyArray<string>,
  folded: ReadonlyArray<string>,
  length: number,
  pick: (r: Results) => Readonly<Record<string, ReadonlyArray<number>>>,
): Array<Record<string, BandSeries>> {
  return variants.map(({ runs }) => {
    const out: Record<string, BandSeries> = {};
    for (const s of drawn)
      out[s] = band(
        runs.map((r) => pick(r)[s]),
        length,
      );
    if (folded.length > 0) {
      out[otherLabel(folded.length)] = band(
        runs.map((r) => foldedMean(pick(r), folded, length)),
        length,
      );
    }
    return out;
  });
}

function statsRows(variants: ReadonlyArray<VariantRuns>, names: ReadonlyArray<string>): StatsRow[] {
  const rows: StatsRow[] = [];
  for (const name of names) {
    for (const { variant, runs } of variants) {
      const first = runs[0];
      const s = first === undefined ? undefined : serverIn(first, name);
      if (first === undefined || s === undefined) continue;
      rows.push({
        variant: variant.name,
        server: name,
        status: s.states[s.states.length - 1]?.state ?? "no check",
        weight: s.weight,
        backup: s.backup,
        sessionsCur: s.inFlightAtEnd,
        sessionsMax: s.maxInFlight,
        sessionsTotal: s.attempts,
        queueCur: s.queuedAtEnd,
        queueMax: s.maxQueued,
        requests: s.requests,
        share: figureRound(s.share),
        utilization: figureRound(s.utilization),
        retries: s.retries,
        redispatches: s.redispatches,
        connectErrors: s.connectErrors,
        responseErrors: s.responseErrors,
        lastCheck: s.lastCheck ?? null,
        checksFailed: s.checksFailed,
        downs: s.downs,
        downtimeMs: s.downtimeMs,
      });
    }
  }
  return rows;
}

function shareBars(variants: ReadonlyArray<VariantRuns>, names: ReadonlyArray<string>) {
  return variants.map(({ variant, runs }) => ({
    variant,
    shares: names.map((name) => {
      const values = runs.map((r) => serverNamed(r, name)?.share ?? 0);
      const ci = interval95(values);
      return {
        share: figureRound(meanOf(values)),
        ...(ci === undefined ? {} : { low: chartRound(ci.low), high: chartRound(ci.high) }),
      };
    }),
  }));
}

export function backendSections(
  variants: ReadonlyArray<VariantRuns>,
  axis: TimeAxis,
  actions: ReadonlyArray<ActionMarker>,
  failover: ReadonlyArray<FailoverWindow>,
): BackendSection[] {
  const first = variants[0]?.runs[0];
  if (first === undefined) return [];
  const length = axis.atMs.length;
  return backendsOf(first).map(({ name, servers }) => {
    const drawn = drawnServers(servers, variants, actions, drawnLimit(length, variants));
    const kept = new Set(drawn);
    const folded = servers.filter((s) => !kept.has(s));
    const inFlight = loadOf(variants, drawn, folded, length, (r) => r.series.inFlight);
    const queued = loadOf(variants, drawn, folded, length, (r) => r.series.queued ?? {});
    const inBackend = new Set(servers);
    return {
      name,
      shares: { servers: serverInfos(first, servers), bars: shareBars(variants, servers) },
      load: {
        axis,
        servers: folded.length > 0 ? [...drawn, otherLabel(folded.length)] : drawn,
        lines: variants.map(({ variant }, i) => ({
          variant,
          inFlight: inFlight[i] as Record<string, BandSeries>,
          queued: queued[i] as Record<string, BandSeries>,
        })),
        actions: actions.filter((a) => a.server === undefined || inBackend.has(a.server)),
        failover: failover.filter((w) => inBackend.has(w.server)),
      },
      health: health(
        variants,
        servers,
        axis,
        actions.filter((a) => a.server === undefined || inBackend.has(a.server)),
      ),
      stats: statsRows(variants, servers),
      ...(folded.length > 0 ? { folded: folded.length } : {}),
    };
  });
}
