// Scenarios with several frontends and backends: how they load, and every mistake reported at its place.
import { describe, expect, it } from "vitest";
import { issuesOf, only } from "./errors-test-support.js";
import { parseScenario } from "./parse.js";

/** Two backends that both have a server named `s1`, and one frontend routing /api/ to `api`. */
const TWO = `duration: 10s
frontend:
  name: www
  acl: ["is_api path_beg /api/"]
  use_backend: ["api if is_api"]
  default_backend: web
backends:
  - name: web
    service: {exponential: 10ms}
    servers: [{name: s1}, {name: w2}]
  - name: api
    service: {exponential: 10ms}
    servers: [{name: s1}, {name: a2}]
clients:
  - {name: c, arrivals: {poisson: 10/s}}
`;

const load = (text: string) => parseScenario(text, "s.yaml");

describe("loading several frontends and backends", () => {
  it("reads the routing into the Scenario", () => {
    const scenario = load(TWO);
    expect(scenario.backends?.map((b) => b.name)).toEqual(["web", "api"]);
    expect(scenario.backend.name).toBe("web");
    expect(scenario.frontends).toHaveLength(1);
    expect(scenario.frontend).toMatchObject({
      name: "www",
      defaultBackend: "web",
      acls: [
        {
          name: "is_api",
          matches: [{ fetch: { kind: "path" }, method: "beg", ignoreCase: false, patterns: ["/api/"] }],
        },
      ],
      useBackends: [
        { backend: "api", condition: { unless: false, anyOf: [[{ negate: false, acl: "is_api" }]] } },
      ],
    });
    expect(scenario.clients[0]).toMatchObject({ frontend: "www", host: "", pathPrefix: "/item/" });
  });

  it("ORs acl lines of the same name, as HAProxy does", () => {
    const scenario = load(
      TWO.replace(
        `acl: ["is_api path_beg /api/"]`,
        `acl: ["is_api path_beg /api/", "is_api hdr(host) api.example.com"]`,
      ),
    );
    expect(scenario.frontend.acls).toHaveLength(1);
    expect(scenario.frontend.acls?.[0]?.matches).toHaveLength(2);
  });

  it("names servers of several backends <backend>/<server> in events; a unique bare name is accepted", () => {
    const scenario = load(
      `${TWO}events:\n  - {at: 1s, crash: a2}\n  - {at: 2s, crash: web/s1}\n  - {at: 3s, runtime: "set server api/s1 state drain"}\n`,
    );
    expect(scenario.events).toEqual([
      { atMs: 1000, kind: "crash", server: "api/a2" },
      { atMs: 2000, kind: "crash", server: "web/s1" },
      {
        atMs: 3000,
        kind: "runtime",
        text: "set server api/s1 state drain",
        command: { op: "state", server: "api/s1", state: "drain" },
      },
    ]);
  });

  it("expands kill-random over every backend's serving servers", () => {
    const scenario = load(`${TWO}events:\n  - {at: 1s, kill-random: {count: 4}}\n`);
    expect(scenario.events.map((e) => ("server" in e ? e.server : "")).sort()).toEqual([
      "api/a2",
      "api/s1",
      "web/s1",
      "web/w2",
    ]);
  });

  it("keeps a single backend's names bare, with or without a frontend that routes", () => {
    const scenario = load(`duration: 1s
frontend: {acl: ["x path /x"], use_backend: ["be if x"]}
backend: {name: be, service: {constant: 1ms}, servers: [{name: s1}]}
clients: [{name: c, arrivals: {poisson: 1/s}}]
events: [{at: 0, crash: s1}]
`);
    // No default_backend: what the rule does not route gets HAProxy's 503.
    expect(scenario.frontend.defaultBackend).toBeNull();
    expect(scenario.events[0]).toMatchObject({ server: "s1" });
  });
});

describe("mistakes in frontends and backends", () => {
  it("refuses backend and backends together", () => {
    const text = TWO.replace("backends:", "backend: {servers: [{name: x}]}\nbackends:");
    expect(issuesOf(text).map((i) => i.path)).toContain("backends");
    expect(issuesOf(text).find((i) => i.path === "backends")?.message).toMatch(
      /found both backend and backends/,
    );
  });

  it("reports a bare server name two backends share, asking for <backend>/<server>", () => {
    const issue = issuesOf(`${TWO}events:\n  - {at: 1s, crash: s1}\n`)[0];
    expect(issue).toMatchObject({
      code: "unknown-server",
      line: 17,
      column: 21,
      path: "events[0].crash",
      hint: 'write "web/s1"',
    });
    expect(issue?.message).toBe(
      'found "s1", a server name in several backends (web, api); expected <backend>/<server>',
    );
  });

  it("reports a runtime command naming a backend that does not exist", () => {
    const issue = issuesOf(`${TWO}events:\n  - {at: 1s, runtime: "set server apj/a2 state drain"}\n`)[0];
    expect(issue).toMatchObject({
      code: "unknown-server",
      path: "events[0].runtime",
      hint: 'did you mean "api/a2"?',
    });
    expect(issue?.message).toBe('no backend "apj"; backends are web, api');
  });

  it("reports routing to a backend that does not exist, with the nearest name", () => {
    expect(only(TWO.replace("default_backend: web", "default_backend: wbe"))).toEqual({
      code: "bad-value",
      file: "s.yaml",
      line: 6,
      column: 20,
      path: "frontend.default_backend",
      hint: 'did you mean "web"?',
    });
    expect(only(TWO.replace(`["api if is_api"]`, `["apl if is_api"]`))).toMatchObject({
      path: "frontend.use_backend[0]",
      line: 5,
      hint: 'did you mean "api"?',
    });
  });

  it("reports a malformed acl and an undefined ACL name at their lines, together", () => {
    const issues = issuesOf(
      TWO.replace(`["is_api path_beg /api/"]`, `["is_api pathbeg /api/"]`).replace(
        `["api if is_api"]`,
        `["api if is_api", "web if is_wbe"]`,
      ),
    );
    expect(issues.map((i) => [i.path, i.line, i.hint])).toEqual([
      ["frontend.acl[0]", 4, 'did you mean "path_beg"?'],
      ["frontend.use_backend[1]", 5, 'define it under acl:, e.g. "is_wbe path_beg /api/"'],
    ]);
    expect(issues[0]?.message).toMatch(/^unknown criterion "pathbeg"/);
    expect(issues[1]?.message).toBe('no ACL named "is_wbe" in frontend www; its ACLs are is_api');
  });

  it("refuses a frontend that routes nowhere when there are several backends", () => {
    const text = TWO.replace(
      `  acl: ["is_api path_beg /api/"]\n  use_backend: ["api if is_api"]\n  default_backend: web\n`,
      "",
    );
    expect(only(text)).toMatchObject({
      code: "missing-key",
      path: "frontend",
      hint: "add default_backend: web",
    });
  });

  it("reports a client's unknown frontend, duplicate frontend and backend names, and unknown backends in expectations", () => {
    const text = `duration: 10s
frontends:
  - {name: a, default_backend: web}
  - {name: a, default_backend: web}
backends:
  - {name: web, service: {constant: 1ms}, servers: [{name: s1}]}
  - {name: web, service: {constant: 1ms}, servers: [{name: s2}]}
clients:
  - {name: c, frontend: b, arrivals: {poisson: 1/s}}
expect: ["backend.p99(wbe) < 1s", "share(s1) > 10%"]
`;
    expect(issuesOf(text).map((i) => [i.path, i.message])).toEqual([
      [
        "frontends[1].name",
        'found frontend name "a" a second time, expected unique names (first at frontends[0])',
      ],
      [
        "backends[1].name",
        'found backend name "web" a second time, expected unique names (first at backends[0])',
      ],
      ["clients[0].frontend", 'no frontend "b"; frontends are a, a'],
      ["expect[0]", 'no backend "wbe"; backends are web, web'],
      ["expect[1]", 'no server "s1" in the backends; servers are web/s1, web/s2'],
    ]);
  });

  it("requires a name for each of backends: and frontends:", () => {
    const issues = issuesOf(TWO.replace("  - name: api\n", "  - \n"));
    expect(issues.some((i) => i.path === "backends[1].name" || i.path === "backends[1]")).toBe(true);
  });

  it("checks a client's Host and path prefix", () => {
    expect(
      issuesOf(
        TWO.replace(
          "arrivals: {poisson: 10/s}}",
          "arrivals: {poisson: 10/s}, host: a b, paths: {prefix: api}}",
        ),
      ).map((i) => i.path),
    ).toEqual(["clients[0].host", "clients[0].paths.prefix"]);
  });
});
