// A client that gives up (closes) while its request waits: HAProxy 2.6.12's log against lbsim's, request by request.
//
// Measured on 2.6.12 (scratch runs, then this spec): one stub answering 1 s after each request,
// `maxconn 1`, /first at 0, /second at 20 ms closed by its client at 320 ms, /third at 40 ms.
// Without `option abortonclose` the closed GET is still sent to the server and served:
//   fe be/s1 0/0/0/1008/1008 200 85 - - ---- 3/3/2/0/0 0/0 "GET /first HTTP/1.1"
//   fe be/s1 0/989/1/1008/1998 200 85 - - ---- 2/2/1/0/0 0/1 "GET /second HTTP/1.1"
//   fe be/s1 0/1977/0/1001/2978 200 85 - - ---- 1/1/0/0/0 0/2 "GET /third HTTP/1.1"
// The same with `option abortonclose` in the `backend` section only, and when the client only
// shuts down its writing side (shutdown(SHUT_WR): it even reads the answer). With `option
// abortonclose` in `defaults` (or a `listen` section: the frontend must carry it, and a `frontend`
// section refuses it, "no backend capability"), HAProxy ends it at once; the server never sees it:
//   fe be/<NOSRV> 0/303/-1/-1/303 -1 0 - - CQ-- 3/3/2/0/0 0/1 "GET /second HTTP/1.1"
//   fe be/s1 0/969/0/1004/1973 200 85 - - ---- 1/1/0/0/0 0/1 "GET /third HTTP/1.1"
// A POST whose body is still coming (Content-Length 100, 10 bytes sent) ends at once either way:
//   fe be/<NOSRV> 0/302/-1/-1/302 -1 0 - - CQ-- 3/3/2/0/0 0/1 "POST /second HTTP/1.1"
// (a POST whose body was complete is served, as a GET). A client that closes while the server
// works on its request: served, `200 ----`, the slot held until the answer; with abortonclose in
// `defaults`, `400 CH--` (Tr -1) and the slot freed at once: `fe be/s1 0/0/0/-1/301 400 206 - - CH--`.
// A client that resets (RST) instead of closing: served and logged `200 CD--` (not modelled: lbsim's
// clients close). lbsim models a GET (its requests have no body): `backend.abortonclose` stands for
// the option where it acts (defaults/listen); with it, lbsim logs -1 where HAProxy logs 400 `CH--`.
//
// Here with a 400 ms stub, closing 150 ms after sending, so one run takes about 1.5 s.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenarios/parse.js";
import type { RequestRecord, TraceRow } from "../../sim/run-types.js";
import { simulateWithRecords } from "../../sim/test-support.js";
import { describeWithHaproxy } from "./conformance.js";
import {
  type GiveUpCase,
  type GiveUpRun,
  type PlannedRequest,
  parseLogLine,
  runGiveUp,
} from "./give-up-run.js";
import { findHaproxy } from "./harness.js";

const SERVICE_MS = 400;
const CLOSE_AFTER_MS = 150;
/** HAProxy's Tw against lbsim's: its clock, the stub's timers and a loaded host add a few ms. */
const TW_TOLERANCE_MS = 60;

const first: PlannedRequest = { atMs: 0, path: "/first" };
const second: PlannedRequest = { atMs: 20, path: "/second", closeAfterMs: CLOSE_AFTER_MS };
const third: PlannedRequest = { atMs: 40, path: "/third" };
const queuedGet = [first, second, third];

/** lbsim's run of the same case: its records as log lines, and what reached the server. */
function simulateCase(c: GiveUpCase): GiveUpRun {
  const closer = c.requests.find((r) => r.closeAfterMs !== undefined)!;
  const text = `duration: 5s
frontend: {name: fe}
backend:
  name: be
  timeout: {connect: 2s, server: 10s, queue: 10s}
  abortonclose: ${c.abortonclose === "defaults"}
  servers: [{name: s1, maxconn: 1}]
clients:
  - {name: patient, arrivals: {trace: patient.csv}}
  - {name: closing, arrivals: {trace: closing.csv}, timeout: ${closer.closeAfterMs}ms}
`;
  const rows = (closing: boolean): TraceRow[] =>
    c.requests
      .filter((r) => (r.closeAfterMs !== undefined) === closing)
      .map((r) => ({ atMs: r.atMs, path: r.path, demandMs: c.serviceMs }));
  const { records } = simulateWithRecords(parseScenario(text, "give-up.yaml"), {
    readTrace: (file) => rows(file === "closing.csv"),
  });
  const sorted = [...records].sort((a, b) => a.atMs - b.atMs);
  return {
    log: new Map(sorted.map((r) => [r.path, logLine(r)])),
    // A request reached the server when its connection was made.
    received: sorted.filter((r) => r.connectMs >= 0).map((r) => r.path),
  };
}

function logLine(r: RequestRecord) {
  const server = r.server || "<NOSRV>";
  const text = `0.0.0.0:0 [x] fe be/${server} 0/${Math.round(r.queueMs)}/-1/-1/0 ${r.status} 0 - - ${r.termination} 0/0/0/0/0 ${r.serverQueue}/${r.backendQueue} "GET ${r.path} HTTP/1.1"`;
  return parseLogLine(text)!;
}

/** What both must agree on, per path: server, status, termination, %sq/%bq, and whether the server got it. */
function compared(run: GiveUpRun, paths: ReadonlyArray<string>): string[] {
  return paths.map((path) => {
    const line = run.log.get(path);
    const got = run.received.includes(path) ? "received" : "never received";
    return line === undefined
      ? `${path}: not logged`
      : `${path}: ${line.server} ${line.status} ${line.termination} ${line.queues}, ${got}`;
  });
}

function expectTwClose(haproxy: GiveUpRun, lbsim: GiveUpRun, path: string): void {
  const measured = haproxy.log.get(path)!.tw;
  const modelled = lbsim.log.get(path)!.tw;
  expect(Math.abs(measured - modelled), `${path}: HAProxy Tw ${measured}, lbsim ${modelled}`).toBeLessThan(
    TW_TOLERANCE_MS,
  );
}

const binary = () => findHaproxy()!.binary;
const paths = queuedGet.map((r) => r.path);

describeWithHaproxy("a client that closes while its request is queued, HAProxy against lbsim", () => {
  it("GET, no abortonclose: still served, 200 ---- with its whole wait in Tw; lbsim agrees", async () => {
    const c: GiveUpCase = { serviceMs: SERVICE_MS, abortonclose: "none", requests: queuedGet };
    const haproxy = await runGiveUp(binary(), c);
    const expected = [
      "/first: s1 200 ---- 0/0, received",
      "/second: s1 200 ---- 0/1, received",
      "/third: s1 200 ---- 0/2, received",
    ];
    expect(compared(haproxy, paths), [...haproxy.log.values()].map((l) => l.text).join("\n")).toEqual(
      expected,
    );
    const lbsim = simulateCase(c);
    expect(compared(lbsim, paths)).toEqual(expected);
    for (const path of paths) expectTwClose(haproxy, lbsim, path);
  });

  it("GET, abortonclose in the backend section only: HAProxy still serves it; lbsim without abortonclose agrees", async () => {
    const c: GiveUpCase = { serviceMs: SERVICE_MS, abortonclose: "backend", requests: queuedGet };
    const haproxy = await runGiveUp(binary(), c);
    expect(compared(haproxy, ["/second"])).toEqual(["/second: s1 200 ---- 0/1, received"]);
    expect(compared(simulateCase(c), ["/second"])).toEqual(["/second: s1 200 ---- 0/1, received"]);
  });

  it("GET, abortonclose in defaults: ended at once, -1 CQ--, never sent; lbsim with abortonclose agrees", async () => {
    const c: GiveUpCase = { serviceMs: SERVICE_MS, abortonclose: "defaults", requests: queuedGet };
    const haproxy = await runGiveUp(binary(), c);
    const expected = [
      "/first: s1 200 ---- 0/0, received",
      "/second: <NOSRV> -1 CQ-- 0/1, never received",
      "/third: s1 200 ---- 0/1, received",
    ];
    expect(compared(haproxy, paths), [...haproxy.log.values()].map((l) => l.text).join("\n")).toEqual(
      expected,
    );
    const lbsim = simulateCase(c);
    expect(compared(lbsim, paths)).toEqual(expected);
    for (const path of paths) expectTwClose(haproxy, lbsim, path);
    // lbsim's Tw is exactly the client's patience.
    expect(lbsim.log.get("/second")!.tw).toBe(CLOSE_AFTER_MS);
  });

  it("GET, closed while the server works on it: served, the slot held; lbsim agrees", async () => {
    const closing: GiveUpCase = {
      serviceMs: SERVICE_MS,
      abortonclose: "none",
      requests: [
        { ...first, closeAfterMs: CLOSE_AFTER_MS },
        { ...second, closeAfterMs: undefined },
      ],
    };
    const haproxy = await runGiveUp(binary(), closing);
    const expected = ["/first: s1 200 ---- 0/0, received", "/second: s1 200 ---- 0/1, received"];
    expect(compared(haproxy, ["/first", "/second"])).toEqual(expected);
    const lbsim = simulateCase(closing);
    expect(compared(lbsim, ["/first", "/second"])).toEqual(expected);
    // /second waited for /first's whole service, not only until its client left.
    expectTwClose(haproxy, lbsim, "/second");
    expect(lbsim.log.get("/second")!.tw).toBe(SERVICE_MS - second.atMs);
  });

  it("POST with its body still coming: HAProxy ends it at once, -1 CQ--, with or without abortonclose", async () => {
    // lbsim has no request bodies: this pins what HAProxy does, the reason a GET is modelled apart.
    for (const abortonclose of ["none", "defaults"] as const) {
      const c: GiveUpCase = {
        serviceMs: SERVICE_MS,
        abortonclose,
        requests: [first, { ...second, unfinishedBody: true }],
      };
      const haproxy = await runGiveUp(binary(), c);
      expect(compared(haproxy, ["/second"]), abortonclose).toEqual([
        "/second: <NOSRV> -1 CQ-- 0/1, never received",
      ]);
    }
  });
});

describe("the give-up runner's log parser", () => {
  it("reads HAProxy's httplog line as measured", () => {
    expect(
      parseLogLine(
        '127.0.0.1:41034 [07/Dec/2026:15:30:52.774] fe be/s1 0/989/1/1008/1998 200 85 - - ---- 2/2/1/0/0 0/1 "GET /second HTTP/1.1"',
      ),
    ).toMatchObject({
      server: "s1",
      tw: 989,
      status: 200,
      termination: "----",
      queues: "0/1",
      path: "/second",
    });
    expect(
      parseLogLine(
        '127.0.0.1:53282 [07/Dec/2026:15:29:59.634] fe be/<NOSRV> 0/303/-1/-1/303 -1 0 - - CQ-- 3/3/2/0/0 0/1 "POST /second HTTP/1.1"',
      ),
    ).toMatchObject({ server: "<NOSRV>", tw: 303, status: -1, termination: "CQ--", path: "/second" });
  });
});
