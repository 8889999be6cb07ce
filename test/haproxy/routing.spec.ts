// use_backend routing on a real HAProxy: every request reaches the backend compileRouting predicts (manual §7).
//
// One case = a frontend's `acl`, `use_backend` and `default_backend` lines, written verbatim into
// haproxy.cfg and parsed by scenarios/acl.ts for lbsim. Each backend holds one stub server named
// after it, so the answer names the backend HAProxy chose (`<NOSRV>`: HAProxy's own 503, no rule
// and no default_backend). The same table of requests (paths with and without a query string,
// Host in several spellings, with a port, with two values, or absent, three source addresses) is
// played on every case, and each case must send some request to each of its backends.

import { expect, it } from "vitest";
import { parseAcl, parseUseBackend } from "../../scenarios/acl.js";
import type { AclMatch, FrontendSpec, UseBackendRule } from "../../scenarios/types.js";
import { compileRouting } from "../../sim/routing.js";
import type { RequestView } from "../../strategies/types.js";
import { describeWithHaproxy } from "./conformance.js";
import {
  cfgPreamble,
  findHaproxy,
  NOSRV,
  type RenderConfig,
  type RequestStep,
  runConfigOnHaproxy,
} from "./harness.js";

interface RoutingCase {
  readonly name: string;
  /** What follows `acl` on each line. */
  readonly acl?: ReadonlyArray<string>;
  /** What follows `use_backend` on each line. */
  readonly useBackend: ReadonlyArray<string>;
  readonly defaultBackend?: string;
  /** Backends (or `<NOSRV>`) that no request of the table reaches; every other one must be reached. */
  readonly unreached?: ReadonlyArray<string>;
  /** Instead of the shared table. */
  readonly requests?: ReadonlyArray<RequestStep>;
}

const PATHS = [
  "/",
  "/api",
  "/api/v1/users",
  "/API/v1",
  "/apix?debug=1",
  "/v2/items?id=7",
  "/static/app.css",
  "/static/app.css?v=3",
  "/img/logo.PNG",
  "/x/images/y",
  "/docs/index.html?token=abc",
  "/search?q=/api/",
  "/v10/x",
  "/shop.example.com/x",
  "/long/path/with/many/segments/0123456789",
  "/a/b?c",
];
/** `undefined`: no Host header (the harness then speaks HTTP/1.0). */
const HOSTS = [
  "example.com",
  "Example.com:8080",
  "EXAMPLE.COM",
  "api.example.com",
  "admin.example.com",
  "www.example.org",
  "a.com, b.com",
  "Api.Example.Com",
  "localhost:80",
  undefined,
];
const SOURCES = ["127.0.0.1", "127.0.0.2", "127.1.2.3"];

/** 48 requests: each path three times, each time with another Host and source. */
const REQUESTS: ReadonlyArray<RequestStep> = Array.from({ length: 3 * PATHS.length }, (_, i) => {
  const round = Math.floor(i / PATHS.length);
  const host = HOSTS[(i + 3 * round) % HOSTS.length];
  return {
    kind: "request",
    source: SOURCES[Math.floor(i / 2) % SOURCES.length]!,
    path: PATHS[i % PATHS.length]!,
    ...(host === undefined ? {} : { host }),
  };
});

const cases: RoutingCase[] = [
  {
    name: "every path criterion, the first matching rule winning",
    acl: [
      "p_str path /api",
      "p_beg path_beg /static/ /img/",
      "p_end path_end .css .html",
      "p_sub path_sub /v1/",
      "p_dir path_dir images",
      "p_dom path_dom com",
      "p_reg path_reg ^/v[0-9]+/",
      "p_len path_len gt 30",
    ],
    useBackend: ["str if p_str", "beg if p_beg", "end if p_end", "sub if p_sub", "dir if p_dir"].concat([
      "dom if p_dom",
      "reg if p_reg",
      "len if p_len",
    ]),
    defaultBackend: "other",
  },
  {
    name: "every url criterion: the query string is part of the url",
    acl: [
      "u_str url /api",
      "u_beg url_beg /v2/items?",
      "u_end url_end =3",
      "u_sub url_sub token=",
      "u_dir url_dir api",
      "u_dom url_dom example",
      "u_reg url_reg -i \\.png$",
      "u_len url_len 1:2",
    ],
    useBackend: ["str if u_str", "beg if u_beg", "end if u_end", "sub if u_sub", "dir if u_dir"].concat([
      "dom if u_dom",
      "reg if u_reg",
      "len if u_len",
    ]),
    defaultBackend: "other",
  },
  {
    name: "Host criteria: case, port, two values, no header",
    acl: [
      "h_str hdr(host) example.com",
      "h_beg hdr_beg(Host) api.",
      "h_end hdr_end(host) :8080",
      "h_dom hdr_dom(host) -i -- ORG",
      "h_reg hdr_reg(host) -i ^ADMIN\\.",
      "h_sub hdr_sub(host) xampl",
      "h_len hdr_len(host) 5",
      "h_req req.hdr(host) -m beg EX",
      "h_any hdr(host) -m found",
    ],
    useBackend: ["str if h_str", "beg if h_beg", "end if h_end", "dom if h_dom", "reg if h_reg"].concat([
      "sub if h_sub",
      "len if h_len",
      "req if h_req",
      "found if h_any",
    ]),
    defaultBackend: "nohost",
  },
  {
    name: "src addresses and networks, dotted masks, IPv6 forms, abbreviated addresses",
    acl: ["one src 127.1", "two src 127.0.0.2/32 10.0.0.0/8", "net src 127.1.0.0/255.255.0.0"],
    useBackend: [
      "v6 if { src ::ffff:127.0.0.2/127 } HTTP_1.0",
      "one if one",
      "two if two { path_beg /a }",
      "net if net { url_sub ? }",
      "mapped if { src ::ffff:127.1.2.0/120 } { path_len ge 12 }",
      "never if { src ::1 } || !LOCALHOST",
      "rest if { src -m beg 127.0. }",
    ],
    unreached: ["never"],
  },
  {
    name: "negation, or, ||, anonymous ACLs, same-name lines ORed, unless, no default_backend",
    acl: [
      "is_api path_beg -i /api",
      "is_admin hdr_beg(host) -i admin.",
      "static path_end .css",
      "static path_beg /img/",
      "none path_beg --",
    ],
    useBackend: [
      "admin if is_admin !is_api",
      "api if is_api || { path -m reg ^/v[0-9]+/ } OR { path_dir x }",
      "stat unless ! static",
      "bare if ! { hdr(host) -m found } !!{ src 127.0.0.2 } or none",
      "tail if !none { url_sub ? } { src 127.1.2.3 }",
      "never unless { path_beg / }",
    ],
    unreached: ["never"],
  },
  {
    name: "predefined ACLs",
    useBackend: [
      "false if FALSE || HTTP_2.0 || HTTP_CONTENT || METH_POST || METH_HEAD || HTTP_URL_STAR",
      "false if HTTP_URL_ABS || RDP_COOKIE || METH_PUT || METH_DELETE || METH_OPTIONS",
      "v10 if HTTP_1.0 LOCALHOST { src 127.0.0.1 }",
      "v11 if HTTP_1.1 METH_GET HTTP_URL_SLASH { path_beg /a }",
      "true if TRUE HTTP REQ_CONTENT WAIT_END { path_beg /s }",
      "unconditional",
    ],
    unreached: ["false", NOSRV],
  },
  {
    // The manual (§7.1.3) says "png" does not match the first path and "dc-eu.example:80" matches
    // the absolute URL; HAProxy 2.6.12 does the opposite, and lbsim follows HAProxy.
    name: "the manual's dir and dom examples, as HAProxy evaluates them",
    useBackend: [
      "png if { url_dir png }",
      "x32 if { url_dir 32x32 }",
      "colon80 if { url_dom dc-eu.example:80 }",
      "eu if { url_dom eu }",
      "dceu if { url_dom -i DC-EU.example }",
    ],
    defaultBackend: "other",
    unreached: ["x32", "eu"],
    requests: [
      "/images/png/logo/32x32.png",
      "/images/logo/32x32.png",
      "http://www1.dc-eu.example.com:80/blah",
      "/www1.dc-eu.example:80/blah",
      "/",
    ].map((path) => ({ kind: "request", source: "127.0.0.1", path, host: "www1.dc-eu.example.com" })),
  },
];

/** The lines as lbsim reads them (parse failures are failures of the case). */
function frontendOf(c: RoutingCase): FrontendSpec {
  const acls: { name: string; matches: AclMatch[] }[] = [];
  for (const line of c.acl ?? []) {
    const parsed = parseAcl(line);
    if (!parsed.ok) throw new Error(`lbsim refuses "acl ${line}": ${parsed.problems[0]?.message}`);
    const same = acls.find((acl) => acl.name === parsed.value.name);
    if (same === undefined) acls.push({ name: parsed.value.name, matches: [parsed.value.match] });
    else same.matches.push(parsed.value.match);
  }
  const useBackends = c.useBackend.map((line): UseBackendRule => {
    const parsed = parseUseBackend(line);
    if (!parsed.ok) throw new Error(`lbsim refuses "use_backend ${line}": ${parsed.problems[0]?.message}`);
    return parsed.value;
  });
  return {
    name: "fe",
    maxconn: 0,
    clientTimeoutMs: Infinity,
    acls,
    useBackends,
    defaultBackend: c.defaultBackend ?? null,
  };
}

function backendsOf(frontend: FrontendSpec): string[] {
  const names = (frontend.useBackends ?? []).map((rule) => rule.backend);
  if (typeof frontend.defaultBackend === "string") names.push(frontend.defaultBackend);
  return [...new Set(names)];
}

function renderRouting(c: RoutingCase, backends: ReadonlyArray<string>): RenderConfig {
  return (frontendPort, socketPath, stubPorts) =>
    [
      ...cfgPreamble(socketPath),
      "frontend fe",
      `  bind 127.0.0.1:${frontendPort}`,
      ...(c.acl ?? []).map((line) => `  acl ${line}`),
      ...c.useBackend.map((line) => `  use_backend ${line}`),
      ...(c.defaultBackend === undefined ? [] : [`  default_backend ${c.defaultBackend}`]),
      "",
      ...backends.flatMap((name, i) => [`backend ${name}`, `  server ${name} 127.0.0.1:${stubPorts[i]}`, ""]),
    ].join("\n");
}

function requestView(step: RequestStep): RequestView {
  const [a, b, c, d] = step.source.split(".").map(Number) as [number, number, number, number];
  return {
    sourceIp: step.source,
    sourceKey: a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d,
    path: step.path,
    host: step.host ?? "",
  };
}

async function checkCase(c: RoutingCase): Promise<void> {
  const frontend = frontendOf(c);
  const backends = backendsOf(frontend);
  const route = compileRouting(frontend);
  const requests = c.requests ?? REQUESTS;
  const predicted = requests.map((step) => route(requestView(step)) ?? NOSRV);
  const render = renderRouting(c, backends);
  const { config, answers } = await runConfigOnHaproxy(findHaproxy()!.binary, backends, render, requests);
  const differing = answers.flatMap((answer, i) => (answer === predicted[i] ? [] : [i]));
  if (differing.length > 0) {
    const lines = requests.map((step, i) => {
      const request = `${step.source.padEnd(10)} GET ${step.path} ${step.host === undefined ? "(no Host)" : `Host: ${step.host}`}`;
      const mark = differing.includes(i) ? "  <-- differs" : "";
      return `  ${String(i + 1).padStart(3)}  ${request.padEnd(62)} haproxy ${answers[i]!.padEnd(8)} lbsim ${predicted[i]}${mark}`;
    });
    const frontendSection = config.slice(config.indexOf("frontend fe"), config.indexOf("\nbackend "));
    expect.fail(
      `lbsim disagrees with HAProxy on ${differing.length} of ${requests.length} requests\n${frontendSection}\n${lines.join("\n")}`,
    );
  }
  const reached = new Set(answers);
  const expected = c.defaultBackend === undefined ? [...backends, NOSRV] : backends;
  const unreached = c.unreached ?? [];
  expect(
    expected.filter((name) => reached.has(name) === unreached.includes(name)),
    "reached ⇔ not listed as unreached",
  ).toEqual([]);
}

describeWithHaproxy("HAProxy conformance: ACLs and use_backend", () => {
  for (const c of cases) it(c.name, () => checkCase(c));
});
