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
      "  - name: c\n    service: {exponential: 20ms}\n    servers:\n      [] # the cfg lists no server: add them here\n",
    );
  });
});
