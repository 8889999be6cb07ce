// `lbsim explain`: the whole explanation of an imported haproxy.cfg as data (the `--json` document,
// explainVersion 1), backend by backend; explain-text.ts prints it.

import { type BackendSpec, type CfgImport, cfgLines } from "../scenarios/index.js";
import { type CheckTiming, checkTiming } from "./explain-checks.js";
import { explainLimits, type LimitsExplained } from "./explain-limits.js";
import {
  backendScenario,
  CLIENT_POPULATION,
  type FailoverRun,
  failoverRun,
  type ModelShares,
  modelShares,
  type Traffic,
} from "./explain-model.js";
import { explainShares, type SharesExplained } from "./explain-shares.js";
import { type ExplainWarning, explainWarnings } from "./explain-warnings.js";

export const EXPLAIN_VERSION = 1;

export interface BackendExplained {
  readonly name: string;
  readonly balance: string;
  readonly hashType: "map-based" | "consistent";
  readonly retries: number;
  /** `option redispatch`'s interval (−1 by default: the last retry), null when off. */
  readonly redispatch: number | null;
  /** Workers per server in the model runs (`slots`: the cfg cannot say; enough to be at most half busy). */
  readonly slotsPerServer: number;
  /** Servers the cfg declares `disabled` (MAINT at start: no traffic, no checks). */
  readonly disabledServers: ReadonlyArray<string>;
  /** Absent figures, and why (a backend without servers). */
  readonly skipped?: string;
  readonly shares?: SharesExplained & {
    readonly source: "strategy";
    readonly model: ModelShares & { readonly source: "model" };
  };
  readonly checks?: { readonly source: "formula"; readonly servers: ReadonlyArray<CheckTiming> };
  readonly failover?: {
    readonly source: "model";
    /** The server the runs break: the first active one with a check (else the first active one). */
    readonly server: string;
    readonly crash: FailoverRun;
    readonly hang: FailoverRun;
  };
  readonly limits?: LimitsExplained & { readonly source: "formula" };
  readonly warnings: ReadonlyArray<ExplainWarning>;
}

export interface ExplainReport {
  readonly explainVersion: typeof EXPLAIN_VERSION;
  readonly file: string;
  readonly traffic: {
    readonly ratePerSecond: number;
    readonly rateDefault: boolean;
    readonly service: string;
    readonly serviceDefault: boolean;
    readonly serviceMeanMs: number;
    readonly seed: number;
    readonly clients: string;
  };
  /** What `lbsim import` says of the cfg (not understood, not simulated), by line. */
  readonly importWarnings: ReadonlyArray<{ readonly line: number; readonly message: string }>;
  readonly backends: ReadonlyArray<BackendExplained>;
}

export interface TrafficChoice extends Traffic {
  readonly rateDefault: boolean;
  readonly serviceDefault: boolean;
}

export function explainCfg(imported: CfgImport, text: string, traffic: TrafficChoice): ExplainReport {
  const lines = cfgLines(text);
  const backends = imported.backends.map((b, index): BackendExplained => {
    if (b.servers.length === 0) {
      return {
        name: b.name,
        balance: "",
        hashType: "map-based",
        retries: 0,
        redispatch: null,
        slotsPerServer: 0,
        disabledServers: [],
        skipped: "no server in the cfg: nothing to balance",
        warnings: [],
      };
    }
    const backend = backendScenario(imported, index, traffic, { durationMs: 1000, events: [] }).backend;
    const shares = explainShares(backend, traffic.seed);
    const queueSet = lines.find(b.name, ["timeout", "queue"]) !== undefined;
    const limits = explainLimits(imported, backend, queueSet, traffic.serviceMeanMs);
    const broken = brokenServer(backend);
    return {
      name: backend.name,
      balance: backend.balance,
      hashType: backend.hashType,
      retries: backend.retries,
      redispatch: backend.redispatch?.interval ?? null,
      slotsPerServer: backend.servers[0]?.slots ?? 1,
      disabledServers: backend.servers.filter((s) => s.disabled).map((s) => s.name),
      shares: {
        ...shares,
        source: "strategy",
        model: { ...modelShares(imported, index, traffic), source: "model" },
      },
      checks: { source: "formula", servers: backend.servers.map(checkTiming) },
      ...(broken === undefined
        ? {}
        : {
            failover: {
              source: "model" as const,
              server: broken,
              crash: failoverRun(imported, index, traffic, "crash", broken, backend),
              hang: failoverRun(imported, index, traffic, "hang", broken, backend),
            },
          }),
      limits: { ...limits, source: "formula" },
      warnings: explainWarnings({
        backend,
        lines,
        shares,
        limits,
        ratePerSecond: traffic.ratePerSecond,
        serviceMeanMs: traffic.serviceMeanMs,
      }),
    };
  });
  return {
    explainVersion: EXPLAIN_VERSION,
    file: imported.file,
    traffic: {
      ratePerSecond: traffic.ratePerSecond,
      rateDefault: traffic.rateDefault,
      service: traffic.serviceText,
      serviceDefault: traffic.serviceDefault,
      serviceMeanMs: traffic.serviceMeanMs,
      seed: traffic.seed,
      clients: `Poisson arrivals at ${traffic.ratePerSecond}/s per backend from ${CLIENT_POPULATION.toLocaleString("en-US")} client addresses over ${CLIENT_POPULATION.toLocaleString("en-US")} paths`,
    },
    importWarnings: imported.warnings.map((w) => ({ line: w.line, message: w.message })),
    backends,
  };
}

/** The server the failover runs break: the first active one with a check, else the first active one. */
function brokenServer(backend: BackendSpec): string | undefined {
  const actives = backend.servers.filter((s) => !s.backup && !s.disabled);
  return (actives.find((s) => s.check !== null) ?? actives[0])?.name;
}
