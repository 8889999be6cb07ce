// `extends:`: a scenario on top of another one, deep-merged, with errors in the file that holds them.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../errors/index.js";
import { alignOneOrSeveral, mergeSources } from "./extends.js";
import { loadScenarioFile } from "./load.js";
import { parseScenario } from "./parse.js";
import { placeOf, readSource } from "./source.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-extends-"));

/** Writes files under a fresh folder and returns that folder. */
function files(contents: Record<string, string>): string {
  const root = mkdtempSync(join(dir, "case-"));
  for (const [name, text] of Object.entries(contents)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

function issuesOf(action: () => unknown): ReadonlyArray<InputIssue> {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

const BASE = `name: base
description: three servers
duration: 20s
backend:
  name: web
  timeout: {connect: 1s, server: 5s}
  service: {exponential: 10ms}
  servers:
    - {name: web01, weight: 2, slots: 4}
    - {name: web02, slots: 4, check: {inter: 1s, rise: 3}}
    - {name: web03}
clients:
  - name: browsers
    arrivals: {poisson: 50/s}
    sources: {count: 100}
  - name: api
    arrivals: {constant: 5/s}
events:
  - {at: 5s, crash: web01}
expect:
  - "errors < 1%"
`;

describe("extends", () => {
  it("merges maps key by key, replaces lists and scalars, and merges servers and clients by name", () => {
    const root = files({
      "base.yaml": BASE,
      "child.yaml": `extends: base.yaml
duration: 30s
backend:
  timeout: {server: 10s}
  servers:
    - {name: web02, weight: 3, check: {inter: 2s}}
    - {name: web04, backup: true}
clients:
  - name: browsers
    arrivals: {constant: 20/s}
  - name: batch
    arrivals: {poisson: 1/s}
events:
  - {at: 10s, restore: web03}
`,
    });
    const scenario = loadScenarioFile(join(root, "child.yaml"));
    expect(scenario).toMatchObject({ name: "base", description: "three servers", durationMs: 30_000 });
    expect(scenario.backend.timeout).toEqual({ connectMs: 1000, serverMs: 10_000, queueMs: 1000 });
    expect(
      scenario.backend.servers.map((s) => [
        s.name,
        s.id,
        s.weight,
        s.slots,
        s.backup,
        s.check?.interMs,
        s.check?.rise,
      ]),
    ).toEqual([
      ["web01", 1, 2, 4, false, undefined, undefined],
      ["web02", 2, 3, 4, false, 2000, 3],
      ["web03", 3, 1, 1, false, undefined, undefined],
      ["web04", 4, 1, 1, true, undefined, undefined],
    ]);
    expect(scenario.clients.map((c) => [c.name, c.arrivals, c.sources.count])).toEqual([
      // Another kind of arrivals replaces the base's instead of adding a second key.
      ["browsers", { kind: "constant", ratePerSecond: 20 }, 100],
      ["api", { kind: "constant", ratePerSecond: 5 }, 1],
      ["batch", { kind: "poisson", ratePerSecond: 1 }, 1],
    ]);
    expect(scenario.events).toEqual([{ atMs: 10_000, kind: "restore", server: "web03" }]);
    expect(scenario.expect).toEqual(["errors < 1%"]);
  });

  it("takes the scenario's name from the file that extends when the base has none", () => {
    const root = files({
      "base.yaml": BASE.replace("name: base\n", ""),
      "canary.yaml": "extends: base.yaml\n",
    });
    expect(loadScenarioFile(join(root, "canary.yaml")).name).toBe("canary");
  });

  it("follows a chain, each path relative to the file that names it", () => {
    const root = files({
      "common/base.yaml": BASE,
      "common/slow.yaml": `extends: base.yaml\nbackend:\n  servers: [{name: web03, speed: 0.5}]\n`,
      "team/demo.yaml": `extends: ../common/slow.yaml\nseed: 9\n`,
    });
    const scenario = loadScenarioFile(join(root, "team", "demo.yaml"));
    expect(scenario.seed).toBe(9);
    expect(scenario.backend.servers.map((s) => s.speed)).toEqual([1, 1, 0.5]);
    writeFileSync(join(root, "absolute.yaml"), `extends: ${join(root, "common", "base.yaml")}\n`);
    expect(loadScenarioFile(join(root, "absolute.yaml")).description).toBe("three servers");
  });

  it("merges a distribution of the same kind field by field and replaces one of another kind", () => {
    const root = files({
      "base.yaml": BASE.replace("{exponential: 10ms}", "{lognormal: {median: 5ms, sigma: 0.5}}"),
      "same.yaml": "extends: base.yaml\nbackend: {service: {lognormal: {sigma: 1}}}\n",
      "other.yaml": "extends: base.yaml\nbackend: {service: {constant: 2ms}}\n",
    });
    expect(loadScenarioFile(join(root, "same.yaml")).backend.servers[0]?.service).toEqual({
      kind: "lognormal",
      medianMs: 5,
      sigma: 1,
    });
    expect(loadScenarioFile(join(root, "other.yaml")).backend.servers[0]?.service).toEqual({
      kind: "constant",
      valueMs: 2,
    });
  });

  it("resolves a trace file beside the file that names it", () => {
    const root = files({
      "common/base.yaml": `${BASE.replace("arrivals: {constant: 5/s}", "arrivals: {trace: day.csv}")}`,
      "common/day.csv": "atMs\n0\n",
      "child.yaml": "extends: common/base.yaml\n",
    });
    expect(loadScenarioFile(join(root, "child.yaml")).clients[1]?.arrivals).toEqual({
      kind: "trace",
      file: join(root, "common", "day.csv"),
    });
  });

  it("reports a problem in the base file at its line and column there", () => {
    const root = files({
      "base.yaml": BASE.replace("{name: web03}", "{name: web03, weigth: 2}"),
      "child.yaml": "extends: base.yaml\nduration: 30s\n",
    });
    expect(issuesOf(() => loadScenarioFile(join(root, "child.yaml")))).toEqual([
      expect.objectContaining({
        code: "unknown-key",
        file: join(root, "base.yaml"),
        line: 11,
        column: 21,
        path: "backend.servers[2].weigth",
        hint: 'did you mean "weight"?',
      }),
    ]);
  });

  it("reports a bad value written over a base server in the file that writes it, that file first", () => {
    const root = files({
      "base.yaml": BASE.replace("{name: web03}", "{name: web03, slots: 0}"),
      "child.yaml": `extends: base.yaml
backend:
  servers:
    - {name: web01, weight: 300}
    - {name: web04}
    - {name: web04}
`,
    });
    const child = join(root, "child.yaml");
    const issues = issuesOf(() => loadScenarioFile(child));
    expect(issues.map((i) => [i.file, i.line, i.column, i.path])).toEqual([
      [child, 4, 29, "backend.servers[0].weight"],
      [child, 6, 14, "backend.servers[4].name"],
      [join(root, "base.yaml"), 11, 28, "backend.servers[2].slots"],
    ]);
  });

  it("refuses a cycle and names its files", () => {
    const root = files({
      "a.yaml": "extends: b.yaml\nduration: 1s\n",
      "b.yaml": "extends: a.yaml\n",
      "self.yaml": "extends: ./self.yaml\n",
    });
    const a = join(root, "a.yaml");
    expect(issuesOf(() => loadScenarioFile(a))).toEqual([
      {
        code: "bad-value",
        file: join(root, "b.yaml"),
        line: 1,
        column: 10,
        path: "extends",
        message: `extends goes round in a cycle: ${a} → ${join(root, "b.yaml")} → ${a}`,
        hint: "remove one of these extends",
      },
    ]);
    expect(issuesOf(() => loadScenarioFile(join(root, "self.yaml")))[0]?.message).toBe(
      `extends goes round in a cycle: ${join(root, "self.yaml")} → ${join(root, "self.yaml")}`,
    );
  });

  it("reports a missing base file and a value that is no file name at the extends value", () => {
    const root = files({ "child.yaml": "extends: nope.yaml\n", "number.yaml": "extends: 5\n" });
    expect(issuesOf(() => loadScenarioFile(join(root, "child.yaml")))).toEqual([
      expect.objectContaining({
        code: "file-not-found",
        file: join(root, "child.yaml"),
        line: 1,
        column: 10,
      }),
    ]);
    expect(issuesOf(() => loadScenarioFile(join(root, "number.yaml")))[0]).toMatchObject({
      code: "bad-type",
      message: "found 5, expected the name of a scenario file such as base.yaml",
    });
  });

  it("reports a syntax error in the base file with the base file's name", () => {
    const root = files({ "base.yaml": "duration: [1s\n", "child.yaml": "extends: base.yaml\n" });
    expect(issuesOf(() => loadScenarioFile(join(root, "child.yaml")))[0]).toMatchObject({
      code: "syntax",
      file: join(root, "base.yaml"),
    });
  });

  it("merges backends and their servers, and frontends, by name", () => {
    const root = files({
      "base.yaml": `duration: 20s
frontends:
  - {name: www, acl: [is_api path_beg /api/], use_backend: [api if is_api], default_backend: web}
  - {name: admin, default_backend: web}
backends:
  - name: web
    service: {exponential: 10ms}
    servers: [{name: web01, slots: 4}, {name: web02}]
  - name: api
    service: {exponential: 5ms}
    servers: [{name: api1}]
clients:
  - {name: c, arrivals: {poisson: 10/s}}
`,
      "child.yaml": `extends: base.yaml
frontends:
  - {name: admin, maxconn: 5}
backends:
  - name: api
    balance: leastconn
    servers: [{name: api1, slots: 2}, {name: api2}]
  - name: static
    service: {constant: 1ms}
    servers: [{name: s1}]
`,
    });
    const scenario = loadScenarioFile(join(root, "child.yaml"));
    expect(scenario.frontends?.map((f) => [f.name, f.maxconn, f.defaultBackend])).toEqual([
      ["www", 0, "web"],
      ["admin", 5, "web"],
    ]);
    expect(
      scenario.backends?.map((b) => [b.name, b.balance, b.servers.map((s) => [s.name, s.slots])]),
    ).toEqual([
      [
        "web",
        "roundrobin",
        [
          ["web01", 4],
          ["web02", 1],
        ],
      ],
      [
        "api",
        "leastconn",
        [
          ["api1", 2],
          ["api2", 1],
        ],
      ],
      ["static", "roundrobin", [["s1", 1]]],
    ]);
  });

  it("turns a base's backend: into a one-item list under a file that writes backends:", () => {
    const root = files({
      "base.yaml": BASE,
      "child.yaml": `extends: base.yaml
frontend: {default_backend: web}
backends:
  - {name: web, servers: [{name: web03, weight: 5}]}
  - {name: api, service: {exponential: 5ms}, servers: [{name: api1}]}
events: []
`,
    });
    const scenario = loadScenarioFile(join(root, "child.yaml"));
    expect(scenario.backends?.map((b) => [b.name, b.servers.map((s) => [s.name, s.weight])])).toEqual([
      [
        "web",
        [
          ["web01", 2],
          ["web02", 1],
          ["web03", 5],
        ],
      ],
      ["api", [["api1", 1]]],
    ]);
  });

  it("refuses backend: over a base that lists backends:, at the backend key", () => {
    const root = files({
      "base.yaml":
        "duration: 1s\nbackends:\n  - {name: web, servers: [{name: w}]}\n  - {name: api, servers: [{name: a}]}\n",
      "child.yaml": "extends: base.yaml\nbackend:\n  balance: leastconn\n",
    });
    expect(issuesOf(() => loadScenarioFile(join(root, "child.yaml")))).toEqual([
      {
        code: "bad-value",
        file: join(root, "child.yaml"),
        line: 2,
        column: 1,
        path: "backend",
        message: `backend: cannot change the backends of ${join(root, "base.yaml")} (web, api): it does not say which one`,
        hint: "write backends: [{name: web, …}] to change a backend by its name",
      },
    ]);
  });

  it("is an error for parseScenario, which has no file system", () => {
    expect(issuesOf(() => parseScenario(`extends: base.yaml\n${BASE}`, "s.yaml"))).toEqual([
      {
        code: "bad-value",
        file: "s.yaml",
        line: 1,
        column: 10,
        path: "extends",
        message: "extends needs a file system to read the base scenario, and this loader has none",
        hint: "load the scenario from a file (lbsim run, or loadScenarioFile)",
      },
    ]);
  });
});

describe("mergeSources", () => {
  const source = (value: unknown, file: string) => readSource(JSON.stringify(value) ?? "null", file);

  it("merges backends, their servers and frontends by name, and replaces routing rules", () => {
    const merged = mergeSources(
      source(
        {
          frontends: [{ name: "www", use_backend: ["api if is_api"], default_backend: "web" }],
          backends: [
            { name: "web", servers: [{ name: "w1", weight: 2 }] },
            { name: "api", servers: [{ name: "a1" }] },
          ],
        },
        "base",
      ),
      source(
        {
          frontends: [{ name: "www", use_backend: ["web if TRUE"] }, { name: "admin" }],
          backends: [{ name: "web", servers: [{ name: "w1", slots: 4 }, { name: "w2" }] }],
        },
        "over",
      ),
    );
    expect(merged.value).toEqual({
      frontends: [{ name: "www", use_backend: ["web if TRUE"], default_backend: "web" }, { name: "admin" }],
      backends: [
        {
          name: "web",
          servers: [{ name: "w1", weight: 2, slots: 4 }, { name: "w2" }],
        },
        { name: "api", servers: [{ name: "a1" }] },
      ],
    });
  });

  it("points at the base's backend: for the item it becomes in backends:", () => {
    const base = readSource("duration: 1s\nbackend:\n  name: web\n  servers: [{name: w1}]\n", "base.yaml");
    const over = readSource("backends:\n  - {name: api}\n", "over.yaml");
    const merged = mergeSources(alignOneOrSeveral(base, over, "base.yaml"), over);
    expect(merged.value).toEqual({
      duration: "1s",
      backends: [{ name: "web", servers: [{ name: "w1" }] }, { name: "api" }],
    });
    expect(placeOf(merged.provenance, ["backends", 0, "servers", 0, "name"], false)).toEqual({
      file: "base.yaml",
      line: 4,
      column: 20,
    });
    expect(placeOf(merged.provenance, ["backends", 1, "name"], false)).toMatchObject({
      file: "over.yaml",
      line: 2,
    });
  });

  it("keeps keys such as __proto__ as plain keys", () => {
    const merged = mergeSources(source({ a: 1 }, "a"), readSource('{"__proto__": {"x": 1}}', "b"));
    expect(Object.getPrototypeOf(merged.value)).toBe(Object.prototype);
    expect(Object.keys(merged.value as object)).toEqual(["a", "__proto__"]);
  });

  it("never throws, and a map on a map has the keys of both", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (base, over) => {
        const merged = mergeSources(source(base, "base"), source(over, "over"));
        const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
        if (isMap(base) && isMap(over)) {
          const keys = new Set([...Object.keys(base as object), ...Object.keys(over as object)]);
          expect(new Set(Object.keys(merged.value as object))).toEqual(keys);
        } else {
          expect(merged.value).toEqual(JSON.parse(JSON.stringify(over) ?? "null"));
        }
      }),
      { numRuns: 300 },
    );
  });
});
