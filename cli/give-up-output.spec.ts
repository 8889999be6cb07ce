// `lbsim run --trace --log --json` for a client that gives up while queued: both views, end to end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Results } from "../sim/index.js";
import { TRACE_GAVE_UP_HEADER, TRACE_HEADER } from "./output.js";
import { runMain } from "./test-support.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-give-up-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * HAProxy 2.6.12's measured case (test/haproxy/give-up.spec.ts): s1 with `maxconn 1` and 1 s of
 * work per request; /first at 0, /second at 20 ms whose client gives up 300 ms later, /third at 40.
 */
function scenario(clientTimeout: string): string {
  writeFileSync(join(dir, "patient.csv"), "atMs,path,demandMs\n0,/first,1000\n40,/third,1000\n");
  writeFileSync(join(dir, "impatient.csv"), "atMs,path,demandMs\n20,/second,1000\n");
  const file = join(dir, "give-up.yaml");
  writeFileSync(
    file,
    `name: give-up
duration: 5s
frontend: {name: fe}
backend:
  name: be
  timeout: {connect: 2s, server: 10s, queue: 10s}
  servers: [{name: s1, maxconn: 1}]
clients:
  - {name: patient, arrivals: {trace: patient.csv}}
  - {name: impatient, arrivals: {trace: impatient.csv}${clientTimeout}}
`,
  );
  return file;
}

async function run(clientTimeout: string) {
  const trace = join(dir, "trace.csv");
  const log = join(dir, "haproxy.log");
  const json = join(dir, "results.json");
  const outcome = await runMain([
    "run",
    scenario(clientTimeout),
    "--trace",
    trace,
    "--log",
    log,
    "--json",
    json,
    "--quiet",
  ]);
  expect(outcome.stderr).toBe("");
  expect(outcome.code).toBe(0);
  return {
    trace: readFileSync(trace, "utf8").split("\r\n"),
    log: readFileSync(log, "utf8").trimEnd().split("\n"),
    results: JSON.parse(readFileSync(json, "utf8")) as Results,
  };
}

describe("lbsim run: a client that gives up while its request is queued", () => {
  it("logs HAProxy's view: /second served by s1, 200 ----, its whole wait in Tw, 0/1 in the queue", async () => {
    const { log } = await run(", timeout: 300ms");
    const second = log.find((line) => line.includes('"GET /second '))!;
    // HAProxy 2.6.12: `fe be/s1 0/989/1/1008/1998 200 85 - - ---- 2/2/1/0/0 0/1 "GET /second HTTP/1.1"`.
    expect(second).toContain(" fe be/s1 0/980/0/1000/1980 200 1024 - - ---- ");
    expect(second).toMatch(/ 0\/1 "GET \/second HTTP\/1\.1"$/);
    const third = log.find((line) => line.includes('"GET /third '))!;
    expect(third).toContain(" fe be/s1 0/1960/0/1000/2960 200 1024 - - ---- ");
  });

  it("writes the client's view in the trace's columns and HAProxy's in four more, the same for the others", async () => {
    const { trace } = await run(", timeout: 300ms");
    expect(trace[0]).toBe(TRACE_GAVE_UP_HEADER);
    expect(trace[0]).toBe(`${TRACE_HEADER},gaveUpMs,haproxyStatus,haproxyTermination,haproxyTotalMs`);
    const second = trace.find((row) => row.includes(",/second,"))!;
    // The client waited 300 ms in the queue and received nothing (DESIGN.md: `status` is what the
    // client received); HAProxy served it on s1 after /first: 200 at 1980 ms.
    expect(second.split(",").slice(5)).toEqual([
      "s1",
      "-1",
      "CQ",
      "0",
      "300",
      "-1",
      "-1",
      "300",
      "300",
      "200",
      "--",
      "1980",
    ]);
    const first = trace.find((row) => row.includes(",/first,"))!;
    expect(first.split(",").slice(6)).toEqual([
      "200",
      "--",
      "0",
      "0",
      "0",
      "1000",
      "1000",
      "-1",
      "200",
      "--",
      "1000",
    ]);
  });

  it("counts the client's failure in Results, and the work done for nobody in gaveUpServed", async () => {
    const { results } = await run(", timeout: 300ms");
    expect(results.requests).toMatchObject({ total: 3, ok: 2, failed: 1, gaveUpServed: 1 });
    expect(results.requests.byStatus["-1"]).toBe(1);
    expect(results.requests.byTermination.CQ).toBe(1);
    expect(results.servers[0]).toMatchObject({ name: "s1", requests: 2, gaveUpServed: 1 });
  });

  it("keeps the trace's columns and Results' fields as before when no client has a timeout", async () => {
    const { trace, results } = await run("");
    expect(trace[0]).toBe(TRACE_HEADER);
    expect("gaveUpServed" in results.requests).toBe(false);
    expect("gaveUpServed" in results.servers[0]!).toBe(false);
  });
});
