// Scenarios built in code (no YAML, no zod): small explicit defaults for benchmarks and tests, not a scenario file's defaults.
//
// Shipped (bench/ runs from dist/ and uses them; test helpers are left out of dist/), so it imports
// types only and runs wherever sim/ runs.
import type { BackendSpec, ClientSpec, Scenario, ServerSpec } from "../scenarios/types.js";

export function server(name: string, fields: Partial<ServerSpec> = {}): ServerSpec {
  return {
    name,
    id: 0,
    weight: 1,
    maxconn: 0,
    maxqueue: 0,
    slots: 1,
    discipline: "fifo",
    speed: 1,
    service: { kind: "exponential", meanMs: 10 },
    backup: false,
    check: null,
    slowstartMs: 0,
    observe: null,
    disabled: false,
    ...fields,
  };
}

export function client(name: string, fields: Partial<ClientSpec> = {}): ClientSpec {
  return {
    name,
    arrivals: { kind: "poisson", ratePerSecond: 100 },
    sources: { count: 1000, zipf: null },
    paths: { count: 100, zipf: null },
    timeoutMs: Number.POSITIVE_INFINITY,
    retry: null,
    ...fields,
  };
}

export interface ScenarioParts extends Partial<Omit<Scenario, "backend">> {
  readonly backend?: Partial<BackendSpec>;
}

export function scenario(parts: ScenarioParts = {}): Scenario {
  const servers = (parts.backend?.servers ?? [server("s1"), server("s2")]).map((s, i) => ({
    ...s,
    id: s.id > 0 ? s.id : i + 1,
  }));
  const backend: BackendSpec = {
    name: "backend",
    balance: "roundrobin",
    hashType: "map-based",
    timeout: { connectMs: 5000, serverMs: 50000, queueMs: 5000 },
    retries: 3,
    redispatch: null,
    allbackups: false,
    ...parts.backend,
    servers,
  };
  return {
    name: "test",
    description: "",
    seed: 1,
    durationMs: 10_000,
    warmupMs: 0,
    bucketMs: 1000,
    frontend: { name: "frontend", maxconn: 0, clientTimeoutMs: Number.POSITIVE_INFINITY },
    clients: [client("c")],
    events: [],
    compare: [],
    expect: [],
    // Typed expectations only: `expect` is their text, not parsed here (sim/ holds no grammar).
    expectations: [],
    ...parts,
    backend,
  };
}
