// Text input on the way in: YAML syntax errors at the line of the problem, binary files refused as
// "not a text file" (scenarios, their bases and cfgs, traces), at the first byte that is not text.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../errors/index.js";
import { BASE, issuesOf } from "./errors-test-support.js";
import { loadScenarioFile } from "./load.js";
import { decodeText, firstBinaryByte } from "./text-file.js";
import { readTraceFile } from "./trace.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-text-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issuesThrown(action: () => unknown): ReadonlyArray<InputIssue> {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("YAML syntax errors point at the line of the problem", () => {
  it("an unclosed { at its own line, not the next one (where the yaml library notices)", () => {
    const text = BASE.replace("    - {name: web01}", "    - {name: web01, weight: 1");
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ code: "syntax", line: 5, column: 7, message: 'this "{" is never closed' });
    expect(issue?.hint).toContain('close it with "}"');
    expect(issue?.hint).toContain("noticed only at line 6");
  });

  it("an unclosed [ at its own line", () => {
    const [issue] = issuesOf("duration: 10s\ncompare: [roundrobin, leastconn\nbackend: {}\n");
    expect(issue).toMatchObject({ code: "syntax", line: 2, column: 10, message: 'this "[" is never closed' });
  });

  it("an unclosed [{ is two errors, each at its own bracket", () => {
    const issues = issuesOf("duration: 10s\nbackend:\n  servers: [{name: a,\nclients: []\n");
    expect(issues.map((i) => [i.line, i.column, i.message])).toEqual([
      [3, 13, 'this "{" is never closed'],
      [3, 12, 'this "[" is never closed'],
    ]);
  });

  it("an unclosed quote at its own line, not at the end of the file", () => {
    const text = BASE.replace("duration: 10s", 'duration: "10s');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({
      code: "syntax",
      line: 1,
      column: 11,
      message: "this quote is never closed",
    });
  });

  it("a closed quote ending in an escaped backslash is not taken for an open one", () => {
    const [issue] = issuesOf('duration: 10s\nname: "a\\\\"\nbackend: {servers: [web01\n');
    expect(issue).toMatchObject({ line: 3, column: 20, message: 'this "[" is never closed' });
  });

  it("other syntax errors keep the library's position", () => {
    const [issue] = issuesOf("duration: 10s\nbackend:\n  servers:\n    - name: web01\n     weight: 2\n");
    expect(issue).toMatchObject({ code: "syntax", line: 5 });
  });
});

describe("binary input is not a text file", () => {
  it("finds the first NUL or non-UTF-8 byte, and none in UTF-8 text", () => {
    expect(firstBinaryByte(new TextEncoder().encode("héllo: wörld\n"))).toBe(-1);
    expect(firstBinaryByte(Uint8Array.from([0x61, 0x0a, 0x62, 0x00]))).toBe(3);
    // Latin-1 "été": 0xe9 starts a 3-byte sequence that "t" breaks, so the 0xe9 is the culprit.
    expect(firstBinaryByte(Uint8Array.from([0x61, 0xe9, 0x74, 0xe9]))).toBe(1);
    // A complete "é" (c3 a9) then 0xff: the 0xff.
    expect(firstBinaryByte(Uint8Array.from([0xc3, 0xa9, 0xff]))).toBe(2);
  });

  it("decodeText refuses it at line and column, and strips a BOM from text", () => {
    expect(decodeText(new TextEncoder().encode("\uFEFFa: 1"), "f", "a scenario file")).toBe("a: 1");
    const [issue] = issuesThrown(() => decodeText(Uint8Array.from([0x61, 0x0a, 0x62, 0x00]), "f", "x"));
    expect(issue).toMatchObject({ code: "not-text", file: "f", line: 2, column: 2 });
    expect(issue?.message).toBe("not a text file: a NUL byte here");
  });

  it("a scenario file", () => {
    const file = join(dir, "binary.yaml");
    writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]));
    expect(issuesThrown(() => loadScenarioFile(file))[0]).toMatchObject({
      code: "not-text",
      file,
      line: 1,
      column: 8,
    });
  });

  it("a base scenario (extends) and a haproxy.cfg named by the scenario", () => {
    writeFileSync(join(dir, "base.yaml"), Buffer.from("duration: 10s\n\xff\n", "latin1"));
    writeFileSync(join(dir, "child.yaml"), "extends: base.yaml\n");
    expect(issuesThrown(() => loadScenarioFile(join(dir, "child.yaml")))[0]).toMatchObject({
      code: "not-text",
      line: 2,
      column: 1,
    });
    writeFileSync(join(dir, "x.cfg"), Buffer.from([0x00, 0x01]));
    writeFileSync(
      join(dir, "cfg.yaml"),
      `haproxy: x.cfg\n${BASE.replace(/^backend:[\s\S]*?clients:/m, "clients:")}`,
    );
    expect(issuesThrown(() => loadScenarioFile(join(dir, "cfg.yaml")))[0]).toMatchObject({
      code: "not-text",
    });
  });

  it("a trace CSV", () => {
    const file = join(dir, "trace.csv");
    writeFileSync(file, Buffer.concat([Buffer.from("atMs,path\n0,/a\n"), Buffer.from([0x00, 0x00])]));
    expect(issuesThrown(() => [...readTraceFile(file)])[0]).toMatchObject({
      code: "not-text",
      file,
      line: 3,
      column: 1,
    });
  });

  it("a UTF-8 trace whose first chunk ends inside a character is still text", () => {
    const file = join(dir, "long.csv");
    // 65,535 ASCII bytes then "é" (2 bytes): the 64 KiB chunk ends between its two bytes.
    const pad = "x".repeat(65_535 - "atMs,path\n0,/".length);
    writeFileSync(file, `atMs,path\n0,/${pad}é\n1,/b\n`);
    expect([...readTraceFile(file)].map((row) => row.atMs)).toEqual([0, 1]);
  });
});
