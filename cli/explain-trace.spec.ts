// `run --explain`: every line against the --trace CSV of the same run, the filters, bad filters, determinism.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Decision } from "../sim/index.js";
import { UsageError } from "./args.js";
import { keepDecision, parseExplainFilter } from "./explain-trace.js";
import { runMain } from "./test-support.js";

/** web02 crashes (redispatches); 150/s for about 120/s of capacity at maxconn 1 (queueing, queue timeouts). */
const SCENARIO = `name: explain
seed: 7
duration: 6s
backend:
  name: web_servers
  balance: roundrobin
  timeout: { connect: 200ms, server: 5s, queue: 300ms }
  retries: 2
  redispatch: true
  check: { type: tcp, inter: 1s, rise: 2, fall: 3 }
  servers:
    - { name: web01, maxconn: 1, service: { constant: 45ms } }
    - { name: web02, maxconn: 1, service: { constant: 20ms } }
    - { name: web03, maxconn: 1, service: { constant: 20ms } }
clients:
  - name: steady
    arrivals: { poisson: 150/s }
events:
  - { at: 1500ms, crash: web02 }
  - { at: 4500ms, restore: web02 }
`;

interface CsvRow {
  readonly id: number;
  readonly server: string;
  readonly status: number;
  readonly retries: number;
}

function readCsv(path: string): CsvRow[] {
  const [header, ...rows] = readFileSync(path, "utf8").trimEnd().split("\r\n");
  const columns = header!.split(",");
  const at = (name: string) => columns.indexOf(name);
  return rows.map((row) => {
    const fields = row.split(",");
    return {
      id: Number(fields[at("id")]),
      server: fields[at("server")]!,
      status: Number(fields[at("status")]),
      retries: Number(fields[at("retries")]!.replace("+", "")),
    };
  });
}

function readLines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

let dir = "";
let scenario = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-explain-"));
  scenario = join(dir, "explain.yaml");
  writeFileSync(scenario, SCENARIO);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function explain(name: string, ...extra: string[]): Promise<{ lines: string[]; code: number }> {
  const file = join(dir, name);
  const { code, stderr } = await runMain(["run", scenario, "--explain", file, "--quiet", ...extra]);
  expect(stderr).toBe("");
  return { lines: readLines(file), code };
}

describe("run --explain", () => {
  it("makes each request's last choice the --trace CSV's server, and one line per retry", async () => {
    const csv = join(dir, "t.csv");
    const { lines, code } = await explain("e.jsonl", "--trace", csv);
    expect(code).toBe(0);
    const decisions = lines.map((line) => JSON.parse(line) as Decision);
    const byId = new Map<number, Decision[]>();
    for (const d of decisions) byId.set(d.id, [...(byId.get(d.id) ?? []), d]);
    const rows = readCsv(csv);
    let queuedOut = 0;
    let retried = 0;
    for (const row of rows) {
      const own = byId.get(row.id);
      expect(own, `request ${row.id}`).toBeDefined();
      const last = own![own!.length - 1]!;
      if (last.chosen === "queue") {
        expect(row.status).toBe(503);
        queuedOut++;
      } else if (last.chosen === "503") {
        expect(row.status).toBe(503);
      } else {
        expect(row.server).toBe(last.chosen);
      }
      const retries = own!.filter((d) => d.step === "redispatch" || d.step === "retry").length;
      expect(retries).toBe(row.retries);
      if (row.retries > 0) retried++;
    }
    // The scenario does what it is for: queue timeouts and retries both happen.
    expect(queuedOut).toBeGreaterThan(0);
    expect(retried).toBeGreaterThan(0);
    // The other lines are of requests still open when the run ended (the CSV has finished ones only).
    const finished = new Set(rows.map((r) => r.id));
    const open = [...byId.entries()].filter(([id]) => !finished.has(id));
    for (const [, own] of open) expect(own[0]!.atMs).toBeGreaterThan(5000);
    expect(open.length).toBeLessThan(rows.length / 20);
  });

  it("shows a user strategy's own explainState, and nothing for one without", async () => {
    const own = (state: string) => `export default (servers) => {
  let next = 0;
  return {
    name: "mine",
    serverUp() {}, serverDown() {}, weightChanged() {}, taken() {}, released() {},
    pick: () => servers[next++ % servers.length],${state}
  };
};
`;
    writeFileSync(join(dir, "explained.mjs"), own("\n    explainState: () => ({ state: { next } }),"));
    writeFileSync(join(dir, "silent.mjs"), own(""));
    for (const [file, expected] of [
      ["explained.mjs", (i: number) => ({ next: i })],
      ["silent.mjs", () => ({})],
    ] as const) {
      const { lines } = await explain(
        `${file}.jsonl`,
        "--strategy",
        join(dir, file),
        "--explain-filter",
        "at=..1s",
      );
      const picks = lines.map((line) => JSON.parse(line) as Decision).filter((d) => d.step === "pick");
      expect(picks.length).toBeGreaterThan(10);
      // The first picks of the run, in order (before web02 crashes: nothing else asks the strategy).
      picks.slice(0, 10).forEach((d, i) => {
        expect(d.strategy).toBe("mine");
        expect(d.state).toEqual(expected(i));
      });
    }
  });

  it("writes the same bytes for the same seed", async () => {
    const first = await explain("a.jsonl");
    const second = await explain("b.jsonl");
    expect(second.lines.join("\n")).toBe(first.lines.join("\n"));
  });

  it("keeps exactly the lines each filter and their combination select", async () => {
    const all = (await explain("all.jsonl")).lines;
    const parsed = all.map((line) => JSON.parse(line) as Decision);
    const select = (keep: (d: Decision) => boolean) => all.filter((_, i) => keep(parsed[i]!));
    const cases: Array<[string, (d: Decision) => boolean]> = [
      ["id=17,20-30", (d) => d.id === 17 || (d.id >= 20 && d.id <= 30)],
      ["at=2s..3s", (d) => d.atMs >= 2000 && d.atMs < 3000],
      ["at=..500ms", (d) => d.atMs < 500],
      ["server=web02", (d) => d.chosen === "web02" || "web02" in d.skipped],
      [
        "id=100-400 at=1s..4s;server=web01",
        (d) =>
          d.id >= 100 &&
          d.id <= 400 &&
          d.atMs >= 1000 &&
          d.atMs < 4000 &&
          (d.chosen === "web01" || "web01" in d.skipped),
      ],
    ];
    let n = 0;
    for (const [filter, keep] of cases) {
      const expected = select(keep);
      expect(expected.length, filter).toBeGreaterThan(0);
      expect(expected.length, filter).toBeLessThan(all.length);
      const { lines } = await explain(`f${n++}.jsonl`, "--explain-filter", filter);
      expect(lines, filter).toEqual(expected);
    }
  });

  it("refuses bad filters and a filter without --explain, exit 2, before running", async () => {
    for (const [filter, message] of [
      ["id=abc", 'id "abc" is not a request id'],
      ["id=30-20", 'id range "30-20" ends before it starts'],
      ["at=20s..10s", "the window ends before it starts"],
      ["at=soon", "is not a time window"],
      ["at=1x..2s", '"1x" is not a duration'],
      ["host=a", '"host=a" is not a filter term'],
      ["server=", '"server=" has no value'],
      [" ; ", "nothing to filter on"],
    ] as const) {
      const file = join(dir, "bad.jsonl");
      const { code, stderr } = await runMain([
        "run",
        scenario,
        "--explain",
        file,
        "--explain-filter",
        filter,
      ]);
      expect(code, filter).toBe(2);
      expect(stderr, filter).toContain("lbsim run: --explain-filter: ");
      expect(stderr, filter).toContain(message);
    }
    const { code, stderr } = await runMain(["run", scenario, "--explain-filter", "id=1"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--explain-filter needs --explain FILE.jsonl");
    const dash = await runMain(["run", scenario, "--explain", "-"]);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain("--explain needs a file name");
  });
});

describe("parseExplainFilter", () => {
  it("reads ids, windows with units and servers into plain data", () => {
    expect(parseExplainFilter("id=17,20-30 at=10s..1m server=web02,api/s1")).toEqual({
      ids: [
        [17, 17],
        [20, 30],
      ],
      fromMs: 10_000,
      toMs: 60_000,
      servers: ["web02", "api/s1"],
    });
    expect(parseExplainFilter("at=250ms..")).toEqual({ fromMs: 250 });
  });

  it("throws a UsageError for a term given twice", () => {
    expect(() => parseExplainFilter("id=1 id=2")).toThrow(UsageError);
    expect(() => parseExplainFilter("at=1s.. at=..2s")).toThrow(/at= is given more than once/);
  });

  it("matches a server named with its backend", () => {
    const decision = {
      atMs: 0,
      id: 1,
      backend: "api",
      strategy: "roundrobin",
      step: "pick",
      candidates: ["s1"],
      skipped: { s2: "DOWN" },
      state: {},
      chosen: "s1",
    } as const;
    expect(keepDecision(parseExplainFilter("server=api/s2"), decision)).toBe(true);
    expect(keepDecision(parseExplainFilter("server=web/s2"), decision)).toBe(false);
    expect(keepDecision(parseExplainFilter("server=s3"), decision)).toBe(false);
  });
});
