import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { parseScenario } from "./index.js";

const base = `duration: 10s
backend:
  servers:
    - {name: web01, service: {exponential: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 10/s}}
expect:
`;

function issues(lines: string[]) {
  try {
    parseScenario(base + lines.map((l) => `  - "${l}"\n`).join(""), "x.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.issues.map((i) => ({
      code: i.code,
      line: i.line,
      column: i.column,
      path: i.path,
      hint: i.hint,
    }));
  }
}

describe("expect lines", () => {
  it("are kept as written when they parse", () => {
    const s = parseScenario(`${base}  - "p99 < 300ms"\n  - "share(web01) in 45%..55%"\n`, "x.yaml");
    expect(s.expect).toEqual(["p99 < 300ms", "share(web01) in 45%..55%"]);
  });

  it("are parsed once, when loaded: the Scenario carries each typed, its text trimmed as Results name it", () => {
    const s = parseScenario(
      `${base}  - " p99 < 300ms "\n  - "leastconn.share(web01) after 2s in 45%..55%"\n`,
      "x.yaml",
    );
    expect(s.expectations).toEqual([
      {
        text: "p99 < 300ms",
        op: "<",
        left: {
          kind: "metric",
          strategy: null,
          name: "p99",
          argument: null,
          unit: "time",
          argumentKind: "none",
          window: null,
        },
        right: { kind: "number", value: 300, explicitUnit: true },
      },
      {
        text: "leastconn.share(web01) after 2s in 45%..55%",
        op: "in",
        left: {
          kind: "metric",
          strategy: "leastconn",
          name: "share",
          argument: "web01",
          unit: "ratio",
          argumentKind: "server",
          window: { fromMs: 2000, toMs: null },
        },
        low: { kind: "number", value: 0.45, explicitUnit: true },
        high: { kind: "number", value: 0.55, explicitUnit: true },
      },
    ]);
  });

  it("carry what a metric's argument names, so that sim/ and cli/ find servers and backends without the grammar", () => {
    const s = parseScenario(
      `${base}  - "backend.requests(backend) < maxinflight(web01)"\n  - "status(503) < 1%"\n`,
      "x.yaml",
    );
    const kinds = s.expectations.flatMap((e) =>
      e.op === "in" ? [] : [e.left, e.right].flatMap((o) => (o.kind === "metric" ? [o.argumentKind] : [])),
    );
    expect(kinds).toEqual(["backend", "server", "word"]);
  });

  it("point at the line of a metric that does not exist, with the nearest metric", () => {
    expect(issues(["p98 < 3ms"])).toEqual([
      { code: "bad-value", line: 8, column: 5, path: "expect[0]", hint: 'did you mean "p90"?' },
    ]);
  });

  it("take a bare number above 1 next to a ratio for a forgotten %, at its line", () => {
    expect(issues(["p99 < 1s", "errors < 5", "share(web01) in 45..55"])).toEqual([
      { code: "bad-value", line: 9, column: 5, path: "expect[1]", hint: "did you mean 5%?" },
      { code: "bad-value", line: 10, column: 5, path: "expect[2]", hint: "did you mean 45%..55%?" },
    ]);
    expect(issues(["errors < 0.5", "errors <= 1", "failed < 5"])).toEqual([]);
  });

  it("keep time windows within the run (10s here)", () => {
    expect(issues(["errors during 2s..10s == 0", "p99 after 9.5s < 1s", "errors before 10s < 1%"])).toEqual(
      [],
    );
    expect(issues(["errors during 5s..11s == 0", "p99 after 10s < 1s", "errors during 5s..5s == 0"])).toEqual(
      [
        {
          code: "bad-value",
          line: 8,
          column: 5,
          path: "expect[0]",
          hint: "expected a window within 0s..10s",
        },
        {
          code: "bad-value",
          line: 9,
          column: 5,
          path: "expect[1]",
          hint: "expected a window within 0s..10s",
        },
        { code: "bad-value", line: 10, column: 5, path: "expect[2]", hint: undefined },
      ],
    );
  });

  it("name the servers of detected(), recovered() and downtime() from the topology", () => {
    expect(issues(["detected(web01) < 3s", "recovered(web1) < 3s"])).toEqual([
      { code: "unknown-server", line: 9, column: 5, path: "expect[1]", hint: 'did you mean "web01"?' },
    ]);
  });

  it("name a server that is not in the backend", () => {
    expect(issues(["errors < 1%", "share(web02) > 1%"])).toEqual([
      { code: "unknown-server", line: 9, column: 5, path: "expect[1]", hint: 'did you mean "web01"?' },
    ]);
  });
});
