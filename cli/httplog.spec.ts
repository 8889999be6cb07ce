// Spec of cli/httplog.ts and `lbsim run --log`: the httplog line, a golden file, and halog's reading of it.
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestRecord, Results } from "../sim/index.js";
import { nonZero } from "../sim/test-support.js";
import { runCli } from "./app.js";
import {
  acceptDate,
  clientPort,
  escapeUri,
  httpLogLine,
  openHttpLog,
  responseBytes,
  syslogDate,
  timers,
} from "./httplog.js";
import { fakePackage, fakeToolkit, recordingIo, runMain } from "./test-support.js";

const NAMES = { frontend: "http-in", backend: "web_servers" };

function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 7,
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
    frontendConnections: 4,
    backendConnections: 4,
    serverConnections: 2,
    serverQueue: 0,
    backendQueue: 0,
    ...overrides,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-httplog-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("httpLogLine", () => {
  it("writes option httplog's fields after a syslog prefix", () => {
    expect(httpLogLine(record(), NAMES)).toBe(
      "Jan  1 00:00:01 lbsim haproxy[1]: 10.0.0.7:1031 [01/Jan/2026:00:00:01.000] http-in " +
        'web_servers/web01 0/0/0/12/12 200 1024 - - ---- 4/4/4/2/0 0/0 "GET /index.html HTTP/1.1"',
    );
  });

  it("logs <NOSRV>, -1 timers and HAProxy's own 503 page for a request no server took", () => {
    const line = httpLogLine(
      record({
        server: "",
        status: 503,
        termination: "SC--",
        queueMs: -1,
        connectMs: -1,
        responseMs: -1,
        totalMs: 0.2,
        serverConnections: 0,
      }),
      NAMES,
    );
    expect(line).toContain(" web_servers/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 4/4/4/0/0 0/0 ");
  });

  it("prefixes the retries with + when the request was redispatched, as HAProxy does", () => {
    expect(httpLogLine(record({ retries: 1, redispatched: true }), NAMES)).toContain(" 4/4/4/2/+1 0/0 ");
    expect(httpLogLine(record({ retries: 3 }), NAMES)).toContain(" 4/4/4/2/3 0/0 ");
  });

  it("logs status -1 and no bytes when the client gave up, and the queue positions", () => {
    const line = httpLogLine(
      record({ status: -1, termination: "CH--", responseMs: -1, serverQueue: 3, backendQueue: 9 }),
      NAMES,
    );
    expect(line).toContain(" 0/0/0/-1/12 -1 0 - - CH-- 4/4/4/2/0 3/9 ");
  });

  it("dates the log line when the request ended, the bracketed date when it arrived", () => {
    const line = httpLogLine(record({ atMs: 59_999.5, totalMs: 2_000 }), NAMES);
    expect(line.startsWith("Jan  1 00:01:01 lbsim haproxy[1]: ")).toBe(true);
    expect(line).toContain(" [01/Jan/2026:00:00:59.999] ");
  });
});

describe("the made-up parts", () => {
  it("counts dates from 2026-01-01T00:00:00.000 UTC, truncated to the millisecond", () => {
    expect(acceptDate(0)).toBe("01/Jan/2026:00:00:00.000");
    expect(acceptDate(0.9)).toBe("01/Jan/2026:00:00:00.000");
    expect(acceptDate(86_400_000 + 3_723_045.7)).toBe("02/Jan/2026:01:02:03.045");
    expect(acceptDate(40 * 86_400_000)).toBe("10/Feb/2026:00:00:00.000");
    expect(syslogDate(0)).toBe("Jan  1 00:00:00");
    expect(syslogDate(9 * 86_400_000 + 1_500)).toBe("Jan 10 00:00:01");
  });

  it("derives the client port from the request id, always in 1024..65534", () => {
    expect(clientPort(0)).toBe(1024);
    expect(clientPort(64_510)).toBe(65_534);
    expect(clientPort(64_511)).toBe(1024);
  });

  it("measures timers on a millisecond clock, so that Tw + Tc + Tr never exceeds Ta", () => {
    expect(timers(record({ atMs: 10.9, queueMs: 0.3, connectMs: 0.3, responseMs: 0.3, totalMs: 0.9 }))).toBe(
      "0/1/0/0/1",
    );
    expect(timers(record({ atMs: 5, queueMs: 2.5, connectMs: 1.25, responseMs: 10.5, totalMs: 14.25 }))).toBe(
      "0/2/1/11/14",
    );
    expect(timers(record({ queueMs: -1, connectMs: -1, responseMs: -1 }))).toMatch(/^0\/-1\/-1\/-1\/\d+$/);
  });

  it("uses HAProxy 2.6's sizes for its own error pages and a constant for the servers' answers", () => {
    expect([502, 503, 504].map(responseBytes)).toEqual([209, 217, 198]);
    expect(responseBytes(200)).toBe(1024);
    expect(responseBytes(302)).toBe(1024);
    expect(responseBytes(500)).toBe(256);
    expect(responseBytes(-1)).toBe(0);
  });

  it("escapes what would break the quoted request line, as HAProxy's log does", () => {
    expect(escapeUri("/search?q=a&b=1")).toBe("/search?q=a&b=1");
    expect(escapeUri('/a b"c#d')).toBe("/a#20b#22c#23d");
    expect(escapeUri("/caf\u00e9")).toBe("/caf#C3#A9");
    expect(httpLogLine(record({ path: "" }), NAMES)).toMatch(/"GET \/ HTTP\/1\.1"$/);
  });
});

describe("openHttpLog", () => {
  it("streams LF-terminated lines to a temp file and renames it into place on close", () => {
    const path = join(dir, "haproxy.log");
    const writer = openHttpLog(path, join(dir, ".haproxy.log.tmp"), NAMES);
    writer.write(record({ id: 1 }));
    writer.write(record({ id: 2 }));
    expect(readdirSync(dir)).toEqual([".haproxy.log.tmp"]);
    writer.close();
    expect(readdirSync(dir)).toEqual(["haproxy.log"]);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")).toHaveLength(3);
    expect(text.endsWith('HTTP/1.1"\n')).toBe(true);
    expect(writer.rows).toBe(2);
  });
});

describe("lbsim run --log (with a fake simulator)", () => {
  function cli(argv: string[], toolkit = fakeToolkit()) {
    writeFileSync(join(dir, "demo.yaml"), "name: demo\n");
    const io = recordingIo(dir);
    return { io, code: runCli(argv, toolkit, fakePackage(dir), io), toolkit };
  }

  it("hands the log file and a temp file beside it to the simulator, and says what it wrote", async () => {
    const { io, code, toolkit } = cli(["run", "demo.yaml", "--log", "out.log"]);
    // The fake Results carry a failing expectation: exit code 1.
    expect(await code).toBe(1);
    expect(toolkit.jobs[0]?.log?.path).toBe(join(dir, "out.log"));
    expect(toolkit.jobs[0]?.log?.tempPath).toMatch(/\/\.out\.log\.\d+\.[0-9a-f]+\.tmp$/);
    expect(io.stderr()).toContain("lbsim: wrote 0 httplog lines to out.log\n");
  });

  it("refuses stdout and a file that is also another output", async () => {
    const stdout = cli(["run", "demo.yaml", "--log", "-"]);
    expect(await stdout.code).toBe(2);
    expect(stdout.io.stderr()).toContain("--log needs a file name (it cannot write to stdout)");
    const same = cli(["run", "demo.yaml", "--trace", "x.out", "--log", "./x.out"]);
    expect(await same.code).toBe(2);
    expect(same.io.stderr()).toContain('lbsim: --log: "./x.out" is also the --trace file');
    expect(same.toolkit.jobs).toHaveLength(0);
  });
});

describe("lbsim run --log (end to end)", () => {
  it("writes the lines of a tiny deterministic scenario as in the golden file", async () => {
    const scenario = join(dir, "tiny.yaml");
    writeFileSync(
      scenario,
      `name: httplog-golden
seed: 4
duration: 1s
frontend: {name: http-in}
backend:
  name: web_servers
  balance: roundrobin
  timeout: {connect: 100ms, server: 1s}
  retries: 1
  redispatch: true
  servers:
    - {name: web01, service: {constant: 5ms}}
    - {name: web02, service: {constant: 20ms}}
clients:
  - name: browsers
    arrivals: {constant: 10/s}
    sources: {count: 5}
    paths: {count: 3}
events:
  - {at: 500ms, crash: web02}
`,
    );
    const log = join(dir, "haproxy.log");
    const { code, stderr } = await runMain(["run", scenario, "--log", log, "--quiet"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    await expect(readFileSync(log, "utf8")).toMatchFileSnapshot("golden/httplog.txt");
  });
});

/** halog from Debian's haproxy package: LBSIM_HALOG when set, else in PATH, /usr/sbin or /usr/bin. */
function findHalog(): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const override = process.env.LBSIM_HALOG;
  if (override !== undefined) return executable(override) ? override : undefined;
  const folders = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin"];
  return folders
    .filter((f) => f !== "")
    .map((f) => join(f, "halog"))
    .find(executable);
}

/** halog's `<key> <count>` lines (-st, -tc) as a record; its summary line goes to stderr. */
function counts(output: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of output.trim().split("\n")) {
    const [key, count] = line.trim().split(/\s+/);
    if (key !== undefined && count !== undefined) out[key] = Number(count);
  }
  return out;
}

describe("halog reads the log as HAProxy's own", () => {
  const halog = findHalog();
  const ci = (process.env.CI ?? "") !== "" && process.env.CI !== "false";

  it("agrees with the Results on statuses, termination codes and requests per server", async (context) => {
    if (halog === undefined) {
      if (ci)
        throw new Error("halog is not installed; CI must install Debian's haproxy package, which ships it");
      context.skip("halog is not installed (Debian's haproxy package ships it): skipped");
      return;
    }
    // Failures of every kind, and no warm-up, so that every logged request is in the Results; with
    // abortonclose, so that a client giving up ends its request in HAProxy's log too (without it the
    // log has HAProxy's later end of such a request and the Results its client's -1: give-up.spec.ts).
    const scenario = join(dir, "mixed.yaml");
    writeFileSync(
      scenario,
      `name: halog-mixed
seed: 11
duration: 12s
warmup: 0s
frontend: {name: http-in}
backend:
  name: web_servers
  balance: roundrobin
  timeout: {connect: 500ms, server: 1s, queue: 300ms}
  retries: 0
  abortonclose: true
  check: {type: http, inter: 1s, rise: 2, fall: 2}
  servers:
    - {name: web01, slots: 2, maxconn: 4, service: {exponential: 15ms}}
    - {name: web02, slots: 2, maxconn: 4, service: {exponential: 15ms}}
    - {name: web03, slots: 1, maxconn: 2, service: {exponential: 40ms}}
clients:
  - name: browsers
    arrivals: {poisson: 150/s}
    sources: {count: 50}
    paths: {count: 10}
    timeout: 800ms
events:
  - {at: 2s, crash: web01}
  - {at: 5s, restore: web01}
  - {at: 6s, hang: web02}
  - {at: 8s, restore: web02}
  - {at: 9s, errors: {server: web03, rate: 0.2}}
`,
    );
    const log = join(dir, "haproxy.log");
    const { code, stdout } = await runMain(["run", scenario, "--log", log, "--json", "-", "--quiet"]);
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Results;
    const text = readFileSync(log, "utf8");
    const run = (flag: string) => {
      const done = spawnSync(halog, [flag], { input: text, encoding: "utf8" });
      expect(done.status).toBe(0);
      // halog reports lines it could not parse on stderr: there must be none.
      expect(done.stderr).toMatch(/, 0 parsing errors/);
      return done.stdout;
    };

    // Sanity: the scenario does produce every kind of outcome the comparison is about.
    expect(Object.keys(nonZero(results.requests.byStatus)).sort()).toEqual([
      "-1",
      "200",
      "500",
      "502",
      "503",
    ]);
    expect(text.split("\n").length - 1).toBe(results.requests.total);

    expect(counts(run("-st"))).toEqual(nonZero(results.requests.byStatus));
    expect(counts(run("-tc"))).toEqual(nonZero(results.requests.byTermination));

    const perServer: Record<string, number> = {};
    for (const line of run("-srv").trim().split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      perServer[fields[0] ?? ""] = Number(fields[7]); // tot_req
    }
    const expected: Record<string, number> = {};
    for (const server of results.servers) expected[`web_servers/${server.name}`] = server.requests;
    const served = results.servers.reduce((n, s) => n + s.requests, 0);
    if (served < results.requests.total) expected["web_servers/<NOSRV>"] = results.requests.total - served;
    expect(perServer).toEqual(expected);
  });
});
