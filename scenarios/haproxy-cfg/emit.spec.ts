// `lbsim import`'s scenario YAML for a cfg with several frontends and backends: the golden text, and
// a scenario that loads again (the tutorial's single frontend and backend: cli/import-command.spec.ts).
import { describe, expect, it } from "vitest";
import { parseScenario } from "../parse.js";
import { scenarioYaml } from "./emit.js";
import { cfg, imp, SITE } from "./test-support.js";

/** The printed scenario with its example clients uncommented, as a user would start from it. */
const withClients = (yaml: string) =>
  yaml.replace(/^# ( *)(clients:|- name:|arrivals:|sources:|paths:|frontend:)/gm, "$1$2");

describe("scenarioYaml: several frontends and backends", () => {
  const yaml = scenarioYaml(imp(SITE), "site.cfg");

  it("writes frontends: and backends: lists with routing one rule a line", async () => {
    await expect(yaml).toMatchFileSnapshot("golden/import-site.yaml");
  });

  it("prints a scenario that loads again to the same routing and servers", () => {
    const scenario = parseScenario(withClients(yaml), "imported.yaml");
    expect(
      scenario.frontends?.map((f) => [f.name, f.defaultBackend, (f.useBackends ?? []).map((u) => u.text)]),
    ).toEqual([
      ["www", "web", ["admin if is_admin internal", "api if is_api", "static if { path_beg /static }"]],
      ["stats", "stats", []],
    ]);
    expect(scenario.frontends?.[0]?.acls?.map((a) => a.name)).toEqual(["is_api", "is_admin", "internal"]);
    expect(scenario.backends?.map((b) => [b.name, b.servers.map((s) => s.name)])).toEqual([
      ["stats", ["local"]],
      ["api", ["api1", "api2"]],
      ["static", ["s1"]],
      ["admin", ["adm"]],
      ["web", ["web01", "web02"]],
    ]);
    expect(scenario.clients[0]?.frontend).toBe("www");
  });

  it("quotes what YAML would misread and keeps each rule's words", () => {
    const r = imp(
      cfg(
        "frontend f",
        "  acl neg path_beg /x",
        "  use_backend b if !neg",
        "  use_backend b if { hdr(host) -i a.example.com } || { path_beg /api/ }",
        "  default_backend b",
        "backend b",
        "  server s 1:1",
      ),
    );
    const yaml = scenarioYaml(r, "t.cfg");
    expect(yaml).toContain(
      [
        "frontend:",
        "  name: f",
        "  acl:",
        "    - neg path_beg /x",
        "  use_backend:",
        "    - b if !neg",
        '    - "b if { hdr(host) -i a.example.com } || { path_beg /api/ }"',
        "  default_backend: b",
        "backend:",
      ].join("\n"),
    );
    expect(parseScenario(withClients(yaml), "t.yaml").frontend.useBackends?.map((u) => u.text)).toEqual([
      "b if !neg",
      "b if { hdr(host) -i a.example.com } || { path_beg /api/ }",
    ]);
  });

  it("writes a backend without servers as an empty list to fill in", () => {
    const yaml = scenarioYaml(
      imp(cfg("frontend f", "  default_backend b", "backend b", "backend c")),
      "t.cfg",
    );
    expect(yaml).toContain(
      "  - name: c\n    service: {exponential: 20ms}\n    default-server: { slots: 1 }\n    servers:\n      [] # the cfg lists no server: add them here\n",
    );
  });

  it("keeps the cfg's duration units, marks slots as a placeholder, and keeps its own default-server", () => {
    const yaml = scenarioYaml(
      imp(
        cfg(
          "defaults",
          "  timeout connect 5s",
          "  timeout server 1m",
          "  timeout client 30000",
          "backend b",
          "  default-server inter 3s weight 10",
          "  server s 1:1 check slowstart 10s",
          "frontend f",
          "  default_backend b",
        ),
      ),
      "t.cfg",
    );
    expect(yaml).toContain("timeout: { connect: 5s, server: 1m }");
    expect(yaml).toContain("timeout: { client: 30000 }");
    expect(yaml).toContain("# PLACEHOLDER: nor how many requests a server works on at once");
    expect(yaml).toContain("default-server: { weight: 10, check: { inter: 3s }, slots: 1 }");
    expect(yaml).toContain("- { name: s, slowstart: 10s, check: true }");
    // And it still loads, with the same durations as the cfg's.
    const scenario = parseScenario(`${yaml}clients: [{name: c, arrivals: {poisson: 1/s}}]\n`, "x.yaml");
    expect(scenario.backend.timeout).toMatchObject({ connectMs: 5000, serverMs: 60_000 });
    expect(scenario.frontend.clientTimeoutMs).toBe(30_000);
    expect(scenario.backend.servers[0]).toMatchObject({ slots: 1, weight: 10, slowstartMs: 10_000 });
    expect(scenario.backend.servers[0]?.check?.interMs).toBe(3000);
  });
});
