// Spec of `lbsim replay`'s bad input: no valid line, bad --scenario, --strategy, --log-format, backends the cfg lacks, --json onto an input.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { replaySandbox } from "./replay-test-support.js";

const { at, lbsim } = replaySandbox();

describe("lbsim replay: bad input is exit 2 with a clear message", () => {
  const LINE =
    '10.0.0.1:1000 [07/Dec/2026:21:00:00.000] fe be/s1 0/0/0/5/5 200 10 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1"';

  test("an empty log is bad input", async () => {
    writeFileSync(at("empty.log"), "");
    const r = await lbsim("replay", at("empty.log"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("no line is an HAProxy log line");
  });

  test("a log with no valid line names the first bad lines by file:line and what was expected", async () => {
    writeFileSync(at("bad.log"), "hello\nworld\n");
    const r = await lbsim("replay", at("bad.log"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("bad.log:1:1: expected %ci: the client address");
    expect(r.err).toContain("no line is an HAProxy log line");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test("bad lines among good ones are counted and shown, and the replay goes on", async () => {
    writeFileSync(at("mixed.log"), `${LINE}\nnot a line\n${LINE}\n`);
    const r = await lbsim("replay", at("mixed.log"));
    expect(r.code).toBe(0);
    expect(r.err).toContain("mixed.log:2: column 1: expected %ci");
    expect(r.err).toContain("1 bad line skipped");
    expect(r.out).toContain("as logged");
  });

  test("--scenario holds only servers' slots: another key, a bad slots or an unknown server is refused", async () => {
    writeFileSync(at("ok.log"), `${LINE}\n`);
    writeFileSync(at("s.yaml"), "duration: 10s\nbackend: {name: be, servers: [{name: s1, slots: 0}]}\n");
    const r = await lbsim("replay", at("ok.log"), "--scenario", at("s.yaml"));
    expect(r.code).toBe(2);
    expect(r.err).toContain('s.yaml:1:1: duration: "duration" is not read by lbsim replay');
    expect(r.err).toMatch(
      /s\.yaml:2:\d+: backend.servers.0.slots: slots: found 0, expected a whole number ≥ 1/,
    );
    writeFileSync(at("t.yaml"), "backend: {name: be, servers: [{name: s9, slots: 2}]}\n");
    const unknown = await lbsim("replay", at("ok.log"), "--scenario", at("t.yaml"));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      'server "s9" of backend be is in neither the log nor the cfg (did you mean "s1"?)',
    );
  });

  test("an unknown --strategy and a --log-format without what a replay needs are usage errors", async () => {
    writeFileSync(at("ok.log"), `${LINE}\n`);
    const s = await lbsim("replay", at("ok.log"), "--strategy", "leastcon");
    expect(s.code).toBe(2);
    expect(s.err).toContain('unknown strategy "leastcon" (did you mean "leastconn"?)');
    const f = await lbsim("replay", at("ok.log"), "--log-format", "%ci %b");
    expect(f.code).toBe(2);
    expect(f.err).toContain("--log-format: a replay needs the request's date (%tr");
  });

  test("a cfg whose backend shares no server with the log is refused: it did not write this log", async () => {
    writeFileSync(at("ok.log"), `${LINE}\n`);
    writeFileSync(
      at("other.cfg"),
      "defaults\n  mode http\nbackend be\n  server x1 10.0.0.1:80\n  server x2 10.0.0.2:80\n",
    );
    const r = await lbsim("replay", at("ok.log"), "--cfg", at("other.cfg"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("backend be: none of its servers (x1, x2) is in");
    expect(r.err).toContain("whose requests went to s1");
    expect(r.err).not.toMatch(/\n\s+at /);
    // One server in common is a cfg that changed since: it replays.
    writeFileSync(
      at("changed.cfg"),
      "defaults\n  mode http\nbackend be\n  server s1 10.0.0.1:80\n  server x2 10.0.0.2:80\n",
    );
    expect((await lbsim("replay", at("ok.log"), "--cfg", at("changed.cfg"))).code).toBe(0);
  });

  test("a backend the cfg does not have is listed as not replayed; the others replay", async () => {
    writeFileSync(at("cfg.cfg"), "defaults\n  mode http\nbackend be\n  server s1 10.0.0.1:80\n");
    const denied = LINE.replace("fe be/s1 0/0/0/5/5 200", "fe fe/<NOSRV> -1/-1/-1/-1/0 403");
    writeFileSync(at("two.log"), `${LINE}\n${denied}\n`);
    const r = await lbsim("replay", at("two.log"), "--cfg", at("cfg.cfg"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("backend fe: not in ");
    expect(r.out).toContain("not replayed (1 request)");
    expect(r.out).toContain("backend be (balance roundrobin, from ");
    const none = await lbsim("replay", at("two.log"), "--cfg", at("cfg.cfg").replace("cfg.cfg", "none.cfg"));
    expect(none.code).toBe(2);
    writeFileSync(at("other.cfg"), "defaults\n  mode http\nbackend web\n  server w1 10.0.0.1:80\n");
    const nothing = await lbsim("replay", at("two.log"), "--cfg", at("other.cfg"));
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain("nothing to replay: backend be: not in");
  });

  test("--json onto the log itself is refused before anything is read or written", async () => {
    writeFileSync(at("ok.log"), `${LINE}\n`);
    const r = await lbsim("replay", at("ok.log"), "--json", at("ok.log"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("would overwrite the log");
    expect(readFileSync(at("ok.log"), "utf8")).toBe(`${LINE}\n`);
  });
});
