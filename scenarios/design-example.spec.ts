// DESIGN.md's example scenario, in YAML and in JSON, parses to the exact Scenario.
import { describe, expect, it } from "vitest";
import { parseExpectations } from "./expectation-grammar.js";
import { parseScenario } from "./parse.js";
import type { Scenario, ServerSpec } from "./types.js";

/** DESIGN.md's example, without `haproxy:` (import comes later). */
const DESIGN_EXAMPLE = `name: failover-demo
seed: 7
duration: 60s            # simulated time
warmup: 5s               # excluded from steady-state figures
backend:                 # inline topology (or overrides of the imported one)
  name: backend          # optional; runtime commands address servers as <backend>/<server>
  balance: roundrobin
  hash-type: map-based   # or consistent
  timeout: {connect: 5s, server: 50s, queue: 5s}
  retries: 3
  redispatch: true
  check: {type: http, inter: 2s, fastinter: 1s, downinter: 5s, rise: 2, fall: 3, timeout: 1s}
  servers:
    - {name: web01, weight: 1, maxconn: 32, slots: 8, service: {lognormal: {median: 20ms, sigma: 0.6}}}
    - {name: web02, weight: 1, maxconn: 32, slots: 8, speed: 0.5, service: {exponential: 20ms}}
    - {name: spare, backup: true, slots: 8, service: {exponential: 20ms}}
clients:
  - name: browsers
    arrivals: {poisson: 300/s}       # or constant, ramp {from,to}, users {count, think}, trace: file.csv
    sources: {count: 1000}           # distinct client IPv4 addresses (for balance source)
    paths: {count: 5000, zipf: 1.1}  # distinct URLs (for balance uri)
    timeout: 10s                     # the client gives up
events:                              # the failure timeline
  - {at: 20s, crash: web01}          # crash | hang | restore | slow {server, factor} | errors {server, rate}
  - {at: 35s, restore: web01}
  - {at: 40s, runtime: "set server backend/web02 state drain"}   # HAProxy runtime API
compare: [roundrobin, leastconn]     # optional: run once per strategy on the same request stream
expect:                              # thresholds checked by \`lbsim check\`
  - "p99 < 300ms"
  - "errors < 0.5%"
  - "share(web01) in 45%..55%"
  - "leastconn.p99 < roundrobin.p99" # with compare: a strategy's figures by its name
`;

const designCheck = {
  type: "http",
  interMs: 2000,
  fastinterMs: 1000,
  downinterMs: 5000,
  rise: 2,
  fall: 3,
  timeoutMs: 1000,
} as const;
const server = (fields: Partial<ServerSpec> & Pick<ServerSpec, "name" | "id">): ServerSpec => ({
  weight: 1,
  maxconn: 0,
  maxqueue: 0,
  slots: 1,
  discipline: "fifo",
  speed: 1,
  service: null,
  backup: false,
  check: null,
  slowstartMs: 0,
  observe: null,
  disabled: false,
  ...fields,
});

const DESIGN_FRONTEND = {
  name: "frontend",
  maxconn: 0,
  clientTimeoutMs: Number.POSITIVE_INFINITY,
  acls: [],
  useBackends: [],
  defaultBackend: "backend",
};

const DESIGN_SCENARIO_BODY = {
  name: "failover-demo",
  description: "",
  seed: 7,
  durationMs: 60_000,
  warmupMs: 5000,
  bucketMs: 1000,
  frontend: DESIGN_FRONTEND,
  backend: {
    name: "backend",
    balance: "roundrobin",
    hashType: "map-based",
    timeout: { connectMs: 5000, serverMs: 50_000, queueMs: 5000 },
    retries: 3,
    redispatch: { interval: -1 },
    allbackups: false,
    servers: [
      server({
        name: "web01",
        id: 1,
        maxconn: 32,
        slots: 8,
        check: designCheck,
        service: { kind: "lognormal", medianMs: 20, sigma: 0.6 },
      }),
      server({
        name: "web02",
        id: 2,
        maxconn: 32,
        slots: 8,
        speed: 0.5,
        check: designCheck,
        service: { kind: "exponential", meanMs: 20 },
      }),
      server({
        name: "spare",
        id: 3,
        backup: true,
        slots: 8,
        check: designCheck,
        service: { kind: "exponential", meanMs: 20 },
      }),
    ],
  },
  clients: [
    {
      name: "browsers",
      arrivals: { kind: "poisson", ratePerSecond: 300 },
      sources: { count: 1000, zipf: null },
      paths: { count: 5000, zipf: 1.1 },
      pathPrefix: "/item/",
      host: "",
      frontend: "frontend",
      timeoutMs: 10_000,
      retry: null,
    },
  ],
  events: [
    { atMs: 20_000, kind: "crash", server: "web01" },
    { atMs: 35_000, kind: "restore", server: "web01" },
    {
      atMs: 40_000,
      kind: "runtime",
      text: "set server backend/web02 state drain",
      command: { op: "state", server: "web02", state: "drain" },
    },
  ],
  compare: ["roundrobin", "leastconn"],
  expect: ["p99 < 300ms", "errors < 0.5%", "share(web01) in 45%..55%", "leastconn.p99 < roundrobin.p99"],
  expectations: parseExpectations([
    "p99 < 300ms",
    "errors < 0.5%",
    "share(web01) in 45%..55%",
    "leastconn.p99 < roundrobin.p99",
  ]),
} satisfies Scenario;

/** One frontend and one backend: the lists hold just them. */
const DESIGN_SCENARIO: Scenario = {
  ...DESIGN_SCENARIO_BODY,
  frontends: [DESIGN_SCENARIO_BODY.frontend],
  backends: [DESIGN_SCENARIO_BODY.backend],
};

describe("DESIGN.md's example scenario", () => {
  it("reads DESIGN.md's example into the exact Scenario", () => {
    expect(parseScenario(DESIGN_EXAMPLE, "failover-demo.yaml")).toEqual(DESIGN_SCENARIO);
  });

  it("reads the same scenario written as JSON", () => {
    const json = JSON.stringify(
      {
        name: "failover-demo",
        seed: 7,
        duration: "60s",
        warmup: 5000,
        backend: {
          name: "backend",
          "hash-type": "map-based",
          timeout: { connect: "5s", server: "50s", queue: "5s" },
          redispatch: true,
          check: {
            type: "http",
            inter: "2s",
            fastinter: "1s",
            downinter: "5s",
            rise: 2,
            fall: 3,
            timeout: "1s",
          },
          servers: [
            { name: "web01", maxconn: 32, slots: 8, service: { lognormal: { median: "20ms", sigma: 0.6 } } },
            { name: "web02", maxconn: 32, slots: 8, speed: 0.5, service: { exponential: "20ms" } },
            { name: "spare", backup: true, slots: 8, service: { exponential: 20 } },
          ],
        },
        clients: [
          {
            name: "browsers",
            arrivals: { poisson: "300/s" },
            sources: { count: 1000 },
            paths: { count: 5000, zipf: 1.1 },
            timeout: "10s",
          },
        ],
        events: [
          { at: "40s", runtime: "set server backend/web02 state drain" },
          { at: "20s", crash: "web01" },
          { at: "35s", restore: "web01" },
        ],
        compare: ["roundrobin", "leastconn"],
        expect: DESIGN_SCENARIO.expect,
      },
      null,
      "\t",
    );
    expect(parseScenario(json, "failover-demo.json")).toEqual(DESIGN_SCENARIO);
  });
});
