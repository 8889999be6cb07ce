// `haproxy: file.cfg` in a scenario: the cfg is the base, the scenario's fields override it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../../errors/index.js";
import { loadScenarioFile } from "../load.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-haproxy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function issuesOf(path: string): ReadonlyArray<InputIssue> {
  try {
    loadScenarioFile(path);
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

const CFG = `defaults
  mode http
  timeout connect 5000
  timeout client 50000
  timeout server 50000
frontend test
  bind :80
  default_backend web
backend web
  balance roundrobin
  option httpchk HEAD /
  option redispatch
  server web01 10.0.0.1:80 check weight 2
  server web02 10.0.0.2:80 check
`;
/** Two frontends and two backends: the cfg's topology is written `frontends:` and `backends:`. */
const ROUTES = `defaults
  mode http
  timeout client 30s
frontend www
  bind :80
  acl is_api path_beg /api/
  use_backend api if is_api
  default_backend web
frontend admin
  bind :8080
  default_backend web
backend web
  balance roundrobin
  server web01 10.0.0.1:80 check
  server web02 10.0.0.2:80 check
backend api
  balance leastconn
  server api1 10.0.0.9:80
`;
const CLIENTS = "clients:\n  - {name: c, arrivals: {poisson: 10/s}}\n";

describe("haproxy: in a scenario", () => {
  write("site.cfg", CFG);

  it("imports the cfg's topology under the scenario's own fields, servers merged by name", () => {
    const warnings: string[] = [];
    const path = write(
      "s.yaml",
      `duration: 10s\nhaproxy: site.cfg\nbackend:\n  balance: leastconn\n  service: {exponential: 10ms}\n  servers:\n    - {name: web02, slots: 4, weight: 3}\n    - {name: web03, service: {exponential: 5ms}}\n${CLIENTS}`,
    );
    const scenario = loadScenarioFile(path, { warn: (w) => warnings.push(w) });
    expect(scenario.frontend).toMatchObject({ name: "test", maxconn: 0, clientTimeoutMs: 50_000 });
    expect(scenario.backend).toMatchObject({
      name: "web",
      balance: "leastconn",
      timeout: { connectMs: 5000, serverMs: 50_000, queueMs: 5000 },
      redispatch: { interval: -1 },
    });
    expect(scenario.backend.servers.map((s) => [s.name, s.weight, s.slots, s.check?.type ?? null])).toEqual([
      ["web01", 2, 1, "http"],
      ["web02", 3, 4, "http"],
      ["web03", 1, 1, "http"], // backend.check (from option httpchk) covers servers the cfg does not list
    ]);
    expect(warnings).toEqual([]);
  });

  it("merges backends, their servers and frontends by name over a cfg with several", () => {
    write("routes.cfg", ROUTES);
    const scenario = loadScenarioFile(
      write(
        "routes.yaml",
        `duration: 10s
haproxy: routes.cfg
frontends:
  - {name: admin, maxconn: 10}
backends:
  - name: api
    service: {exponential: 5ms}
    servers: [{name: api1, slots: 4}, {name: api2}]
  - {name: web, service: {exponential: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 10/s}, paths: {prefix: /api/}}
`,
      ),
    );
    expect(scenario.frontends?.map((f) => [f.name, f.maxconn, f.defaultBackend])).toEqual([
      ["www", 0, "web"],
      ["admin", 10, "web"],
    ]);
    expect(
      scenario.backends?.map((b) => [b.name, b.balance, b.servers.map((s) => [s.name, s.slots])]),
    ).toEqual([
      [
        "web",
        "roundrobin",
        [
          ["web01", 1],
          ["web02", 1],
        ],
      ],
      [
        "api",
        "leastconn",
        [
          ["api1", 4],
          ["api2", 1],
        ],
      ],
    ]);
  });

  it("takes frontends: and backends: over a cfg with one of each, by name", () => {
    const scenario = loadScenarioFile(
      write(
        "plural.yaml",
        `duration: 10s\nhaproxy: site.cfg\nfrontends:\n  - {name: test, maxconn: 5}\n  - {name: api, default_backend: api}\nbackends:\n  - {name: web, service: {exponential: 10ms}}\n  - {name: api, service: {exponential: 5ms}, servers: [{name: a1}]}\n${CLIENTS}`,
      ),
    );
    // The cfg's frontend said default_backend web; with a second backend the scenario says it too.
    expect(scenario.frontends?.map((f) => [f.name, f.maxconn, f.defaultBackend])).toEqual([
      ["test", 5, "web"],
      ["api", 0, "api"],
    ]);
    expect(scenario.backends?.map((b) => [b.name, b.servers.map((s) => s.name)])).toEqual([
      ["web", ["web01", "web02"]],
      ["api", ["a1"]],
    ]);
  });

  it("refuses backend: over a cfg with several backends, at the backend key", () => {
    write("routes.cfg", ROUTES);
    const path = write(
      "singular.yaml",
      `duration: 10s\nhaproxy: routes.cfg\nbackend:\n  service: {exponential: 10ms}\n${CLIENTS}`,
    );
    expect(issuesOf(path)).toEqual([
      {
        code: "bad-value",
        file: path,
        line: 3,
        column: 1,
        path: "backend",
        message: `backend: cannot change the backends of ${join(dir, "routes.cfg")} (web, api): it does not say which one`,
        hint: "write backends: [{name: web, …}] to change a backend by its name",
      },
    ]);
    const frontend = write(
      "frontend.yaml",
      `duration: 10s\nhaproxy: routes.cfg\nfrontend: {maxconn: 5}\n${CLIENTS}`,
    );
    expect(issuesOf(frontend)).toMatchObject([
      {
        line: 3,
        path: "frontend",
        message: `frontend: cannot change the frontends of ${join(dir, "routes.cfg")} (www, admin): it does not say which one`,
      },
    ]);
  });

  it("says at the haproxy: line to add backend.service when the cfg's servers have none", () => {
    const path = write("nosvc.yaml", `duration: 10s\nhaproxy: site.cfg\n${CLIENTS}`);
    const issues = issuesOf(path);
    expect(issues.map((i) => [i.file, i.line, i.column, i.path, i.message])).toEqual([
      [
        path,
        2,
        10,
        "backend.servers[0]",
        "server web01 (imported from the haproxy.cfg) has no service model",
      ],
      [
        path,
        2,
        10,
        "backend.servers[1]",
        "server web02 (imported from the haproxy.cfg) has no service model",
      ],
    ]);
    expect(issues[0]!.hint).toContain("add backend.service");
  });

  it("reports a malformed cfg value at the cfg's line and column", () => {
    write("bad.cfg", "backend b\n  server s 1:1 weight heavy\n");
    const issues = issuesOf(write("bad.yaml", `duration: 10s\nhaproxy: bad.cfg\n${CLIENTS}`));
    expect(issues).toEqual([
      {
        code: "bad-value",
        file: join(dir, "bad.cfg"),
        line: 2,
        column: 23,
        path: "",
        message: 'weight: found "heavy", expected a whole number from 0 to 256',
      },
    ]);
  });

  it("reports a missing cfg at the haproxy: line", () => {
    const path = write("missing.yaml", `duration: 10s\nhaproxy: nope.cfg\n${CLIENTS}`);
    expect(issuesOf(path)).toMatchObject([
      { code: "file-not-found", file: path, line: 2, column: 10, path: "haproxy" },
    ]);
  });

  it("is inherited through extends, relative to the file that names it", () => {
    write(
      "base.yaml",
      `duration: 10s\nhaproxy: site.cfg\nbackend: {service: {exponential: 10ms}}\n${CLIENTS}`,
    );
    const scenario = loadScenarioFile(write("child.yaml", "extends: base.yaml\nseed: 3\n"));
    expect(scenario.backend.servers.map((s) => s.name)).toEqual(["web01", "web02"]);
    expect(scenario.seed).toBe(3);
  });

  it("runs DESIGN.md's example: haproxy: tutorial.cfg plus backend.service", () => {
    write(
      "tutorial.cfg",
      "frontend test\n  default_backend web_servers\nbackend web_servers\n  option httpchk HEAD / HTTP/1.0\n  server ha-proxy1 10.10.10.2:80 check\n  server ha-proxy2 10.10.10.3:80 check\n",
    );
    const scenario = loadScenarioFile(
      write(
        "design.yaml",
        `duration: 60s\nhaproxy: tutorial.cfg\nbackend:\n  service: {exponential: 20ms}\n${CLIENTS}`,
      ),
    );
    expect(scenario.backend.servers.map((s) => [s.name, s.service, s.check?.type])).toEqual([
      ["ha-proxy1", { kind: "exponential", meanMs: 20 }, "http"],
      ["ha-proxy2", { kind: "exponential", meanMs: 20 }, "http"],
    ]);
  });
});
