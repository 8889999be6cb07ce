// Requests waiting in the backend queue when the last active server goes out, with a backup: what
// HAProxy 2.6.12 was measured to do (a slow stub answering in 2 s, `maxconn 1` on the active
// server, `timeout queue 5s`, the active put in MAINT or marked DOWN at 300 ms), reproduced here.
//
// Measured, in every combination of maint / check-DOWN, with or without `option redispatch` and
// `option allbackups`:
// - with roundrobin, the requests already queued stay queued until `timeout queue` (503 sQ, Tw =
//   5000), and new ones join the queue behind them instead of going to the idle backup: HAProxy's
//   assign_server queues a new request whenever the backend queue is not empty, for the backend's
//   algorithm, on actives or backups alike. The backup serves only once the queue is empty.
// - with leastconn (which does not queue behind others), new requests go to the backup at once,
//   but the backup — without maxconn — never takes the queued ones when it finishes a request
//   (process_srv_queue serves while served < maxconn, and 0 never allows it): they expire.
// - a backup coming up (READY after MAINT) takes the whole queue at once (pendconn_grab_from_px).

import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenarios/parse.js";
import type { RequestRecord, TraceRow } from "../sim/run-types.js";
import { simulateWithRecords } from "../sim/test-support.js";

interface Variant {
  readonly balance?: string;
  readonly redispatch?: boolean;
  readonly allbackups?: boolean;
  /** How a1 goes out at 300 ms. */
  readonly out?: "maint" | "down";
  /** b1 starts in MAINT and is made READY at this time. */
  readonly backupReadyAtMs?: number;
}

/** Every request's server, status, termination and Tw (whole ms), in arrival order. */
function run(arrivalsMs: ReadonlyArray<number>, v: Variant = {}): string[] {
  const command =
    v.out === "down" ? "set server backend/a1 health down" : "set server backend/a1 state maint";
  const events = [`  - {at: 300ms, runtime: "${command}"}`];
  if (v.backupReadyAtMs !== undefined)
    events.push(`  - {at: ${v.backupReadyAtMs}ms, runtime: "set server backend/b1 state ready"}`);
  const text = `duration: 12s
backend:
  balance: ${v.balance ?? "roundrobin"}
  timeout: {connect: 1s, server: 10s, queue: 5s}
  redispatch: ${v.redispatch ?? false}
  allbackups: ${v.allbackups ?? false}
  servers:
    - {name: a1, maxconn: 1}
    - {name: b1, backup: true, slots: 100, disabled: ${v.backupReadyAtMs !== undefined}}
clients: [{name: curl, arrivals: {trace: requests.csv}}]
events:
${events.join("\n")}
`;
  const rows: TraceRow[] = arrivalsMs.map((atMs, i) => ({ atMs, path: `/r${i + 1}`, demandMs: 2000 }));
  const { records } = simulateWithRecords(parseScenario(text, "backup-queue.yaml"), {
    readTrace: () => rows,
  });
  return [...records]
    .sort((a, b) => a.id - b.id)
    .map(
      (r: RequestRecord) =>
        `${r.server || "<NOSRV>"} ${r.status} ${r.termination} Tw=${Math.round(r.queueMs)}`,
    );
}

const A = [0, 10, 20, 30];
const B = [...A, 800, 1500, 2500, 3500];
const C = [...A, 5500];
const expired = "<NOSRV> 503 sQ-- Tw=5000";

describe("queued requests when the last active server goes out and a backup is there (HAProxy 2.6.12)", () => {
  it("roundrobin: the queued ones expire on timeout queue, whatever redispatch, allbackups or DOWN", () => {
    for (const v of [
      {},
      { redispatch: true },
      { allbackups: true },
      { redispatch: true, allbackups: true },
      { out: "down" as const },
      { out: "down" as const, redispatch: true, allbackups: true },
    ]) {
      expect(run(A, v), JSON.stringify(v)).toEqual(["a1 200 ---- Tw=0", expired, expired, expired]);
    }
  });

  it("roundrobin: new requests queue behind them rather than go to the idle backup", () => {
    expect(run(B)).toEqual(["a1 200 ---- Tw=0", ...Array(7).fill(expired)]);
    expect(run(B, { allbackups: true, redispatch: true })).toEqual([
      "a1 200 ---- Tw=0",
      ...Array(7).fill(expired),
    ]);
  });

  it("roundrobin: once the queue is empty, the backup serves", () => {
    expect(run(C)).toEqual(["a1 200 ---- Tw=0", expired, expired, expired, "b1 200 ---- Tw=0"]);
  });

  it("leastconn: new requests go to the backup, which never takes the queued ones", () => {
    expect(run(B, { balance: "leastconn" })).toEqual([
      "a1 200 ---- Tw=0",
      expired,
      expired,
      expired,
      ...Array(4).fill("b1 200 ---- Tw=0"),
    ]);
  });

  it("a backup coming up takes the whole queue at once", () => {
    // HAProxy logged Tw 985/976/965 (its clock); here exactly 1000 − arrival.
    expect(run(A, { backupReadyAtMs: 1000 })).toEqual([
      "a1 200 ---- Tw=0",
      "b1 200 ---- Tw=990",
      "b1 200 ---- Tw=980",
      "b1 200 ---- Tw=970",
    ]);
  });
});
