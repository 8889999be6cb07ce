// Scenario errors: each code with its exact line, column, path and hint; many problems at once.
import { describe, expect, it } from "vitest";
import { BASE, issuesOf, only } from "./errors-test-support.js";
import { parseScenario } from "./parse.js";

describe("scenario errors", () => {
  it("reports a YAML syntax error with its line and column", () => {
    // Unclosed: at the "[" on line 2, not at the end of the file where the yaml library notices.
    expect(issuesOf("duration: 10s\nbackend: {servers: [\n")[0]).toMatchObject({
      code: "syntax",
      file: "s.yaml",
      line: 2,
      column: 20,
      path: "",
    });
    const [issue] = issuesOf("a: 1\na: 2\n");
    expect(issue).toMatchObject({ code: "syntax", line: 2, column: 1, message: "Map keys must be unique" });
  });

  it("reports an unknown key at the key, with a did-you-mean hint", () => {
    expect(only(BASE.replace("      weight: 2", "      weigth: 2"))).toEqual({
      code: "unknown-key",
      file: "s.yaml",
      line: 7,
      column: 7,
      path: "backend.servers[1].weigth",
      hint: 'did you mean "weight"?',
    });
  });

  it("hints the dashed spelling of a camelCase or snake_case key", () => {
    const issue = only(BASE.replace("  service:", "  hashType: consistent\n  service:"));
    expect(issue).toMatchObject({
      code: "unknown-key",
      line: 3,
      column: 3,
      path: "backend.hashType",
      hint: 'did you mean "hash-type"?',
    });
  });

  it("reports a missing key at the map that lacks it", () => {
    const issue = only(BASE.replace("    - {name: web01}", "    - {weight: 1}"));
    expect(issue).toEqual({
      code: "missing-key",
      file: "s.yaml",
      line: 5,
      column: 7,
      path: "backend.servers[0].name",
    });
    expect(
      issuesOf("backend: {servers: [{name: a}]}\nclients: [{name: c, arrivals: {poisson: 1}}]\n")[0],
    ).toMatchObject({
      code: "missing-key",
      line: 1,
      column: 1,
      path: "duration",
      message:
        'missing key "duration"; expected a duration such as 250ms, 5s, 2m, 1h, 500us, 1d or a bare number of milliseconds, > 0',
    });
  });

  it("reports a value of the wrong type with what was found and what was expected", () => {
    const [issue] = issuesOf(BASE.replace("weight: 2", "weight: heavy"));
    expect(issue).toMatchObject({ code: "bad-type", line: 7, column: 15, path: "backend.servers[1].weight" });
    expect(issue?.message).toBe('found "heavy", expected an integer');
    expect(only(BASE.replace("{name: web01}", "{name: web01, backup: yes}"))).toMatchObject({
      code: "bad-type",
      line: 5,
      column: 29,
    });
  });

  it("reports a bad duration with a unit hint", () => {
    expect(only(BASE.replace("duration: 10s", "duration: 10 seconds"))).toEqual({
      code: "bad-duration",
      file: "s.yaml",
      line: 1,
      column: 11,
      path: "duration",
      hint: 'did you mean "10s"?',
    });
  });

  it("reports a bad rate inside the arrivals", () => {
    expect(only(BASE.replace("10/s", "10/sec"))).toEqual({
      code: "bad-rate",
      file: "s.yaml",
      line: 10,
      column: 25,
      path: "clients[0].arrivals.poisson",
      hint: 'did you mean "10/s"?',
    });
    expect(only(BASE.replace("10/s", "0/s"))).toMatchObject({
      code: "bad-rate",
      path: "clients[0].arrivals.poisson",
    });
  });

  it("reports a misspelt distribution at its name", () => {
    expect(only(BASE.replace("{exponential: 10ms}", "{exponentail: 10ms}"))).toEqual({
      code: "bad-distribution",
      file: "s.yaml",
      line: 3,
      column: 13,
      path: "backend.service.exponentail",
      hint: 'did you mean "exponential"?',
    });
  });

  it("reports an impossible value with its bounds", () => {
    const [issue] = issuesOf(BASE.replace("weight: 2", "weight: 300"));
    expect(issue).toMatchObject({
      code: "bad-value",
      line: 7,
      column: 15,
      path: "backend.servers[1].weight",
      message: "found 300, expected ≤ 256",
    });
    expect(only(BASE.replace("  servers:", "  balance: ''\n  servers:"))).toMatchObject({
      code: "bad-value",
      path: "backend.balance",
    });
    expect(only(`${BASE}warmup: 10s\n`)).toMatchObject({
      code: "bad-value",
      line: 11,
      column: 9,
      path: "warmup",
    });
  });

  it("hints the nearest word of an enum", () => {
    expect(only(BASE.replace("  servers:", "  check: {type: htp}\n  servers:"))).toEqual({
      code: "bad-value",
      file: "s.yaml",
      line: 4,
      column: 17,
      path: "backend.check.type",
      hint: 'did you mean "http"?',
    });
    expect(only(BASE.replace("  servers:", "  hash-type: consistent md5\n  servers:"))).toMatchObject({
      code: "bad-value",
      path: "backend.hash-type",
      hint: "expected one of sdbm, djb2, wt6, crc32",
    });
  });

  it("reads hash-type with its function and modifier, as haproxy.cfg writes it", () => {
    const scenario = parseScenario(
      BASE.replace("  servers:", "  hash-type: consistent djb2 avalanche\n  servers:"),
      "s.yaml",
    );
    expect(scenario.backend).toMatchObject({
      hashType: "consistent",
      hashFunction: "djb2",
      hashAvalanche: true,
    });
    expect(parseScenario(BASE, "s.yaml").backend).not.toHaveProperty("hashFunction");
  });

  it("reports every problem at once, in file order", () => {
    const text = `name: x
duration: 10x
warmup: 5s
backend:
  balance: rundrobin
  servers:
    - {name: web01, weigth: 2, service: {exponental: 5ms}}
    - {name: web01, weight: 300, slots: 0, service: {constant: 1ms}}
clients:
  - name: c
    arrivals: {poison: 5/s}
events:
  - {at: 1s, crash: web02}
  - {at: 2s, slow: {server: web01, factr: 2}}
`;
    const issues = issuesOf(text);
    expect(issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.path}`)).toEqual([
      "2:11 bad-duration duration",
      "7:21 unknown-key backend.servers[0].weigth",
      "7:42 bad-distribution backend.servers[0].service.exponental",
      "8:14 bad-value backend.servers[1].name",
      "8:29 bad-value backend.servers[1].weight",
      "8:41 bad-value backend.servers[1].slots",
      "11:16 unknown-key clients[0].arrivals.poison",
      "13:21 unknown-server events[0].crash",
      "14:20 missing-key events[1].slow.factor",
      "14:36 unknown-key events[1].slow.factr",
    ]);
    expect(issues.every((i) => i.file === "s.yaml")).toBe(true);
  });

  it("formats the issues as file:line:col lines", () => {
    try {
      parseScenario(BASE.replace("      weight: 2", "      weigth: 2"), "dir/s.yaml");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        'dir/s.yaml:7:7: backend.servers[1].weigth: unknown key "weigth"; expected "name", "id", "weight", "maxconn", ' +
          '"maxqueue", "slots", "discipline", "speed", "service", "backup", "check", "slowstart", "disabled", "observe", ' +
          '"error-limit", "on-error", "rtt", "loss" or "added" (hint: did you mean "weight"?)',
      );
    }
  });

  it("points into JSON input too", () => {
    const json =
      '{\n  "duration": "10s",\n  "backend": {"servers": [{"name": "a", "service": {"constant": 1}, "wieght": 1}]},\n  "clients": [{"name": "c", "arrivals": {"poisson": 1}}]\n}\n';
    expect(only(json)).toMatchObject({
      code: "unknown-key",
      line: 3,
      column: 69,
      hint: 'did you mean "weight"?',
    });
  });

  it("refuses a document that is not a map", () => {
    expect(only("- a\n- b\n")).toMatchObject({ code: "bad-type", line: 1, column: 1, path: "" });
    expect(only("")).toMatchObject({ code: "bad-type", line: 1, column: 1 });
  });
});
