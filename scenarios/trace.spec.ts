// Trace files: CSV columns and quoting, bad rows with line and column, lazy streaming in flat memory.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../errors/index.js";
import { CsvSplitter } from "./csv.js";
import { readTraceFile } from "./trace.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-trace-"));
let count = 0;
function file(text: string): string {
  const path = join(dir, `t${count++}.csv`);
  writeFileSync(path, text);
  return path;
}

function issueOf(action: () => unknown): InputIssue {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError && error.issues[0] !== undefined) return error.issues[0];
    throw error;
  }
  throw new Error("expected an InputError");
}

const all = (path: string) => [...readTraceFile(path)];

describe("readTraceFile", () => {
  it("reads every column, leaving absent and empty ones undefined", () => {
    const path = file("atMs,sourceIp,path,host,demandMs\n0,10.0.0.1,/a?x=1,example.com,12.5\n5,,/b,,\n");
    expect(all(path)).toEqual([
      { atMs: 0, sourceIp: "10.0.0.1", path: "/a?x=1", host: "example.com", demandMs: 12.5 },
      { atMs: 5, sourceIp: undefined, path: "/b", host: undefined, demandMs: undefined },
    ]);
  });

  it("reads columns in any order and ignores other columns (an lbsim --trace output)", () => {
    const path = file(
      "id,client,atMs,sourceIp,path,server,status\n1,c,10,1.2.3.4,/x,web01,200\n2,c,20,1.2.3.5,/y,web02,503\n",
    );
    expect(all(path).map((r) => [r.atMs, r.sourceIp, r.path])).toEqual([
      [10, "1.2.3.4", "/x"],
      [20, "1.2.3.5", "/y"],
    ]);
  });

  it("reads RFC 4180 quoting: commas, doubled quotes, line breaks, CRLF", () => {
    const path = file('atMs,path,host\r\n1,"/a,b","say ""hi"""\r\n2,"/multi\nline",h\r\n"3",/c,h');
    expect(all(path).map((r) => [r.atMs, r.path, r.host])).toEqual([
      [1, "/a,b", 'say "hi"'],
      [2, "/multi\nline", "h"],
      [3, "/c", "h"],
    ]);
  });

  it("skips blank lines and a byte-order mark", () => {
    expect(all(file("\uFEFFatMs\n1\n\n2\n\n")).map((r) => r.atMs)).toEqual([1, 2]);
  });

  it("can be iterated twice (once per compared strategy)", () => {
    const rows = readTraceFile(file("atMs\n1\n2\n"));
    expect([...rows]).toEqual([...rows]);
  });

  it.each([
    ["atMs\n1\n0\n", 3, 1, "non-decreasing"],
    ["atMs,path\n1,/a\nsoon,/b\n", 3, 1, "expected a number"],
    ["atMs,demandMs\n1,-2\n", 2, 3, "demandMs"],
    ["atMs,path\n1\n", 2, 1, "expected at least 2"],
    ['atMs,path\n1,/a\n2,/b"c\n', 3, 5, "quote"],
    ['atMs,path\n1,"/a\n2,/b\n', 2, 3, "never closed"],
    ['atMs,path\n1,"/a"x\n', 2, 7, "closing quote"],
    ["sourceIp,path\n1.2.3.4,/\n", 1, 1, 'an "atMs" column'],
    ["", 1, 1, "empty"],
    ["atms,path\n1,/\n", 1, 1, "unknown column"],
    ["atMs,atMs\n1,2\n", 1, 6, "twice"],
    ["atMs,path\n,/a\n", 2, 1, "missing"],
  ])("refuses %j at line %d, column %d", (text, line, column, words) => {
    const path = file(text);
    const issue = issueOf(() => all(path));
    expect(issue).toMatchObject({ code: "bad-trace", file: path, line, column });
    expect(issue.message).toContain(words);
  });

  it("hints the right spelling of a column", () => {
    expect(issueOf(() => all(file("atMS\n1\n"))).hint).toBe('did you mean "atMs"?');
  });

  it("reports a missing file at once", () => {
    expect(issueOf(() => readTraceFile(join(dir, "nope.csv")))).toMatchObject({ code: "file-not-found" });
    expect(issueOf(() => readTraceFile(dir))).toMatchObject({ code: "unreadable" });
  });

  it("reads lazily: the first rows come before a bad row far below is reached", () => {
    const lines = ["atMs,path"];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},/p${i % 100}`);
    lines.push("oops,/");
    const iterator = readTraceFile(file(`${lines.join("\n")}\n`))[Symbol.iterator]();
    expect(iterator.next().value).toEqual({
      atMs: 0,
      path: "/p0",
      sourceIp: undefined,
      host: undefined,
      demandMs: undefined,
    });
    expect(iterator.next().value?.atMs).toBe(1);
    iterator.return?.();
  });

  it("streams a million rows in flat memory", () => {
    const rows = 1_000_000;
    const parts: string[] = ["atMs,sourceIp,path,demandMs\n"];
    for (let i = 0; i < rows; i++)
      parts.push(`${i},10.0.${i % 256}.${i % 200},/item/${i % 5000}?q=${i},${i % 17}\n`);
    const path = file(parts.join(""));
    parts.length = 0;
    const before = process.memoryUsage().heapUsed;
    let seen = 0;
    let peak = before;
    for (const row of readTraceFile(path)) {
      seen++;
      if (row.atMs % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(seen).toBe(rows);
    // A million row objects alone would take well over 100 MB; a chunk at a time is a few MB.
    expect(peak - before).toBeLessThan(60 * 1024 * 1024);
  });
});

describe("CsvSplitter", () => {
  it("gives the same records however the text is cut into chunks", () => {
    const text = 'a,b\r\n1,"x,""y"""\n2,"multi\nline"\r\n3,z';
    const whole = new CsvSplitter("f").push(text, true);
    for (let cut = 0; cut <= text.length; cut++) {
      const splitter = new CsvSplitter("f");
      const pieces = [...splitter.push(text.slice(0, cut), false), ...splitter.push(text.slice(cut), true)];
      expect(pieces).toEqual(whole);
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });
});
