// Health-check timing ranges of `lbsim explain`, computed by hand from haproxy-semantics.md §4.3.
import { describe, expect, it } from "vitest";
import { checkTiming, ms, rangeText } from "./explain-checks.js";
import { backendsOf, cfgWith } from "./explain-test-support.js";

function timingOf(serverLine: string, backendLines: string[] = []) {
  const [backend] = backendsOf(cfgWith([...backendLines, serverLine]));
  return checkTiming(backend!.servers[0]!);
}

describe("explain: health-check timing", () => {
  it("inter 2s fall 3 (fastinter = inter): a crash is DOWN 4s to 6s later", () => {
    // The first failing check starts within one inter (0…2s), then fall−1 = 2 more, 2s apart:
    // 0 + 2·2s = 4s at the earliest, 2s + 2·2s = 6s at the latest.
    expect(timingOf("server s1 10.0.0.1:80 check inter 2s fall 3").crashToDown).toEqual({
      minMs: 4000,
      maxMs: 6000,
    });
  });

  it("fastinter paces the checks after the first failure", () => {
    // First failure within inter 3s, then fall−1 = 1 more after fastinter 500ms: 0.5s … 3.5s.
    expect(timingOf("server s1 10.0.0.1:80 check inter 3s fastinter 500ms fall 2").crashToDown).toEqual({
      minMs: 500,
      maxMs: 3500,
    });
  });

  it("a hang under an HTTP check costs a check timeout (inter without timeout check) per failure", () => {
    // Each failed check lasts inter (1s) and the next starts fastinter (1s) after it: fall 3 →
    // 3·1s + 2·1s = 5s after the first check starts, which is 0…1s after the hang (§8 rule 5: 5.82s).
    expect(timingOf("server s1 10.0.0.1:80 check inter 1s fall 3", ["option httpchk"]).hangToDown).toEqual({
      minMs: 5000,
      maxMs: 6000,
    });
  });

  it("timeout check sets how long a hung check lasts", () => {
    // 3 checks of 300ms and 2 waits of 1s: 2.9s, plus up to inter 1s before the first.
    const timing = timingOf("server s1 10.0.0.1:80 check inter 1s fall 3", [
      "option httpchk",
      "timeout check 300ms",
    ]);
    expect(timing.hungCheckMs).toBe(300);
    expect(timing.hangToDown).toEqual({ minMs: 2900, maxMs: 3900 });
  });

  it("an L4 check never marks a hung server DOWN", () => {
    expect(timingOf("server s1 10.0.0.1:80 check inter 1s").hangToDown).toBeNull();
  });

  it("restore → UP takes rise checks: the first within downinter, the others fastinter apart", () => {
    // rise 3: first pass within downinter 5s, 2 more 250ms apart: 0.5s … 5.5s.
    const timing = timingOf("server s1 10.0.0.1:80 check inter 2s fastinter 250ms downinter 5s rise 3", [
      "option httpchk",
    ]);
    expect(timing.restoreToUp).toEqual({ minMs: 500, maxMs: 5500 });
    // After a hang, a check in flight at the restore still times out (2s = inter) first (§8 rule 11).
    expect(timing.restoreAfterHangToUp).toEqual({ minMs: 500, maxMs: 7500 });
  });

  it("a server without check is never detected", () => {
    const timing = timingOf("server s1 10.0.0.1:80");
    expect(timing.checked).toBe(false);
    expect([timing.crashToDown, timing.hangToDown, timing.restoreToUp]).toEqual([null, null, null]);
  });

  it("writes durations as a cfg does", () => {
    expect([ms(250), ms(1500), ms(60_000), ms(150_000), ms(Number.POSITIVE_INFINITY)]).toEqual([
      "250ms",
      "1.5s",
      "1m",
      "2m30s",
      "infinite",
    ]);
    expect(rangeText({ minMs: 4000, maxMs: 6000 })).toBe("4s – 6s");
    expect(rangeText(null)).toBe("never");
  });
});
