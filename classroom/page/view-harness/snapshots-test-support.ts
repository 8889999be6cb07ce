// Real snapshots for the view's browser tests: a library scenario run through the stepping API (sim/stepping.ts), stepped as the worker steps it, each server's `served` counted from the finished requests, the live series built as the worker builds it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { parseScenario } from "../../../scenarios/index.js";
import { createModel, type ModelAction, type Snapshot } from "../../../sim/index.js";
import { resolveStrategy } from "../../../strategies/index.js";
import { type LiveSeries, LiveSeriesBuilder } from "../live-series.js";

const LIBRARY = fileURLToPath(new URL("../../../scenarios/library/", import.meta.url));

export interface Recording {
  /** One per step, `served` added to each server (requests it answered or failed so far). */
  readonly snapshots: Snapshot[];
  /** The live series at the end of the recording. */
  readonly series: LiveSeries;
  readonly actions: Array<{ atMs: number; text: string }>;
  readonly maxconn: Record<string, number>;
}

export interface RecordOptions {
  /** A scenario of scenarios/library/ (`failover.yaml`). */
  readonly file: string;
  readonly stepMs: number;
  readonly untilMs: number;
  /** Actions applied now at these times (the scenario's own timeline is dropped). */
  readonly actions?: ReadonlyArray<{
    readonly atMs: number;
    readonly action: ModelAction;
    readonly text: string;
  }>;
  /** Replace the servers by this many copies of the first (`web01`…), and the clients' rate. */
  readonly servers?: number;
  readonly ratePerSecond?: number;
  readonly maxconn?: number;
}

/** The parts of a scenario file this changes, as YAML gives them. */
interface RawScenario {
  events?: unknown;
  expect?: unknown;
  clients?: unknown;
  backend: { servers: Array<Record<string, unknown>> };
}

export function record(options: RecordOptions): Recording {
  const raw = parse(readFileSync(`${LIBRARY}${options.file}`, "utf8")) as RawScenario;
  raw.events = [];
  raw.expect = [];
  if (options.servers !== undefined) {
    const first = raw.backend.servers[0];
    raw.backend.servers = Array.from({ length: options.servers }, (_, i) => ({
      ...first,
      name: `web${String(i + 1).padStart(2, "0")}`,
      ...(options.maxconn === undefined ? {} : { maxconn: options.maxconn }),
    }));
  }
  if (options.ratePerSecond !== undefined)
    raw.clients = [{ name: "steady", arrivals: { constant: `${options.ratePerSecond}/s` } }];
  const scenario = parseScenario(stringify(raw), options.file);
  const served = new Map<string, number>();
  const names = (scenario.backends ?? [scenario.backend]).flatMap((b) => b.servers.map((s) => s.name));
  const builder = new LiveSeriesBuilder(names, scenario.warmupMs, scenario.durationMs);
  const model = createModel(scenario, {
    resolveStrategy: (name) => {
      const factory = resolveStrategy(name);
      if (factory === undefined) throw new Error(`unknown strategy ${name}`);
      return factory;
    },
    deterministic: true,
    onRequest: (r) => {
      served.set(r.server, (served.get(r.server) ?? 0) + 1);
      builder.add({ atMs: r.atMs, totalMs: r.totalMs, server: r.server, status: r.status });
    },
  });
  const snapshots: Snapshot[] = [];
  const pending = [...(options.actions ?? [])];
  const applied: Array<{ atMs: number; text: string }> = [];
  for (let t = options.stepMs; t <= options.untilMs; t += options.stepMs) {
    model.advanceTo(t);
    while (pending.length > 0 && pending[0]!.atMs <= t) {
      const next = pending.shift()!;
      model.apply(next.action);
      applied.push({ atMs: model.nowMs, text: next.text });
    }
    const snapshot = model.snapshot();
    snapshots.push({
      ...snapshot,
      servers: snapshot.servers.map((s) => ({ ...s, served: served.get(s.name) ?? 0 })),
    });
  }
  const maxconn = Object.fromEntries(
    (scenario.backends ?? [scenario.backend]).flatMap((b) =>
      b.servers.map((s) => [s.name, s.maxconn] as const),
    ),
  );
  return { snapshots, series: builder.series(model.nowMs), actions: applied, maxconn };
}
