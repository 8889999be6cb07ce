// One server s1 behind one backend, requests from a trace: the network faults' specs run their cases here.
import { parseScenario } from "../../scenarios/parse.js";
import type { Results } from "../results.js";
import type { RequestRecord } from "../run-types.js";
import { simulateWithRecords } from "../test-support.js";

export interface NetCase {
  /** More fields of s1, YAML flow style: `rtt: 5ms, maxconn: 1`. */
  readonly server?: string;
  readonly connect?: string;
  readonly serverTimeout?: string;
  readonly retries?: number;
  /** Timeline events, YAML flow style: `{at: 0s, reset: s1}`. */
  readonly events?: ReadonlyArray<string>;
  /** When each request is sent, and the work each asks (ms). */
  readonly arrivalsMs?: ReadonlyArray<number>;
  readonly demandMs?: number;
  readonly duration?: string;
  readonly seed?: number;
}

export function netScenarioText(c: NetCase): string {
  const events = c.events ?? [];
  return `duration: ${c.duration ?? "20s"}
seed: ${c.seed ?? 1}
backend:
  balance: roundrobin
  timeout: {connect: ${c.connect ?? "1s"}, server: ${c.serverTimeout ?? "10s"}}
  retries: ${c.retries ?? 3}
  servers:
    - {name: s1${c.server === undefined ? "" : `, ${c.server}`}}
clients:
  - {name: c, arrivals: {trace: t.csv}}
${events.length === 0 ? "" : `events:\n${events.map((e) => `  - ${e}`).join("\n")}\n`}`;
}

/** Runs the case; records in the order requests were sent. */
export function runNetCase(c: NetCase): { results: Results; records: RequestRecord[] } {
  const scenario = parseScenario(netScenarioText(c), "net.yaml");
  const { results, records } = simulateWithRecords(scenario, {
    readTrace: () => (c.arrivalsMs ?? []).map((atMs) => ({ atMs, path: "/", demandMs: c.demandMs ?? 0 })),
  });
  return { results, records: [...records].sort((a, b) => a.atMs - b.atMs || a.id - b.id) };
}

/** A record as HAProxy's log shows it: `status termination Tc/Tr retries`. */
export function logged(r: RequestRecord): string {
  return `${r.status} ${r.termination} ${round(r.connectMs)}/${round(r.responseMs)} ${r.redispatched ? "+" : ""}${r.retries}`;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
