// A whole routed scenario on a real HAProxy: the server every request gets, through lbsim's full model.
//
// One lbsim scenario (a frontend routing by path, Host and source address to three backends, each
// with its own `balance` and weights, server names repeated across backends) is written as a
// haproxy.cfg too, with one stub per server named `<backend>/<server>` as lbsim names it. The same
// sequential requests (each answered before the next) are replayed as lbsim's trace and sent to
// HAProxy, runtime commands in between; every request must reach the same server in both.

import { expect, it } from "vitest";
import { parseScenario } from "../../scenarios/parse.js";
import type { Scenario } from "../../scenarios/types.js";
import type { TraceRow } from "../../sim/run-types.js";
import { simulateWithRecords } from "../../sim/test-support.js";
import { describeWithHaproxy } from "./conformance.js";
import {
  cfgPreamble,
  findHaproxy,
  NOSRV,
  type RenderConfig,
  runConfigOnHaproxy,
  type Step,
} from "./harness.js";

const ACL = [
  "is_api path_beg /api/",
  "is_admin hdr(host) -i admin.example.com",
  "lan src 127.0.0.0/16",
  "is_static path_end .css .js",
];
const USE_BACKEND = ["admin if is_admin lan", "api if is_api || is_static"];

interface BackendDef {
  readonly name: string;
  readonly balance: string;
  readonly servers: ReadonlyArray<{ readonly name: string; readonly weight: number }>;
}

const BACKENDS: ReadonlyArray<BackendDef> = [
  {
    name: "web",
    balance: "roundrobin",
    servers: [
      { name: "s1", weight: 3 },
      { name: "s2", weight: 1 },
      { name: "s3", weight: 2 },
    ],
  },
  {
    name: "api",
    balance: "static-rr",
    servers: [
      { name: "s1", weight: 1 },
      { name: "s2", weight: 2 },
    ],
  },
  {
    name: "admin",
    balance: "source",
    servers: [
      { name: "a1", weight: 1 },
      { name: "a2", weight: 1 },
      { name: "a3", weight: 1 },
    ],
  },
];

/** Milliseconds between two requests in lbsim: each is answered (1 ms) long before the next. */
const GAP_MS = 100;

/** 150 requests cycling through paths, hosts and sources; runtime commands after the 50th and 100th. */
function steps(): Step[] {
  const paths = ["/", "/page/1", "/api/v1/orders", "/app.js", "/api/x?y=1", "/img/a.css", "/about"];
  const hosts = [undefined, "www.example.com", "admin.example.com", "ADMIN.example.com"];
  const sources = [
    "127.0.0.1",
    "127.0.3.9",
    "127.1.0.7",
    "127.0.200.4",
    "127.2.2.2",
    "127.0.0.2",
    "127.0.7.7",
  ];
  const out: Step[] = [];
  for (let i = 0; i < 150; i++) {
    if (i === 50) out.push({ kind: "runtime", command: "set server web/s1 state maint" });
    if (i === 100) out.push({ kind: "runtime", command: "set server web/s1 state ready" });
    const host = hosts[(i * 3) % hosts.length];
    out.push({
      kind: "request",
      source: sources[(i * 5) % sources.length]!,
      path: paths[i % paths.length]!,
      ...(host === undefined ? {} : { host }),
    });
  }
  return out;
}

/** The scenario lbsim runs: the same frontend and backends, the requests as a trace, the commands as events. */
function scenario(all: ReadonlyArray<Step>): { scenario: Scenario; rows: TraceRow[] } {
  const rows: TraceRow[] = [];
  const events: string[] = [];
  for (const step of all) {
    if (step.kind === "runtime") {
      events.push(`  - {at: ${rows.length * GAP_MS + GAP_MS / 2}, runtime: "${step.command}"}`);
      continue;
    }
    rows.push({
      atMs: (rows.length + 1) * GAP_MS,
      sourceIp: step.source,
      path: step.path,
      ...(step.host === undefined ? {} : { host: step.host }),
      demandMs: 1,
    });
  }
  const backends = BACKENDS.map(
    (b) =>
      `  - {name: ${b.name}, balance: ${b.balance}, servers: [${b.servers.map((s) => `{name: ${s.name}, weight: ${s.weight}}`).join(", ")}]}`,
  );
  const text = [
    `duration: ${(rows.length + 2) * GAP_MS}`,
    "frontend:",
    "  name: fe",
    `  acl: [${ACL.map((line) => JSON.stringify(line)).join(", ")}]`,
    `  use_backend: [${USE_BACKEND.map((line) => JSON.stringify(line)).join(", ")}]`,
    "  default_backend: web",
    "backends:",
    ...backends,
    "clients: [{name: replay, arrivals: {trace: steps.csv}}]",
    "events:",
    ...events,
  ].join("\n");
  return { scenario: parseScenario(text, "site.yaml"), rows };
}

const render: RenderConfig = (frontendPort, socketPath, stubPorts) => {
  let stub = 0;
  return [
    ...cfgPreamble(socketPath),
    "frontend fe",
    `  bind 127.0.0.1:${frontendPort}`,
    ...ACL.map((line) => `  acl ${line}`),
    ...USE_BACKEND.map((line) => `  use_backend ${line}`),
    "  default_backend web",
    "",
    ...BACKENDS.flatMap((b) => [
      `backend ${b.name}`,
      `  balance ${b.balance}`,
      ...b.servers.map((s) => `  server ${s.name} 127.0.0.1:${stubPorts[stub++]} weight ${s.weight}`),
      "",
    ]),
  ].join("\n");
};

describeWithHaproxy("HAProxy conformance: a routed site through lbsim's whole model", () => {
  it("gives every request the server HAProxy gives it, across backends and runtime commands", async () => {
    const all = steps();
    const stubs = BACKENDS.flatMap((b) => b.servers.map((s) => `${b.name}/${s.name}`));
    const { answers } = await runConfigOnHaproxy(findHaproxy()!.binary, stubs, render, all);
    const haproxy = answers.filter((_, i) => all[i]!.kind === "request");

    const { scenario: s, rows } = scenario(all);
    const { records } = simulateWithRecords(s, { readTrace: () => rows });
    const lbsim = [...records].sort((a, b) => a.id - b.id).map((r) => (r.server === "" ? NOSRV : r.server));

    expect(lbsim).toHaveLength(haproxy.length);
    const differing = haproxy.flatMap((answer, i) => (answer === lbsim[i] ? [] : [i]));
    expect(
      differing.map(
        (i) =>
          `#${i + 1} ${rows[i]!.path} ${rows[i]!.host ?? "-"} ${rows[i]!.sourceIp}: haproxy ${haproxy[i]}, lbsim ${lbsim[i]}`,
      ),
    ).toEqual([]);
    // Every backend and server took part.
    expect(new Set(haproxy)).toEqual(new Set(stubs));
  });
});
