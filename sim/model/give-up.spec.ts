// A client that gives up while HAProxy goes on (no `abortonclose`): the client's view in Results, HAProxy's in the record.
//
// HAProxy 2.6.12 measured (test/haproxy/give-up.spec.ts): a GET whose client closes while queued,
// or while the server works on it, is still served, logged `200 ----`; the server does the work and
// holds its `maxconn` slot. With `option abortonclose` (in `defaults`) it ends at once: `-1 CQ--`.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenarios/parse.js";
import type { Results } from "../results.js";
import type { RequestRecord, TraceRow } from "../run-types.js";
import { nonZero, simulateWithRecords } from "../test-support.js";

interface Case {
  /** Arrivals of the patient client and of the impatient one (which gives up after `timeoutMs`). */
  readonly patient: ReadonlyArray<number>;
  readonly impatient: ReadonlyArray<number>;
  readonly timeoutMs?: number;
  readonly serviceMs?: number;
  readonly abortonclose?: boolean;
  readonly maxconn?: number;
  readonly queueTimeoutMs?: number;
  readonly durationMs?: number;
  readonly warmupMs?: number;
  /** The impatient client's retry, as YAML (`{count: 1, backoff: 10ms, jitter: 0}`). */
  readonly retry?: string;
}

function run(c: Case): { results: Results; records: RequestRecord[] } {
  const text = `duration: ${c.durationMs ?? 10_000}
warmup: ${c.warmupMs ?? 0}
backend:
  balance: roundrobin
  timeout: {connect: 1s, server: 20s, queue: ${c.queueTimeoutMs ?? 10_000}}
  abortonclose: ${c.abortonclose ?? false}
  servers: [{name: s1, maxconn: ${c.maxconn ?? 1}}]
clients:
  - {name: patient, arrivals: {trace: a.csv}}
  - {name: impatient, arrivals: {trace: b.csv}, timeout: ${c.timeoutMs ?? 300}${c.retry === undefined ? "" : `, retry: ${c.retry}`}}
`;
  const rows = (times: ReadonlyArray<number>, name: string): TraceRow[] =>
    times.map((atMs, i) => ({ atMs, path: `/${name}${i + 1}`, demandMs: c.serviceMs ?? 1000 }));
  const { results, records } = simulateWithRecords(parseScenario(text, "give-up.yaml"), {
    readTrace: (file) => (file === "a.csv" ? rows(c.patient, "p") : rows(c.impatient, "i")),
  });
  return { results, records: [...records].sort((a, b) => a.atMs - b.atMs) };
}

/** What HAProxy's log says of each request, in arrival order: path, server, status, termination, Tw. */
const logged = (records: ReadonlyArray<RequestRecord>) =>
  records.map((r) => `${r.path} ${r.server || "<NOSRV>"} ${r.status} ${r.termination} Tw=${r.queueMs}`);

describe("a client that gives up while queued, without abortonclose", () => {
  // p1 holds s1 (maxconn 1) from 0 to 1000; i1 arrives at 20, gives up at 320; p2 arrives at 40.
  const measured = { patient: [0, 40], impatient: [20] };

  it("is still served and logged with the server's status and ----, after its whole wait", () => {
    const { records } = run(measured);
    expect(logged(records)).toEqual([
      "/p1 s1 200 ---- Tw=0",
      "/i1 s1 200 ---- Tw=980",
      "/p2 s1 200 ---- Tw=1960",
    ]);
    expect(records[1]).toMatchObject({ gaveUpMs: 300, responseMs: 1000, totalMs: 1980 });
    expect(records[0]!.gaveUpMs).toBeUndefined();
    expect(records[2]!.gaveUpMs).toBeUndefined();
  });

  it("holds the server's slot while it is served: the request behind it waits for it", () => {
    const { records } = run(measured);
    // HAProxy measured p2's Tw at 1977 ms with 1 s stubs: it waited for p1 and for i1.
    expect(records[2]!.queueMs).toBe(2 * 1000 - 40);
  });

  it("counts as the client's failure at the time it gave up, and as work done for nobody", () => {
    const { results } = run(measured);
    expect(results.requests).toMatchObject({ total: 3, ok: 2, failed: 1, unfinished: 0, gaveUpServed: 1 });
    expect(nonZero(results.requests.byStatus)).toEqual({ "200": 2, "-1": 1 });
    expect(nonZero(results.requests.byTermination)).toEqual({ "--": 2, CQ: 1 });
    // The client's latency: it waited 300 ms; p1 1000 ms, p2 2960 ms.
    expect(results.latency.maxMs).toBeCloseTo(2960, 0);
    expect(results.latency.meanMs).toBeCloseTo((1000 + 300 + 2960) / 3, 0);
    // The client's view of its queue wait: 300 ms, not HAProxy's 980.
    expect(results.queue.meanMs).toBeCloseTo((0 + 300 + 1960) / 3, 0);
    expect(results.servers[0]).toMatchObject({ name: "s1", gaveUpServed: 1 });
    // The server worked 3 s of the 10 s run: i1's second included.
    expect(results.servers[0]!.utilization).toBeCloseTo(0.3, 6);
  });

  it("with abortonclose, ends at once: -1 CQ--, never reaches the server, frees the queue", () => {
    const { records, results } = run({ ...measured, abortonclose: true });
    expect(logged(records)).toEqual([
      "/p1 s1 200 ---- Tw=0",
      "/i1 <NOSRV> -1 CQ-- Tw=300",
      "/p2 s1 200 ---- Tw=960",
    ]);
    expect(records.every((r) => r.gaveUpMs === undefined)).toBe(true);
    expect(results.requests.gaveUpServed).toBe(0);
    expect(results.servers[0]!.utilization).toBeCloseTo(0.2, 6);
  });

  it("gives up while the server works on it: served too, the slot held to the end of the work", () => {
    // i1 arrives at 0 and gets s1 at once; it gives up at 300 while s1 works until 1000.
    const { records, results } = run({ patient: [100], impatient: [0] });
    expect(logged(records)).toEqual(["/i1 s1 200 ---- Tw=0", "/p1 s1 200 ---- Tw=900"]);
    expect(records[0]).toMatchObject({ gaveUpMs: 300, responseMs: 1000 });
    expect(nonZero(results.requests.byTermination)).toEqual({ "--": 1, CH: 1 });
    expect(results.requests.gaveUpServed).toBe(1);
  });

  it("is logged as HAProxy ended it when it never got a server: 503 sQ after timeout queue", () => {
    const { records, results } = run({ ...measured, queueTimeoutMs: 500 });
    expect(logged(records)).toEqual([
      "/p1 s1 200 ---- Tw=0",
      "/i1 <NOSRV> 503 sQ-- Tw=500",
      "/p2 <NOSRV> 503 sQ-- Tw=500",
    ]);
    expect(records[1]!.gaveUpMs).toBe(300);
    // The client's view alone in the figures: its -1 at 300 ms, not HAProxy's 503.
    expect(nonZero(results.requests.byStatus)).toEqual({ "200": 1, "-1": 1, "503": 1 });
    expect(results.requests.gaveUpServed).toBe(0);
  });

  it("is not unfinished when HAProxy still holds it at the end, but keeps its place in the queue", () => {
    const { records, results } = run({ ...measured, serviceMs: 5000, durationMs: 3000 });
    // p1 still served at the end; i1 (gave up at 320) and p2 still queued: only p1 and p2 unfinished.
    expect(records).toEqual([]);
    expect(results.requests).toMatchObject({ total: 1, failed: 1, unfinished: 2, gaveUpServed: 0 });
    expect(results.servers[0]).toMatchObject({ inFlightAtEnd: 1, gaveUpServed: 0 });
    // Both still in the backend queue in the last second (with abortonclose, p2 alone).
    expect(results.series.backendQueue.at(-1)).toBe(2);
    expect(
      run({
        ...measured,
        serviceMs: 5000,
        durationMs: 3000,
        abortonclose: true,
      }).results.series.backendQueue.at(-1),
    ).toBe(1);
  });

  it("leaves a request to HAProxy when its client retries: the server does both", () => {
    const { records, results } = run({
      patient: [0],
      impatient: [20],
      retry: "{count: 1, backoff: 10ms, jitter: 0}",
    });
    // i1 gives up at 320 and is sent again at 330: HAProxy serves the original and the retry.
    expect(logged(records)).toEqual([
      "/p1 s1 200 ---- Tw=0",
      "/i1 s1 200 ---- Tw=980",
      "/i1 s1 200 ---- Tw=1670",
    ]);
    expect(records.map((r) => r.gaveUpMs)).toEqual([undefined, 300, 300]);
    expect(results.requests).toMatchObject({ total: 3, failed: 2, gaveUpServed: 2 });
  });

  it("counts only steady-state requests in gaveUpServed", () => {
    const { results } = run({ ...measured, warmupMs: 30 });
    expect(results.requests).toMatchObject({ total: 1, warmup: 2, gaveUpServed: 0 });
  });

  it("counts gaveUpServed per backend too, with several", () => {
    // /a/… to backend a, /b/… to b; in each, one request holds the server, one gives up behind it.
    const text = `duration: 5s
frontend:
  name: www
  acl: ["to_b path_beg /b/"]
  use_backend: ["b if to_b"]
  default_backend: a
backends:
  - {name: a, service: {constant: 1s}, servers: [{name: s1, maxconn: 1}]}
  - {name: b, service: {constant: 1s}, abortonclose: true, servers: [{name: s1, maxconn: 1}]}
clients:
  - {name: patient, arrivals: {trace: a.csv}}
  - {name: impatient, arrivals: {trace: b.csv}, timeout: 300ms}
`;
    const rows: Record<string, TraceRow[]> = {
      "a.csv": [
        { atMs: 0, path: "/a/1" },
        { atMs: 0, path: "/b/1" },
      ],
      "b.csv": [
        { atMs: 20, path: "/a/2" },
        { atMs: 20, path: "/b/2" },
      ],
    };
    const { results } = simulateWithRecords(parseScenario(text, "give-up-backends.yaml"), {
      readTrace: (file) => rows[file]!,
    });
    // a serves its gave-up request; b (abortonclose) ends it at once.
    expect(results.backends!.map((b) => [b.name, b.requests.failed, b.requests.gaveUpServed])).toEqual([
      ["a", 1, 1],
      ["b", 1, 0],
    ]);
    expect(results.requests.gaveUpServed).toBe(1);
  });

  it("lists gaveUpServed only when some client has a timeout", () => {
    const text = `duration: 1s
backend: {servers: [{name: s1, service: {constant: 5ms}}]}
clients: [{name: c, arrivals: {constant: 10/s}}]
`;
    const { results } = simulateWithRecords(parseScenario(text, "patient.yaml"));
    expect("gaveUpServed" in results.requests).toBe(false);
    expect("gaveUpServed" in results.servers[0]!).toBe(false);
  });
});
