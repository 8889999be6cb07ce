// Spec of cli/output.ts: CSV quoting, HAProxy-style retries, and atomic files that never end up truncated.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RequestRecord } from "../sim/index.js";
import { csvField, retriesField, TRACE_HEADER, TraceCsvWriter, traceRow, writeFileAtomic } from "./output.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-output-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 1,
    client: "browsers",
    atMs: 1000.25,
    sourceIp: "10.0.0.7",
    path: "/index.html",
    host: "example.com",
    server: "web01",
    status: 200,
    termination: "----",
    retries: 0,
    redispatched: false,
    queueMs: 0,
    connectMs: 0.5,
    responseMs: 12,
    totalMs: 12.5,
    frontendConnections: 1,
    backendConnections: 1,
    serverConnections: 1,
    serverQueue: 0,
    backendQueue: 0,
    ...overrides,
  };
}

describe("csvField", () => {
  it("leaves plain text alone", () => {
    expect(csvField("/a/b?c=d")).toBe("/a/b?c=d");
    expect(csvField("")).toBe("");
  });

  it("quotes a field with a comma, quote, CR or LF, doubling the quotes", () => {
    expect(csvField("/a,b")).toBe('"/a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField("a\nb")).toBe('"a\nb"');
  });
});

describe("retriesField", () => {
  it("writes the count, prefixed with + when the request was redispatched, as HAProxy's log does", () => {
    expect(retriesField({ retries: 0, redispatched: false })).toBe("0");
    expect(retriesField({ retries: 3, redispatched: false })).toBe("3");
    expect(retriesField({ retries: 1, redispatched: true })).toBe("+1");
  });
});

describe("traceRow", () => {
  it("writes the columns of DESIGN.md in order, with the two-letter termination", () => {
    expect(traceRow(record())).toBe("1,browsers,1000.25,10.0.0.7,/index.html,web01,200,--,0,0,0.5,12,12.5");
  });

  it("writes a failed request: empty server, -1 for stages never reached, + for a redispatch", () => {
    const row = traceRow(
      record({
        server: "",
        status: 503,
        termination: "SC--",
        retries: 1,
        redispatched: true,
        connectMs: -1,
        responseMs: -1,
      }),
    );
    expect(row).toBe("1,browsers,1000.25,10.0.0.7,/index.html,,503,SC,+1,0,-1,-1,12.5");
  });

  it("quotes a path that holds a comma or a quote", () => {
    expect(traceRow(record({ path: '/q?a=1,2&b="x"' }))).toContain(',"/q?a=1,2&b=""x""",');
  });
});

describe("TraceCsvWriter", () => {
  it("writes the header and one CRLF-terminated row per request, and renames on close", () => {
    const path = join(dir, "trace.csv");
    const writer = TraceCsvWriter.open(path);
    writer.write(record({ id: 1 }));
    writer.write(record({ id: 2, path: "/a,b" }));
    expect(readdirSync(dir)).not.toContain("trace.csv");
    writer.close();
    expect(writer.rows).toBe(2);
    expect(readdirSync(dir)).toEqual(["trace.csv"]);
    const lines = readFileSync(path, "utf8").split("\r\n");
    expect(lines[0]).toBe(TRACE_HEADER);
    expect(lines[2]).toBe('2,browsers,1000.25,10.0.0.7,"/a,b",web01,200,--,0,0,0.5,12,12.5');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe("");
  });

  it("streams many rows through its 64 KiB buffer without losing any", () => {
    const path = join(dir, "big.csv");
    const writer = TraceCsvWriter.open(path);
    for (let id = 1; id <= 20_000; id++) writer.write(record({ id }));
    writer.close();
    const lines = readFileSync(path, "utf8").trimEnd().split("\r\n");
    expect(lines).toHaveLength(20_001);
    expect(lines[20_000]?.startsWith("20000,")).toBe(true);
  });

  it("leaves no file at all when aborted, even after a flush", () => {
    const path = join(dir, "trace.csv");
    const writer = TraceCsvWriter.open(path);
    for (let id = 1; id <= 5_000; id++) writer.write(record({ id }));
    writer.abort();
    writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps an earlier file of the same name untouched until the new one is complete", () => {
    const path = join(dir, "trace.csv");
    writeFileSync(path, "old\n");
    const writer = TraceCsvWriter.open(path);
    writer.write(record());
    expect(readFileSync(path, "utf8")).toBe("old\n");
    writer.abort();
    expect(readFileSync(path, "utf8")).toBe("old\n");
  });

  it("removes its temp file when the rename fails", () => {
    const path = join(dir, "taken");
    mkdirSync(join(path, "inside"), { recursive: true });
    const writer = TraceCsvWriter.open(path);
    writer.write(record());
    expect(() => writer.close()).toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
  });

  it("refuses writes after close", () => {
    const writer = TraceCsvWriter.open(join(dir, "t.csv"));
    writer.close();
    expect(() => writer.write(record())).toThrow(/after close/);
  });
});

describe("writeFileAtomic", () => {
  it("writes the whole content under the name", () => {
    const path = join(dir, "results.json");
    writeFileAtomic(path, '{"a": 1}\n');
    expect(readFileSync(path, "utf8")).toBe('{"a": 1}\n');
    expect(readdirSync(dir)).toEqual(["results.json"]);
  });

  it("replaces an existing file", () => {
    const path = join(dir, "results.json");
    writeFileSync(path, "old");
    writeFileAtomic(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
  });

  it("leaves neither the file nor a temp file when it fails", () => {
    const path = join(dir, "results.json");
    mkdirSync(join(path, "inside"), { recursive: true });
    expect(() => writeFileAtomic(path, "data")).toThrow();
    expect(readdirSync(dir)).toEqual(["results.json"]);
    expect(readdirSync(path)).toEqual(["inside"]);
  });

  it("fails without creating anything when the folder does not exist", () => {
    expect(() => writeFileAtomic(join(dir, "missing", "r.json"), "data")).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
