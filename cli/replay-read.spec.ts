// Spec of cli/replay-read.ts and cli/replay-demand.ts: reordering by a measured bound, late lines, bad lines, FIFO deconvolution.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { compileLogFormat, HTTPLOG_FORMAT } from "../scenarios/index.js";
import { estimateDemands, type ServerDemand } from "./replay-demand.js";
import { type LateLine, orderedEntries, surveyLog } from "./replay-read.js";

const format = compileLogFormat(HTTPLOG_FORMAT);
let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-replay-read-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One httplog line: accepted at `acceptMs` after 21:00:00.000, with Tw, Tr and Ta. */
function line(server: string, acceptMs: number, tw: number, tr: number, ta = tw + tr): string {
  const ms = String(acceptMs % 1000).padStart(3, "0");
  const s = String(Math.floor(acceptMs / 1000)).padStart(2, "0");
  return `10.0.0.1:1000 [07/Dec/2026:21:00:${s}.${ms}] fe be/${server} 0/${tw}/0/${tr}/${ta} 200 10 - - ---- 1/1/1/1/0 0/0 "GET /${acceptMs} HTTP/1.1"`;
}

function write(lines: ReadonlyArray<string>): string {
  const path = join(dir, "x.log");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("reordering: lines are written when requests end", () => {
  test("requests come back in accept order, and the bound measured by the survey is just enough", () => {
    // Written in end order: the 0 ms request ends at 500, after the 100 and 200 ms ones.
    const path = write([
      line("s1", 100, 0, 10),
      line("s2", 200, 0, 10),
      line("s1", 0, 0, 500),
      line("s2", 600, 0, 1),
    ]);
    const survey = surveyLog(path, "x.log", format);
    // The 0 ms request was written when the latest end was 500: 500 ms behind it.
    expect(survey.reorderBoundMs).toBe(500);
    const late: LateLine[] = [];
    const order = [
      ...orderedEntries(path, "x.log", format, survey.reorderBoundMs, undefined, (l) => late.push(l)),
    ];
    expect(order.map((o) => o.arrivalMs - survey.firstAcceptMs)).toEqual([0, 100, 200, 600]);
    expect(order.map((o) => o.line)).toEqual([3, 1, 2, 4]);
    expect(late).toEqual([]);
  });

  test("a line later than the bound is reported with its line number and replayed at the time reached, not misordered", () => {
    const path = write([line("s1", 100, 0, 10), line("s2", 900, 0, 10), line("s1", 0, 0, 1000)]);
    const late: LateLine[] = [];
    // A bound of 50 ms: the 100 ms request is emitted once the 910 ms end is seen, before line 3.
    const order = [...orderedEntries(path, "x.log", format, 50, undefined, (l) => late.push(l))];
    expect(late).toEqual([{ line: 3, lateByMs: 100 }]);
    const times = order.map((o) => o.arrivalMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // It moves whole: its time at the server (1000 ms) is kept, not cut by its lateness.
    const demands = [...estimateDemands(order, new Map(), new Map())].map((d) => d.demandMs);
    expect(demands).toEqual([10, 1000, 10]);
  });

  test("bad lines are counted and the first five kept with their line numbers", () => {
    const bad = Array.from({ length: 7 }, (_, i) => `garbage ${i}`);
    const survey = surveyLog(write([line("s1", 0, 0, 5), ...bad]), "x.log", format);
    expect(survey).toMatchObject({ valid: 1, bad: 7 });
    expect(survey.badShown.map((b) => b.line)).toEqual([2, 3, 4, 5, 6]);
    expect(survey.badShown[0]!.message).toMatch(/expected/);
  });
});

describe("demand at a server with known workers (FIFO deconvolution)", () => {
  test("one worker: each request's demand is its end less when the previous one ended", () => {
    // Three requests at 0, 1, 2 ms on one worker with demands 10, 5, 3: ends 10, 15, 18.
    const path = write([line("s1", 0, 0, 10), line("s1", 1, 0, 14), line("s1", 2, 0, 16)]);
    const survey = surveyLog(path, "x.log", format);
    const entries = orderedEntries(path, "x.log", format, survey.reorderBoundMs, "be", () => {});
    const stats = new Map<string, ServerDemand>();
    const demands = [...estimateDemands(entries, new Map([["s1", 1]]), stats)].map((d) => d.demandMs);
    expect(demands).toEqual([10, 5, 3]);
    expect(stats.get("s1")).toMatchObject({
      waited: 2,
      waitSumMs: 9 + 13,
      inconsistent: 0,
      maxConcurrent: 3,
    });
    // Without workers given, Tr is the demand, wait included.
    const whole = orderedEntries(path, "x.log", format, survey.reorderBoundMs, "be", () => {});
    expect([...estimateDemands(whole, new Map(), new Map())].map((d) => d.demandMs)).toEqual([10, 14, 16]);
  });

  test("an end before a worker could be free is counted as the estimate's error, demand 0", () => {
    const path = write([line("s1", 0, 0, 10), line("s1", 1, 0, 4)]);
    const entries = orderedEntries(path, "x.log", format, 100, "be", () => {});
    const stats = new Map<string, ServerDemand>();
    expect([...estimateDemands(entries, new Map([["s1", 1]]), stats)].map((d) => d.demandMs)).toEqual([
      10, 0,
    ]);
    expect(stats.get("s1")).toMatchObject({ inconsistent: 1, inconsistentSumMs: 5 });
  });
});
