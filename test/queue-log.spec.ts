// httplog's %sq/%bq as HAProxy 2.6.12 was measured to log them (a threaded stub, 1 s per request
// unless said, `maxconn 1`, requests 20 ms apart): not the position on entry, but 1 + the requests
// that a freed server took out of the same queue while this one waited; expiring (sQ), giving up
// (CQ, with `option abortonclose`) or being taken by a server coming up does not count for the others; 0 without a queue.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenarios/parse.js";
import type { TraceRow } from "../sim/run-types.js";
import { simulateWithRecords } from "../sim/test-support.js";

interface Case {
  readonly balance?: string;
  readonly servers?: number;
  readonly serviceMs?: number;
  readonly queueTimeoutMs?: number;
  readonly count: number;
  /** Requests (1-based) whose client gives up after 500 ms. */
  readonly impatient?: ReadonlyArray<number>;
  /** `option abortonclose` (in `defaults`): HAProxy ends a request whose client closed (CQ). */
  readonly abortonclose?: boolean;
}

/** Each request's `sq/bq` and termination, in arrival order. */
function logged(c: Case): string[] {
  const servers = Array.from({ length: c.servers ?? 1 }, (_, i) => `{name: s${i + 1}, maxconn: 1}`);
  const text = `duration: 20s
backend:
  balance: ${c.balance ?? "roundrobin"}
  timeout: {connect: 1s, server: 20s, queue: ${c.queueTimeoutMs ?? 10_000}}
  abortonclose: ${c.abortonclose ?? false}
  servers: [${servers.join(", ")}]
clients:
  - {name: patient, arrivals: {trace: a.csv}}
  - {name: impatient, arrivals: {trace: b.csv}, timeout: 500ms}
`;
  const rows = (impatient: boolean): TraceRow[] =>
    Array.from({ length: c.count }, (_, i) => i)
      .filter((i) => (c.impatient ?? []).includes(i + 1) === impatient)
      .map((i) => ({ atMs: i * 20, path: "/x", demandMs: c.serviceMs ?? 1000 }));
  const { records } = simulateWithRecords(parseScenario(text, "queue-log.yaml"), {
    readTrace: (file) => rows(file === "b.csv"),
  });
  return [...records]
    .sort((a, b) => a.atMs - b.atMs)
    .map((r) => `${r.serverQueue}/${r.backendQueue} ${r.termination}`);
}

describe("%sq/%bq as HAProxy 2.6.12 logs them", () => {
  it("backend queue, served in turn: 0/0, 0/1, 0/2, 0/3, 0/4 (run A)", () => {
    expect(logged({ count: 5 })).toEqual(["0/0 ----", "0/1 ----", "0/2 ----", "0/3 ----", "0/4 ----"]);
  });

  it("two servers share the backend queue's count (run B)", () => {
    expect(logged({ count: 7, servers: 2 }).map((l) => l.split(" ")[0])).toEqual([
      "0/0",
      "0/0",
      "0/1",
      "0/2",
      "0/3",
      "0/4",
      "0/5",
    ]);
  });

  it("a server's own queue counts in %sq (run C: balance uri, one path)", () => {
    expect(logged({ count: 5, balance: "uri" })).toEqual([
      "0/0 ----",
      "1/0 ----",
      "2/0 ----",
      "3/0 ----",
      "4/0 ----",
    ]);
  });

  it("expired requests count only what was dequeued before they expired (runs D2, D2S)", () => {
    const expired = ["0/0 ----", "0/1 ----", "0/2 ----", "0/3 sQ--", "0/3 sQ--", "0/3 sQ--"];
    expect(logged({ count: 6, serviceMs: 500, queueTimeoutMs: 1200 })).toEqual(expired);
    expect(logged({ count: 6, serviceMs: 500, queueTimeoutMs: 1200, balance: "uri" })).toEqual([
      "0/0 ----",
      "1/0 ----",
      "2/0 ----",
      "3/0 sQ--",
      "3/0 sQ--",
      "3/0 sQ--",
    ]);
  });

  it("a client giving up in the queue does not count for the next (run E3, with abortonclose)", () => {
    // Only with `option abortonclose` does HAProxy end it (CQ): test/haproxy/give-up.spec.ts.
    expect(logged({ count: 4, impatient: [2], abortonclose: true })).toEqual([
      "0/0 ----",
      "0/1 CQ--",
      "0/1 ----",
      "0/2 ----",
    ]);
  });

  it("without abortonclose, a client giving up in the queue is still served and counts for the next", () => {
    // Measured: the closed GET logged `0/1 ----`, the one behind it `0/2 ----`.
    expect(logged({ count: 4, impatient: [2] })).toEqual(["0/0 ----", "0/1 ----", "0/2 ----", "0/3 ----"]);
  });
});
